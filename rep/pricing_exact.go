package rep

import (
	"context"
	"math"
	"math/bits"
	"sort"
)

// Exact pricing for positively homogeneous, piecewise-linear activations.
//
// The pricing problem of the column-generation solver (DIGEST §A5.2, §A5.10)
// is, for ψ(u) = d₊·u₊ + d₋·u₋ applied componentwise and G = ΓΓᵀ (P×P, rank
// q), the value
//
//	F* = max { ψ(u)ᵀ G ψ(u) : uᵀ K† u = 1, u ∈ range(K) },
//
// K = K_X. ReLU is d₊ = 1, d₋ = 0; Linear is d₊ = d₋ = 1; the
// small-amplitude limit of tanh, hard tanh and erf is Linear scaled by φ'(0),
// that of hard sigmoid is ReLU. The KKT condition holds iff F* ≤ λ₁.
//
// # Faces
//
// Split the coordinates of u into a positive set S, a negative set N and a
// zero set Z. On the face (S, N, Z) of the sign arrangement, ψ(u) = Du with
// D = diag(d₊ on S, d₋ on N, 0 on Z), so the objective is the quadratic form
// uᵀDGDu on the subspace L_Z = {u ∈ range K : u_Z = 0}. Writing u = Ry with
// K = RRᵀ (so uᵀK†u = ‖y‖²), its maximum over L_Z is the largest eigenvalue
//
//	λ(S, Z) = λ_max(Γ̃ᵀ (K/Z) Γ̃),  Γ̃ = DΓ,  K/Z = K − K_{·Z} K_{ZZ}† K_{Z·},
//
// a q×q problem (q = rank K_Y ≤ dY in paper A's tasks), with maximizer
// u = (K/Z)Γ̃a for a top eigenvector a.
//
// The global maximizer u* lies in the relative interior of exactly one face,
// where it is a local maximum of a Rayleigh quotient on an open subset of
// L_Z, hence a top eigenvector of that face. Therefore
//
//	F* = max { λ(S, Z) : the top eigenspace of face (S, Z) meets the closed face }.
//
// Every such point is feasible, so each value is attained: the enumeration is
// exact, not a bound. When the top eigenvalue is degenerate (symmetric tasks
// make this common) the intersection of the eigenspace with the closed face
// cone is decided exactly by enumerating the extreme rays of the cone
// {t : σᵢ(Ut)ᵢ ≥ 0}.
//
// # Enumeration and pruning
//
// λ(S, Z) can only decrease when coordinates are added to Z (restriction to
// a smaller subspace). The general search is a depth-first enumeration of
// zero sets Z (in canonical order), each node carrying the list of positive
// sets S still "live", i.e. with λ(S, Z) above the best value found so far;
// a node whose list is empty is pruned with all its descendants. The worst
// case visits every face, 3^P of them, at O(P²q) each; the root alone costs
// 2^P evaluations.
//
// When K is positive definite, d₋ = 0 (ReLU type) and K⁻¹ has no positive
// off-diagonal entry (an M-matrix, e.g. whitened inputs K_X = I + 11ᵀ,
// equicorrelated multi-element classes), negative coordinates never help:
// for u = (z, −w) with z, w ≥ 0, dropping w keeps ψ(u) and lowers uᵀK⁻¹u,
// because −2zᵀ(K⁻¹)_{SN}w ≥ 0 and wᵀ(K⁻¹)_{NN}w ≥ 0. Then only the faces
// (S, ∅, Sᶜ) matter, λ = λ_max(Γ̃_Sᵀ ((K⁻¹)_{SS})⁻¹ Γ̃_S): 2^P − 1
// evaluations of O(|S|³) each.

// prCand is a feasible point found by pricing: u with uᵀK†u = 1 (up to
// rounding) and its value ψ(u)ᵀGψ(u).
type prCand struct {
	u   []float64
	val float64
}

