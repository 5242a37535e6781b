package rep

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Closed-form mean-field optima of paper A (DIGEST §A5.3–A5.7). Each
// function checks, from the task's kernels, the conditions under which its
// formula was derived, and returns an error naming the failed condition
// otherwise; NewMeanField solves every other case numerically.

// Activation families of the closed forms.
const (
	// FamilyThreshold: φ(z) = 0 for z ≤ 0 (ReLU, hard sigmoid, clipped
	// ReLU; DIGEST §A5.6).
	FamilyThreshold = "threshold"
	// FamilyOdd: φ(−z) = −φ(z) (tanh, hard tanh, erf, linear; §A5.7).
	FamilyOdd = "odd"
)

// Theory is a closed-form optimum of the mean-field problem. The kernel is
//
//	K = Const·11ᵀ + Σᵢ Bs[i]·vᵢvᵢᵀ,
//
// vᵢ = column i of the targets Y. For the abstract solution of a threshold
// activation Const = Σᵢ Bs[i] (K = b*(dY·11ᵀ + K_Y) when all Bs are equal);
// for an odd activation Const = 0 (K = b*K_Y). All fields are exported
// and JSON-encodable.
type Theory struct {
	Name       string     `json:"name"`    // "relu-whitened", "threshold", "multi-element", "odd"
	Section    string     `json:"section"` // DIGEST section of the formula
	Activation Activation `json:"activation"`
	Family     string     `json:"family"`
	L1         float64    `json:"l1"`
	L2         float64    `json:"l2"`
	P          int        `json:"p"`
	DY         int        `json:"dy"`
	CPhi       float64    `json:"cphi"` // c_φ = 1/sup_z(φ(z)/z)²
	// B is b* when every variable has the same coefficient, NaN otherwise.
	B  float64   `json:"b"`
	Bs []float64 `json:"bs"` // per-variable coefficients bᵢ*
	// Const is the coefficient of 11ᵀ.
	Const float64 `json:"const"`
	// Kappa is κᵢ = c/a, the ratio of the "off" to the "on" preactivation
	// of a threshold neuron for variable i (0 for whitened inputs; < 0 for
	// strongly target-aligned ones, DIGEST §A5.4).
	Kappa []float64 `json:"kappa,omitempty"`
	// UnitCost is the first-layer cost per unit of bᵢ (Aᵢ of §A5.3–A5.5,
	// qᵢ of §A5.7), before the factor c_φ.
	UnitCost     []float64 `json:"unitCost"`
	Energy       float64   `json:"energy"`       // E[ρ*]
	SquaredError float64   `json:"squaredError"` // Σ squared error at the optimum
	// Trivial is true when b* ≤ 0 for every variable: the optimum is the
	// empty network (λ₁λ₂ too large).
	Trivial bool `json:"trivial"`
	// Atoms are the optimal neurons (one entry per neuron type; Mass
	// neurons of preactivation H each), when the optimum is attained at
	// finite amplitude; for tanh and erf they are small-amplitude limit
	// atoms (Limit = true, Dir normalized by uᵀK_X†u = 1).
	Atoms []Atom `json:"atoms,omitempty"`
	// Readout is W₂ (dY × neurons, one column per neuron of Atoms in order,
	// Mass columns per atom), the modular readout of §A5.3: each neuron
	// projects to one output only. Nil when the atoms are limits.
	Readout *mat.Dense `json:"-"`
	kernel  *mat.SymDense
}

// Kernel returns the P×P optimal kernel K[ρ*].
func (t *Theory) Kernel() mat.Matrix {
	k := mat.NewSymDense(t.P, nil)
	k.CopySym(t.kernel)
	return k
}

// String summarizes the closed form.
func (t *Theory) String() string {
	return fmt.Sprintf("Theory{%s (%s), %s, λ=(%g, %g), P=%d, dY=%d, b=%.6g, const=%.6g, E=%.10g}",
		t.Name, t.Section, t.Activation, t.L1, t.L2, t.P, t.DY, t.B, t.Const, t.Energy)
}

