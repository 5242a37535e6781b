package rep

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/repgeom/repgeom/rep/internal/rng"
)

// Column generation (conditional gradient over measures, fully corrective).
//
// A measure is a finite set of atoms. Each atom j has a kernel vector ψⱼ
// per unit weight and a weight wⱼ ≥ 0 equal to its first-layer cost over
// λ₁: for a homogeneous φ, ψⱼ = φ(uⱼ) with uⱼᵀK_X†uⱼ = 1; for a finite
// atom h = αu, ψ = φ(αu)/α; for a small-amplitude limit atom ψ = ψ₀(u).
// Then K = Σ wⱼψⱼψⱼᵀ and
//
//	E(w) = λ₁Σwⱼ + λ₂ tr((λ₂I + K)⁻¹K_Y),
//
// convex in w with gradient gⱼ = λ₁ − ψⱼᵀGψⱼ and Hessian
// 2(ΨᵀAΨ)⊙(ΨᵀGΨ), A = (λ₂I + K)⁻¹, G = λ₂AK_YA. The restricted master
// problem is solved by projected Newton; pricing adds the atoms with the
// largest ratio ψᵀGψ/λ₁ while it exceeds 1 + tol.

type mfAtomKind int

const (
	atomHomog  mfAtomKind = iota // homogeneous φ: ψ = φ(u)
	atomLimit                    // vanishing amplitude: ψ = ψ₀(u)
	atomFinite                   // finite amplitude α: ψ = φ(αu)/α
	atomFree                     // h = 0 for φ(0) ≠ 0: ψ = 1, no cost, fixed weight
)

type mfAtom struct {
	kind mfAtomKind
	u    []float64
	amp  float64
	psi  []float64
	w    float64
	idle int
}

// mfSolver holds the state of one solve.
type mfSolver struct {
	pr       *mfProblem
	b        MeanFieldBuilder
	p, q     int
	atoms    []*mfAtom
	kk       []float64 // K
	chol     []float64 // Cholesky factor of λ₂I + K
	ainv     []float64 // A
	gam      []float64 // Γ = √λ₂·A·F, G = ΓΓᵀ
	tmp      []float64
	energy   float64
	costTerm float64
	dataTerm float64
	rng      *rand.Rand
	exact    *prExact // exact pricing of the homogeneous family (nil if unavailable)
	snapper  *prExact // single-face refinement of search results
	homSrch  *prSearch
	finSrch  *prSearch
	warnings []string
	faces    int64
	proof    bool
	iter     int
}

func newMFSolver(pr *mfProblem, b MeanFieldBuilder) *mfSolver {
	p := pr.p
	s := &mfSolver{pr: pr, b: b, p: p, q: pr.q,
		kk: make([]float64, p*p), chol: make([]float64, p*p), ainv: make([]float64, p*p),
		gam: make([]float64, p*pr.q), tmp: make([]float64, p*pr.q), rng: rng.New(b.seed)}
	info := pr.info
	if info.limit && p <= b.exactP {
		s.exact = newPrExact(pr.kx, p, info.dp, info.dm)
	}
	if info.limit {
		s.homSrch = newPrSearch(pr, true)
	}
	if !info.homogeneous {
		s.finSrch = newPrSearch(pr, false)
	}
	if info.phi0 != 0 {
		// The atom h = 0 costs nothing and adds φ(0)²·11ᵀ; E decreases
		// along it, so its mass is unbounded at the infimum. A fixed
		// constant atom of weight w with λ₂/(w·P) = 1e-8 stands for it,
		// and the other atoms use φ̃ = φ − φ(0) (see mfActInfo.phi0).
		w := 1e8 * pr.l2 / float64(p)
		psi := make([]float64, p)
		for i := range psi {
			psi[i] = 1
		}
		s.atoms = append(s.atoms, &mfAtom{kind: atomFree, u: make([]float64, p), psi: psi, w: w})
		s.warn("φ(0) = %g ≠ 0: the atom h = 0 is free, so the optimum has an unbounded multiple of 11ᵀ in K (approximated by %.3g·11ᵀ, 1e-8 relative in G); Kernel() reports K[ρ*] without it, computed with φ − φ(0)", info.phi0, w)
	}
	if !info.homogeneous && !info.limit && info.phi0 == 0 {
		s.warn("%s has no small-amplitude limit (φ vanishes near 0): only finite atoms are searched", pr.act)
	}
	return s
}

