package rep

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// maxRealizedNeurons bounds the width of the network Weights builds.
const maxRealizedNeurons = 1 << 16

// Weights returns the two-layer network equivalent to the solution
// (DIGEST §A5.1): w1 (M×dX, rows = neurons) and b (M) are the
// minimum-norm first layer, [w1ₖ, bₖ] = X̃ᵀK_X†hₖ with X̃ = [X, 1], which
// costs exactly hₖᵀK_X†hₖ; w2 (dY×M) is the ridge readout
// Yᵀ(λ₂I + ΦΦᵀ)⁻¹Φ of the realized hidden layer Φ = φ(H). Its loss (summed
// squared error + λ₁(‖w1‖² + ‖b‖²) + λ₂‖w2‖²) equals Energy().
//
// For ReLU and Linear every atom is one neuron (its scale is folded into
// the mass) and the realization is exact. A finite atom of non-integer
// mass m becomes round(m) neurons; a small-amplitude limit atom of
// weight w becomes n neurons of amplitude α with nα² = w, exact for
// activations linear near 0 (hard tanh, hard sigmoid: α·max|u| ≤ 1) and
// accurate to about 1e-3 otherwise (tanh, erf: α·max|u| ≤ 0.05). The
// returned notes say what was approximated, with the relative kernel
// error; they are empty for an exact realization.
//
// It returns an error for a solution built from raw kernels (no task X
// and Y) or when the realization would need more than 65536 neurons.
func (s *Solution) Weights() (w1 *mat.Dense, b []float64, w2 *mat.Dense, notes []string, err error) {
	if s.task == nil {
		return nil, nil, nil, nil, fmt.Errorf("rep: Solution.Weights: the solution was built from kernels; weights need a task (NewMeanField)")
	}
	pr := s.pr
	p := pr.p
	var hs [][]float64 // neuron preactivation vectors
	approx := false
	for _, a := range s.atoms {
		switch {
		case a.Free:
			notes = append(notes, fmt.Sprintf("the free constant atom (φ(0) = %g, unbounded mass) is not realized", pr.info.phi0))
			approx = true
		case a.Limit:
			umax := mfMaxAbs(a.Dir)
			zmax := pr.info.zlin
			exact := zmax > 0
			if !exact {
				zmax = 0.05
			}
			n := int(math.Ceil(a.Weight * umax * umax / (zmax * zmax)))
			n = max(n, 1)
			if n > maxRealizedNeurons {
				return nil, nil, nil, nil, fmt.Errorf("rep: Solution.Weights: a small-amplitude atom needs %d neurons (more than %d)", n, maxRealizedNeurons)
			}
			amp := math.Sqrt(a.Weight / float64(n))
			h := make([]float64, p)
			for i, v := range a.Dir {
				h[i] = amp * v
			}
			for k := 0; k < n; k++ {
				hs = append(hs, h)
			}
			if !exact {
				approx = true
				notes = append(notes, fmt.Sprintf("a small-amplitude limit atom is realized by %d neurons of amplitude max|h| = %.3g", n, amp*umax))
			}
		case pr.info.homogeneous:
			hs = append(hs, a.H)
		default:
			n := int(math.Round(a.Mass))
			if n < 1 {
				n = 1
			}
			if n > maxRealizedNeurons {
				return nil, nil, nil, nil, fmt.Errorf("rep: Solution.Weights: an atom of mass %.3g needs more than %d neurons", a.Mass, maxRealizedNeurons)
			}
			if math.Abs(float64(n)-a.Mass) > 1e-9*a.Mass {
				approx = true
				notes = append(notes, fmt.Sprintf("an atom of mass %.6g is realized by %d neurons", a.Mass, n))
			}
			for k := 0; k < n; k++ {
				hs = append(hs, a.H)
			}
		}
		if len(hs) > maxRealizedNeurons {
			return nil, nil, nil, nil, fmt.Errorf("rep: Solution.Weights: the realization needs more than %d neurons", maxRealizedNeurons)
		}
	}
	m := len(hs)
	if m == 0 {
		hs = append(hs, make([]float64, p)) // the empty network: one dead neuron
		m = 1
	}
	task := s.task
	dx := task.DX()
	// K_X†h = R⁺ᵀ(R⁺h); [w1, b] = [X, 1]ᵀ K_X†h.
	w1 = mat.NewDense(m, dx, nil)
	b = make([]float64, m)
	y := make([]float64, pr.r)
	kinvh := make([]float64, p)
	for k, h := range hs {
		pr.toY(h, y)
		for i := 0; i < p; i++ {
			v := 0.0
			for c := 0; c < pr.r; c++ {
				v += pr.rinv[c*p+i] * y[c]
			}
			kinvh[i] = v
		}
		for j := 0; j < dx; j++ {
			v := 0.0
			for i := 0; i < p; i++ {
				v += task.X.At(i, j) * kinvh[i]
			}
			w1.Set(k, j, v)
		}
		v := 0.0
		for i := 0; i < p; i++ {
			v += kinvh[i]
		}
		b[k] = v
	}
	// Realized hidden layer with the true φ, and its ridge readout.
	phi := mat.NewDense(p, m, nil)
	for k := 0; k < m; k++ {
		for i := 0; i < p; i++ {
			z := b[k]
			for j := 0; j < dx; j++ {
				z += w1.At(k, j) * task.X.At(i, j)
			}
			phi.Set(i, k, pr.act.F(z))
		}
	}
	kr := mat.NewSymDense(p, nil)
	kr.SymOuterK(1, phi)
	reg := mat.NewSymDense(p, nil)
	reg.CopySym(kr)
	for i := 0; i < p; i++ {
		reg.SetSym(i, i, reg.At(i, i)+pr.l2)
	}
	var ch mat.Cholesky
	if !ch.Factorize(reg) {
		return nil, nil, nil, nil, fmt.Errorf("rep: Solution.Weights: λ₂I + ΦΦᵀ is not positive definite")
	}
	var sy mat.Dense
	if err := ch.SolveTo(&sy, task.Y); err != nil {
		return nil, nil, nil, nil, fmt.Errorf("rep: Solution.Weights: %w", err)
	}
	w2 = mat.NewDense(task.DY(), m, nil)
	w2.Mul(sy.T(), phi)
	if approx {
		var d mat.Dense
		d.Sub(kr, s.kernel)
		notes = append(notes, fmt.Sprintf("the realized network's kernel ΦΦᵀ differs from K[ρ*] by %.3g (relative Frobenius)", mfFrob(&d)/math.Max(mfFrob(s.kernel), 1e-300)))
	}
	return w1, b, w2, notes, nil
}

// Network returns the equivalent network (see Weights) as a *Network, so
// the solution is inspected with the same metrics and plots as a trained
// network. The notes of Weights are returned alongside.
func (s *Solution) Network() (*Network, []string, error) {
	w1, b, w2, notes, err := s.Weights()
	if err != nil {
		return nil, nil, err
	}
	n, err := NetworkFromWeights(s.task, s.act, w1, b, w2)
	return n, notes, err
}
