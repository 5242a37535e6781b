package rep

import (
	"context"
	"fmt"
	"math"
	"time"

	"gonum.org/v1/gonum/mat"
)

// MeanFieldMethod selects the algorithm of a mean-field solve.
type MeanFieldMethod int

const (
	// MethodAuto is column generation (the default): MethodColumnGeneration.
	MethodAuto MeanFieldMethod = iota
	// MethodColumnGeneration is conditional gradient over measures with a
	// fully corrective master problem: the convex problem is solved over
	// the atoms found so far (projected Newton on their weights), and a
	// pricing step adds the preactivation vector that violates the KKT
	// condition most. Pricing is exact (a proof of global optimality) for
	// ReLU and Linear when P ≤ ExactPricing's limit, a multi-start search
	// otherwise.
	MethodColumnGeneration
	// MethodParticles is particle descent: L-BFGS on the energy of M atoms
	// of unit mass (training in preactivation space, the effective
	// M-neuron system of paper A Fig. 3D–E). The result is the width-M
	// optimum (a local one: the problem is not convex in the particles),
	// certified against the infinite-width KKT condition.
	MethodParticles
)

// String returns the method's name.
func (m MeanFieldMethod) String() string {
	switch m {
	case MethodAuto:
		return "auto"
	case MethodColumnGeneration:
		return "column-generation"
	case MethodParticles:
		return "particles"
	}
	return fmt.Sprintf("MeanFieldMethod(%d)", int(m))
}

// Default settings of a mean-field solve.
const (
	// DefaultMeanFieldTol is the default relative KKT tolerance: the solve
	// stops when no preactivation vector violates the KKT condition by more
	// than this fraction of λ₁.
	DefaultMeanFieldTol = 1e-10
	// DefaultExactPricingP is the largest number of stimuli for which ReLU
	// and Linear pricing is exact by default (the enumeration grows like
	// 2^P to 3^P).
	DefaultExactPricingP = 16
	// MaxExactPricingP is the largest limit ExactPricing accepts.
	MaxExactPricingP = 24
)

// MeanFieldBuilder configures a solve of paper A's mean-field problem; see
// NewMeanField. It is a value: every setter returns a modified copy, so a
// builder forks safely (one base, several activations or λ).
type MeanFieldBuilder struct {
	task     *Task
	kx, ky   *mat.SymDense
	act      Activation
	l1, l2   float64
	method   MeanFieldMethod
	atoms    int
	tol      float64
	maxIter  int
	seed     uint64
	starts   int
	exactP   int
	errs     problems
	fromTask bool
}

// NewMeanField starts a mean-field solve for a task: K_X = task.KX()
// (XXᵀ + 11ᵀ, the bias as a constant input) and K_Y = task.KY() (YYᵀ).
// The problem (DIGEST §A5.1) is to minimize over nonnegative measures ρ on
// preactivation vectors h ∈ R^P
//
//	E[ρ] = λ₁ ∫ hᵀK_X†h dρ(h) + tr(λ₂(λ₂I + K[ρ])⁻¹K_Y),  K[ρ] = ∫ φ(h)φ(h)ᵀ dρ(h),
//
// the loss of a two-layer network summed over stimuli, with the bias
// penalized by λ₁, after the first layer is replaced by its minimum-norm
// solution and the readout by ridge regression. K[ρ] sums over neurons (it
// is not divided by M). Defaults: Activation(ReLU), L2(1e-2, 1e-2),
// Method(MethodAuto), Tol(1e-10), MaxIter(200), Seed(1), Starts(32),
// ExactPricing(16), Atoms(0) (no limit). A nil task is reported by Solve;
// NewMeanField(nil) is the base of a MeanFieldGrid, whose points supply
// their tasks.
func NewMeanField(task *Task) MeanFieldBuilder {
	b := defaultMeanField()
	b.task = task
	b.fromTask = task != nil
	return b
}

// NewMeanFieldKernels starts a mean-field solve from raw kernels: kx is
// K_X (P×P, symmetric PSD, already including the bias term 11ᵀ if the
// network has a bias) and ky is K_Y (P×P, symmetric PSD). The kernels are
// copied. A solution built from kernels has no network weights (Weights
// and Network need a task). Defaults as NewMeanField.
func NewMeanFieldKernels(kx, ky mat.Symmetric) MeanFieldBuilder {
	b := defaultMeanField()
	if kx == nil || ky == nil {
		b.errs = b.errs.add("NewMeanFieldKernels: kernels must not be nil")
		return b
	}
	b.kx = mat.NewSymDense(kx.SymmetricDim(), nil)
	b.kx.CopySym(kx)
	b.ky = mat.NewSymDense(ky.SymmetricDim(), nil)
	b.ky.CopySym(ky)
	return b
}