// TheoryCPhi returns c_φ = 1/sup_{z>0}(φ(z)/z)² and the family of an
// activation: FamilyThreshold when φ(z) = 0 for every z ≤ 0, FamilyOdd
// when φ(−z) = −φ(z) (DIGEST §A5.6–A5.7). Known activations use exact
// values (1 for ReLU, hard sigmoid, clipped ReLU, tanh, hard tanh, linear;
// π/4 for erf); others are checked and measured on a grid of z from 1e-6
// to 1e6. It returns an error for other activations (sigmoid, shifted
// ReLU with b > 0) and when the supremum is infinite (e.g. ReLU²: the
// problem degenerates).
func TheoryCPhi(a Activation) (cphi float64, family string, err error) {
	if !a.valid() {
		return 0, "", fmt.Errorf("rep: TheoryCPhi: zero Activation")
	}
	switch a.kind {
	case kindReLU, kindHardSigmoid:
		return 1, FamilyThreshold, nil
	case kindClippedReLU:
		if a.param > 0 {
			return 1, FamilyThreshold, nil
		}
	case kindTanh, kindHardTanh, kindLinear:
		return 1, FamilyOdd, nil
	case kindErf:
		return math.Pi / 4, FamilyOdd, nil
	case kindShiftedReLU:
		if a.param <= 0 {
			return 1, FamilyThreshold, nil // sup is 1 (attained as z → ∞ for b < 0)
		}
	}
	// Generic: probe the activation.
	thresh, odd := true, true
	sup := 0.0
	if a.F(0) != 0 {
		thresh, odd = false, false
	}
	for e := -6.0; e <= 6.0; e += 0.01 {
		z := math.Pow(10, e)
		fp, fm := a.F(z), a.F(-z)
		if math.IsNaN(fp) || math.IsNaN(fm) {
			return 0, "", fmt.Errorf("rep: TheoryCPhi(%s): φ is NaN at ±%g", a, z)
		}
		if fm != 0 {
			thresh = false
		}
		if math.Abs(fp+fm) > 1e-12*math.Max(1, math.Abs(fp)) {
			odd = false
		}
		sup = math.Max(sup, fp/z)
	}
	if !thresh && !odd {
		return 0, "", fmt.Errorf("rep: TheoryCPhi(%s): φ is neither threshold-type (φ(z) = 0 for z ≤ 0) nor odd: no closed form", a)
	}
	if !(sup > 0) || sup > 1e5 {
		return 0, "", fmt.Errorf("rep: TheoryCPhi(%s): sup φ(z)/z = %g: the problem degenerates (DIGEST §A5.6)", a, sup)
	}
	fam := FamilyOdd
	if thresh {
		fam = FamilyThreshold
	}
	return 1 / (sup * sup), fam, nil
}

// thLatent is the latent structure a closed form needs: P stimuli, dY
// balanced orthogonal ±1 target columns vᵢ (vᵢᵀ1 = 0, vᵢᵀvⱼ = Pδᵢⱼ).
type thLatent struct {
	p, dy int
	v     *mat.Dense // P×dY, the targets
}

// thTargets checks the targets of a task.
func thTargets(name string, task *Task) (thLatent, error) {
	if task == nil || task.X == nil || task.Y == nil {
		return thLatent{}, fmt.Errorf("rep: %s: task must not be nil", name)
	}
	p, dy := task.P(), task.DY()
	for i := 0; i < p; i++ {
		for k := 0; k < dy; k++ {
			if v := task.Y.At(i, k); v != 1 && v != -1 {
				return thLatent{}, fmt.Errorf("rep: %s: target Y[%d,%d] = %g: targets must be ±1", name, i, k, v)
			}
		}
	}
	for k := 0; k < dy; k++ {
		s := 0.0
		for i := 0; i < p; i++ {
			s += task.Y.At(i, k)
		}
		if s != 0 {
			return thLatent{}, fmt.Errorf("rep: %s: target %d is not balanced (sum %g): the closed forms need vᵢᵀ1 = 0", name, k, s)
		}
		for l := k + 1; l < dy; l++ {
			d := 0.0
			for i := 0; i < p; i++ {
				d += task.Y.At(i, k) * task.Y.At(i, l)
			}
			if d != 0 {
				return thLatent{}, fmt.Errorf("rep: %s: targets %d and %d are not orthogonal (vᵀv = %g)", name, k, l, d)
			}
		}
	}
	return thLatent{p: p, dy: dy, v: task.Y}, nil
}

