package rep

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/optimize"
)

// Search pricing: multi-start local ascent of the KKT ratio
//
//	r(y) = φ(h)ᵀGφ(h) / (λ₁‖y‖²),  h = Ry,  K_X = RRᵀ,
//
// over neuron weight vectors y (so ‖y‖² = hᵀK_X†h), with L-BFGS from
// gonum/optimize. It finds local maxima only: a certificate from it is a
// search, not a proof.

// prSearch evaluates the ratio and its gradient.
type prSearch struct {
	pr    *mfProblem
	gam   []float64 // Γ, P×q
	q     int
	limit bool // use ψ₀ (slopes d₊, d₋) instead of φ
	h     []float64
	ph    []float64
	dh    []float64
	z     []float64
	gh    []float64
	evals int
}

func newPrSearch(pr *mfProblem, limit bool) *prSearch {
	p := pr.p
	return &prSearch{pr: pr, limit: limit, h: make([]float64, p), ph: make([]float64, p), dh: make([]float64, p), gh: make([]float64, p)}
}

// setG installs Γ (G = ΓΓᵀ).
func (ps *prSearch) setG(gam []float64, q int) {
	ps.gam, ps.q = gam, q
	if len(ps.z) < q {
		ps.z = make([]float64, q)
	}
}

// eval returns r(y)·λ₁ = ψᵀGψ with ψ = φ(h)/‖y‖, and, if grad is not nil,
// writes the gradient of −r(y) (for minimization).
func (ps *prSearch) eval(y, grad []float64) float64 {
	pr := ps.pr
	p, q, r := pr.p, ps.q, pr.r
	ps.evals++
	pr.fromY(y, ps.h)
	if ps.limit {
		for i, v := range ps.h {
			if v > 0 {
				ps.ph[i], ps.dh[i] = pr.info.dp*v, pr.info.dp
			} else {
				ps.ph[i], ps.dh[i] = pr.info.dm*v, pr.info.dm
			}
		}
	} else {
		for i, v := range ps.h {
			ps.ph[i], ps.dh[i] = pr.phi(v), pr.act.D(v)
		}
	}
	nrm := 0.0
	for c := 0; c < q; c++ {
		s := 0.0
		for i := 0; i < p; i++ {
			s += ps.gam[i*q+c] * ps.ph[i]
		}
		ps.z[c] = s
		nrm += s * s
	}
	d := 0.0
	for _, v := range y {
		d += v * v
	}
	if !(d > 0) {
		if grad != nil {
			for i := range grad {
				grad[i] = 0
			}
		}
		return 0
	}
	val := nrm / d
	if grad != nil {
		for i := 0; i < p; i++ {
			s := 0.0
			for c := 0; c < q; c++ {
				s += ps.gam[i*q+c] * ps.z[c]
			}
			ps.gh[i] = s * ps.dh[i]
		}
		// ∇(N/D) = (2Rᵀ(dh⊙Gφ) − 2·val·y)/D; minimize −val/λ₁.
		scale := -2 / (d * pr.l1)
		for c := 0; c < r; c++ {
			s := 0.0
			for i := 0; i < p; i++ {
				s += pr.rfac[i*r+c] * ps.gh[i]
			}
			grad[c] = scale * (s - val*y[c])
		}
	}
	return val
}

// ascend runs L-BFGS from y0 and returns the final point and its value
// ψᵀGψ.
func (ps *prSearch) ascend(y0 []float64, iters int) ([]float64, float64) {
	l1 := ps.pr.l1
	problem := optimize.Problem{
		Func: func(x []float64) float64 { return -ps.eval(x, nil) / l1 },
		Grad: func(g, x []float64) { ps.eval(x, g) },
	}
	settings := &optimize.Settings{
		MajorIterations:   iters,
		GradientThreshold: 1e-11,
		Converger:         &optimize.FunctionConverge{Absolute: 1e-15, Relative: 1e-15, Iterations: 25},
	}
	res, err := optimize.Minimize(problem, y0, settings, &optimize.LBFGS{})
	x := y0
	if res != nil && res.X != nil {
		x = res.X
	}
	_ = err // line-search failures at kinks are expected; the point is still usable
	out := append([]float64(nil), x...)
	v := ps.eval(out, nil)
	if v0 := ps.eval(y0, nil); v0 > v {
		out, v = append([]float64(nil), y0...), v0
	}
	return out, v
}

// randomY draws a direction in weight space; for finite amplitudes it is
// scaled so that max|h| is log-uniform in [0.05, 20].
func (ps *prSearch) randomY(rng *rand.Rand, finite bool) []float64 {
	pr := ps.pr
	y := make([]float64, pr.r)
	for i := range y {
		y[i] = rng.NormFloat64()
	}
	if !finite {
		return y
	}
	pr.fromY(y, ps.h)
	m := 0.0
	for _, v := range ps.h {
		m = math.Max(m, math.Abs(v))
	}
	a := math.Exp(math.Log(0.05) + rng.Float64()*math.Log(400))
	for i := range y {
		y[i] *= a / m
	}
	return y
}
