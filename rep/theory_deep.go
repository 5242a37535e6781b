package rep

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// BiasConvention says how a deep network's hidden layers ≥ 2 treat their
// bias (DIGEST §A5.8). The first layer always has a bias penalized by λ₁.
type BiasConvention int

const (
	// BiasPenalized: every layer has a bias, penalized by λ₁ (convention
	// i): g(b) = 1/b + 1/(1 + dY·b). Every layer is abstract; the
	// coefficients are not exactly geometric.
	BiasPenalized BiasConvention = iota
	// BiasFree: layers ≥ 2 have unpenalized biases (convention ii):
	// g(b) = 1/b, and bₗ = γ^{l−1}b₁ exactly with γ* = A·b₁*. The 11ᵀ part
	// of the deeper kernels is then undetermined.
	BiasFree
	// BiasNone: layers ≥ 2 have no bias (convention iii):
	// g(b) = (1 + 1/dY)/b. Simulations do not follow the ansatz in the
	// early layers (only the last is abstract).
	BiasNone
)

// String returns the convention's name.
func (c BiasConvention) String() string {
	switch c {
	case BiasPenalized:
		return "penalized"
	case BiasFree:
		return "free"
	case BiasNone:
		return "none"
	}
	return fmt.Sprintf("BiasConvention(%d)", int(c))
}

// DeepTheory is the reduced-energy optimum of an L-layer network on
// paper A's whitened singleton task (DIGEST §A5.8): layer l has kernel
// K⁽ˡ⁾ = B[l−1]·(dY·11ᵀ + K_Y).
type DeepTheory struct {
	Layers     int            `json:"layers"`
	Convention BiasConvention `json:"convention"`
	Activation Activation     `json:"activation"`
	L1, L2     float64
	P, DY      int
	CPhi       float64   `json:"cphi"`
	B          []float64 `json:"b"`      // bₗ*, l = 1…L
	Energy     float64   `json:"energy"` // minimum of the reduced energy
	// Gamma is B[1]/B[0] (the growth factor γ*; exact ratio of every pair of
	// consecutive layers for BiasFree). NaN for one layer.
	Gamma float64 `json:"gamma"`
	lt    thLatent
}

// Kernel returns the kernel of layer l (1-based): B[l−1](dY·11ᵀ + K_Y).
// It panics if l is out of range.
func (d *DeepTheory) Kernel(l int) mat.Matrix {
	if l < 1 || l > d.Layers {
		panic(fmt.Sprintf("rep: DeepTheory.Kernel(%d): layer must be in [1, %d]", l, d.Layers))
	}
	bs := make([]float64, d.DY)
	for i := range bs {
		bs[i] = d.B[l-1]
	}
	return thKernel(d.lt, float64(d.DY)*d.B[l-1], bs)
}

// String summarizes the solution.
func (d *DeepTheory) String() string {
	return fmt.Sprintf("DeepTheory{L=%d, bias %v, %s, λ=(%g, %g), b=%.6g, E=%.10g}", d.Layers, d.Convention, d.Activation, d.L1, d.L2, d.B, d.Energy)
}