// thSingleton checks P = 2^dY distinct classes, one stimulus each.
func thSingleton(name string, task *Task, lt thLatent) error {
	if lt.dy > 20 || lt.p != 1<<uint(lt.dy) {
		return fmt.Errorf("rep: %s: P = %d stimuli, dY = %d: the closed form needs singleton classes, P = 2^dY", name, lt.p, lt.dy)
	}
	seen := map[string]bool{}
	for i := 0; i < lt.p; i++ {
		key := fmt.Sprint(mat.Row(nil, i, task.Y))
		if seen[key] {
			return fmt.Errorf("rep: %s: two stimuli share the target pattern %s: the closed form needs singleton classes", name, key)
		}
		seen[key] = true
	}
	return nil
}

// thTwoLevel fits the data kernel to s(I + Σᵢ aᵢvᵢvᵢᵀ) and returns s and
// aᵢ, or an error when the fit is not exact.
func thTwoLevel(name string, task *Task, lt thLatent) (s float64, a []float64, err error) {
	kd := task.KData()
	p := lt.p
	// s from the constant direction: K_data·1 = s·1.
	one := 0.0
	for i := 0; i < p; i++ {
		for j := 0; j < p; j++ {
			one += kd.At(i, j)
		}
	}
	s = one / float64(p)
	if !(s > 0) {
		return 0, nil, fmt.Errorf("rep: %s: the data kernel has 1ᵀK1 = %g: not of the form s(I + Σ aᵢvᵢvᵢᵀ) with s > 0", name, one)
	}
	a = make([]float64, lt.dy)
	for k := 0; k < lt.dy; k++ {
		q := 0.0
		for i := 0; i < p; i++ {
			for j := 0; j < p; j++ {
				q += lt.v.At(i, k) * kd.At(i, j) * lt.v.At(j, k)
			}
		}
		a[k] = (q/(s*float64(p)) - 1) / float64(p)
	}
	res, norm := 0.0, 0.0
	for i := 0; i < p; i++ {
		for j := 0; j < p; j++ {
			w := 0.0
			if i == j {
				w = s
			}
			for k := 0; k < lt.dy; k++ {
				w += s * a[k] * lt.v.At(i, k) * lt.v.At(j, k)
			}
			d := kd.At(i, j) - w
			res += d * d
			norm += kd.At(i, j) * kd.At(i, j)
		}
	}
	if res > 1e-18*norm {
		return 0, nil, fmt.Errorf("rep: %s: the data kernel XXᵀ is not of the form s(I + Σᵢ aᵢvᵢvᵢᵀ) (relative residual %.3g): whitened, target-aligned and anisotropic inputs only (DIGEST §A5.4)", name, math.Sqrt(res/norm))
	}
	for k, ak := range a {
		if ak < -1e-12 {
			return 0, nil, fmt.Errorf("rep: %s: anisotropy a_%d = %.4g < 0: the closed form is established only for aᵢ ≥ 0 (DIGEST §A5.4)", name, k, ak)
		}
		a[k] = math.Max(ak, 0)
	}
	return s, a, nil
}

// thCheckL2 validates λ.
func thCheckL2(name string, l1, l2 float64) error {
	var errs []error
	if !(l1 > 0) || math.IsInf(l1, 0) {
		errs = append(errs, fmt.Errorf("rep: %s: λ1 = %g must be finite and > 0", name, l1))
	}
	if !(l2 > 0) || math.IsInf(l2, 0) {
		errs = append(errs, fmt.Errorf("rep: %s: λ2 = %g must be finite and > 0", name, l2))
	}
	return errors.Join(errs...)
}