func (s *mfSolver) warn(format string, args ...any) {
	s.warnings = append(s.warnings, fmt.Sprintf(format, args...))
}

// buildK sets s.kk = Σ wⱼψⱼψⱼᵀ for the given weights.
func (s *mfSolver) buildK(w []float64) {
	p := s.p
	for i := range s.kk {
		s.kk[i] = 0
	}
	for j, a := range s.atoms {
		wj := w[j]
		if wj == 0 {
			continue
		}
		for i := 0; i < p; i++ {
			f := wj * a.psi[i]
			if f == 0 {
				continue
			}
			row := s.kk[i*p : i*p+p]
			for l, v := range a.psi {
				row[l] += f * v
			}
		}
	}
}

// energyOf returns E for weights w (it overwrites kk and chol).
func (s *mfSolver) energyOf(w []float64) (float64, bool) {
	pr := s.pr
	s.buildK(w)
	data, ok := pr.ridgeData(s.kk, s.chol, s.tmp)
	if !ok {
		return math.Inf(1), false
	}
	cost := 0.0
	for j, a := range s.atoms {
		if a.kind != atomFree {
			cost += w[j]
		}
	}
	cost *= pr.l1
	s.costTerm, s.dataTerm = cost, data
	return cost + data, true
}

// evaluate computes K, A, Γ and E at the current weights.
func (s *mfSolver) evaluate() {
	p, q, pr := s.p, s.q, s.pr
	w := s.weights()
	e, _ := s.energyOf(w)
	s.energy = e
	// A = (λ₂I+K)⁻¹ from the Cholesky factor.
	for i := range s.ainv {
		s.ainv[i] = 0
	}
	for i := 0; i < p; i++ {
		s.ainv[i*p+i] = 1
	}
	mfCholSolve(s.chol, p, s.ainv, p)
	// Γ = √λ₂·A·F
	sl := math.Sqrt(pr.l2)
	for i := 0; i < p; i++ {
		for c := 0; c < q; c++ {
			v := 0.0
			for k := 0; k < p; k++ {
				v += s.ainv[i*p+k] * pr.fy[k*q+c]
			}
			s.gam[i*q+c] = sl * v
		}
	}
}

func (s *mfSolver) weights() []float64 {
	w := make([]float64, len(s.atoms))
	for j, a := range s.atoms {
		w[j] = a.w
	}
	return w
}

// psiG returns ψᵀGψ = ‖Γᵀψ‖².
func (s *mfSolver) psiG(psi []float64) float64 {
	q, p := s.q, s.p
	t := 0.0
	for c := 0; c < q; c++ {
		v := 0.0
		for i := 0; i < p; i++ {
			v += s.gam[i*q+c] * psi[i]
		}
		t += v * v
	}
	return t
}