// prExact is the exact pricer for one input kernel and one ψ.
type prExact struct {
	p, q    int
	k       []float64 // K, P×P
	binv    []float64 // K⁻¹ when K is positive definite
	mmat    bool      // M-matrix path valid
	pos     []uint64  // pos[i]: the j ≠ i with (K⁻¹)_ij > 0 (when binv is set)
	full    uint64    // mask of the P coordinates
	r       int       // rank of K
	lowRank bool      // enumerate the arrangement (pricing_lowrank.go)
	rf      []float64 // P×r factor of K
	linear  bool      // d₊ = d₋: a single eigenproblem
	dp, dm  float64
	budget  int64 // maximum faces evaluated, 0 = unlimited
	ctx     context.Context

	gam []float64 // Γ, P×q

	// scratch
	gt, yy, cc, vals, vecs []float64
	idx                    []int
	mc, vv                 []float64
	sign                   []float64
	uu                     []float64 // P×q images of the top eigenvectors
	chol                   []float64
	ms                     [][]float64
	lives                  [][]uint64

	// results of the last call
	lb      float64 // pruning bound
	best    float64 // largest value attained
	report  float64
	cands   []prCand
	maxCand int
	faces   int64
	aborted bool
}

// newPrExact prepares exact pricing for the input kernel k (P×P,
// row-major, symmetric PSD) and the slopes d₊, d₋.
func newPrExact(k []float64, p int, dp, dm float64) *prExact {
	e := &prExact{p: p, k: k, dp: dp, dm: dm, linear: dp == dm}
	// Rank and factor K = R·Rᵀ for the arrangement enumeration.
	if ek, ok := mfEigSym(mfNewSym(k, p)); ok && !e.linear {
		top := math.Max(ek.vals[0], 0)
		for _, v := range ek.vals {
			if v > 1e-10*top {
				e.r++
			}
		}
		if e.r < p {
			e.lowRank = prUseLowRank(p, e.r)
			e.rf = make([]float64, p*e.r)
			for c := 0; c < e.r; c++ {
				sv := math.Sqrt(ek.vals[c])
				for i := 0; i < p; i++ {
					e.rf[i*e.r+c] = ek.vecs.At(i, c) * sv
				}
			}
		}
	}
	if p >= 64 {
		e.full = ^uint64(0)
	} else {
		e.full = uint64(1)<<uint(p) - 1
	}
	// Positive definite? Then test the M-matrix property of K⁻¹.
	c := append([]float64(nil), k...)
	if dm == 0 && mfCholesky(c, p) {
		// Condition check: smallest pivot² relative to the largest diagonal.
		minPiv, maxDiag := math.Inf(1), 0.0
		for i := 0; i < p; i++ {
			minPiv = math.Min(minPiv, c[i*p+i]*c[i*p+i])
			maxDiag = math.Max(maxDiag, k[i*p+i])
		}
		if minPiv > 1e-10*maxDiag {
			inv := make([]float64, p*p)
			for i := 0; i < p; i++ {
				inv[i*p+i] = 1
			}
			mfCholSolve(c, p, inv, p)
			scale := 0.0
			for i := 0; i < p; i++ {
				scale = math.Max(scale, math.Abs(inv[i*p+i]))
			}
			ok := true
			for i := 0; i < p && ok; i++ {
				for j := 0; j < p; j++ {
					if i != j && inv[i*p+j] > 1e-12*scale {
						ok = false
						break
					}
				}
			}
			e.binv = inv
			e.mmat = ok
			e.pos = make([]uint64, p)
			for i := 0; i < p; i++ {
				for j := 0; j < p; j++ {
					if i != j && inv[i*p+j] > 1e-12*scale {
						e.pos[i] |= 1 << uint(j)
					}
				}
			}
		}
	}
	return e
}

// price computes F* for G = ΓΓᵀ (gam is P×q, row-major). lb is a value
// known to be attained (e.g. the best value of the current atoms); faces
// not above it are pruned, so the returned best is max(lb, F*). Feasible
// points with value above report are returned, the best first (at most
// maxCand). complete is false when the face budget or the context stopped
// the enumeration.
func (e *prExact) price(ctx context.Context, gam []float64, q int, lb, report float64, maxCand int) (best float64, cands []prCand, faces int64, complete bool) {
	e.ctx = ctx
	e.setup(gam, q)
	e.lb, e.best, e.report, e.maxCand = lb, lb, report, maxCand
	e.cands = e.cands[:0]
	e.faces, e.aborted = 0, false
	switch {
	case e.linear:
		e.priceLinear()
	case e.mmat:
		e.priceMMatrix()
	case e.lowRank:
		e.priceLowRank()
	default:
		e.priceGeneral()
	}
	sort.SliceStable(e.cands, func(i, j int) bool { return e.cands[i].val > e.cands[j].val })
	if len(e.cands) > maxCand {
		e.cands = e.cands[:maxCand]
	}
	return e.best, e.cands, e.faces, !e.aborted
}