// TheoryReLU returns the closed form of DIGEST §A5.3: ReLU, whitened
// inputs (XXᵀ = I), singleton classes (P = 2^dY), targets = the latent
// labels. The optimal neurons are h = α(1 ± vᵢ), one type per variable and
// sign (modular tuning), and
//
//	b* = √(λ₂/λ₁ · (P+1)/(P(P+2))) − λ₂/P,   K[ρ*] = b*(dY·11ᵀ + K_Y),
//	E* = dY[λ₁Ab* + λ₂P/(λ₂ + b*P)],  A = P(P+2)/(P+1),
//
// with readout w₂ = αsP/(λ₂ + b*P)·eᵢ for the neuron of type (i, s). When
// λ₁λ₂ ≥ P(P+1)/(P+2) the optimum is the empty network (Trivial).
func TheoryReLU(task *Task, lambda1, lambda2 float64) (*Theory, error) {
	const name = "TheoryReLU"
	lt, s, a, err := thSingletonFamily(name, task, lambda1, lambda2)
	if err != nil {
		return nil, err
	}
	if math.Abs(s-1) > 1e-9 {
		return nil, fmt.Errorf("rep: %s: the inputs are not whitened (XXᵀ = %.6g·I): use TheoryThreshold", name, s)
	}
	for k, ak := range a {
		if ak > 1e-9 {
			return nil, fmt.Errorf("rep: %s: the inputs are not whitened (target alignment a_%d = %.4g): use TheoryThreshold", name, k, ak)
		}
	}
	t := thThreshold(lt, ReLU, 1, s, a, lambda1, lambda2)
	t.Name, t.Section = "relu-whitened", "A5.3"
	return t, nil
}

// TheoryThreshold returns the two-level closed form of DIGEST §A5.4 with
// the c_φ of §A5.6, for a threshold-type activation (φ(z) = 0 for z ≤ 0)
// and singleton classes with a data kernel XXᵀ = s(I + Σᵢ aᵢvᵢvᵢᵀ), aᵢ ≥ 0
// (whitened: aᵢ = 0; target-aligned: aᵢ = a; anisotropic: unequal aᵢ).
// With μ₀ = s + P and μᵢ = s(1 + aᵢP) the eigenvalues of K_X on 1 and vᵢ,
// q₀ = P/μ₀, qᵢ = P/μᵢ, κᵢ = min(0, (qᵢ−q₀)/(q₀+qᵢ)) and
// Aᵢ = (1+κᵢ)²q₀ + (1−κᵢ)²qᵢ:
//
//	bᵢ* = √(λ₂/(λ₁c_φAᵢ)) − λ₂/P,   K = Σᵢ bᵢ*(11ᵀ + vᵢvᵢᵀ),
//
// and the neuron of type (i, s) has h = a[(1+κᵢ)1 + s(1−κᵢ)vᵢ]/2.
func TheoryThreshold(task *Task, act Activation, lambda1, lambda2 float64) (*Theory, error) {
	const name = "TheoryThreshold"
	c, fam, err := TheoryCPhi(act)
	if err != nil {
		return nil, err
	}
	if fam != FamilyThreshold {
		return nil, fmt.Errorf("rep: %s: %s is not threshold-type: use TheoryOdd", name, act)
	}
	lt, s, a, err := thSingletonFamily(name, task, lambda1, lambda2)
	if err != nil {
		return nil, err
	}
	return thThreshold(lt, act, c, s, a, lambda1, lambda2), nil
}

// thSingletonFamily runs the common checks of the singleton closed forms.
func thSingletonFamily(name string, task *Task, l1, l2 float64) (thLatent, float64, []float64, error) {
	if err := thCheckL2(name, l1, l2); err != nil {
		return thLatent{}, 0, nil, err
	}
	lt, err := thTargets(name, task)
	if err != nil {
		return thLatent{}, 0, nil, err
	}
	if err := thSingleton(name, task, lt); err != nil {
		return thLatent{}, 0, nil, err
	}
	s, a, err := thTwoLevel(name, task, lt)
	if err != nil {
		return thLatent{}, 0, nil, err
	}
	return lt, s, a, nil
}

// thThreshold evaluates the two-level formula.
func thThreshold(lt thLatent, act Activation, c, s float64, a []float64, l1, l2 float64) *Theory {
	p := float64(lt.p)
	t := &Theory{Name: "threshold", Section: "A5.4", Activation: act, Family: FamilyThreshold, L1: l1, L2: l2,
		P: lt.p, DY: lt.dy, CPhi: c}
	mu0 := s + p
	q0 := p / mu0
	t.Trivial = true
	for _, ai := range a {
		qi := p / (s * (1 + ai*p))
		kappa := math.Min(0, (qi-q0)/(q0+qi))
		A := (1+kappa)*(1+kappa)*q0 + (1-kappa)*(1-kappa)*qi
		b := math.Max(0, math.Sqrt(l2/(l1*c*A))-l2/p)
		if b > 0 {
			t.Trivial = false
		}
		t.Bs = append(t.Bs, b)
		t.Kappa = append(t.Kappa, kappa)
		t.UnitCost = append(t.UnitCost, A)
		t.Const += b
		t.Energy += l1*c*A*b + l2*p/(l2+b*p)
		t.SquaredError += p * l2 * l2 / ((l2 + b*p) * (l2 + b*p))
	}
	t.B = thCommon(t.Bs)
	t.kernel = thKernel(lt, t.Const, t.Bs)
	t.Atoms, t.Readout = thThresholdAtoms(lt, act, t)
	return t
}

