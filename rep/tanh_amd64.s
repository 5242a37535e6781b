#include "textflag.h"

// func tanhAVX512(dst, deriv, src *float64, n int, c *float64, withDeriv uint64)
// The same operations as tanhGo (tanh.go), 8 lanes at a time.
// Constants: Z16 clamp, Z17 1/ln2, Z18 magic, Z19 −ln2hi, Z20 −ln2lo,
// Z21 1, Z22 2, Z23–Z29 c13…c7, Z30 abs mask, Z31 1023<<52; c6…c2 are
// broadcast from memory.
TEXT ·tanhAVX512(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ deriv+8(FP), DX
	MOVQ src+16(FP), SI
	MOVQ n+24(FP), CX
	MOVQ c+32(FP), R8
	MOVQ withDeriv+40(FP), R9
	VBROADCASTSD 0(R8), Z16
	VBROADCASTSD 8(R8), Z17
	VBROADCASTSD 16(R8), Z18
	VBROADCASTSD 24(R8), Z19
	VBROADCASTSD 32(R8), Z20
	VBROADCASTSD 40(R8), Z21
	VBROADCASTSD 48(R8), Z22
	VBROADCASTSD 56(R8), Z23
	VBROADCASTSD 64(R8), Z24
	VBROADCASTSD 72(R8), Z25
	VBROADCASTSD 80(R8), Z26
	VBROADCASTSD 88(R8), Z27
	VBROADCASTSD 96(R8), Z28
	VBROADCASTSD 104(R8), Z29
	MOVQ $0x7fffffffffffffff, AX
	VPBROADCASTQ AX, Z30
	MOVQ $0x3ff0000000000000, AX
	VPBROADCASTQ AX, Z31
	XORQ AX, AX
	TESTQ CX, CX
	JZ done

loop:
	VMOVUPD (SI)(AX*8), Z0          // x
	VANDPD Z30, Z0, Z1              // a = |x|
	VANDNPD Z0, Z30, Z15            // sign bit of x
	VMINPD Z1, Z16, Z1              // a = min(22, a), NaN kept
	VADDPD Z1, Z1, Z2               // y = a + a
	VMOVAPD Z18, Z3
	VFMADD231PD Z17, Z2, Z3         // kfm = fma(y, 1/ln2, magic)
	VSUBPD Z18, Z3, Z4              // kf = kfm − magic
	VFMADD231PD Z19, Z4, Z2         // r = fma(kf, −ln2hi, y)
	VFMADD231PD Z20, Z4, Z2         // r = fma(kf, −ln2lo, r)
	VMOVAPD Z23, Z5                 // q = c13
	VFMADD213PD Z24, Z2, Z5         // q = fma(q, r, c12)
	VFMADD213PD Z25, Z2, Z5
	VFMADD213PD Z26, Z2, Z5
	VFMADD213PD Z27, Z2, Z5
	VFMADD213PD Z28, Z2, Z5
	VFMADD213PD Z29, Z2, Z5         // … c7
	VFMADD213PD.BCST 112(R8), Z2, Z5 // c6
	VFMADD213PD.BCST 120(R8), Z2, Z5
	VFMADD213PD.BCST 128(R8), Z2, Z5
	VFMADD213PD.BCST 136(R8), Z2, Z5
	VFMADD213PD.BCST 144(R8), Z2, Z5 // c2
	VMULPD Z2, Z2, Z6               // r2 = r·r
	VFMADD213PD Z2, Z6, Z5          // p = fma(r2, q, r)
	VPSLLQ $52, Z3, Z7
	VPADDQ Z31, Z7, Z7              // s = 2ⁿ
	VSUBPD Z21, Z7, Z8              // s − 1
	VFMADD231PD Z5, Z7, Z8          // e = fma(s, p, s − 1)
	VADDPD Z22, Z8, Z9              // e + 2
	VDIVPD Z9, Z8, Z10              // t = e/(e + 2)
	VANDPD Z30, Z10, Z10
	VORPD Z15, Z10, Z10             // copysign(t, x)
	VMOVUPD Z10, (DI)(AX*8)
	TESTQ R9, R9
	JZ next
	VMULPD Z10, Z10, Z11
	VSUBPD Z11, Z21, Z11            // 1 − t·t
	VMOVUPD Z11, (DX)(AX*8)

next:
	ADDQ $8, AX
	CMPQ AX, CX
	JLT loop

done:
	VZEROUPPER
	RET