// setup installs Γ and sizes the scratch space.
func (e *prExact) setup(gam []float64, q int) {
	p := e.p
	e.gam, e.q = gam, q
	if len(e.gt) < p*q {
		e.gt = make([]float64, p*q)
		e.yy = make([]float64, p*q)
		e.uu = make([]float64, p*q)
	}
	if len(e.cc) < q*q {
		e.cc = make([]float64, q*q)
		e.vecs = make([]float64, q*q)
		e.vals = make([]float64, q)
	}
	if len(e.vv) < q {
		e.vv = make([]float64, q)
	}
	if len(e.idx) < p {
		e.mc = make([]float64, p)
		e.idx = make([]int, p)
		e.sign = make([]float64, p)
		e.chol = make([]float64, p*p)
	}
}

// snapFace refines an approximate maximizer u: it reads the face (S, N, Z)
// off the signs of u (|uᵢ| ≤ 1e-7·max|u| counts as zero) and returns the
// exact top eigenvector of that face when it is feasible. P ≤ 64.
func (e *prExact) snapFace(gam []float64, q int, u []float64) (prCand, bool) {
	p := e.p
	if p > 64 {
		return prCand{}, false
	}
	e.setup(gam, q)
	thr := 1e-7 * mfMaxAbs(u)
	var s, z uint64
	for i, v := range u {
		switch {
		case v > thr:
			s |= 1 << uint(i)
		case v >= -thr:
			z |= 1 << uint(i)
		}
	}
	m := make([]float64, p*p)
	copy(m, e.k)
	for j := 0; j < p; j++ {
		if z&(1<<uint(j)) == 0 {
			continue
		}
		mjj := m[j*p+j]
		if mjj > 1e-12*prTrace(m, p) {
			for a := 0; a < p; a++ {
				fa := m[a*p+j] / mjj
				if fa == 0 {
					continue
				}
				for b := 0; b < p; b++ {
					m[a*p+b] -= fa * m[j*p+b]
				}
			}
		}
		for a := 0; a < p; a++ {
			m[a*p+j] = 0
			m[j*p+a] = 0
		}
	}
	e.lb, e.best, e.report, e.maxCand = 0, 0, -1, 1
	e.cands = e.cands[:0]
	if e.linear {
		e.priceLinear()
	} else {
		e.evalGeneral(m, s, z)
	}
	if len(e.cands) == 0 {
		return prCand{}, false
	}
	return e.cands[0], true
}

// tick counts a face and checks the budget and the context.
func (e *prExact) tick() bool {
	e.faces++
	if e.budget > 0 && e.faces > e.budget {
		e.aborted = true
	}
	if e.faces&4095 == 0 && e.ctx != nil && e.ctx.Err() != nil {
		e.aborted = true
	}
	return !e.aborted
}

// priceLinear handles d₊ = d₋ = d: there are no sign constraints and
// F* = d²λ_max(ΓᵀKΓ), one face.
func (e *prExact) priceLinear() {
	p, q := e.p, e.q
	e.tick()
	for a := 0; a < p; a++ {
		for c := 0; c < q; c++ {
			e.gt[a*q+c] = e.dp * e.gam[a*q+c]
		}
	}
	for a := 0; a < p; a++ {
		for c := 0; c < q; c++ {
			s := 0.0
			for b := 0; b < p; b++ {
				s += e.k[a*p+b] * e.gt[b*q+c]
			}
			e.yy[a*q+c] = s
		}
	}
	lam, _ := e.topEig(p)
	if lam <= e.lb || !(lam > 0) {
		return
	}
	u := make([]float64, p)
	norm := 1 / math.Sqrt(lam)
	for a := 0; a < p; a++ {
		s := 0.0
		for d := 0; d < q; d++ {
			s += e.yy[a*q+d] * e.vecs[d*q]
		}
		u[a] = s * norm
	}
	e.found(u, lam)
}

// priceMMatrix enumerates the faces (S, ∅, Sᶜ), S ≠ ∅.
func (e *prExact) priceMMatrix() {
	n := uint64(1) << uint(e.p)
	for s := uint64(1); s < n; s++ {
		if !e.tick() {
			return
		}
		e.evalMM(s)
	}
}

