package rep

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// This file holds the random kernel sampler of paper B (App. C; DIGEST
// §B1.4): a random centered PSD kernel K with a prescribed centered kernel
// alignment C(K, K_Y) = c, found on the segment from a random kernel X0 to
// a "perspective point" Z (K̃_Y itself when X0 is less aligned than c, a
// kernel orthogonal to K_Y when it is more aligned).

// frobDot returns ⟨A, B⟩ = Σᵢⱼ AᵢⱼBᵢⱼ of two symmetric matrices.
func frobDot(a, b *mat.SymDense) float64 {
	p := a.SymmetricDim()
	s := 0.0
	for i := 0; i < p; i++ {
		s += a.At(i, i) * b.At(i, i)
		for j := i + 1; j < p; j++ {
			s += 2 * a.At(i, j) * b.At(i, j)
		}
	}
	return s
}

// gammaLog returns the logarithm of a Gamma(α, 1) variate (Marsaglia and
// Tsang 2000; for α < 1, G(α) = G(α+1)·U^{1/α}, kept in log space so that
// tiny α cannot underflow).
func gammaLog(rng *rand.Rand, alpha float64) float64 {
	boost := 0.0
	if alpha < 1 {
		u := 1 - rng.Float64() // (0, 1]
		boost = math.Log(u) / alpha
		alpha++
	}
	d := alpha - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return math.Log(d*v) + boost
		}
	}
}

// dirichlet fills dst with a Dirichlet(α, …, α) draw (entries ≥ 0, sum 1).
// α = +Inf gives the flat vector 1/len(dst) without drawing.
func dirichlet(rng *rand.Rand, alpha float64, dst []float64) {
	if math.IsInf(alpha, 1) {
		for i := range dst {
			dst[i] = 1 / float64(len(dst))
		}
		return
	}
	top := math.Inf(-1)
	for i := range dst {
		dst[i] = gammaLog(rng, alpha)
		top = max(top, dst[i])
	}
	s := 0.0
	for i := range dst {
		dst[i] = math.Exp(dst[i] - top)
		s += dst[i]
	}
	for i := range dst {
		dst[i] /= s
	}
}

// randomCenteredFrame returns a P×r matrix whose columns are orthonormal,
// orthogonal to 1 and Haar-distributed within the centered subspace 1⊥
// (r ≤ P−1): the sign-fixed QR factor of a Gaussian matrix projected onto
// 1⊥.
func randomCenteredFrame(rng *rand.Rand, p, r int) *mat.Dense {
	g := mat.NewDense(p, r, nil)
	for i := 0; i < p; i++ {
		for j := 0; j < r; j++ {
			g.Set(i, j, rng.NormFloat64())
		}
	}
	for j := 0; j < r; j++ {
		m := 0.0
		for i := 0; i < p; i++ {
			m += g.At(i, j)
		}
		m /= float64(p)
		for i := 0; i < p; i++ {
			g.Set(i, j, g.At(i, j)-m)
		}
	}
	return orthonormalColumns(g)
}

// orthonormalColumns returns the Q factor (m×n, m ≥ n) of the thin QR
// decomposition of g with the signs fixed so that R has a non-negative
// diagonal, computed by modified Gram–Schmidt applied twice (exact to
// rounding for the well-conditioned random matrices used here).
func orthonormalColumns(g *mat.Dense) *mat.Dense {
	m, n := g.Dims()
	q := mat.DenseCopyOf(g)
	col := make([]float64, m)
	for j := 0; j < n; j++ {
		mat.Col(col, j, q)
		for pass := 0; pass < 2; pass++ {
			for k := 0; k < j; k++ {
				d := 0.0
				for i := 0; i < m; i++ {
					d += q.At(i, k) * col[i]
				}
				for i := 0; i < m; i++ {
					col[i] -= d * q.At(i, k)
				}
			}
		}
		nrm := 0.0
		for _, v := range col {
			nrm += v * v
		}
		nrm = math.Sqrt(nrm)
		for i := range col {
			col[i] /= nrm
		}
		q.SetCol(j, col)
	}
	return q
}

