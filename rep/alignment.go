package rep

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// KernelOf returns the P×P kernel K = HHᵀ of a representation h (P×M, rows
// = stimuli): K_ij is the dot product of the representations of stimuli i
// and j, summed over features (paper A's K = ΦᵀΦ, not divided by M).
func KernelOf(h mat.Matrix) *mat.SymDense {
	p, _ := h.Dims()
	k := mat.NewSymDense(p, nil)
	k.SymOuterK(1, h)
	return k
}

// CenteredKernel returns the double-centered kernel HKH, H = I − 11ᵀ/P, of
// the symmetric part (K + Kᵀ)/2 of a P×P kernel: the kernel of the
// representation with its mean over stimuli removed. Entry by entry,
// K̃_ij = K_ij − r_i − r_j + g with r the row means and g the grand mean.
// It panics when k is not square.
func CenteredKernel(k mat.Matrix) *mat.SymDense {
	kr := squareRows("CenteredKernel", k)
	p := kr.n
	rm, cm, g := kernelMeans(kr)
	out := mat.NewSymDense(p, nil)
	for i := 0; i < p; i++ {
		for j := i; j < p; j++ {
			a := kr.data[i*kr.str+j] - rm[i] - cm[j] + g
			b := kr.data[j*kr.str+i] - rm[j] - cm[i] + g
			out.SetSym(i, j, (a+b)/2)
		}
	}
	return out
}

// squareRows returns k's rows and panics unless k is square.
func squareRows(fn string, k mat.Matrix) rowView {
	kr := rowsOf(k)
	if kr.n != kr.cols {
		panic(fmt.Sprintf("rep: %s: kernel is %d×%d, not square", fn, kr.n, kr.cols))
	}
	return kr
}

// kernelMeans returns the row means, column means and grand mean of a
// square matrix.
func kernelMeans(k rowView) (rm, cm []float64, g float64) {
	p := k.n
	rm, cm = make([]float64, p), make([]float64, p)
	for i := 0; i < p; i++ {
		for j, v := range k.row(i) {
			rm[i] += v
			cm[j] += v
		}
	}
	for i := range rm {
		g += rm[i]
		rm[i] /= float64(p)
		cm[i] /= float64(p)
	}
	return rm, cm, g / float64(p*p)
}

// KernelAlignment returns the centered kernel alignment (linear CKA;
// Kornblith et al. 2019) of two P×P kernels, paper B's C(K1, K2) (DIGEST
// §B3.1): both kernels are double-centered, K̃ = HKH, and
//
//	C = Σ_ij K̃1_ij K̃2_ij / √(Σ K̃1² · Σ K̃2²),
//
// the entry-wise cosine of the centered kernels, in [−1, 1] for any
// matrices and in [0, 1] for positive semi-definite ones. Target alignment
// is KernelAlignment(KernelOf(h), task.KY()). For the identity kernel and
// k balanced ±1 targets C(I, K_Y) = √(k/(P−1)); for a regular tetrahedron
// and one balanced dichotomy it is 1/√3 (DIGEST §B5).
//
// It returns NaN when a centered kernel is zero (a constant kernel, such as
// that of a representation identical for every stimulus) or a kernel holds
// NaN or ±Inf, and panics when the kernels are not square or differ in
// size.
func KernelAlignment(k1, k2 mat.Matrix) float64 {
	a, b := squareRows("KernelAlignment", k1), squareRows("KernelAlignment", k2)
	if a.n != b.n {
		panic(fmt.Sprintf("rep: KernelAlignment: kernels are %d×%d and %d×%d", a.n, a.n, b.n, b.n))
	}
	ra, ca, ga := kernelMeans(a)
	rb, cb, gb := kernelMeans(b)
	var ab, aa, bb float64
	for i := 0; i < a.n; i++ {
		ai, bi := a.row(i), b.row(i)
		for j := range ai {
			x := ai[j] - ra[i] - ca[j] + ga
			y := bi[j] - rb[i] - cb[j] + gb
			ab += x * y
			aa += x * x
			bb += y * y
		}
	}
	if aa == 0 || bb == 0 {
		return math.NaN()
	}
	return ab / math.Sqrt(aa*bb)
}