// evalMM evaluates the face (S, ∅, Sᶜ) of a positive definite K:
// λ = λ_max(Γ̃_Sᵀ ((K⁻¹)_SS)⁻¹ Γ̃_S), feasible iff a top eigenvector has
// u_S = ((K⁻¹)_SS)⁻¹Γ̃_S a ≥ 0.
func (e *prExact) evalMM(s uint64) {
	p, q := e.p, e.q
	m := 0
	for t := s; t != 0; t &= t - 1 {
		e.idx[m] = bits.TrailingZeros64(t)
		m++
	}
	for a := 0; a < m; a++ {
		ia := e.idx[a]
		for b := 0; b <= a; b++ {
			e.chol[a*m+b] = e.binv[ia*p+e.idx[b]]
		}
	}
	if !mfCholesky(e.chol[:m*m], m) {
		return
	}
	for a := 0; a < m; a++ {
		row := e.gam[e.idx[a]*q : e.idx[a]*q+q]
		for c := 0; c < q; c++ {
			e.gt[a*q+c] = e.dp * row[c]
			e.yy[a*q+c] = e.dp * row[c]
		}
	}
	mfCholSolve(e.chol[:m*m], m, e.yy[:m*q], q)
	lam, kk := e.topEig(m)
	if lam <= e.lb {
		return
	}
	for a := 0; a < m; a++ {
		for c := 0; c < kk; c++ {
			v := 0.0
			for d := 0; d < q; d++ {
				v += e.yy[a*q+d] * e.vecs[d*q+c]
			}
			e.uu[a*kk+c] = v
		}
		e.sign[a] = 1
	}
	t, ok := prConeRay(e.uu[:m*kk], e.sign[:m], m, kk)
	if !ok {
		return
	}
	u := make([]float64, p)
	norm := 1 / math.Sqrt(lam)
	for a := 0; a < m; a++ {
		v := 0.0
		for c := 0; c < kk; c++ {
			v += e.uu[a*kk+c] * t[c]
		}
		u[e.idx[a]] = math.Max(v, 0) * norm
	}
	e.found(u, lam)
}

// topEig forms C = gtᵀ·yy (q×q) from the first m rows and returns its
// largest eigenvalue and multiplicity; the top eigenvectors are the first
// columns of e.vecs.
func (e *prExact) topEig(m int) (float64, int) {
	q := e.q
	for c := 0; c < q; c++ {
		for d := c; d < q; d++ {
			s := 0.0
			for a := 0; a < m; a++ {
				s += e.gt[a*q+c] * e.yy[a*q+d]
			}
			e.cc[c*q+d] = s
			e.cc[d*q+c] = s
		}
	}
	if q == 1 {
		e.vals[0] = e.cc[0]
		e.vecs[0] = 1
		return e.cc[0], 1
	}
	// C is PSD, so λ_max ≤ ‖C‖_F: most faces are pruned without the
	// eigen-decomposition.
	f2 := 0.0
	for _, v := range e.cc[:q*q] {
		f2 += v * v
	}
	if f2 <= e.lb*e.lb && e.lb > 0 {
		return math.Sqrt(f2), 1
	}
	mfJacobi(e.cc[:q*q], q, e.vals[:q], e.vecs[:q*q])
	lam := e.vals[0]
	kk := 1
	for kk < q && e.vals[kk] >= lam-1e-8*math.Abs(lam) {
		kk++
	}
	return lam, kk
}

// found records a feasible point of value val. The pruning bound lb is
// the smaller of the best value (no face below it can raise the maximum)
// and the entry threshold of the top-maxCand violators (above report), so
// both the exact maximum and the best violating faces are found.
func (e *prExact) found(u []float64, val float64) {
	if val > e.best {
		e.best = val
	}
	if val > e.report {
		i := sort.Search(len(e.cands), func(i int) bool { return e.cands[i].val < val })
		e.cands = append(e.cands, prCand{})
		copy(e.cands[i+1:], e.cands[i:])
		e.cands[i] = prCand{u: u, val: val}
		if len(e.cands) > e.maxCand {
			e.cands = e.cands[:e.maxCand]
		}
	}
	entry := e.report
	if len(e.cands) == e.maxCand {
		entry = math.Max(entry, e.cands[e.maxCand-1].val)
	}
	e.lb = math.Max(e.lb, math.Min(e.best, entry))
}