// psdSpec is the setting of the random kernel sampler.
type psdSpec struct {
	c     float64 // target centered alignment, in [0, 1]
	scale float64 // Dirichlet scale: concentration 1/scale; 0 = flat spectrum
	rank  int     // rank of the source kernel; 0 = P−1 (maximal)
}

// errAlignmentUnreachable reports that the sampler has no perspective point.
var errAlignmentUnreachable = errors.New("random kernel: c is below the alignment of the source kernel, and no kernel orthogonal to K_Y fits in its rank (the rank must exceed rank K_Y)")

// randomPSD returns a random centered PSD P×P kernel K with trace P and
// centered alignment C(K, K_Y) = c (DIGEST §B1.4, paper B App. C):
//
//  1. K̃_Y = P·HK_YH/tr(HK_YH).
//  2. Source X0 = V diag(ℓ) Vᵀ: V a random orthonormal P×r frame of 1⊥,
//     ℓ = P·Dirichlet(1/scale); scale = 0 gives the flat spectrum, whose
//     r = P−1 case is the maximal-dimensional K_max = P/(P−1)·H.
//  3. Perspective point: K̃_Y if C(X0, K̃_Y) < c; otherwise a random PSD
//     Z = W diag(ℓ') Wᵀ supported on null(K̃_Y) ∩ span(V) (alignment 0).
//  4. K = X0 + t(Z − X0) with t ∈ [0, 1] the root of C(K(t), K̃_Y) = c,
//     where the quadric S(x) = (x·ỹ)² − c²‖ỹ‖²‖x‖² vanishes. Convex
//     combinations stay PSD and keep trace P.
//
// At c = 0 the rank is raised by rank(K_Y) (as the authors' code does) so
// that the returned kernel, supported on null(K_Y), has rank min(r, P−1−
// rank K_Y). At c = 1 the result is K̃_Y.
func randomPSD(rng *rand.Rand, ky mat.Symmetric, s psdSpec) (*mat.SymDense, error) {
	p := ky.SymmetricDim()
	yc := CenteredKernel(ky)
	tr := mat.Trace(yc)
	if !(tr > 0) {
		return nil, fmt.Errorf("random kernel: the centered target kernel is zero (constant targets)")
	}
	yt := mat.NewSymDense(p, nil)
	yt.ScaleSym(float64(p)/tr, yc)

	// Rank of K̃_Y from its spectrum.
	var ey mat.EigenSym
	if !ey.Factorize(yt, false) {
		return nil, fmt.Errorf("random kernel: eigendecomposition of K_Y failed")
	}
	yvals := ey.Values(nil)
	rankY := 0
	for _, v := range yvals {
		if v > 1e-9*float64(p) {
			rankY++
		}
	}

	if s.c >= 1 {
		return yt, nil
	}
	r := s.rank
	if r <= 0 || r > p-1 {
		r = p - 1
	}
	if s.c == 0 {
		r = min(p-1, r+rankY)
	}

	// Source kernel X0 on a random r-frame of 1⊥.
	v := randomCenteredFrame(rng, p, r)
	ell := make([]float64, r)
	alpha := math.Inf(1)
	if s.scale > 0 {
		alpha = 1 / s.scale
	}
	dirichlet(rng, alpha, ell)
	for i := range ell {
		ell[i] *= float64(p)
	}
	x0 := weightedOuter(v, ell)

	// Perspective point.
	yy := frobDot(yt, yt)
	xy := frobDot(x0, yt)
	xx := frobDot(x0, x0)
	var z *mat.SymDense
	ny := math.Sqrt(yy)
	// g(X) = ⟨X, ỹ⟩ − c‖ỹ‖‖X‖ has the sign of C(X, K̃_Y) − c (the quadric
	// S = (x·ỹ)² − c²‖ỹ‖²‖x‖² factored, x·ỹ ≥ 0 for PSD matrices); the
	// same expression decides the perspective point and drives the root
	// search, so rounding cannot make them disagree.
	if xy-s.c*ny*math.Sqrt(xx) >= 0 { // C(X0, K̃_Y) ≥ c: move towards alignment 0
		// null(K̃_Y) ∩ span(V): eigenvectors of VᵀK̃_YV with the smallest
		// eigenvalues (r − rank K_Y of them).
		nullDim := r - rankY
		if nullDim < 1 {
			return nil, errAlignmentUnreachable
		}
		var vy, m mat.Dense
		vy.Mul(yt, v)
		m.Mul(v.T(), &vy)
		msym := mat.NewSymDense(r, nil)
		for i := 0; i < r; i++ {
			for j := i; j < r; j++ {
				msym.SetSym(i, j, (m.At(i, j)+m.At(j, i))/2)
			}
		}
		var em mat.EigenSym
		if !em.Factorize(msym, true) {
			return nil, fmt.Errorf("random kernel: eigendecomposition failed")
		}
		var evec mat.Dense
		em.VectorsTo(&evec) // ascending eigenvalues
		var nb mat.Dense
		nb.Mul(v, evec.Slice(0, r, 0, nullDim))
		// Random rotation within the null space, random spectrum.
		var w mat.Dense
		w.Mul(&nb, randomOrthogonal(rng, nullDim))
		lz := make([]float64, nullDim)
		dirichlet(rng, alpha, lz)
		for i := range lz {
			lz[i] *= float64(p)
		}
		z = weightedOuter(&w, lz)
		if s.c == 0 {
			return z, nil
		}
	} else {
		z = yt
	}

	// Solve C(X0 + t(Z − X0), K̃_Y) = c for t ∈ [0, 1]. With D = Z − X0,
	// g(t) = ⟨K(t), ỹ⟩ − c‖ỹ‖‖K(t)‖ is concave in t and changes sign on
	// [0, 1], so it has exactly one root there; bisection finds it to the
	// last bit.
	d := mat.NewSymDense(p, nil)
	for i := 0; i < p; i++ {
		for j := i; j < p; j++ {
			d.SetSym(i, j, z.At(i, j)-x0.At(i, j))
		}
	}
	dy := frobDot(d, yt)
	xd := frobDot(x0, d)
	dd := frobDot(d, d)
	g := func(t float64) float64 {
		return xy + t*dy - s.c*ny*math.Sqrt(math.Max(0, xx+2*t*xd+t*t*dd))
	}
	lo, hi := 0.0, 1.0
	glo := g(lo)
	for it := 0; it < 200 && hi-lo > 0; it++ {
		mid := lo + (hi-lo)/2
		if mid == lo || mid == hi {
			break
		}
		if gm := g(mid); (gm >= 0) == (glo >= 0) {
			lo, glo = mid, gm
		} else {
			hi = mid
		}
	}
	t := lo
	if math.Abs(g(hi)) < math.Abs(g(lo)) {
		t = hi
	}
	k := mat.NewSymDense(p, nil)
	for i := 0; i < p; i++ {
		for j := i; j < p; j++ {
			k.SetSym(i, j, x0.At(i, j)+t*d.At(i, j))
		}
	}
	return k, nil
}

