package rep

// Declarations and dispatch of the AVX-512 vector kernels in
// axpy_amd64.s; their pure-Go twins are in kernels.go.

// cpuid executes CPUID for a leaf and sub-leaf.
func cpuid(leaf, sub uint32) (a, b, c, d uint32)

// xgetbv0 reads the extended control register XCR0.
func xgetbv0() (lo, hi uint32)

//go:noescape
func mulVecAVX512(dst, x, y *float64, n int)

//go:noescape
func addVecAVX512(dst, x *float64, n int)

//go:noescape
func gdStepAVX512(th, grad *float64, n int, lr, l2 float64)

//go:noescape
func reluAVX512(dst, deriv, src *float64, n int, withDeriv uint64)

//go:noescape
func dot8AVX512(n int, a *float64, lda int, b, out *float64, ldo int)

//go:noescape
func axpyFMAAVX512(y, x *float64, n int, a float64)

//go:noescape
func axpyFMAAVX2(y, x *float64, n int, a float64)

// hasAVXFMA reports whether the processor and the OS support AVX and FMA3:
// CPUID.1 ECX bits 12 (FMA), 27 (OSXSAVE) and 28 (AVX), and XCR0 saving
// the SSE and AVX state.
var hasAVXFMA = func() bool {
	_, _, c, _ := cpuid(1, 0)
	if c&(1<<12) == 0 || c&(1<<27) == 0 || c&(1<<28) == 0 {
		return false
	}
	lo, _ := xgetbv0()
	return lo&6 == 6
}()

// fma256 selects, on processors with FMA3 but without AVX-512, products
// by fused row loops (gemmLoop) over a 256-bit fma axpy: the same bits as
// the AVX-512 kernels and the pure-Go kernel, vectorized (speed not yet
// measured on such a processor).
var fma256 = hasAVXFMA && !hasAVX512

// gemmByLoop reports whether gemm should run as gemmLoop.
func gemmByLoop() bool { return !simd && fma256 }

//go:noescape
func dot1AVX512(n int, a, b *float64) float64

// mulVec sets dst[i] = x[i]·y[i]; x and y must be at least as long as dst.
func mulVec(dst, x, y []float64) {
	if simd && len(dst) > 0 {
		x, y = x[:len(dst)], y[:len(dst)]
		mulVecAVX512(&dst[0], &x[0], &y[0], len(dst))
		return
	}
	mulVecGo(dst, x, y)
}

// addVec sets dst[i] += x[i]; x must be at least as long as dst.
func addVec(dst, x []float64) {
	if simd && len(dst) > 0 {
		x = x[:len(dst)]
		addVecAVX512(&dst[0], &x[0], len(dst))
		return
	}
	addVecGo(dst, x)
}

// gdStep sets th[i] −= lr·(g[i] + l2·th[i]); see gdStepGo.
func gdStep(th, g []float64, lr, l2 float64) {
	if simd && len(th) > 0 {
		g = g[:len(th)]
		gdStepAVX512(&th[0], &g[0], len(th), lr, l2)
		return
	}
	gdStepGo(th, g, lr, l2)
}

// relu applies ReLU and its derivative (deriv may be nil); see reluGo.
func relu(dst, deriv, src []float64) {
	if simd && len(src) > 0 {
		dst = dst[:len(src)]
		var dp *float64
		with := uint64(0)
		if deriv != nil {
			deriv = deriv[:len(src)]
			dp, with = &deriv[0], 1
		}
		reluAVX512(&dst[0], dp, &src[0], len(src), with)
		return
	}
	reluGo(dst, deriv, src)
}

// dots sets out[r·ldo] = a[r·lda:]·b for r < rows, in the lane order of
// dotGo.
func dots(out []float64, ldo int, a []float64, lda, rows int, b []float64) {
	k := len(b)
	if !simd || k == 0 || rows == 0 {
		dotsGo(out, ldo, a, lda, rows, b)
		return
	}
	_ = out[(rows-1)*ldo]
	_ = a[(rows-1)*lda+k-1]
	r := 0
	for ; r+8 <= rows; r += 8 {
		dot8AVX512(k, &a[r*lda], lda, &b[0], &out[r*ldo], ldo)
	}
	for ; r < rows; r++ {
		out[r*ldo] = dot1AVX512(k, &a[r*lda], &b[0])
	}
}

// axpyFMA sets y[i] = fma(a, x[i], y[i]); x must be at least as long as y.
func axpyFMA(y []float64, a float64, x []float64) {
	if len(y) > 0 && (simd || fma256) {
		x = x[:len(y)]
		if simd {
			axpyFMAAVX512(&y[0], &x[0], len(y), a)
		} else {
			axpyFMAAVX2(&y[0], &x[0], len(y), a)
		}
		return
	}
	axpyFMAGo(y, a, x)
}
