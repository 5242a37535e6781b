package rep

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/optimize"
)

// Particle descent: L-BFGS on the energy of M unit-mass atoms,
//
//	E(y₁…y_M) = λ₁Σ‖yₖ‖² + λ₂ tr((λ₂I + ΦΦᵀ)⁻¹K_Y),  Φ = φ(RY) (P×M),
//
// where yₖ is neuron k's weight vector in the whitened input basis
// (hₖ = Ryₖ, K_X = RRᵀ). This is training the two-layer network with the
// readout eliminated (ridge) and the first layer in its minimum-norm
// form: the "effective M-neuron system" of paper A (Fig. 3D–E). Its
// gradient is 2λ₁Y − 2Rᵀ[(GΦ)⊙φ'(RY)], G = λ₂(λ₂I+K)⁻¹K_Y(λ₂I+K)⁻¹.

// particleWidth returns the number of particles.
func (s *mfSolver) particleWidth() int {
	if s.b.atoms > 0 {
		return s.b.atoms
	}
	return max(16, 4*s.p)
}

// particleEnergy evaluates E and (if grad ≠ nil) its gradient at x
// (M×r, row-major). It reuses the solver's scratch space.
type mfParticles struct {
	s      *mfSolver
	m      int
	limit  bool      // use ψ₀ (the small-amplitude limit) instead of φ
	h, phi []float64 // P×M
	dphi   []float64
	gphi   []float64 // GΦ
	z      []float64 // ΓᵀΦ, q×M
}

func (pt *mfParticles) eval(x, grad []float64) float64 {
	s := pt.s
	pr := s.pr
	p, r, q, m := pr.p, pr.r, pr.q, pt.m
	for i := 0; i < p; i++ {
		rrow := pr.rfac[i*r : i*r+r]
		for k := 0; k < m; k++ {
			y := x[k*r : k*r+r]
			v := 0.0
			for c, a := range rrow {
				v += a * y[c]
			}
			pt.h[i*m+k] = v
			switch {
			case pt.limit && v > 0:
				pt.phi[i*m+k], pt.dphi[i*m+k] = pr.info.dp*v, pr.info.dp
			case pt.limit:
				pt.phi[i*m+k], pt.dphi[i*m+k] = pr.info.dm*v, pr.info.dm
			default:
				pt.phi[i*m+k] = pr.phi(v)
				if grad != nil {
					pt.dphi[i*m+k] = pr.act.D(v)
				}
			}
		}
	}
	// K = ΦΦᵀ, λ₂I + K = LLᵀ.
	for i := 0; i < p; i++ {
		for j := 0; j <= i; j++ {
			v := 0.0
			a, b := pt.phi[i*m:i*m+m], pt.phi[j*m:j*m+m]
			for k := range a {
				v += a[k] * b[k]
			}
			s.kk[i*p+j], s.kk[j*p+i] = v, v
		}
	}
	data, ok := pr.ridgeData(s.kk, s.chol, s.tmp)
	if !ok {
		return math.Inf(1)
	}
	cost := 0.0
	for _, v := range x {
		cost += v * v
	}
	cost *= pr.l1
	if grad == nil {
		return cost + data
	}
	// Γ = √λ₂·A·F: finish the solve Lᵀ·(L⁻¹F).
	for c := 0; c < q; c++ {
		for i := p - 1; i >= 0; i-- {
			v := s.tmp[i*q+c]
			for k := i + 1; k < p; k++ {
				v -= s.chol[k*p+i] * s.tmp[k*q+c]
			}
			s.tmp[i*q+c] = v / s.chol[i*p+i]
		}
	}
	sl := math.Sqrt(pr.l2)
	for i := range s.gam[:p*q] {
		s.gam[i] = sl * s.tmp[i]
	}
	// z = ΓᵀΦ (q×M), GΦ = Γz.
	for c := 0; c < q; c++ {
		for k := 0; k < m; k++ {
			v := 0.0
			for i := 0; i < p; i++ {
				v += s.gam[i*q+c] * pt.phi[i*m+k]
			}
			pt.z[c*m+k] = v
		}
	}
	for i := 0; i < p; i++ {
		for k := 0; k < m; k++ {
			v := 0.0
			for c := 0; c < q; c++ {
				v += s.gam[i*q+c] * pt.z[c*m+k]
			}
			pt.gphi[i*m+k] = v * pt.dphi[i*m+k]
		}
	}
	for k := 0; k < m; k++ {
		g := grad[k*r : k*r+r]
		y := x[k*r : k*r+r]
		for c := 0; c < r; c++ {
			v := 0.0
			for i := 0; i < p; i++ {
				v += pr.rfac[i*r+c] * pt.gphi[i*m+k]
			}
			g[c] = 2*pr.l1*y[c] - 2*v
		}
	}
	return cost + data
}