// newMeanFieldDense starts a solve from general (possibly non-symmetric)
// matrices, so that an asymmetric input is reported instead of silently
// symmetrized.
func newMeanFieldDense(kx, ky mat.Matrix) MeanFieldBuilder {
	b := defaultMeanField()
	if err := mfCheckSymmetric("K_X", kx); err != nil {
		b.errs = append(b.errs, err)
	}
	if err := mfCheckSymmetric("K_Y", ky); err != nil {
		b.errs = append(b.errs, err)
	}
	if len(b.errs) > 0 {
		return b
	}
	b.kx = mfSymFrom(kx)
	b.ky = mfSymFrom(ky)
	return b
}

// NewMeanFieldMatrices starts a solve from kernels given as general
// matrices: unlike NewMeanFieldKernels (whose mat.Symmetric arguments are
// symmetric by construction) it checks that kx and ky are square and
// symmetric and reports the largest asymmetry otherwise.
func NewMeanFieldMatrices(kx, ky mat.Matrix) MeanFieldBuilder {
	if kx == nil || ky == nil {
		b := defaultMeanField()
		b.errs = b.errs.add("NewMeanFieldMatrices: kernels must not be nil")
		return b
	}
	return newMeanFieldDense(kx, ky)
}

func defaultMeanField() MeanFieldBuilder {
	return MeanFieldBuilder{act: ReLU, l1: 1e-2, l2: 1e-2, tol: DefaultMeanFieldTol,
		maxIter: 200, seed: 1, starts: 32, exactP: DefaultExactPricingP}
}

// Activation sets the activation φ (default ReLU). ReLU and Linear are
// positively homogeneous: their pricing is exact for small P. For the
// other activations the solver combines exact pricing of their
// small-amplitude limit with a multi-start search over finite amplitudes.
func (b MeanFieldBuilder) Activation(a Activation) MeanFieldBuilder {
	if !a.valid() {
		b.errs = b.errs.add("MeanFieldBuilder.Activation: the zero Activation is not usable (use rep.ReLU, rep.Tanh, …)")
	}
	b.act = a
	return b
}

// L2 sets λ₁ (first layer and bias) and λ₂ (readout), both finite and > 0
// (default 1e-2, 1e-2).
func (b MeanFieldBuilder) L2(lambda1, lambda2 float64) MeanFieldBuilder {
	if !(lambda1 > 0) || math.IsInf(lambda1, 0) {
		b.errs = b.errs.add("MeanFieldBuilder.L2(%g, %g): λ1 must be finite and > 0", lambda1, lambda2)
	}
	if !(lambda2 > 0) || math.IsInf(lambda2, 0) {
		b.errs = b.errs.add("MeanFieldBuilder.L2(%g, %g): λ2 must be finite and > 0", lambda1, lambda2)
	}
	b.l1, b.l2 = lambda1, lambda2
	return b
}

// Method selects the algorithm (default MethodAuto = column generation).
func (b MeanFieldBuilder) Method(m MeanFieldMethod) MeanFieldBuilder {
	if m < MethodAuto || m > MethodParticles {
		b.errs = b.errs.add("MeanFieldBuilder.Method(%d): unknown method", int(m))
	}
	b.method = m
	return b
}

// Atoms sets the width M. For MethodParticles it is the number of
// particles (default 0 means 4·P, at least 16). For column generation it
// is the largest support the solution may use (0 = no limit): when the
// optimum needs more atoms, the solution carries a warning. M must be ≥ 0.
func (b MeanFieldBuilder) Atoms(m int) MeanFieldBuilder {
	if m < 0 {
		b.errs = b.errs.add("MeanFieldBuilder.Atoms(%d): M must be ≥ 0", m)
	}
	b.atoms = m
	return b
}

// Tol sets the relative KKT tolerance (default 1e-10, valid range
// [1e-15, 1e-2]): the solve converges when the largest violation
// max_h φ(h)ᵀGφ(h)/(λ₁hᵀK_X†h) − 1 is at most tol.
func (b MeanFieldBuilder) Tol(tol float64) MeanFieldBuilder {
	if !(tol >= 1e-15 && tol <= 1e-2) {
		b.errs = b.errs.add("MeanFieldBuilder.Tol(%g): tol must be in [1e-15, 1e-2]", tol)
	}
	b.tol = tol
	return b
}

// MaxIter sets the iteration limit (default 200): column-generation rounds,
// or L-BFGS iterations ×100 for particle descent. It must be ≥ 1.
func (b MeanFieldBuilder) MaxIter(n int) MeanFieldBuilder {
	if n < 1 {
		b.errs = b.errs.add("MeanFieldBuilder.MaxIter(%d): must be ≥ 1", n)
	}
	b.maxIter = n
	return b
}