// rmp solves the restricted master problem over the weights of the
// current atoms by a primal active-set Newton method and leaves the state
// evaluated at the solution. Each step solves the (regularized) Newton
// system on the free weights, keeps the iterate feasible by stopping at
// the first weight that reaches 0 (which then joins the active set), and
// backtracks (Armijo) on the energy; a weight at 0 is released when its
// gradient is negative. Near the optimum the energy decrease falls below
// the rounding of E and the Newton step is taken on trust.
func (s *mfSolver) rmp() {
	pr := s.pr
	l1 := pr.l1
	var vars []int
	for j, a := range s.atoms {
		if a.kind != atomFree {
			vars = append(vars, j)
		}
	}
	n := len(vars)
	s.evaluate()
	if n == 0 {
		return
	}
	p, q := s.p, s.q
	grad := make([]float64, n)
	z := make([]float64, n*q)
	apsi := make([]float64, p*n)
	h := make([]float64, n*n)
	hh := make([]float64, n*n)
	d := make([]float64, n)
	inF := make([]bool, n)
	wt := make([]float64, len(s.atoms))
	noiseSteps := 0
	for it := 0; it < 300; it++ {
		pg := 0.0
		for a, j := range vars {
			psi := s.atoms[j].psi
			t := 0.0
			for c := 0; c < q; c++ {
				v := 0.0
				for i := 0; i < p; i++ {
					v += s.gam[i*q+c] * psi[i]
				}
				z[a*q+c] = v
				t += v * v
			}
			grad[a] = l1 - t
			if s.atoms[j].w > 0 {
				pg = math.Max(pg, math.Abs(grad[a]))
			} else {
				pg = math.Max(pg, -grad[a])
			}
		}
		if pg <= 1e-14*l1 {
			return
		}
		// Hessian 2(ψᵢᵀAψⱼ)(zᵢ·zⱼ).
		for a, j := range vars {
			psi := s.atoms[j].psi
			for i := 0; i < p; i++ {
				v := 0.0
				row := s.ainv[i*p : i*p+p]
				for k, x := range row {
					v += x * psi[k]
				}
				apsi[i*n+a] = v
			}
		}
		for a, j := range vars {
			pa := s.atoms[j].psi
			for b := 0; b <= a; b++ {
				v := 0.0
				for i := 0; i < p; i++ {
					v += pa[i] * apsi[i*n+b]
				}
				zz := 0.0
				for c := 0; c < q; c++ {
					zz += z[a*q+c] * z[b*q+c]
				}
				h[a*n+b] = 2 * v * zz
				h[b*n+a] = h[a*n+b]
			}
		}
		// Free set: positive weights, and zero weights with a negative
		// gradient. A zero weight that the Newton step would push
		// negative is moved to the active set and the step recomputed.
		for a, j := range vars {
			inF[a] = s.atoms[j].w > 0 || grad[a] < 0
		}
		ok := false
		for round := 0; round < n+1; round++ {
			if !s.newtonStep(h, hh, grad, d, inF, n) {
				break
			}
			again := false
			for a, j := range vars {
				if inF[a] && s.atoms[j].w == 0 && d[a] <= 0 {
					inF[a] = false
					again = true
				}
			}
			if !again {
				ok = true
				break
			}
		}
		if !ok {
			return
		}
		// Largest feasible step.
		tmax, hit := math.Inf(1), -1
		for a, j := range vars {
			if inF[a] && d[a] < 0 {
				if t := s.atoms[j].w / -d[a]; t < tmax {
					tmax, hit = t, a
				}
			}
		}
		t := math.Min(1, tmax)
		e0 := s.energy
		accepted := false
		for ls := 0; ls < 60; ls, t = ls+1, t/2 {
			dec := 0.0
			for j, at := range s.atoms {
				wt[j] = at.w
			}
			for a, j := range vars {
				if inF[a] {
					wt[j] = math.Max(0, s.atoms[j].w+t*d[a])
					dec += grad[a] * (wt[j] - s.atoms[j].w)
				}
			}
			if ls == 0 && hit >= 0 && tmax <= 1 {
				wt[vars[hit]] = 0
			}
			if dec >= 0 {
				break
			}
			et, okE := s.energyOf(wt)
			noise := ls == 0 && okE && math.Abs(et-e0) <= 1e-14*math.Abs(e0)
			if okE && (et <= e0+1e-4*dec || noise) {
				if noise {
					noiseSteps++
				}
				for j := range s.atoms {
					s.atoms[j].w = wt[j]
				}
				accepted = true
				break
			}
		}
		s.evaluate()
		if !accepted || noiseSteps > 8 {
			return
		}
	}
}