// thCommon returns the common value of bs, or NaN.
func thCommon(bs []float64) float64 {
	for _, b := range bs[1:] {
		if math.Abs(b-bs[0]) > 1e-12*math.Abs(bs[0]) {
			return math.NaN()
		}
	}
	return bs[0]
}

// thKernel returns c·11ᵀ + Σᵢ bᵢvᵢvᵢᵀ.
func thKernel(lt thLatent, c float64, bs []float64) *mat.SymDense {
	k := mat.NewSymDense(lt.p, nil)
	for i := 0; i < lt.p; i++ {
		for j := i; j < lt.p; j++ {
			v := c
			for l, b := range bs {
				v += b * lt.v.At(i, l) * lt.v.At(j, l)
			}
			k.SetSym(i, j, v)
		}
	}
	return k
}

// thThresholdAtoms builds the neurons of the two-level solution: per
// variable i and sign s, n neurons with h = a[(1+κ)1 + s(1−κ)vᵢ]/2 whose
// "on" value a satisfies φ(a) = a (the supremum of φ(z)/z is attained);
// n·φ(a)²/2 = bᵢ. The readout of such a neuron is φ(a)·s·P/(2(λ₂+bᵢP))·eᵢ.
func thThresholdAtoms(lt thLatent, act Activation, t *Theory) ([]Atom, *mat.Dense) {
	if t.CPhi != 1 || t.Trivial {
		return nil, nil
	}
	zmax := math.Inf(1)
	switch act.kind {
	case kindReLU:
	case kindHardSigmoid:
		zmax = 1
	case kindClippedReLU:
		zmax = act.param
	default:
		return nil, nil
	}
	p := float64(lt.p)
	var atoms []Atom
	var cols [][]float64
	for i, b := range t.Bs {
		if b == 0 {
			continue
		}
		n := max(1, int(math.Ceil(2*b/(zmax*zmax)-1e-12)))
		amp := math.Sqrt(2 * b / float64(n))
		kappa := t.Kappa[i]
		for _, sg := range []float64{1, -1} {
			h := make([]float64, lt.p)
			for r := 0; r < lt.p; r++ {
				h[r] = amp * ((1 + kappa) + sg*(1-kappa)*lt.v.At(r, i)) / 2
			}
			atoms = append(atoms, Atom{H: h, Mass: float64(n), Ratio: 1})
			w := make([]float64, lt.dy)
			w[i] = act.F(amp) * sg * p / (2 * (t.L2 + b*p))
			for k := 0; k < n; k++ {
				cols = append(cols, w)
			}
		}
	}
	w2 := mat.NewDense(lt.dy, len(cols), nil)
	for c, w := range cols {
		for r, v := range w {
			w2.Set(r, c, v)
		}
	}
	return atoms, w2
}

