package rep

import "math"

// The vector kernels of the training engine, in pure Go. Each has an
// AVX-512 twin in axpy_amd64.s that performs the same IEEE operations in
// the same order, so the two agree bit for bit (TestKernelsMatchGo);
// dispatch is in axpy_amd64.go and axpy_other.go. Explicit float64
// conversions stop compilers from fusing a product into a following add
// (Go may fuse x*y + z on arm64, ppc64 and s390x), which would change the
// bits. Matrices are row-major; nothing here allocates.

// dotGo returns Σ a[i]·b[i] over len(a) elements in the lane order of the
// vector kernels: lane l = i mod 8 accumulates its elements with fma in
// order from +0, then the lanes are summed as ((l₀+l₄)+(l₂+l₆)) +
// ((l₁+l₅)+(l₃+l₇)).
func dotGo(a, b []float64) float64 {
	var s [8]float64
	b = b[:len(a)]
	for i, v := range a {
		s[i&7] = math.FMA(v, b[i], s[i&7])
	}
	t0, t1, t2, t3 := s[0]+s[4], s[1]+s[5], s[2]+s[6], s[3]+s[7]
	return (t0 + t2) + (t1 + t3)
}

// mulNT sets c = a·bᵀ for a m×k and b n×k (c is m×n), every element a
// dot product in the lane order of dotGo.
func mulNT(c, a, b []float64, m, k, n int) {
	if len(a) < m*k || len(b) < n*k || len(c) < m*n {
		panic("rep: mulNT: slice too short for its shape")
	}
	for j := 0; j < n; j++ {
		bj := b[j*k : j*k+k]
		dots(c[j:], n, a, k, m, bj)
	}
}

// dotsGo sets out[r·ldo] = dotGo(a[r·lda : r·lda+len(b)], b) for r < rows.
func dotsGo(out []float64, ldo int, a []float64, lda, rows int, b []float64) {
	k := len(b)
	for r := 0; r < rows; r++ {
		out[r*ldo] = dotGo(a[r*lda:r*lda+k], b)
	}
}

// axpyFMAGo sets y[i] = fma(a, x[i], y[i]).
func axpyFMAGo(y []float64, a float64, x []float64) {
	x = x[:len(y)]
	for i, v := range x {
		y[i] = math.FMA(a, v, y[i])
	}
}

// mulVecGo sets dst[i] = x[i]·y[i].
func mulVecGo(dst, x, y []float64) {
	x, y = x[:len(dst)], y[:len(dst)]
	for i := range dst {
		dst[i] = x[i] * y[i]
	}
}

// addVecGo sets dst[i] += x[i].
func addVecGo(dst, x []float64) {
	x = x[:len(dst)]
	for i := range dst {
		dst[i] += x[i]
	}
}

// gdStepGo sets th[i] = th[i] − lr·(g[i] + l2·th[i]), each operation
// rounded (the gradient-descent update with penalty gradient l2·θ).
func gdStepGo(th, g []float64, lr, l2 float64) {
	g = g[:len(th)]
	for i, w := range th {
		th[i] = w - float64(lr*(g[i]+float64(l2*w)))
	}
}

// reluGo sets dst[i] = max(src[i], 0) and deriv[i] = 1 where src[i] > 0
// and +0 elsewhere (NaN gives 0); deriv may be nil.
func reluGo(dst, deriv, src []float64) {
	for i, x := range src {
		if x > 0 {
			dst[i] = x
			if deriv != nil {
				deriv[i] = 1
			}
		} else {
			dst[i] = 0
			if deriv != nil {
				deriv[i] = 0
			}
		}
	}
}

// addRows sets x[i,:] += v for every row of the m×len(v) matrix x.
func addRows(x, v []float64, m int) {
	n := len(v)
	for i := 0; i < m; i++ {
		addVec(x[i*n:i*n+n], v)
	}
}

// setColSums sets s = the column sums of the m×len(s) matrix x (m ≥ 1),
// adding rows in order.
func setColSums(s, x []float64, m int) {
	copy(s, x[:len(s)])
	addColSums(s, x[len(s):], m-1)
}

// addColSums sets s += the column sums of the m×len(s) matrix x, adding
// rows in order.
func addColSums(s, x []float64, m int) {
	n := len(s)
	for i := 0; i < m; i++ {
		addVec(s, x[i*n:i*n+n])
	}
}

// fill sets every element of x to v.
func fill(x []float64, v float64) {
	for i := range x {
		x[i] = v
	}
}