// newtonStep solves (H_FF + μI)d_F = −g_F for the free set F (inF) and
// sets d = 0 elsewhere. μ regularizes the Hessian, which is singular when
// atoms are redundant.
func (s *mfSolver) newtonStep(h, hh, grad, d []float64, inF []bool, n int) bool {
	idx := make([]int, 0, n)
	for a := 0; a < n; a++ {
		d[a] = 0
		if inF[a] {
			idx = append(idx, a)
		}
	}
	m := len(idx)
	if m == 0 {
		return false
	}
	diag := 0.0
	for _, a := range idx {
		diag = math.Max(diag, h[a*n+a])
	}
	mu := 1e-13 * diag
	rhs := make([]float64, m)
	for try := 0; try < 40; try++ {
		for x, a := range idx {
			for y, b := range idx {
				hh[x*m+y] = h[a*n+b]
			}
			hh[x*m+x] += mu
		}
		if mfCholesky(hh[:m*m], m) {
			for x, a := range idx {
				rhs[x] = -grad[a]
			}
			mfCholSolve(hh[:m*m], m, rhs, 1)
			for x, a := range idx {
				d[a] = rhs[x]
			}
			return true
		}
		mu = math.Max(mu*10, 1e-300)
	}
	return false
}

// prune removes atoms that stayed at zero weight with a positive gradient
// for two rounds.
func (s *mfSolver) prune() {
	kept := s.atoms[:0]
	for _, a := range s.atoms {
		if a.kind != atomFree && a.w == 0 && s.psiG(a.psi) < s.pr.l1 {
			a.idle++
		} else {
			a.idle = 0
		}
		if a.idle < 2 {
			kept = append(kept, a)
		}
	}
	s.atoms = kept
}

// pricing is the outcome of one pricing round.
type mfPricing struct {
	best  float64 // largest ψᵀGψ found (over normalized directions)
	cands []mfCand
	proof bool // best is exact over every atom family
}

type mfCand struct {
	kind mfAtomKind
	u    []float64
	amp  float64
	val  float64
}

// supportBest returns the largest ψᵀGψ over the current atoms (a value
// known to be attained).
func (s *mfSolver) supportBest() float64 {
	b := 0.0
	for _, a := range s.atoms {
		if a.kind != atomFree {
			b = math.Max(b, s.psiG(a.psi))
		}
	}
	return b
}

// price searches for violating atoms. final forces the exact enumeration
// when it is available.
func (s *mfSolver) price(ctx context.Context, final bool) mfPricing {
	pr := s.pr
	l1 := pr.l1
	thr := l1 * (1 + s.b.tol)
	lb := s.supportBest()
	out := mfPricing{best: lb}
	maxAdd := 4 + pr.p
	hk := atomLimit
	if pr.info.homogeneous {
		hk = atomHomog
	}
	// Homogeneous family (the activation itself or its small-amplitude limit).
	if pr.info.limit {
		useSearch := s.exact == nil || (pr.p > 10 && !final)
		exactDone := false
		if useSearch {
			cs := s.searchHom(lb)
			for _, c := range cs {
				out.best = math.Max(out.best, c.val)
				if c.val > thr {
					out.cands = append(out.cands, mfCand{kind: hk, u: c.u, val: c.val})
				}
			}
		}
		if s.exact != nil && (len(out.cands) == 0 || !useSearch) {
			best, cs, faces, complete := s.exact.price(ctx, s.gam, s.q, math.Max(lb, out.best*(1-1e-12)), thr, maxAdd)
			s.faces += faces
			out.best = math.Max(out.best, best)
			out.cands = out.cands[:0]
			for _, c := range cs {
				out.cands = append(out.cands, mfCand{kind: hk, u: c.u, val: c.val})
			}
			exactDone = complete
			if !complete {
				s.warn("exact pricing stopped early (budget or cancellation): the certificate is a search")
			}
		}
		out.proof = exactDone && pr.info.homogeneous
	}
	// Finite amplitudes.
	if s.finSrch != nil {
		cs := s.searchFinite(lb)
		for _, c := range cs {
			out.best = math.Max(out.best, c.val)
			if c.val > thr {
				out.cands = append(out.cands, c)
			}
		}
	}
	sort.SliceStable(out.cands, func(i, j int) bool { return out.cands[i].val > out.cands[j].val })
	out.cands = s.dedup(out.cands, maxAdd)
	return out
}