// TheoryOdd returns the closed form of DIGEST §A5.7 for an odd activation
// (tanh, hard tanh, erf, linear): K[ρ*] = Σᵢ bᵢ*vᵢvᵢᵀ (= b*K_Y when the
// bᵢ agree), with optimal neurons h = ±αvᵢ, for singleton classes and a
// data kernel s(I + Σᵢ aᵢvᵢvᵢᵀ), aᵢ ≥ 0. With qᵢ = P/(s(1+aᵢP)) (the cost
// of the unit preactivation vᵢ):
//
//	bᵢ* = √(λ₂/(λ₁c_φqᵢ)) − λ₂/P,   whitened: b*_odd = √(λ₂/(λ₁c_φP)) − λ₂/P.
//
// For tanh and erf the supremum of φ(z)/z is at z → 0: the optimum has
// vanishing preactivations (small-amplitude limit atoms); for hard tanh any
// α ≤ 1 works. Tuning is not modular: the optimum is degenerate under
// rotations within span{vᵢ}.
func TheoryOdd(task *Task, act Activation, lambda1, lambda2 float64) (*Theory, error) {
	const name = "TheoryOdd"
	c, fam, err := TheoryCPhi(act)
	if err != nil {
		return nil, err
	}
	if fam != FamilyOdd {
		return nil, fmt.Errorf("rep: %s: %s is not odd: use TheoryThreshold", name, act)
	}
	lt, s, a, err := thSingletonFamily(name, task, lambda1, lambda2)
	if err != nil {
		return nil, err
	}
	p := float64(lt.p)
	t := &Theory{Name: "odd", Section: "A5.7", Activation: act, Family: FamilyOdd, L1: lambda1, L2: lambda2,
		P: lt.p, DY: lt.dy, CPhi: c, Trivial: true}
	for i, ai := range a {
		qi := p / (s * (1 + ai*p))
		b := math.Max(0, math.Sqrt(lambda2/(lambda1*c*qi))-lambda2/p)
		if b > 0 {
			t.Trivial = false
		}
		t.Bs = append(t.Bs, b)
		t.UnitCost = append(t.UnitCost, qi)
		t.Energy += lambda1*c*qi*b + lambda2*p/(lambda2+b*p)
		t.SquaredError += p * lambda2 * lambda2 / ((lambda2 + b*p) * (lambda2 + b*p))
		// Atoms: ±αvᵢ. Linear-near-0 activations are realized exactly.
		if b == 0 {
			continue
		}
		zlin := mfInfo(act).zlin
		for _, sg := range []float64{1, -1} {
			dir := make([]float64, lt.p)
			for r := range dir {
				dir[r] = sg * lt.v.At(r, i) / math.Sqrt(qi)
			}
			w := b * c * qi / 2 // weight per sign (cost over λ₁)
			at := Atom{Dir: dir, Weight: w, Ratio: 1}
			if zlin > 0 {
				// n neurons of amplitude α ≤ zlin with 2nφ(α)² = bᵢ.
				n := max(1, int(math.Ceil(b/(2*zlin*zlin)-1e-12)))
				alpha := math.Sqrt(b / (2 * float64(n)))
				at.H = make([]float64, lt.p)
				for r := range at.H {
					at.H[r] = sg * alpha * lt.v.At(r, i)
				}
				at.Mass = float64(n)
			} else {
				at.Limit, at.Mass = true, math.Inf(1)
			}
			t.Atoms = append(t.Atoms, at)
		}
	}
	t.B = thCommon(t.Bs)
	t.kernel = thKernel(lt, 0, t.Bs)
	return t, nil
}

