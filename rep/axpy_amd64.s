#include "textflag.h"

// func cpuid(leaf, sub uint32) (a, b, c, d uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL leaf+0(FP), AX
	MOVL sub+4(FP), CX
	CPUID
	MOVL AX, a+8(FP)
	MOVL BX, b+12(FP)
	MOVL CX, c+16(FP)
	MOVL DX, d+20(FP)
	RET

// func xgetbv0() (lo, hi uint32)
TEXT ·xgetbv0(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, lo+0(FP)
	MOVL DX, hi+4(FP)
	RET

// The elementwise AVX-512 kernels below do, lane by lane, the same IEEE
// operations as their Go twins in kernels.go; tails use masked loads and
// stores, so every element is handled here.

// TAILMASK sets K1 to the low n mod 8 bits and BX to n &^ 7.
// Clobbers R11, R12.
#define TAILMASK(n) \
	MOVQ n, R11; \
	ANDQ $7, R11; \
	MOVQ $1, R12; \
	SHLXQ R11, R12, R12; \
	DECQ R12; \
	KMOVW R12, K1; \
	MOVQ n, BX; \
	ANDQ $-8, BX

// func mulVecAVX512(dst, x, y *float64, n int)
// dst[i] = x[i]·y[i].
TEXT ·mulVecAVX512(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), DX
	MOVQ n+24(FP), CX
	TAILMASK(CX)
	XORQ AX, AX

mulloop:
	CMPQ AX, BX
	JGE  multail
	VMOVUPD (SI)(AX*8), Z0
	VMULPD  (DX)(AX*8), Z0, Z0
	VMOVUPD Z0, (DI)(AX*8)
	ADDQ    $8, AX
	JMP     mulloop

multail:
	VMOVUPD.Z (SI)(AX*8), K1, Z0
	VMOVUPD.Z (DX)(AX*8), K1, Z1
	VMULPD    Z1, Z0, Z0
	VMOVUPD   Z0, K1, (DI)(AX*8)
	VZEROUPPER
	RET

// func addVecAVX512(dst, x *float64, n int)
// dst[i] += x[i].
TEXT ·addVecAVX512(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	TAILMASK(CX)
	XORQ AX, AX

addloop:
	CMPQ AX, BX
	JGE  addtail
	VMOVUPD (DI)(AX*8), Z0
	VADDPD  (SI)(AX*8), Z0, Z0
	VMOVUPD Z0, (DI)(AX*8)
	ADDQ    $8, AX
	JMP     addloop

addtail:
	VMOVUPD.Z (DI)(AX*8), K1, Z0
	VMOVUPD.Z (SI)(AX*8), K1, Z1
	VADDPD    Z1, Z0, Z0
	VMOVUPD   Z0, K1, (DI)(AX*8)
	VZEROUPPER
	RET

// func gdStepAVX512(th, grad *float64, n int, lr, l2 float64)
// th[i] = th[i] − lr·(grad[i] + l2·th[i]), each operation rounded.
TEXT ·gdStepAVX512(SB), NOSPLIT, $0-40
	MOVQ th+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSD lr+24(FP), Z4
	VBROADCASTSD l2+32(FP), Z5
	TAILMASK(CX)
	XORQ AX, AX

gdloop:
	CMPQ AX, BX
	JGE  gdtail
	VMOVUPD (DI)(AX*8), Z0
	VMULPD  Z5, Z0, Z1
	VADDPD  (SI)(AX*8), Z1, Z1
	VMULPD  Z4, Z1, Z1
	VSUBPD  Z1, Z0, Z0
	VMOVUPD Z0, (DI)(AX*8)
	ADDQ    $8, AX
	JMP     gdloop

gdtail:
	VMOVUPD.Z (DI)(AX*8), K1, Z0
	VMOVUPD.Z (SI)(AX*8), K1, Z2
	VMULPD    Z5, Z0, Z1
	VADDPD    Z2, Z1, Z1
	VMULPD    Z4, Z1, Z1
	VSUBPD    Z1, Z0, Z0
	VMOVUPD   Z0, K1, (DI)(AX*8)
	VZEROUPPER
	RET

// func reluAVX512(dst, deriv, src *float64, n int, withDeriv uint64)
// dst[i] = src[i] if src[i] > 0 else +0; deriv[i] = 1 or +0 likewise.
TEXT ·reluAVX512(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ deriv+8(FP), DX
	MOVQ src+16(FP), SI
	MOVQ n+24(FP), CX
	MOVQ withDeriv+32(FP), R9
	MOVQ $0x3ff0000000000000, R8
	VPBROADCASTQ R8, Z7
	VPXORQ Z6, Z6, Z6
	TAILMASK(CX)
	XORQ AX, AX

reluloop:
	CMPQ AX, BX
	JGE  relutail
	VMOVUPD   (SI)(AX*8), Z0
	VCMPPD    $0x1e, Z6, Z0, K2
	VMOVUPD.Z Z0, K2, Z1
	VMOVUPD   Z1, (DI)(AX*8)
	TESTQ     R9, R9
	JZ        relunext
	VMOVUPD.Z Z7, K2, Z2
	VMOVUPD   Z2, (DX)(AX*8)

relunext:
	ADDQ $8, AX
	JMP  reluloop

relutail:
	VMOVUPD.Z (SI)(AX*8), K1, Z0
	VCMPPD    $0x1e, Z6, Z0, K1, K2
	VMOVUPD.Z Z0, K2, Z1
	VMOVUPD   Z1, K1, (DI)(AX*8)
	TESTQ     R9, R9
	JZ        reludone
	VMOVUPD.Z Z7, K2, Z2
	VMOVUPD   Z2, K1, (DX)(AX*8)

reludone:
	VZEROUPPER
	RET

// REDUCE8 sums the 8 lanes of Z, as dotGo does, into the low lane of X:
// (l + l+4), then (l + l+2), then lane 0 + lane 1. Clobbers Y12, X13.
#define REDUCE8(Z, Y, X) \
	VEXTRACTF64X4 $1, Z, Y12; \
	VADDPD        Y12, Y, Y; \
	VEXTRACTF128  $1, Y, X13; \
	VADDPD        X13, X, X; \
	VPERMILPD     $1, X, X13; \
	VADDSD        X13, X, X

// func dot8AVX512(n int, a *float64, lda int, b, out *float64, ldo int)
// out[r·ldo] = dot(a[r·lda:], b) for the 8 rows r < 8 of a, each dot in
// the lane order of dotGo: lane l accumulates elements i ≡ l (mod 8) with
// fma in order (the tail merge-masked), then REDUCE8.
TEXT ·dot8AVX512(SB), NOSPLIT, $0-48
	MOVQ n+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), DX
	SHLQ $3, DX
	MOVQ b+24(FP), DI
	TAILMASK(CX)
	LEAQ (SI)(DX*1), R8
	LEAQ (R8)(DX*1), R9
	LEAQ (R9)(DX*1), R10
	LEAQ (R10)(DX*1), R11
	LEAQ (R11)(DX*1), R12
	LEAQ (R12)(DX*1), R13
	LEAQ (R13)(DX*1), DX
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3
	VPXORQ Z4, Z4, Z4
	VPXORQ Z5, Z5, Z5
	VPXORQ Z6, Z6, Z6
	VPXORQ Z7, Z7, Z7
	XORQ AX, AX

dot8loop:
	CMPQ AX, BX
	JGE  dot8tail
	VMOVUPD     (DI)(AX*8), Z8
	VFMADD231PD (SI)(AX*8), Z8, Z0
	VFMADD231PD (R8)(AX*8), Z8, Z1
	VFMADD231PD (R9)(AX*8), Z8, Z2
	VFMADD231PD (R10)(AX*8), Z8, Z3
	VFMADD231PD (R11)(AX*8), Z8, Z4
	VFMADD231PD (R12)(AX*8), Z8, Z5
	VFMADD231PD (R13)(AX*8), Z8, Z6
	VFMADD231PD (DX)(AX*8), Z8, Z7
	ADDQ        $8, AX
	JMP         dot8loop

dot8tail:
	CMPQ AX, CX
	JGE  dot8reduce
	VMOVUPD.Z   (DI)(AX*8), K1, Z8
	VMOVUPD.Z   (SI)(AX*8), K1, Z9
	VFMADD231PD Z9, Z8, K1, Z0
	VMOVUPD.Z   (R8)(AX*8), K1, Z9
	VFMADD231PD Z9, Z8, K1, Z1
	VMOVUPD.Z   (R9)(AX*8), K1, Z9
	VFMADD231PD Z9, Z8, K1, Z2
	VMOVUPD.Z   (R10)(AX*8), K1, Z9
	VFMADD231PD Z9, Z8, K1, Z3
	VMOVUPD.Z   (R11)(AX*8), K1, Z9
	VFMADD231PD Z9, Z8, K1, Z4
	VMOVUPD.Z   (R12)(AX*8), K1, Z9
	VFMADD231PD Z9, Z8, K1, Z5
	VMOVUPD.Z   (R13)(AX*8), K1, Z9
	VFMADD231PD Z9, Z8, K1, Z6
	VMOVUPD.Z   (DX)(AX*8), K1, Z9
	VFMADD231PD Z9, Z8, K1, Z7

dot8reduce:
	MOVQ out+32(FP), DI
	MOVQ ldo+40(FP), SI
	SHLQ $3, SI
	REDUCE8(Z0, Y0, X0)
	VMOVSD X0, (DI)
	ADDQ   SI, DI
	REDUCE8(Z1, Y1, X1)
	VMOVSD X1, (DI)
	ADDQ   SI, DI
	REDUCE8(Z2, Y2, X2)
	VMOVSD X2, (DI)
	ADDQ   SI, DI
	REDUCE8(Z3, Y3, X3)
	VMOVSD X3, (DI)
	ADDQ   SI, DI
	REDUCE8(Z4, Y4, X4)
	VMOVSD X4, (DI)
	ADDQ   SI, DI
	REDUCE8(Z5, Y5, X5)
	VMOVSD X5, (DI)
	ADDQ   SI, DI
	REDUCE8(Z6, Y6, X6)
	VMOVSD X6, (DI)
	ADDQ   SI, DI
	REDUCE8(Z7, Y7, X7)
	VMOVSD X7, (DI)
	VZEROUPPER
	RET

// func dot1AVX512(n int, a, b *float64) float64
// dot(a, b) in the lane order of dotGo.
TEXT ·dot1AVX512(SB), NOSPLIT, $0-32
	MOVQ n+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	VPXORQ Z0, Z0, Z0
	TAILMASK(CX)
	XORQ AX, AX

dot1loop:
	CMPQ AX, BX
	JGE  dot1tail
	VMOVUPD     (DI)(AX*8), Z8
	VFMADD231PD (SI)(AX*8), Z8, Z0
	ADDQ        $8, AX
	JMP         dot1loop

dot1tail:
	CMPQ AX, CX
	JGE  dot1reduce
	VMOVUPD.Z   (DI)(AX*8), K1, Z8
	VMOVUPD.Z   (SI)(AX*8), K1, Z9
	VFMADD231PD Z9, Z8, K1, Z0

dot1reduce:
	REDUCE8(Z0, Y0, X0)
	VMOVSD X0, ret+24(FP)
	VZEROUPPER
	RET

// func axpyFMAAVX512(y, x *float64, n int, a float64)
// y[i] = fma(a, x[i], y[i]).
TEXT ·axpyFMAAVX512(SB), NOSPLIT, $0-32
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSD a+24(FP), Z4
	TAILMASK(CX)
	XORQ AX, AX

axpyloop:
	CMPQ AX, BX
	JGE  axpytail
	VMOVUPD     (DI)(AX*8), Z0
	VFMADD231PD (SI)(AX*8), Z4, Z0
	VMOVUPD     Z0, (DI)(AX*8)
	ADDQ        $8, AX
	JMP         axpyloop

axpytail:
	VMOVUPD.Z   (DI)(AX*8), K1, Z0
	VMOVUPD.Z   (SI)(AX*8), K1, Z1
	VFMADD231PD Z1, Z4, Z0
	VMOVUPD     Z0, K1, (DI)(AX*8)
	VZEROUPPER
	RET

// func axpyFMAAVX2(y, x *float64, n int, a float64)
// y[i] = fma(a, x[i], y[i]) with 256-bit FMA3, for processors without
// AVX-512.
TEXT ·axpyFMAAVX2(SB), NOSPLIT, $0-32
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSD a+24(FP), Y4
	MOVQ CX, BX
	ANDQ $-4, BX
	XORQ AX, AX

axpy2loop:
	CMPQ AX, BX
	JGE  axpy2tail
	VMOVUPD     (DI)(AX*8), Y0
	VFMADD231PD (SI)(AX*8), Y4, Y0
	VMOVUPD     Y0, (DI)(AX*8)
	ADDQ        $4, AX
	JMP         axpy2loop

axpy2tail:
	CMPQ AX, CX
	JGE  axpy2done
	VMOVSD      (DI)(AX*8), X0
	VFMADD231SD (SI)(AX*8), X4, X0
	VMOVSD      X0, (DI)(AX*8)
	INCQ        AX
	JMP         axpy2tail

axpy2done:
	VZEROUPPER
	RET