// dedup drops candidates parallel to an earlier one or to an atom.
func (s *mfSolver) dedup(cs []mfCand, maxAdd int) []mfCand {
	var out []mfCand
	same := func(kind mfAtomKind, u []float64, amp float64, kind2 mfAtomKind, u2 []float64, amp2 float64) bool {
		if kind != kind2 || math.Abs(amp-amp2) > 1e-9*math.Max(amp, amp2) {
			return false
		}
		dot, n1, n2 := 0.0, 0.0, 0.0
		for i := range u {
			dot += u[i] * u2[i]
			n1 += u[i] * u[i]
			n2 += u2[i] * u2[i]
		}
		return dot > (1-1e-12)*math.Sqrt(n1*n2)
	}
	for _, c := range cs {
		dup := false
		for _, o := range out {
			if same(c.kind, c.u, c.amp, o.kind, o.u, o.amp) {
				dup = true
				break
			}
		}
		for _, a := range s.atoms {
			if !dup && same(c.kind, c.u, c.amp, a.kind, a.u, a.amp) {
				dup = true
			}
		}
		if !dup {
			out = append(out, c)
		}
		if len(out) >= maxAdd {
			break
		}
	}
	return out
}

// searchHom runs the multi-start search on the homogeneous family.
func (s *mfSolver) searchHom(lb float64) []prCand {
	ps := s.homSrch
	ps.setG(s.gam, s.q)
	pr := s.pr
	var starts [][]float64
	for _, a := range s.atoms {
		if a.kind == atomHomog || a.kind == atomLimit {
			y := make([]float64, pr.r)
			pr.toY(a.u, y)
			for i := range y {
				y[i] += 0.05 * s.rng.NormFloat64() / math.Sqrt(float64(pr.r))
			}
			starts = append(starts, y)
		}
	}
	for i := 0; i < s.b.starts; i++ {
		starts = append(starts, ps.randomY(s.rng, false))
	}
	var out []prCand
	for _, y0 := range starts {
		y, v := ps.ascend(y0, 200)
		if v <= lb*(1+1e-9) {
			continue
		}
		u := make([]float64, pr.p)
		pr.fromY(y, u)
		c, ok := s.snap(u)
		if ok && c.val >= v*(1-1e-9) {
			out = append(out, c)
			continue
		}
		n := math.Sqrt(pr.bnorm2(u))
		for i := range u {
			u[i] /= n
		}
		out = append(out, prCand{u: u, val: v})
	}
	return out
}

// snap refines a local maximizer of the homogeneous family onto the exact
// top eigenvector of its face (for P ≤ 64).
func (s *mfSolver) snap(u []float64) (prCand, bool) {
	pr := s.pr
	if pr.p > 64 {
		return prCand{}, false
	}
	if s.snapper == nil {
		s.snapper = newPrExact(pr.kx, pr.p, pr.info.dp, pr.info.dm)
	}
	return s.snapper.snapFace(s.gam, s.q, u)
}

// searchFinite runs the multi-start search over finite amplitudes.
func (s *mfSolver) searchFinite(lb float64) []mfCand {
	ps := s.finSrch
	ps.setG(s.gam, s.q)
	pr := s.pr
	var starts [][]float64
	for _, a := range s.atoms {
		switch a.kind {
		case atomFinite, atomLimit:
			y := make([]float64, pr.r)
			pr.toY(a.u, y)
			amp := a.amp
			if a.kind == atomLimit {
				amp = 0.3 / mfMaxAbs(a.u)
			}
			for i := range y {
				y[i] = amp * (y[i] + 0.05*s.rng.NormFloat64()/math.Sqrt(float64(pr.r)))
			}
			starts = append(starts, y)
		}
	}
	for i := 0; i < s.b.starts; i++ {
		starts = append(starts, ps.randomY(s.rng, true))
	}
	var out []mfCand
	for _, y0 := range starts {
		y, v := ps.ascend(y0, 300)
		if v <= lb*(1+1e-9) {
			continue
		}
		h := make([]float64, pr.p)
		pr.fromY(y, h)
		if mfMaxAbs(h) < 1e-4 {
			continue // the small-amplitude limit: priced exactly by the limit family
		}
		amp := math.Sqrt(pr.bnorm2(h))
		for i := range h {
			h[i] /= amp
		}
		out = append(out, mfCand{kind: atomFinite, u: h, amp: amp, val: v})
	}
	return out
}