// priceGeneral runs the depth-first enumeration of zero sets.
func (e *prExact) priceGeneral() {
	p := e.p
	if len(e.ms) < p+1 {
		e.ms = make([][]float64, p+1)
		e.lives = make([][]uint64, p+1)
	}
	for d := range e.ms {
		if len(e.ms[d]) < p*p {
			e.ms[d] = make([]float64, p*p)
		}
	}
	copy(e.ms[0], e.k)
	n := uint64(1) << uint(p)
	root := make([]uint64, 0, n)
	first := uint64(1)
	if e.dm != 0 {
		first = 0
	}
	for s := first; s < n; s++ {
		root = append(root, s)
	}
	e.node(0, 0, -1, root)
}

// node evaluates the live positive sets at the zero set z (depth = |z|)
// and recurses into z ∪ {j}, j > last.
func (e *prExact) node(depth int, z uint64, last int, parent []uint64) {
	p := e.p
	m := e.ms[depth]
	live := e.lives[depth][:0]
	for _, s := range parent {
		if s&z != 0 {
			continue
		}
		if !e.tick() {
			return
		}
		if e.binv != nil && e.dm == 0 && e.negativesUseless(s, z) {
			e.evalMM(s)
			continue
		}
		if e.evalGeneral(m, s, z) {
			continue
		}
		live = append(live, s)
	}
	e.lives[depth] = live
	if len(live) == 0 {
		return
	}
	for j := last + 1; j < p; j++ {
		bit := uint64(1) << uint(j)
		useful := false
		for _, s := range live {
			if s&bit == 0 {
				useful = true
				break
			}
		}
		if !useful {
			continue
		}
		// Child Schur complement: M' = M − M_{·j}M_{j·}/M_jj.
		child := e.ms[depth+1]
		mjj := m[j*p+j]
		if mjj > 1e-12*prTrace(m, p) {
			for a := 0; a < p; a++ {
				fa := m[a*p+j] / mjj
				for b := 0; b < p; b++ {
					child[a*p+b] = m[a*p+b] - fa*m[j*p+b]
				}
			}
		} else {
			copy(child, m)
		}
		for a := 0; a < p; a++ {
			child[a*p+j] = 0
			child[j*p+a] = 0
		}
		e.node(depth+1, z|bit, j, e.lives[depth])
		if e.aborted {
			return
		}
		live = e.lives[depth]
	}
}

// negativesUseless reports whether (K⁻¹)_{ij} ≤ 0 for every i ∈ S and
// every j in the free negative set N = (S ∪ Z)ᶜ. Then, on L_Z, replacing
// u_N by 0 keeps ψ(u) (d₋ = 0) and does not raise uᵀK⁻¹u, so the best
// point of the closed cone of S in L_Z lies on the face (S, ∅, Sᶜ) or on
// a face of a smaller positive set (evaluated on its own).
func (e *prExact) negativesUseless(s, z uint64) bool {
	n := ^(s | z) & e.full
	for t := s; t != 0; t &= t - 1 {
		if e.pos[bits.TrailingZeros64(t)]&n != 0 {
			return false
		}
	}
	return true
}

// prTrace returns the trace of the p×p matrix m.
func prTrace(m []float64, p int) float64 {
	t := 0.0
	for i := 0; i < p; i++ {
		t += m[i*p+i]
	}
	return t
}

