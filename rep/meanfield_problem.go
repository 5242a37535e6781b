package rep

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// mfProblem is a validated mean-field problem with its factorizations.
type mfProblem struct {
	p      int
	kx, ky []float64 // P×P row-major; kx is the cleaned RRᵀ
	r      int       // rank of K_X
	rfac   []float64 // P×r, K_X = R Rᵀ
	rinv   []float64 // r×P, R⁺: hᵀK_X†h = ‖R⁺h‖² for h ∈ range(K_X)
	fy     []float64 // P×q, K_Y = F Fᵀ
	q      int
	trKY   float64
	l1, l2 float64
	act    Activation
	info   mfActInfo
}

// mfActInfo describes how an activation enters the mean-field problem.
type mfActInfo struct {
	// homogeneous: φ(tz) = tφ(z) for t ≥ 0 (ReLU, Linear): the scale of an
	// atom folds into its mass and pricing needs only directions.
	homogeneous bool
	// limit: φ(0) = 0 with one-sided slopes d₊, d₋ at 0, so atoms of
	// vanishing amplitude contribute ψ₀(u) = d₊u₊ + d₋u₋ per unit cost.
	limit  bool
	dp, dm float64
	// zlin: φ(z) = d₊z₊ + d₋z₋ exactly for |z| ≤ zlin (+Inf when
	// homogeneous, 0 when only asymptotically).
	zlin float64
	// phi0 = φ(0). When it is nonzero the atom h = 0 is free and adds
	// φ(0)²·11ᵀ at no cost; the infimum puts unbounded mass on it, and
	// then ψψᵀ and (ψ − φ(0)1)(ψ − φ(0)1)ᵀ have the same effect (the
	// cross terms vanish against the unbounded 11ᵀ). The solver therefore
	// works with φ̃ = φ − φ(0) and a fixed, very heavy constant atom.
	phi0 float64
}

// mfInfo classifies an activation.
func mfInfo(a Activation) mfActInfo {
	switch a.kind {
	case kindReLU:
		return mfActInfo{homogeneous: true, limit: true, dp: 1, zlin: math.Inf(1)}
	case kindLinear:
		return mfActInfo{homogeneous: true, limit: true, dp: 1, dm: 1, zlin: math.Inf(1)}
	case kindShiftedReLU:
		switch {
		case a.param == 0:
			return mfActInfo{homogeneous: true, limit: true, dp: 1, zlin: math.Inf(1)}
		case a.param < 0:
			return mfActInfo{} // φ vanishes near 0: no small-amplitude limit
		}
		// φ̃(z) = max(z+b, 0) − b = z for z ≥ −b.
		return mfActInfo{limit: true, dp: 1, dm: 1, zlin: a.param, phi0: a.param}
	case kindHardSigmoid:
		return mfActInfo{limit: true, dp: 1, zlin: 1}
	case kindClippedReLU:
		return mfActInfo{limit: true, dp: 1, zlin: a.param}
	case kindHardTanh:
		return mfActInfo{limit: true, dp: 1, dm: 1, zlin: 1}
	case kindTanh:
		return mfActInfo{limit: true, dp: 1, dm: 1}
	case kindErf:
		d := 2 / math.Sqrt(math.Pi)
		return mfActInfo{limit: true, dp: d, dm: d}
	case kindSigmoid:
		// φ̃(z) = σ(z) − ½ = ½tanh(z/2), slope ¼ at 0.
		return mfActInfo{limit: true, dp: 0.25, dm: 0.25, phi0: 0.5}
	}
	// Custom: numeric slopes of φ̃ = φ − φ(0) at 0.
	f0 := a.F(0)
	if math.IsNaN(f0) || math.IsInf(f0, 0) {
		return mfActInfo{}
	}
	if math.Abs(f0) <= 1e-12 {
		f0 = 0
	}
	const eps = 1e-7
	dp, dm := (a.F(eps)-f0)/eps, (a.F(-eps)-f0)/(-eps)
	if math.IsNaN(dp) || math.IsNaN(dm) || math.IsInf(dp, 0) || math.IsInf(dm, 0) || (dp == 0 && dm == 0) {
		return mfActInfo{phi0: f0}
	}
	return mfActInfo{limit: true, dp: dp, dm: dm, phi0: f0}
}