// mfMaxAbs returns max |xᵢ|.
func mfMaxAbs(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m = math.Max(m, math.Abs(v))
	}
	return m
}

// addCand turns a candidate into an atom of zero weight.
func (s *mfSolver) addCand(c mfCand) {
	pr := s.pr
	p := pr.p
	u := append([]float64(nil), c.u...)
	// Renormalize exactly: uᵀK†u = 1.
	n := math.Sqrt(pr.bnorm2(u))
	if !(n > 0) {
		return
	}
	for i := range u {
		u[i] /= n
	}
	psi := make([]float64, p)
	switch c.kind {
	case atomHomog:
		for i, v := range u {
			psi[i] = pr.phi(v)
		}
	case atomLimit:
		pr.psiLimit(u, psi)
	case atomFinite:
		amp := c.amp * n
		for i, v := range u {
			psi[i] = pr.phi(amp*v) / amp
		}
		c.amp = amp
	}
	s.atoms = append(s.atoms, &mfAtom{kind: c.kind, u: u, amp: c.amp, psi: psi})
}

// solveCG runs column generation.
func (s *mfSolver) solveCG(ctx context.Context) *Solution {
	pr := s.pr
	status := IterationLimit
	var last mfPricing
	priced := false
	if s.b.method == MethodAuto && pr.info.limit {
		// Warm start: particle descent on the homogeneous family finds
		// the right activation patterns far faster than conditional
		// gradient; column generation then makes the result exact and
		// certifies it.
		s.runParticles(ctx, max(8, pr.p), 3000, true)
	}
	for s.iter = 1; s.iter <= s.b.maxIter; s.iter++ {
		if ctx.Err() != nil {
			status = Canceled
			break
		}
		s.rmp()
		if math.IsNaN(s.energy) || math.IsInf(s.energy, 0) {
			status = Diverged
			break
		}
		s.prune()
		for k := 0; k < 3 && s.polish(); k++ {
			e0 := s.energy
			s.rmp()
			s.prune()
			if !(s.energy < e0*(1-1e-15)) {
				break
			}
		}
		last = s.price(ctx, false)
		priced = true
		if len(last.cands) == 0 && last.best <= pr.l1*(1+s.b.tol) {
			if s.exact != nil && !last.proof && pr.info.homogeneous {
				// The search found nothing: confirm with the exact enumeration.
				last = s.price(ctx, true)
				if len(last.cands) > 0 {
					for _, c := range last.cands {
						s.addCand(c)
					}
					priced = false
					continue
				}
			}
			if ctx.Err() != nil {
				status = Canceled
				break
			}
			status = Converged
			break
		}
		if len(last.cands) == 0 {
			// Violations found but no new atom to add (all duplicates):
			// the master problem cannot make progress.
			s.warn("pricing found a violation (ratio %.6g) but no new atom: the master problem stalled", last.best/pr.l1)
			break
		}
		for _, c := range last.cands {
			s.addCand(c)
		}
		priced = false
	}
	if s.iter > s.b.maxIter {
		s.iter = s.b.maxIter
	}
	if status != Canceled && s.merge() {
		priced = false
	}
	if !priced {
		s.rmp()
		last = s.price(ctx, true)
	}
	if status == IterationLimit && last.best <= pr.l1*(1+s.b.tol) && len(last.cands) == 0 {
		status = Converged
	}
	s.proof = last.proof
	return s.solution(MethodColumnGeneration, last.best, status)
}