// weightedOuter returns V diag(w) Vᵀ.
func weightedOuter(v mat.Matrix, w []float64) *mat.SymDense {
	p, r := v.Dims()
	scaled := mat.NewDense(p, r, nil)
	for i := 0; i < p; i++ {
		for j := 0; j < r; j++ {
			scaled.Set(i, j, v.At(i, j)*math.Sqrt(w[j]))
		}
	}
	k := mat.NewSymDense(p, nil)
	k.SymOuterK(1, scaled)
	return k
}

// kernelFactor returns a P×P matrix F with FFᵀ = K for a symmetric PSD K,
// F = U Λ^{1/2} from the eigendecomposition (eigenvalues below zero, which
// are rounding noise, are set to zero).
func kernelFactor(k *mat.SymDense) (*mat.Dense, error) {
	var eig mat.EigenSym
	if !eig.Factorize(k, true) {
		return nil, fmt.Errorf("rep: eigendecomposition of the input kernel failed")
	}
	vals := eig.Values(nil)
	var u mat.Dense
	eig.VectorsTo(&u)
	p := len(vals)
	for j := 0; j < p; j++ {
		s := math.Sqrt(math.Max(vals[j], 0))
		for i := 0; i < p; i++ {
			u.Set(i, j, u.At(i, j)*s)
		}
	}
	return &u, nil
}