// newMFProblem validates the kernels and factorizes them.
func newMFProblem(kxm, kym *mat.SymDense, act Activation, l1, l2 float64) (*mfProblem, error) {
	if kxm == nil || kym == nil {
		return nil, fmt.Errorf("rep: mean field: kernels must not be nil")
	}
	p := kxm.SymmetricDim()
	if kym.SymmetricDim() != p {
		return nil, fmt.Errorf("rep: mean field: K_X is %d×%d but K_Y is %d×%d: sizes must match", p, p, kym.SymmetricDim(), kym.SymmetricDim())
	}
	if p < 1 {
		return nil, fmt.Errorf("rep: mean field: kernels are empty")
	}
	if p > 512 {
		return nil, fmt.Errorf("rep: mean field: P = %d stimuli: at most 512 are supported", p)
	}
	if !mfAllFinite(kxm) {
		return nil, fmt.Errorf("rep: mean field: K_X holds NaN or ±Inf")
	}
	if !mfAllFinite(kym) {
		return nil, fmt.Errorf("rep: mean field: K_Y holds NaN or ±Inf")
	}
	pr := &mfProblem{p: p, l1: l1, l2: l2, act: act, info: mfInfo(act)}
	ex, r, err := mfPSDRank(kxm, "K_X", "no preactivation is possible")
	if err != nil {
		return nil, err
	}
	pr.r = r
	pr.rfac = make([]float64, p*r)
	pr.rinv = make([]float64, r*p)
	for c := 0; c < r; c++ {
		s := math.Sqrt(ex.vals[c])
		for i := 0; i < p; i++ {
			v := ex.vecs.At(i, c)
			pr.rfac[i*r+c] = v * s
			pr.rinv[c*p+i] = v / s
		}
	}
	pr.kx = make([]float64, p*p)
	for i := 0; i < p; i++ {
		for j := 0; j < p; j++ {
			s := 0.0
			for c := 0; c < r; c++ {
				s += pr.rfac[i*r+c] * pr.rfac[j*r+c]
			}
			pr.kx[i*p+j] = s
		}
	}
	ey, q, err := mfPSDRank(kym, "K_Y", "the optimum is the empty network")
	if err != nil {
		return nil, err
	}
	pr.q = q
	pr.fy = make([]float64, p*q)
	for c := 0; c < q; c++ {
		s := math.Sqrt(ey.vals[c])
		for i := 0; i < p; i++ {
			pr.fy[i*q+c] = ey.vecs.At(i, c) * s
		}
	}
	pr.ky = make([]float64, p*p)
	for i := 0; i < p; i++ {
		for j := 0; j < p; j++ {
			s := 0.0
			for c := 0; c < q; c++ {
				s += pr.fy[i*q+c] * pr.fy[j*q+c]
			}
			pr.ky[i*p+j] = s
		}
		pr.trKY += pr.ky[i*p+i]
	}
	return pr, nil
}

// bnorm2 returns hᵀK_X†h (h is projected on range(K_X)).
func (pr *mfProblem) bnorm2(h []float64) float64 {
	s := 0.0
	for c := 0; c < pr.r; c++ {
		y := 0.0
		row := pr.rinv[c*pr.p : c*pr.p+pr.p]
		for i, v := range row {
			y += v * h[i]
		}
		s += y * y
	}
	return s
}

// toY returns y = R⁺h (the weight vector of a neuron, in the whitened
// input basis).
func (pr *mfProblem) toY(h, y []float64) {
	for c := 0; c < pr.r; c++ {
		s := 0.0
		row := pr.rinv[c*pr.p : c*pr.p+pr.p]
		for i, v := range row {
			s += v * h[i]
		}
		y[c] = s
	}
}

// fromY returns h = Ry.
func (pr *mfProblem) fromY(y, h []float64) {
	r := pr.r
	for i := 0; i < pr.p; i++ {
		s := 0.0
		row := pr.rfac[i*r : i*r+r]
		for c, v := range row {
			s += v * y[c]
		}
		h[i] = s
	}
}

// phi returns φ̃(z) = φ(z) − φ(0) (φ itself when φ(0) = 0).
func (pr *mfProblem) phi(z float64) float64 { return pr.act.F(z) - pr.info.phi0 }

// psiLimit writes ψ₀(u) = d₊u₊ + d₋u₋.
func (pr *mfProblem) psiLimit(u, dst []float64) {
	for i, v := range u {
		if v > 0 {
			dst[i] = pr.info.dp * v
		} else {
			dst[i] = pr.info.dm * v
		}
	}
}