// ParticipationRatio returns the participation ratio of the representation
// h (P×M, rows = stimuli; DIGEST §B3.5): with K̃ the centered kernel of h
// (features centered over stimuli),
//
//	PR = tr(K̃)² / tr(K̃²) = (Σλ)² / Σλ²,
//
// λ the eigenvalues of K̃ (the PCA variances). It lies in [1, min(P−1, M)]
// and counts the dimensions the representation effectively spans: P−1 for
// P points in general position with equal variances (a regular simplex), 1
// for points on a line. It returns NaN when h has zero variance or holds
// NaN or ±Inf.
func ParticipationRatio(h mat.Matrix) float64 {
	hr := rowsOf(h)
	if !hr.finite() {
		return math.NaN()
	}
	p, m := hr.n, hr.cols
	if p == 0 || m == 0 {
		return math.NaN()
	}
	// Centered features, Hc = H − 1 μᵀ.
	hc := mat.NewDense(p, m, nil)
	mu := make([]float64, m)
	for i := 0; i < p; i++ {
		for f, v := range hr.row(i) {
			mu[f] += v
		}
	}
	for f := range mu {
		mu[f] /= float64(p)
	}
	for i := 0; i < p; i++ {
		row := hc.RawRowView(i)
		for f, v := range hr.row(i) {
			row[f] = v - mu[f]
		}
	}
	// tr K̃ = ‖Hc‖²_F; tr K̃² = ‖Hc Hcᵀ‖²_F = ‖Hcᵀ Hc‖²_F: use the smaller.
	tr := mat.Norm(hc, 2)
	tr *= tr
	var g *mat.SymDense
	if p <= m {
		g = mat.NewSymDense(p, nil)
		g.SymOuterK(1, hc)
	} else {
		g = mat.NewSymDense(m, nil)
		g.SymOuterK(1, hc.T())
	}
	tr2 := mat.Norm(g, 2)
	tr2 *= tr2
	if tr2 == 0 {
		return math.NaN()
	}
	return tr * tr / tr2
}

// KernelParticipationRatio returns the participation ratio tr(K̃)²/tr(K̃²)
// of a P×P kernel after double-centering it (K̃ = HKH), paper B's PR(K)
// (DIGEST §B3.5): ParticipationRatio(h) equals
// KernelParticipationRatio(KernelOf(h)). It returns NaN when the centered
// kernel is zero or k holds NaN or ±Inf, and panics when k is not square.
func KernelParticipationRatio(k mat.Matrix) float64 {
	kr := squareRows("KernelParticipationRatio", k)
	rm, cm, g := kernelMeans(kr)
	var tr, tr2 float64
	for i := 0; i < kr.n; i++ {
		for j, v := range kr.row(i) {
			x := v - rm[i] - cm[j] + g
			if i == j {
				tr += x
			}
			// tr(K̃²) = Σ_ij K̃_ij K̃_ji; for symmetric K̃ that is Σ K̃_ij².
			y := kr.data[j*kr.str+i] - rm[j] - cm[i] + g
			tr2 += x * y
		}
	}
	if tr2 == 0 || math.IsNaN(tr2) || math.IsInf(tr2, 0) {
		return math.NaN()
	}
	return tr * tr / tr2
}

// FitScale fits k ≈ scale·s in the least-squares (Frobenius) sense and
// reports how good the fit is (DIGEST §A4.2): scale = ⟨K, S⟩_F / ⟨S, S⟩_F
// and residual = ‖K − scale·S‖_F / ‖K‖_F. For a trained ReLU network, s =
// dY·11ᵀ + K_Y and scale should match the theory's b*. Both matrices must
// have the same shape (any shape). scale is NaN when s is zero, residual
// is NaN when k is zero, both are NaN when an input holds NaN. It panics
// when the shapes differ.
func FitScale(k, s mat.Matrix) (scale, residual float64) {
	kr, sr := rowsOf(k), rowsOf(s)
	if kr.n != sr.n || kr.cols != sr.cols {
		panic(fmt.Sprintf("rep: FitScale: k is %d×%d, s is %d×%d", kr.n, kr.cols, sr.n, sr.cols))
	}
	var ks, ss, kk float64
	for i := 0; i < kr.n; i++ {
		a, b := kr.row(i), sr.row(i)
		for j := range a {
			ks += a[j] * b[j]
			ss += b[j] * b[j]
			kk += a[j] * a[j]
		}
	}
	if ss == 0 {
		return math.NaN(), math.NaN()
	}
	scale = ks / ss
	// ‖K − bS‖² computed directly (not as kk − b·ks, which cancels).
	var rr float64
	for i := 0; i < kr.n; i++ {
		a, b := kr.row(i), sr.row(i)
		for j := range a {
			d := a[j] - scale*b[j]
			rr += d * d
		}
	}
	if kk == 0 {
		return scale, math.NaN()
	}
	return scale, math.Sqrt(rr / kk)
}