// Seed sets the seed of the random starting points (default 1). The same
// seed gives the same solution bit for bit.
func (b MeanFieldBuilder) Seed(s uint64) MeanFieldBuilder {
	b.seed = s
	return b
}

// Starts sets the number of random starting points of the search pricing
// and of the final search certificate (default 32, must be ≥ 1).
func (b MeanFieldBuilder) Starts(n int) MeanFieldBuilder {
	if n < 1 {
		b.errs = b.errs.add("MeanFieldBuilder.Starts(%d): must be ≥ 1", n)
	}
	b.starts = n
	return b
}

// ExactPricing sets the largest P for which pricing is exact (default 16,
// valid range [0, 24]; 0 disables exact pricing). Exact pricing enumerates
// the faces of the activation-pattern arrangement: 2^P of them when K_X⁻¹
// is an M-matrix (whitened inputs), up to 3^P in general.
func (b MeanFieldBuilder) ExactPricing(maxP int) MeanFieldBuilder {
	if maxP < 0 || maxP > MaxExactPricingP {
		b.errs = b.errs.add("MeanFieldBuilder.ExactPricing(%d): must be in [0, %d]", maxP, MaxExactPricingP)
	}
	b.exactP = maxP
	return b
}

// Solve runs the solve; see SolveContext.
func (b MeanFieldBuilder) Solve() (*Solution, error) {
	return b.SolveContext(context.Background())
}

// MustSolve is Solve that panics on error, for notebooks and examples.
func (b MeanFieldBuilder) MustSolve() *Solution {
	return Must(b.Solve())
}

// SolveContext solves the mean-field problem. It returns an error for bad
// settings or bad kernels (not symmetric, not PSD, NaN, mismatched sizes);
// a solve that did not converge is not an error: its Solution has Status
// IterationLimit (or Canceled when ctx is done) and its certificate says
// how far from optimal it is.
func (b MeanFieldBuilder) SolveContext(ctx context.Context) (*Solution, error) {
	if err := b.errs.err(); err != nil {
		return nil, err
	}
	start := time.Now()
	pr, err := b.problem()
	if err != nil {
		return nil, err
	}
	s := newMFSolver(pr, b)
	var sol *Solution
	switch b.method {
	case MethodParticles:
		sol = s.solveParticles(ctx)
	default:
		sol = s.solveCG(ctx)
	}
	sol.task = b.task
	sol.elapsed = time.Since(start)
	return sol, nil
}

// problem validates the kernels and builds the problem data.
func (b MeanFieldBuilder) problem() (*mfProblem, error) {
	kx, ky := b.kx, b.ky
	if !b.fromTask && kx == nil {
		return nil, fmt.Errorf("rep: NewMeanField(nil): task must not be nil")
	}
	if b.fromTask {
		if b.task.X == nil || b.task.Y == nil {
			return nil, fmt.Errorf("rep: NewMeanField: task has no X or Y")
		}
		if !mfAllFinite(b.task.X) || !mfAllFinite(b.task.Y) {
			return nil, fmt.Errorf("rep: NewMeanField: task X or Y holds NaN or ±Inf")
		}
		kx, ky = b.task.KX(), b.task.KY()
	}
	return newMFProblem(kx, ky, b.act, b.l1, b.l2)
}

// mfCheckSymmetric reports a non-square or asymmetric matrix.
func mfCheckSymmetric(name string, a mat.Matrix) error {
	r, c := a.Dims()
	if r != c {
		return fmt.Errorf("rep: %s is %d×%d: must be square", name, r, c)
	}
	worst, scale := 0.0, 0.0
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			v := a.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("rep: %s[%d,%d] = %g: entries must be finite", name, i, j, v)
			}
			scale = math.Max(scale, math.Abs(v))
			worst = math.Max(worst, math.Abs(v-a.At(j, i)))
		}
	}
	if worst > 1e-10*scale {
		return fmt.Errorf("rep: %s is not symmetric (largest |K_ij − K_ji| = %.3g, scale %.3g)", name, worst, scale)
	}
	return nil
}

// mfSymFrom copies the symmetric part of a square matrix.
func mfSymFrom(a mat.Matrix) *mat.SymDense {
	n, _ := a.Dims()
	s := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			s.SetSym(i, j, 0.5*(a.At(i, j)+a.At(j, i)))
		}
	}
	return s
}

// mfAllFinite reports whether every entry of a is finite.
func mfAllFinite(a mat.Matrix) bool {
	r, c := a.Dims()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			v := a.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return false
			}
		}
	}
	return true
}