// evalGeneral evaluates face (s, z) with Schur complement m = K/z. It
// reports true when the face is settled (not above the bound, or
// feasible), false when it stays live.
func (e *prExact) evalGeneral(m []float64, s, z uint64) bool {
	p, q := e.p, e.q
	// I = rows with a nonzero multiplier.
	n := 0
	for i := 0; i < p; i++ {
		bit := uint64(1) << uint(i)
		if z&bit != 0 {
			continue
		}
		d := e.dm
		if s&bit != 0 {
			d = e.dp
		}
		if d == 0 {
			continue
		}
		e.idx[n] = i
		e.sign[n] = d
		n++
	}
	if n == 0 {
		return true
	}
	for a := 0; a < n; a++ {
		row := e.gam[e.idx[a]*q : e.idx[a]*q+q]
		for c := 0; c < q; c++ {
			e.gt[a*q+c] = e.sign[a] * row[c]
		}
	}
	// yy = M_II Γ̃_I
	for a := 0; a < n; a++ {
		ia := e.idx[a]
		for c := 0; c < q; c++ {
			s := 0.0
			for b := 0; b < n; b++ {
				s += m[ia*p+e.idx[b]] * e.gt[b*q+c]
			}
			e.yy[a*q+c] = s
		}
	}
	lam, kk := e.topEig(n)
	if lam <= e.lb {
		return true
	}
	// Images on all coordinates outside z: u = M_{·I} Γ̃_I A (P×kk).
	// The sign constraints: rows in s must be ≥ 0, the others ≤ 0.
	rows := 0
	for i := 0; i < p; i++ {
		bit := uint64(1) << uint(i)
		if z&bit != 0 {
			continue
		}
		for c := 0; c < kk; c++ {
			sum := 0.0
			for a := 0; a < n; a++ {
				g := 0.0
				for d := 0; d < q; d++ {
					g += e.gt[a*q+d] * e.vecs[d*q+c]
				}
				sum += m[i*p+e.idx[a]] * g
			}
			e.uu[rows*kk+c] = sum
		}
		if s&bit != 0 {
			e.sign[rows] = 1
		} else {
			e.sign[rows] = -1
		}
		rows++
	}
	t, ok := prConeRay(e.uu[:rows*kk], e.sign[:rows], rows, kk)
	if !ok {
		// Infeasible: try the wedge bound before keeping the face live.
		return kk == 1 && e.wedgeBound(m, s, z, n, rows) <= e.lb
	}
	u := make([]float64, p)
	norm := 1 / math.Sqrt(lam)
	r := 0
	for i := 0; i < p; i++ {
		if z&(uint64(1)<<uint(i)) != 0 {
			continue
		}
		v := 0.0
		for c := 0; c < kk; c++ {
			v += e.uu[r*kk+c] * t[c]
		}
		// Clamp rounding-level sign errors onto the face.
		if e.sign[r] > 0 {
			v = math.Max(v, 0)
		} else {
			v = math.Min(v, 0)
		}
		u[i] = v * norm
		r++
	}
	e.found(u, lam)
	return true
}

// wedgeBound bounds λ over the face's closed cone and every face below it
// (more zeros, same positive set) by the maximum over the wedge
// {u ∈ L_Z : 1_Sᵀu ≥ 0, 1_Nᵀu ≤ 0}, which contains them all. When the top
// eigenvector (either sign) lies outside the wedge, the maximum over the
// wedge sits on one of its two bounding hyperplanes, and on the hyperplane
// cᵀu = 0 the problem is the face problem with the rank-one Schur update
// C − vvᵀ/(cᵀMc), v = Γ̃ᵀMc. The free negative coordinates of the plain
// bound λ(S, Z) can follow the cheap bias direction 1 of K_X = XXᵀ + 11ᵀ;
// the wedge forbids that, which is what makes pruning work for general
// K_X. It needs the single top eigenvector in e.uu (rows×1, signs e.sign)
// and the q×q matrix C in e.cc (restored from e.gt, e.yy).
func (e *prExact) wedgeBound(m []float64, s, z uint64, n, rows int) float64 {
	p, q := e.p, e.q
	// Wedge feasibility of ±u: sums over S and over N.
	sumS, sumN := 0.0, 0.0
	for r := 0; r < rows; r++ {
		if e.sign[r] > 0 {
			sumS += e.uu[r]
		} else {
			sumN += e.uu[r]
		}
	}
	if (sumS >= 0 && sumN <= 0) || (sumS <= 0 && sumN >= 0) {
		return math.Inf(1)
	}
	nmask := ^(s | z) & e.full
	bound := 0.0
	for _, c := range [2]uint64{s, nmask} {
		if c == 0 {
			continue
		}
		// mc = M·1_c, sc = 1_cᵀM1_c, v = Γ̃_Iᵀ(mc)_I.
		sc := 0.0
		for i := 0; i < p; i++ {
			v := 0.0
			row := m[i*p : i*p+p]
			for t := c; t != 0; t &= t - 1 {
				v += row[bits.TrailingZeros64(t)]
			}
			e.mc[i] = v
			if c&(1<<uint(i)) != 0 {
				sc += v
			}
		}
		for d := 0; d < q; d++ {
			v := 0.0
			for a := 0; a < n; a++ {
				v += e.gt[a*q+d] * e.mc[e.idx[a]]
			}
			e.vv[d] = v
		}
		// C' = C − vvᵀ/sc, with C = gtᵀyy rebuilt (topEig destroyed it).
		for c1 := 0; c1 < q; c1++ {
			for c2 := c1; c2 < q; c2++ {
				v := 0.0
				for a := 0; a < n; a++ {
					v += e.gt[a*q+c1] * e.yy[a*q+c2]
				}
				if sc > 1e-14*prTrace(m, p) {
					v -= e.vv[c1] * e.vv[c2] / sc
				}
				e.cc[c1*q+c2] = v
				e.cc[c2*q+c1] = v
			}
		}
		lam := e.cc[0]
		if q > 1 {
			mfJacobi(e.cc[:q*q], q, e.vals[:q], e.vecs[:q*q])
			lam = e.vals[0]
		}
		bound = math.Max(bound, lam)
	}
	return bound
}