// runParticles runs L-BFGS on m particles (at most iters iterations) and
// appends them to the solver's atoms (unit mass; for homogeneous ψ the
// scale folds into the weight). limit selects ψ₀ instead of φ.
func (s *mfSolver) runParticles(ctx context.Context, m, iters int, limit bool) (Status, int) {
	pr := s.pr
	p, r := pr.p, pr.r
	pt := &mfParticles{s: s, m: m, limit: limit, h: make([]float64, p*m), phi: make([]float64, p*m),
		dphi: make([]float64, p*m), gphi: make([]float64, p*m), z: make([]float64, pr.q*m)}
	// Initial weights: N(0, σ²) with preactivations of order 0.5.
	meanDiag := 0.0
	for i := 0; i < p; i++ {
		meanDiag += pr.kx[i*p+i]
	}
	meanDiag /= float64(p)
	sigma := 0.5 / math.Sqrt(meanDiag)
	x0 := make([]float64, m*r)
	for i := range x0 {
		x0[i] = sigma * s.rng.NormFloat64()
	}
	canceled := false
	problem := optimize.Problem{
		Func: func(x []float64) float64 { return pt.eval(x, nil) },
		Grad: func(g, x []float64) { pt.eval(x, g) },
		Status: func() (optimize.Status, error) {
			if ctx.Err() != nil {
				canceled = true
				return optimize.Failure, ctx.Err()
			}
			return optimize.NotTerminated, nil
		},
	}
	settings := &optimize.Settings{
		MajorIterations:   iters,
		GradientThreshold: 1e-13 * pr.l1 * math.Sqrt(float64(p)),
		Converger:         &optimize.FunctionConverge{Relative: 1e-15, Iterations: 200},
	}
	// L-BFGS stops early at the kinks of ReLU-like activations (its line
	// search fails); restarting it from where it stopped resumes progress.
	x := x0
	status, done := IterationLimit, 0
	fx := pt.eval(x0, nil)
	for restart := 0; restart < 50 && done < iters && !canceled; restart++ {
		settings.MajorIterations = iters - done
		res, _ := optimize.Minimize(problem, x, settings, &optimize.LBFGS{Store: 30})
		if res == nil {
			break
		}
		done += res.Stats.MajorIterations
		improved := res.F < fx-1e-15*math.Abs(fx)
		if res.F < fx {
			x, fx = res.X, res.F
		}
		if res.Status == optimize.GradientThreshold {
			status = Converged
			break
		}
		if !improved {
			status = Converged // no progress from a fresh start: stationary up to the kinks
			break
		}
	}
	if canceled {
		status = Canceled
	}
	y := make([]float64, r)
	for k := 0; k < m; k++ {
		copy(y, x[k*r:k*r+r])
		amp2 := 0.0
		for _, v := range y {
			amp2 += v * v
		}
		if !(amp2 > 0) {
			continue
		}
		h := make([]float64, p)
		pr.fromY(y, h)
		amp := math.Sqrt(amp2)
		u := make([]float64, p)
		for i, v := range h {
			u[i] = v / amp
		}
		psi := make([]float64, p)
		kind := atomFinite
		switch {
		case pr.info.homogeneous:
			kind = atomHomog
			for i, v := range u {
				psi[i] = pr.phi(v)
			}
		case limit:
			kind = atomLimit
			pr.psiLimit(u, psi)
		default:
			for i, v := range h {
				psi[i] = pr.phi(v) / amp
			}
		}
		if kind != atomFinite {
			amp = 0 // the amplitude of a homogeneous or limit atom is folded into w
		}
		s.atoms = append(s.atoms, &mfAtom{kind: kind, u: u, amp: amp, psi: psi, w: amp2})
	}
	return status, done
}

// solveParticles runs particle descent, then prices the result against
// the infinite-width KKT condition.
func (s *mfSolver) solveParticles(ctx context.Context) *Solution {
	pr := s.pr
	m := s.particleWidth()
	status, iters := s.runParticles(ctx, m, 100*s.b.maxIter, false)
	s.iter = iters
	s.evaluate()
	last := s.price(ctx, true)
	s.proof = last.proof
	if last.best > pr.l1*(1+s.b.tol) {
		s.warn("particle descent (M = %d) stopped at a point that violates the infinite-width KKT condition by %.3g: M may be fewer atoms than the optimum needs, or the descent stopped at a local minimum or a kink", m, last.best/pr.l1-1)
	}
	sol := s.solution(MethodParticles, last.best, status)
	// Tiny particles are dead neurons: they stay in the weights, not in Atoms.
	kept := sol.atoms[:0]
	for _, a := range sol.atoms {
		if a.Weight > 1e-12*sol.energy/pr.l1 {
			kept = append(kept, a)
		}
	}
	sol.atoms = kept
	sol.residual = 0
	for _, a := range sol.atoms {
		if a.Weight > 1e-6*sol.energy/pr.l1 {
			sol.residual = math.Max(sol.residual, math.Abs(a.Ratio-1))
		}
	}
	if len(sol.atoms) < m {
		sol.warnings = append(sol.warnings, fmt.Sprintf("%d of %d particles are dead (zero weight)", m-len(sol.atoms), m))
	}
	return sol
}