// TheoryMultiElement returns the closed form of DIGEST §A5.5 for
// multi-element classes: Q = 2^dY classes of n stimuli each, the data
// kernel block-diagonal by class (zero between classes) with equal
// γ = 1ᵀC_c⁺1 for every class block C_c, targets constant on classes, and a
// threshold-type activation:
//
//	b* = √(λ₂(1+γQ) / (λ₁c_φγQ(2+γQ))) − λ₂/(nQ),   K[ρ*] = b*(dY·11ᵀ + K_Y),
//
// every stimulus of a class sharing the same representation. n = 1, C = 1
// recovers TheoryReLU; C = (1−ρ)I + ρ11ᵀ gives γ = n/(1+(n−1)ρ).
// Unequal γ_c return an error (no closed form; use NewMeanField).
func TheoryMultiElement(task *Task, act Activation, lambda1, lambda2 float64) (*Theory, error) {
	const name = "TheoryMultiElement"
	if err := thCheckL2(name, lambda1, lambda2); err != nil {
		return nil, err
	}
	c, fam, err := TheoryCPhi(act)
	if err != nil {
		return nil, err
	}
	if fam != FamilyThreshold {
		return nil, fmt.Errorf("rep: %s: %s is not threshold-type (DIGEST §A5.5 is derived for ReLU-like activations)", name, act)
	}
	lt, err := thTargets(name, task)
	if err != nil {
		return nil, err
	}
	p := lt.p
	if lt.dy > 20 {
		return nil, fmt.Errorf("rep: %s: dY = %d is too large", name, lt.dy)
	}
	q := 1 << uint(lt.dy)
	// Classes = target patterns.
	classOf := make([]int, p)
	idx := map[string]int{}
	count := map[int]int{}
	for i := 0; i < p; i++ {
		key := fmt.Sprint(mat.Row(nil, i, task.Y))
		c, ok := idx[key]
		if !ok {
			c = len(idx)
			idx[key] = c
		}
		classOf[i] = c
		count[c]++
	}
	if len(idx) != q {
		return nil, fmt.Errorf("rep: %s: %d distinct target patterns; want Q = 2^dY = %d classes", name, len(idx), q)
	}
	n := count[0]
	for c, m := range count {
		if m != n {
			return nil, fmt.Errorf("rep: %s: class %d has %d stimuli, class 0 has %d: classes must have equal size n", name, c, m, n)
		}
	}
	kd := task.KData()
	scale := 0.0
	for i := 0; i < p; i++ {
		scale = math.Max(scale, math.Abs(kd.At(i, i)))
	}
	for i := 0; i < p; i++ {
		for j := 0; j < p; j++ {
			if classOf[i] != classOf[j] && math.Abs(kd.At(i, j)) > 1e-9*scale {
				return nil, fmt.Errorf("rep: %s: stimuli %d and %d of different classes have input correlation %.3g: the data kernel must be block-diagonal by class", name, i, j, kd.At(i, j))
			}
		}
	}
	// γ per class.
	gamma := math.NaN()
	for c := 0; c < q; c++ {
		var members []int
		for i := 0; i < p; i++ {
			if classOf[i] == c {
				members = append(members, i)
			}
		}
		blk := mat.NewSymDense(n, nil)
		for a, i := range members {
			for b := a; b < n; b++ {
				blk.SetSym(a, b, kd.At(i, members[b]))
			}
		}
		g := onesPinvOnes(blk)
		if math.IsNaN(gamma) {
			gamma = g
		} else if math.Abs(g-gamma) > 1e-9*gamma {
			return nil, fmt.Errorf("rep: %s: γ differs between classes (%.6g vs %.6g): no closed form; use NewMeanField", name, gamma, g)
		}
	}
	if !(gamma > 0) {
		return nil, fmt.Errorf("rep: %s: γ = 1ᵀC⁺1 = %g must be > 0", name, gamma)
	}
	gq := gamma * float64(q)
	A := gq * (2 + gq) / (1 + gq)
	pf := float64(p)
	b := math.Max(0, math.Sqrt(lambda2/(lambda1*c*A))-lambda2/pf)
	t := &Theory{Name: "multi-element", Section: "A5.5", Activation: act, Family: FamilyThreshold, L1: lambda1, L2: lambda2,
		P: p, DY: lt.dy, CPhi: c, B: b, Trivial: b == 0}
	for i := 0; i < lt.dy; i++ {
		t.Bs = append(t.Bs, b)
		t.UnitCost = append(t.UnitCost, A)
		t.Kappa = append(t.Kappa, 0)
	}
	t.Const = float64(lt.dy) * b
	t.Energy = float64(lt.dy) * (lambda1*c*A*b + lambda2*pf/(lambda2+b*pf))
	t.SquaredError = float64(lt.dy) * pf * lambda2 * lambda2 / ((lambda2 + b*pf) * (lambda2 + b*pf))
	t.kernel = thKernel(lt, t.Const, t.Bs)
	return t, nil
}

// TheoryFor returns the closed form that applies to a task and activation:
// TheoryOdd for odd activations, TheoryThreshold for threshold-type ones
// with singleton classes, TheoryMultiElement for multi-element classes. It
// returns an error listing why none applies.
func TheoryFor(task *Task, act Activation, lambda1, lambda2 float64) (*Theory, error) {
	_, fam, err := TheoryCPhi(act)
	if err != nil {
		return nil, err
	}
	if fam == FamilyOdd {
		return TheoryOdd(task, act, lambda1, lambda2)
	}
	t, err1 := TheoryThreshold(task, act, lambda1, lambda2)
	if err1 == nil {
		return t, nil
	}
	t, err2 := TheoryMultiElement(task, act, lambda1, lambda2)
	if err2 == nil {
		return t, nil
	}
	return nil, errors.Join(err1, err2)
}