// prConeRay looks for t ≠ 0 with σᵢ(Ut)ᵢ ≥ 0 for every row i of the m×k
// matrix U (row-major), up to a relative tolerance. It returns a unit t.
// For k = 1 it tries ±1; for k > 1 it enumerates the candidate extreme
// rays: unit vectors orthogonal to k−1 rows. U has full column rank here
// (its columns are images of orthonormal eigenvectors with a nonzero
// eigenvalue), so the cone {t : σ∘(Ut) ≥ 0} is pointed and is nonzero iff
// it has such an extreme ray.
func prConeRay(u, sigma []float64, m, k int) ([]float64, bool) {
	scale := 0.0
	for _, v := range u[:m*k] {
		scale = math.Max(scale, math.Abs(v))
	}
	tol := 1e-9 * scale
	check := func(t []float64) bool {
		for i := 0; i < m; i++ {
			s := 0.0
			for c := 0; c < k; c++ {
				s += u[i*k+c] * t[c]
			}
			if sigma[i]*s < -tol {
				return false
			}
		}
		return true
	}
	t := make([]float64, k)
	if k == 1 {
		t[0] = 1
		if check(t) {
			return t, true
		}
		t[0] = -1
		if check(t) {
			return t, true
		}
		return nil, false
	}
	// Enumerate (k−1)-subsets of rows.
	sub := make([]int, k-1)
	basis := make([]float64, (k-1)*k)
	var rec func(start, depth int) bool
	rec = func(start, depth int) bool {
		if depth == k-1 {
			if !prNullVector(u, sub, k, basis, t) {
				return false
			}
			if check(t) {
				return true
			}
			for c := range t {
				t[c] = -t[c]
			}
			return check(t)
		}
		for i := start; i <= m-(k-1-depth); i++ {
			sub[depth] = i
			if rec(i+1, depth+1) {
				return true
			}
		}
		return false
	}
	if rec(0, 0) {
		return t, true
	}
	return nil, false
}

// prNullVector writes to t a unit vector orthogonal to the rows sub of the
// m×k matrix u; it reports false when those rows are linearly dependent.
func prNullVector(u []float64, sub []int, k int, basis, t []float64) bool {
	n := len(sub)
	for a, i := range sub {
		row := basis[a*k : a*k+k]
		copy(row, u[i*k:i*k+k])
		norm0 := 0.0
		for _, v := range row {
			norm0 += v * v
		}
		for b := 0; b < a; b++ {
			prev := basis[b*k : b*k+k]
			d := 0.0
			for c := range row {
				d += row[c] * prev[c]
			}
			for c := range row {
				row[c] -= d * prev[c]
			}
		}
		norm := 0.0
		for _, v := range row {
			norm += v * v
		}
		if norm <= 1e-20*norm0 || norm == 0 {
			return false
		}
		norm = math.Sqrt(norm)
		for c := range row {
			row[c] /= norm
		}
	}
	// The unit vector e_j with the largest residual gives the best-conditioned direction.
	bestJ, bestNorm := 0, -1.0
	for j := 0; j < k; j++ {
		norm := 1.0
		for b := 0; b < n; b++ {
			d := basis[b*k+j]
			norm -= d * d
		}
		if norm > bestNorm {
			bestJ, bestNorm = j, norm
		}
	}
	for c := range t {
		t[c] = 0
	}
	t[bestJ] = 1
	for b := 0; b < n; b++ {
		prev := basis[b*k : b*k+k]
		d := prev[bestJ]
		for c := range t {
			t[c] -= d * prev[c]
		}
	}
	norm := 0.0
	for _, v := range t {
		norm += v * v
	}
	if !(norm > 0) {
		return false
	}
	norm = math.Sqrt(norm)
	for c := range t {
		t[c] /= norm
	}
	return true
}