// TheoryDeep minimizes the reduced energy of an L-layer network of a
// threshold activation on the whitened singleton task (DIGEST §A5.8):
//
//	E(b) = λ₁·dY·c_φ·[A·b₁ + Σ_{l=2}^{L} bₗ·g(b_{l−1})] + dY·λ₂P/(λ₂ + b_L·P),
//
// A = P(P+2)/(P+1), g set by the bias convention, over b > 0 (L-BFGS in
// log b from several starts). Layers must be in [1, 50]; L = 1 is
// TheoryThreshold. The ansatz (every layer abstract) is verified by
// simulation for BiasPenalized and BiasFree only.
func TheoryDeep(task *Task, act Activation, layers int, conv BiasConvention, lambda1, lambda2 float64) (*DeepTheory, error) {
	const name = "TheoryDeep"
	if layers < 1 || layers > 50 {
		return nil, fmt.Errorf("rep: %s: layers = %d must be in [1, 50]", name, layers)
	}
	if conv < BiasPenalized || conv > BiasNone {
		return nil, fmt.Errorf("rep: %s: unknown bias convention %d", name, int(conv))
	}
	c, fam, err := TheoryCPhi(act)
	if err != nil {
		return nil, err
	}
	if fam != FamilyThreshold {
		return nil, fmt.Errorf("rep: %s: %s is not threshold-type", name, act)
	}
	lt, s, a, err := thSingletonFamily(name, task, lambda1, lambda2)
	if err != nil {
		return nil, err
	}
	if math.Abs(s-1) > 1e-9 {
		return nil, fmt.Errorf("rep: %s: the inputs are not whitened (XXᵀ = %.6g·I)", name, s)
	}
	for k, ak := range a {
		if ak > 1e-9 {
			return nil, fmt.Errorf("rep: %s: the inputs are not whitened (a_%d = %.4g)", name, k, ak)
		}
	}
	p := float64(lt.p)
	dy := float64(lt.dy)
	A := p * (p + 2) / (p + 1)
	g := func(b float64) (float64, float64) { // g and g'
		switch conv {
		case BiasPenalized:
			return 1/b + 1/(1+dy*b), -1/(b*b) - dy/((1+dy*b)*(1+dy*b))
		case BiasFree:
			return 1 / b, -1 / (b * b)
		}
		return (1 + 1/dy) / b, -(1 + 1/dy) / (b * b)
	}
	L := layers
	energy := func(t, grad []float64) float64 {
		b := make([]float64, L)
		for i, v := range t {
			b[i] = math.Exp(v)
		}
		cost := A * b[0]
		db := make([]float64, L)
		db[0] = A
		for l := 1; l < L; l++ {
			gv, gd := g(b[l-1])
			cost += b[l] * gv
			db[l] += gv
			db[l-1] += b[l] * gd
		}
		bl := b[L-1]
		e := lambda1*dy*c*cost + dy*lambda2*p/(lambda2+bl*p)
		if grad != nil {
			for l := 0; l < L; l++ {
				d := lambda1 * dy * c * db[l]
				if l == L-1 {
					d -= dy * lambda2 * p * p / ((lambda2 + bl*p) * (lambda2 + bl*p))
				}
				grad[l] = d * b[l] // d/dt = b·d/db
			}
		}
		return e
	}
	b1 := math.Sqrt(lambda2/(lambda1*c*A)) - lambda2/p
	if !(b1 > 0) {
		b1 = 1e-3
	}
	best := math.Inf(1)
	var bestT []float64
	for _, ratio := range []float64{0.5, 1, 1.5, 2} {
		t0 := make([]float64, L)
		for l := range t0 {
			t0[l] = math.Log(b1) + float64(l)*math.Log(ratio)
		}
		res, _ := optimize.Minimize(optimize.Problem{Func: func(x []float64) float64 { return energy(x, nil) },
			Grad: func(gr, x []float64) { energy(x, gr) }}, t0,
			&optimize.Settings{GradientThreshold: 1e-14, MajorIterations: 5000,
				Converger: &optimize.FunctionConverge{Relative: 1e-16, Iterations: 100}}, &optimize.LBFGS{})
		if res != nil && res.F < best {
			best, bestT = res.F, res.X
		}
	}
	if bestT == nil {
		return nil, fmt.Errorf("rep: %s: the reduced energy could not be minimized", name)
	}
	d := &DeepTheory{Layers: L, Convention: conv, Activation: act, L1: lambda1, L2: lambda2, P: lt.p, DY: lt.dy,
		CPhi: c, Energy: best, Gamma: math.NaN(), lt: lt}
	for _, t := range bestT {
		d.B = append(d.B, math.Exp(t))
	}
	if L > 1 {
		d.Gamma = d.B[1] / d.B[0]
	}
	return d, nil
}
