package rep

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// Small dense linear algebra for the mean-field solver, on row-major
// slices. The names carry an mf prefix because package rep is shared.

// mfJacobi computes the eigen-decomposition of the symmetric n×n matrix a
// (row-major; destroyed) by cyclic Jacobi rotations. It writes the
// eigenvalues in decreasing order to vals and the matching unit
// eigenvectors to the columns of vecs (n×n, row-major). Accurate to a few
// ulps of the largest eigenvalue; meant for n ≲ 20.
func mfJacobi(a []float64, n int, vals, vecs []float64) {
	for i := range vecs[:n*n] {
		vecs[i] = 0
	}
	for i := 0; i < n; i++ {
		vecs[i*n+i] = 1
	}
	if n == 1 {
		vals[0] = a[0]
		return
	}
	for sweep := 0; sweep < 60; sweep++ {
		off, diag := 0.0, 0.0
		for i := 0; i < n; i++ {
			diag += a[i*n+i] * a[i*n+i]
			for j := i + 1; j < n; j++ {
				off += a[i*n+j] * a[i*n+j]
			}
		}
		if off <= 1e-32*diag || off == 0 {
			break
		}
		for p := 0; p < n; p++ {
			for q := p + 1; q < n; q++ {
				apq := a[p*n+q]
				if apq == 0 {
					continue
				}
				app, aqq := a[p*n+p], a[q*n+q]
				theta := (aqq - app) / (2 * apq)
				t := 1 / (math.Abs(theta) + math.Sqrt(theta*theta+1))
				if theta < 0 {
					t = -t
				}
				c := 1 / math.Sqrt(t*t+1)
				s := t * c
				for k := 0; k < n; k++ {
					akp, akq := a[k*n+p], a[k*n+q]
					a[k*n+p] = c*akp - s*akq
					a[k*n+q] = s*akp + c*akq
				}
				for k := 0; k < n; k++ {
					apk, aqk := a[p*n+k], a[q*n+k]
					a[p*n+k] = c*apk - s*aqk
					a[q*n+k] = s*apk + c*aqk
				}
				for k := 0; k < n; k++ {
					vkp, vkq := vecs[k*n+p], vecs[k*n+q]
					vecs[k*n+p] = c*vkp - s*vkq
					vecs[k*n+q] = s*vkp + c*vkq
				}
			}
		}
	}
	// Sort decreasing with a selection sort (n is small), swapping columns.
	for i := 0; i < n; i++ {
		vals[i] = a[i*n+i]
	}
	for i := 0; i < n; i++ {
		best := i
		for j := i + 1; j < n; j++ {
			if vals[j] > vals[best] {
				best = j
			}
		}
		if best != i {
			vals[i], vals[best] = vals[best], vals[i]
			for k := 0; k < n; k++ {
				vecs[k*n+i], vecs[k*n+best] = vecs[k*n+best], vecs[k*n+i]
			}
		}
	}
}

// mfCholesky factorizes the symmetric positive definite n×n matrix a in
// place into its lower Cholesky factor (the upper triangle is left as is).
// It reports false when a pivot is not positive.
func mfCholesky(a []float64, n int) bool {
	for j := 0; j < n; j++ {
		d := a[j*n+j]
		for k := 0; k < j; k++ {
			d -= a[j*n+k] * a[j*n+k]
		}
		if !(d > 0) {
			return false
		}
		d = math.Sqrt(d)
		a[j*n+j] = d
		for i := j + 1; i < n; i++ {
			s := a[i*n+j]
			for k := 0; k < j; k++ {
				s -= a[i*n+k] * a[j*n+k]
			}
			a[i*n+j] = s / d
		}
	}
	return true
}

// mfCholSolve overwrites the n×m matrix b (row-major) with L⁻ᵀL⁻¹b, where l
// holds a lower Cholesky factor from mfCholesky.
func mfCholSolve(l []float64, n int, b []float64, m int) {
	for c := 0; c < m; c++ {
		for i := 0; i < n; i++ {
			s := b[i*m+c]
			for k := 0; k < i; k++ {
				s -= l[i*n+k] * b[k*m+c]
			}
			b[i*m+c] = s / l[i*n+i]
		}
		for i := n - 1; i >= 0; i-- {
			s := b[i*m+c]
			for k := i + 1; k < n; k++ {
				s -= l[k*n+i] * b[k*m+c]
			}
			b[i*m+c] = s / l[i*n+i]
		}
	}
}