// merge joins atoms whose directions agree to 1e-8 in cosine (column
// generation splits an optimal atom into near-copies that the energy
// cannot tell apart), adding their weights, and re-solves the master
// problem; the pricing that follows certifies the merged measure. It
// reports whether anything was merged.
func (s *mfSolver) merge() bool {
	var kept []*mfAtom
	merged := false
	for _, a := range s.atoms {
		joined := false
		if a.kind != atomFree && a.w > 0 {
			for _, b := range kept {
				if b.kind != a.kind || b.w == 0 || math.Abs(a.amp-b.amp) > 1e-9*math.Max(a.amp, b.amp) {
					continue
				}
				dot, na, nb := 0.0, 0.0, 0.0
				for i := range a.u {
					dot += a.u[i] * b.u[i]
					na += a.u[i] * a.u[i]
					nb += b.u[i] * b.u[i]
				}
				if dot > (1-1e-8)*math.Sqrt(na*nb) {
					if a.w > b.w {
						b.u, b.psi = a.u, a.psi
					}
					b.w += a.w
					joined, merged = true, true
					break
				}
			}
		}
		if !joined {
			kept = append(kept, a)
		}
	}
	if merged {
		s.atoms = kept
		s.rmp()
		s.prune()
	}
	return merged
}

// solution packages the state.
func (s *mfSolver) solution(method MeanFieldMethod, best float64, status Status) *Solution {
	pr := s.pr
	p := pr.p
	sol := &Solution{act: pr.act, l1: pr.l1, l2: pr.l2, method: method, p: p, energy: s.energy,
		costTerm: s.costTerm, dataTerm: s.dataTerm, iterations: s.iter, status: status,
		faces: s.faces, pr: pr, proof: s.proof}
	sol.cert = math.Max(0, best/pr.l1-1)
	w := s.weights()
	for j, a := range s.atoms {
		if a.kind == atomFree {
			w[j] = 0 // the unbounded 11ᵀ part is reported in a warning
		}
	}
	s.buildK(w)
	sol.kernel = mfNewSym(s.kk, p)
	totalW := 0.0
	for _, a := range s.atoms {
		if a.w > 0 && a.kind != atomFree {
			totalW += a.w
		}
	}
	for _, a := range s.atoms {
		if !(a.w > 0) {
			continue
		}
		at := Atom{Dir: append([]float64(nil), a.u...), Weight: a.w, Ratio: s.psiG(a.psi) / pr.l1}
		switch a.kind {
		case atomHomog:
			// One neuron: h = √w·u.
			sw := math.Sqrt(a.w)
			at.H = make([]float64, p)
			for i, v := range a.u {
				at.H[i] = sw * v
			}
			at.Mass = 1
		case atomFinite:
			at.H = make([]float64, p)
			for i, v := range a.u {
				at.H[i] = a.amp * v
			}
			at.Mass = a.w / (a.amp * a.amp)
		case atomLimit:
			at.Mass = math.Inf(1)
			at.Limit = true
		case atomFree:
			at.H = make([]float64, p)
			at.Mass = a.w / (pr.info.phi0 * pr.info.phi0)
			at.Free = true
			at.Ratio = 1
		}
		// Atoms of negligible weight do not enter the residual.
		if a.kind != atomFree && a.w > 1e-9*totalW {
			sol.residual = math.Max(sol.residual, math.Abs(at.Ratio-1))
		}
		sol.atoms = append(sol.atoms, at)
	}
	sort.SliceStable(sol.atoms, func(i, j int) bool { return sol.atoms[i].Weight > sol.atoms[j].Weight })
	sol.warnings = append(sol.warnings, s.warnings...)
	if !sol.proof {
		why := "the activation is not positively homogeneous"
		if pr.info.homogeneous {
			why = fmt.Sprintf("P = %d exceeds the exact-pricing limit %d", p, s.b.exactP)
			if p <= s.b.exactP {
				why = "exact pricing did not complete"
			}
		}
		sol.warnings = append(sol.warnings, fmt.Sprintf("the certificate is a multi-start search (%d starts), not a proof: %s", s.b.starts, why))
	}
	nsup := 0
	for _, a := range sol.atoms {
		if !a.Free {
			nsup++
		}
	}
	if s.b.atoms > 0 && method == MethodColumnGeneration && nsup > s.b.atoms {
		sol.warnings = append(sol.warnings, fmt.Sprintf("the optimum uses %d atoms, more than Atoms(%d): a network of that width cannot reach it", nsup, s.b.atoms))
	}
	if status != Converged {
		sol.warnings = append(sol.warnings, fmt.Sprintf("not converged (%v): KKT violation %.3g > tol %.3g", status, sol.cert, s.b.tol))
	}
	return sol
}