// mfEig is an eigen-decomposition of a symmetric matrix with the
// eigenvalues in decreasing order.
type mfEig struct {
	vals []float64
	vecs *mat.Dense // columns are eigenvectors
}

// mfEigSym decomposes a symmetric matrix with gonum (LAPACK dsyev) and
// sorts the eigenvalues in decreasing order. ok is false when the
// factorization fails (NaN input).
func mfEigSym(a mat.Symmetric) (mfEig, bool) {
	var e mat.EigenSym
	if !e.Factorize(a, true) {
		return mfEig{}, false
	}
	vals := e.Values(nil)
	var v mat.Dense
	e.VectorsTo(&v)
	n := len(vals)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return vals[idx[i]] > vals[idx[j]] })
	out := mfEig{vals: make([]float64, n), vecs: mat.NewDense(n, n, nil)}
	for c, j := range idx {
		out.vals[c] = vals[j]
		for i := 0; i < n; i++ {
			out.vecs.Set(i, c, v.At(i, j))
		}
	}
	return out, true
}

// mfSymData returns the n×n row-major data of a symmetric matrix.
func mfSymData(a mat.Symmetric) []float64 {
	n := a.SymmetricDim()
	d := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			d[i*n+j] = a.At(i, j)
		}
	}
	return d
}

// mfNewSym returns a SymDense holding the n×n row-major data d,
// symmetrized as (d + dᵀ)/2.
func mfNewSym(d []float64, n int) *mat.SymDense {
	s := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			s.SetSym(i, j, 0.5*(d[i*n+j]+d[j*n+i]))
		}
	}
	return s
}

// mfQuad returns xᵀAy for the n×n row-major matrix a.
func mfQuad(a []float64, n int, x, y []float64) float64 {
	s := 0.0
	for i := 0; i < n; i++ {
		if x[i] == 0 {
			continue
		}
		r := 0.0
		row := a[i*n : i*n+n]
		for j, v := range row {
			r += v * y[j]
		}
		s += x[i] * r
	}
	return s
}

// mfFrob returns the Frobenius norm of a matrix.
func mfFrob(a mat.Matrix) float64 {
	r, c := a.Dims()
	s := 0.0
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			v := a.At(i, j)
			s += v * v
		}
	}
	return math.Sqrt(s)
}

// ridgeData returns the data term of the effective energy,
// tr(λ₂(λ₂I + K)⁻¹K_Y) = λ₂‖L⁻¹F‖² with λ₂I + K = LLᵀ and K_Y = FFᵀ, for
// the P×P kernel kk. It overwrites chol (P×P) and tmp (P×q) and reports
// false when λ₂I + K is not positive definite.
func (pr *mfProblem) ridgeData(kk, chol, tmp []float64) (float64, bool) {
	p, q := pr.p, pr.q
	copy(chol, kk[:p*p])
	for i := 0; i < p; i++ {
		chol[i*p+i] += pr.l2
	}
	if !mfCholesky(chol, p) {
		return 0, false
	}
	copy(tmp, pr.fy)
	for c := 0; c < q; c++ {
		for i := 0; i < p; i++ {
			v := tmp[i*q+c]
			for k := 0; k < i; k++ {
				v -= chol[i*p+k] * tmp[k*q+c]
			}
			tmp[i*q+c] = v / chol[i*p+i]
		}
	}
	data := 0.0
	for _, v := range tmp[:p*q] {
		data += v * v
	}
	return data * pr.l2, true
}

// mfPSDRank eigen-decomposes the kernel k (named name in errors) and
// returns it with its numerical rank: the eigenvalues above 1e-10 of the
// largest. It is an error when k is zero (zero says why that is fatal),
// or has an eigenvalue below −1e-9 of the largest (not PSD).
func mfPSDRank(k mat.Symmetric, name, zero string) (mfEig, int, error) {
	e, ok := mfEigSym(k)
	if !ok {
		return mfEig{}, 0, fmt.Errorf("rep: mean field: eigen-decomposition of %s failed", name)
	}
	top := math.Max(e.vals[0], 0)
	if top == 0 {
		return mfEig{}, 0, fmt.Errorf("rep: mean field: %s is zero: %s", name, zero)
	}
	if low := e.vals[len(e.vals)-1]; low < -1e-9*top {
		return mfEig{}, 0, fmt.Errorf("rep: mean field: %s is not positive semi-definite (eigenvalue %.3g, largest %.3g)", name, low, top)
	}
	rank := 0
	for _, v := range e.vals {
		if v > 1e-10*top {
			rank++
		}
	}
	return e, rank, nil
}
