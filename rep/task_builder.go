package rep

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/rep/internal/rng"
)

// Task kinds recorded in TaskSpec.Kind.
const (
	KindLatent       = "latent"        // paper A's binary latent tasks (NewTask)
	KindClusters     = "clusters"      // paper B's four random clusters (NewClusterTask)
	KindDeltaXOR     = "delta-xor"     // paper B's δ-separable XOR (NewDeltaXOR)
	KindRandomKernel = "random-kernel" // paper B's random tasks of alignment c (NewRandomKernelTask)
	KindData         = "data"          // user matrices (NewDataTask)
)

// Input geometries of latent tasks, recorded in TaskSpec.Geometry.
const (
	GeometryWhitened          = "whitened"           // XXᵀ = I
	GeometryTargetAligned     = "target-aligned"     // XXᵀ = I + a·K_Y
	GeometryAnisotropic       = "anisotropic"        // XXᵀ = I + Σₖ aₖvₖvₖᵀ
	GeometryWithinClass       = "within-class"       // XXᵀ = blockdiag(C), C = (1−ρ)I + ρ11ᵀ
	GeometryClassCorrelations = "class-correlations" // XXᵀ = blockdiag(C₁, …, C_Q)
	GeometryXORVariance       = "xor-variance"       // XXᵀ = I + w·uuᵀ, u = ∏ₖ vₖ
	GeometryRandomKernel      = "random-kernel"      // random XXᵀ with C(XXᵀ, K_Y) = c
)

// Size limits checked before anything is allocated.
const (
	maxStimuli      = 1 << 16 // P
	maxInputEntries = 1 << 28 // P·dX
	maxKernelP      = 1 << 12 // P of tasks whose inputs need a P×P eigendecomposition
)

// TaskSpec is the data form of a task: everything needed to rebuild it.
// It round-trips through JSON, and BuildTask(spec) rebuilds the same task,
// bit for bit. Fields that a kind does not use are zero (and omitted from
// JSON). Version records the library version that wrote the spec.
type TaskSpec struct {
	Version  string `json:"version"`
	Kind     string `json:"kind"`     // one of the Kind constants
	Latents  int    `json:"latents"`  // dY: number of binary latent variables (latent kind)
	PerClass int    `json:"perClass"` // n: stimuli per class (latent kind)
	Geometry string `json:"geometry"` // one of the Geometry constants (latent kind)
	Seed     uint64 `json:"seed"`     // seed of every random draw

	// Dim is the input dimension: dX of a latent task (0 = P), N of a
	// paper B task.
	Dim int `json:"dim,omitempty"`
	// Aligned is a of the target-aligned geometry.
	Aligned float64 `json:"aligned,omitempty"`
	// Anisotropy holds aₖ of the anisotropic geometry, one per latent.
	Anisotropy []float64 `json:"anisotropy,omitempty"`
	// Rho is the within-class correlation ρ.
	Rho float64 `json:"rho,omitempty"`
	// Correlations holds the within-class correlation matrices (one shared,
	// or one per class), row-major.
	Correlations [][][]float64 `json:"correlations,omitempty"`
	// XORWeight is w of the XOR-variance geometry.
	XORWeight float64 `json:"xorWeight,omitempty"`

	// Delta is δ of the δ-separable XOR.
	Delta float64 `json:"delta,omitempty"`
	// Outputs is the number of trained outputs of the four-cluster task.
	Outputs int `json:"outputs,omitempty"`
	// Clusters is P of a random kernel task.
	Clusters int `json:"clusters,omitempty"`
	// Targets is k, the number of targets of a random kernel task.
	Targets int `json:"targets,omitempty"`
	// Alignment is the prescribed centered kernel alignment c of a random
	// kernel (random kernel task, or the random-kernel geometry).
	Alignment float64 `json:"alignment,omitempty"`
	// Rank is the rank r of the random source kernel (0 = maximal, P−1).
	Rank int `json:"rank,omitempty"`
	// Scale is the Dirichlet scale of the random kernel spectrum
	// (0 = flat spectrum, the maximal-dimensional kernel).
	Scale float64 `json:"scale,omitempty"`

	// NoiseTrain and NoiseTest are σ_train and σ_test (standard deviations).
	NoiseTrain float64 `json:"noiseTrain,omitempty"`
	NoiseTest  float64 `json:"noiseTest,omitempty"`

	// X, Y and L are the matrices of a data task, row-major (L may be nil).
	X [][]float64 `json:"x,omitempty"`
	Y [][]float64 `json:"y,omitempty"`
	L [][]float64 `json:"l,omitempty"`
}

// clone returns a deep copy of s (no slice shared).
func (s TaskSpec) clone() TaskSpec {
	s.Anisotropy = append([]float64(nil), s.Anisotropy...)
	if s.Anisotropy != nil && len(s.Anisotropy) == 0 {
		s.Anisotropy = nil
	}
	if s.Correlations != nil {
		cs := make([][][]float64, len(s.Correlations))
		for i, c := range s.Correlations {
			cs[i] = cloneRows(c)
		}
		s.Correlations = cs
	}
	s.X, s.Y, s.L = cloneRows(s.X), cloneRows(s.Y), cloneRows(s.L)
	return s
}

func cloneRows(a [][]float64) [][]float64 {
	if a == nil {
		return nil
	}
	out := make([][]float64, len(a))
	for i, r := range a {
		out[i] = append([]float64(nil), r...)
	}
	return out
}

// TaskBuilder configures a binary latent task of paper A; see NewTask. It
// is a value: every setter returns a modified copy, so a builder forks
// safely. The geometry setters (Whitened, TargetAligned, Anisotropic,
// WithinClassCorrelation, ClassCorrelations, XORVariance, RandomKernel)
// are alternatives: the last one called wins.
type TaskBuilder struct {
	spec TaskSpec
	errs problems
}

// NewTask starts a binary latent task with dY latent variables
// (1 ≤ dY ≤ 16): Q = 2^dY classes, one per sign pattern (class c has
// latent k equal to 2·bitₖ(c) − 1), n stimuli per class (P = n·Q, rows
// grouped by class), and targets equal to the latent labels (paper A,
// DIGEST §A1–A2). Defaults: PerClass(1), Whitened(), Dim(P), noise-free,
// Seed(1).
func NewTask(dY int) TaskBuilder {
	b := TaskBuilder{spec: TaskSpec{Version: Version, Kind: KindLatent, Latents: dY, PerClass: 1, Geometry: GeometryWhitened, Seed: 1}}
	if dY < 1 || dY > 16 {
		b.errs = b.errs.add("NewTask(%d): latents must be in [1, 16]", dY)
	}
	return b
}

// PerClass sets n, the number of stimuli per class (n ≥ 1); P = n·2^dY
// must not exceed 2¹⁶.
func (b TaskBuilder) PerClass(n int) TaskBuilder {
	if n < 1 {
		b.errs = b.errs.add("TaskBuilder.PerClass(%d): n must be ≥ 1", n)
	}
	b.spec.PerClass = n
	return b
}

// Dim sets the input dimension dX ≥ P (default P): the stimuli are
// embedded by a random map with orthonormal rows, which leaves XXᵀ
// unchanged. P·dX must not exceed 2²⁸.
func (b TaskBuilder) Dim(dX int) TaskBuilder {
	if dX < 1 {
		b.errs = b.errs.add("TaskBuilder.Dim(%d): dX must be ≥ P (≥ 1)", dX)
	}
	b.spec.Dim = dX
	return b
}

func (b TaskBuilder) geometry(g string) TaskBuilder {
	b.spec.Geometry = g
	b.spec.Aligned, b.spec.Anisotropy, b.spec.Rho, b.spec.Correlations = 0, nil, 0, nil
	b.spec.XORWeight, b.spec.Alignment, b.spec.Scale, b.spec.Rank = 0, 0, 0, 0
	return b
}

// Whitened makes the stimuli orthonormal: XXᵀ = I_P (paper A Fig. 4,
// DIGEST §A2.1). X is a random P×dX matrix with orthonormal rows.
func (b TaskBuilder) Whitened() TaskBuilder {
	return b.geometry(GeometryWhitened)
}

// TargetAligned gives inputs partially aligned with the outputs,
// XXᵀ = I + a·K_Y with a ≥ 0 (DIGEST §A2.2; a = 0 is Whitened), built as
// X = (I + a·K_Y)^{1/2}·O with O orthonormal rows.
func (b TaskBuilder) TargetAligned(a float64) TaskBuilder {
	if !(a >= 0) || math.IsInf(a, 1) {
		b.errs = b.errs.add("TaskBuilder.TargetAligned(%g): a must be finite and ≥ 0", a)
	}
	b = b.geometry(GeometryTargetAligned)
	b.spec.Aligned = a
	return b
}

// Anisotropic scales each latent direction separately:
// XXᵀ = I + Σₖ aₖvₖvₖᵀ with vₖ the P-vector of latent k (DIGEST §A2.3).
// It takes one aₖ per latent, each finite and > −1/P.
func (b TaskBuilder) Anisotropic(a ...float64) TaskBuilder {
	if len(a) == 0 {
		b.errs = b.errs.add("TaskBuilder.Anisotropic(): needs one aₖ per latent")
	}
	for k, v := range a {
		if math.IsNaN(v) || math.IsInf(v, 0) || v <= -1 {
			b.errs = b.errs.add("TaskBuilder.Anisotropic(…): a[%d] = %g must be finite and > −1/P", k, v)
		}
	}
	b = b.geometry(GeometryAnisotropic)
	b.spec.Anisotropy = append([]float64(nil), a...)
	return b
}

// WithinClassCorrelation gives every class the same within-class
// correlation matrix C = (1−ρ)I + ρ11ᵀ (n×n) and no correlation between
// classes: XXᵀ = blockdiag(C, …, C) (paper A Fig. 5, DIGEST §A2.4).
// ρ must be in [−1/(n−1), 1] (C positive semidefinite).
func (b TaskBuilder) WithinClassCorrelation(rho float64) TaskBuilder {
	if !(rho >= -1 && rho <= 1) {
		b.errs = b.errs.add("TaskBuilder.WithinClassCorrelation(%g): ρ must be in [−1/(n−1), 1]", rho)
	}
	b = b.geometry(GeometryWithinClass)
	b.spec.Rho = rho
	return b
}

// ClassCorrelations sets the within-class correlation matrices: one n×n
// matrix shared by all classes, or one per class (2^dY of them, in class
// order); XXᵀ = blockdiag(C₁, …, C_Q) (DIGEST §A2.4). Each matrix must be
// finite, symmetric and positive semidefinite. The matrices are copied.
func (b TaskBuilder) ClassCorrelations(cs ...mat.Matrix) TaskBuilder {
	if len(cs) == 0 {
		b.errs = b.errs.add("TaskBuilder.ClassCorrelations(): needs one shared matrix or one per class")
	}
	rows := make([][][]float64, len(cs))
	for c, m := range cs {
		if m == nil {
			b.errs = b.errs.add("TaskBuilder.ClassCorrelations(…): matrix %d is nil", c)
			continue
		}
		r, cc := m.Dims()
		if r != cc {
			b.errs = b.errs.add("TaskBuilder.ClassCorrelations(…): matrix %d is %d×%d, must be square (n×n)", c, r, cc)
		}
		rows[c] = denseRows(m)
		if !finiteRows(rows[c]) {
			b.errs = b.errs.add("TaskBuilder.ClassCorrelations(…): matrix %d has NaN or Inf entries", c)
		}
	}
	b = b.geometry(GeometryClassCorrelations)
	b.spec.Correlations = rows
	return b
}

// XORVariance gives the input kernel extra variance w along the parity of
// all latents: XXᵀ = I + w·uuᵀ with u = ∏ₖ vₖ (for dY = 2, u = v₁⊙v₂), the
// one-parameter family of random input geometries of paper A Fig. 4C used
// in DIGEST §A2.5/§A7. It needs dY ≥ 2 and w > −1/P; its input–output
// alignment decreases with w.
func (b TaskBuilder) XORVariance(w float64) TaskBuilder {
	if math.IsNaN(w) || math.IsInf(w, 0) || w <= -1 {
		b.errs = b.errs.add("TaskBuilder.XORVariance(%g): w must be finite and > −1/P", w)
	}
	b = b.geometry(GeometryXORVariance)
	b.spec.XORWeight = w
	return b
}

// RandomKernel draws a random input kernel whose centered alignment with
// the output kernel is c ∈ [0, 1]: C(XXᵀ, K_Y) = c, with paper B's
// sampler (App. C, DIGEST §B1.4) at scale 0.5 (random, lower-dimensional
// spectra) on the centered subspace (sampler (a) of DIGEST §A2.5, for
// paper A Fig. 4C). The kernel is centered with trace P, so X has rank at
// most P−1.
func (b TaskBuilder) RandomKernel(c float64) TaskBuilder {
	if !(c >= 0 && c <= 1) {
		b.errs = b.errs.add("TaskBuilder.RandomKernel(%g): alignment c must be in [0, 1]", c)
	}
	b = b.geometry(GeometryRandomKernel)
	b.spec.Alignment = c
	b.spec.Scale = 0.5
	return b
}

// Noise sets σ_train and σ_test, the standard deviations of the training
// and analysis noise (default 0, 0: noise-free). Both must be finite and
// ≥ 0.
func (b TaskBuilder) Noise(train, test float64) TaskBuilder {
	b.errs = checkNoise(b.errs, "TaskBuilder", train, test)
	b.spec.NoiseTrain, b.spec.NoiseTest = train, test
	return b
}

func checkNoise(errs problems, who string, train, test float64) problems {
	if !(train >= 0) || math.IsInf(train, 1) {
		errs = errs.add("%s.Noise(%g, %g): σ_train must be finite and ≥ 0", who, train, test)
	}
	if !(test >= 0) || math.IsInf(test, 1) {
		errs = errs.add("%s.Noise(%g, %g): σ_test must be finite and ≥ 0", who, train, test)
	}
	return errs
}

// Seed sets the seed of every random draw of the task (default 1).
func (b TaskBuilder) Seed(s uint64) TaskBuilder {
	b.spec.Seed = s
	return b
}

// Spec returns the builder's settings as data.
func (b TaskBuilder) Spec() TaskSpec { return b.spec.clone() }

// Build returns the task, or every problem recorded by the setters; with
// none recorded, the problems BuildTask finds in the combined settings.
func (b TaskBuilder) Build() (*Task, error) {
	if err := b.errs.err(); err != nil {
		return nil, err
	}
	return BuildTask(b.spec)
}

// BuildTask builds the task a spec describes; the same spec gives the same
// task, bit for bit. It validates every field, so a spec read from a file
// cannot make it panic.
func BuildTask(s TaskSpec) (*Task, error) {
	s = s.clone()
	switch s.Kind {
	case KindLatent:
		return buildLatentTask(s)
	case KindClusters, KindDeltaXOR:
		return buildClusterTask(s)
	case KindRandomKernel:
		return buildRandomKernelTask(s)
	case KindData:
		return buildDataTask(s)
	}
	return nil, fmt.Errorf("rep: TaskSpec.Kind = %q: must be one of %q, %q, %q, %q, %q",
		s.Kind, KindLatent, KindClusters, KindDeltaXOR, KindRandomKernel, KindData)
}

// finite reports whether v is neither NaN nor ±Inf.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// validateLatentSpec returns every problem of a latent task spec, and P and
// dX when the sizes are valid.
func validateLatentSpec(s TaskSpec) (errs problems, p, dx int) {
	if s.Latents < 1 || s.Latents > 16 {
		errs = errs.add("TaskSpec.Latents = %d: must be in [1, 16]", s.Latents)
	}
	if s.PerClass < 1 {
		errs = errs.add("TaskSpec.PerClass = %d: must be ≥ 1", s.PerClass)
	}
	errs = checkNoise(errs, "TaskSpec", s.NoiseTrain, s.NoiseTest)
	if len(errs) > 0 {
		return errs, 0, 0
	}
	if s.PerClass > maxStimuli || s.PerClass<<s.Latents > maxStimuli {
		return errs.add("TaskSpec: P = PerClass·2^Latents = %d·2^%d: must be ≤ %d", s.PerClass, s.Latents, maxStimuli), 0, 0
	}
	q := 1 << s.Latents
	p = s.PerClass * q
	dx = s.Dim
	if dx == 0 {
		dx = p
	}
	if dx < p {
		errs = errs.add("TaskSpec.Dim = %d: dX must be ≥ P = %d", s.Dim, p)
	} else if float64(p)*float64(dx) > maxInputEntries {
		errs = errs.add("TaskSpec: P·dX = %d·%d: must be ≤ 2²⁸", p, dx)
	}
	switch s.Geometry {
	case GeometryWhitened:
	case GeometryTargetAligned:
		if !(s.Aligned >= 0) || math.IsInf(s.Aligned, 1) {
			errs = errs.add("TaskSpec.Aligned = %g: a must be finite and ≥ 0", s.Aligned)
		}
	case GeometryAnisotropic:
		if len(s.Anisotropy) != s.Latents {
			errs = errs.add("TaskSpec.Anisotropy: %d values, need one per latent (%d)", len(s.Anisotropy), s.Latents)
		}
		for k, a := range s.Anisotropy {
			if !finite(a) || a*float64(p) <= -1 {
				errs = errs.add("TaskSpec.Anisotropy[%d] = %g: must be finite and > −1/P = %g", k, a, -1/float64(p))
			}
		}
	case GeometryWithinClass:
		n := s.PerClass
		lo := -1.0
		if n > 1 {
			lo = -1 / float64(n-1)
		}
		if !(s.Rho >= lo && s.Rho <= 1) {
			errs = errs.add("TaskSpec.Rho = %g: ρ must be in [−1/(n−1), 1] = [%g, 1] for n = %d", s.Rho, lo, n)
		}
	case GeometryClassCorrelations:
		errs = validateCorrelations(errs, s.Correlations, s.PerClass, q)
	case GeometryXORVariance:
		if s.Latents < 2 {
			errs = errs.add("TaskSpec.Geometry = %q: needs ≥ 2 latents, have %d", s.Geometry, s.Latents)
		}
		if !finite(s.XORWeight) || s.XORWeight*float64(p) <= -1 {
			errs = errs.add("TaskSpec.XORWeight = %g: w must be finite and > −1/P = %g", s.XORWeight, -1/float64(p))
		}
	case GeometryRandomKernel:
		if !(s.Alignment >= 0 && s.Alignment <= 1) {
			errs = errs.add("TaskSpec.Alignment = %g: c must be in [0, 1]", s.Alignment)
		}
		if !(s.Scale >= 0 && s.Scale <= 1000) {
			errs = errs.add("TaskSpec.Scale = %g: must be in [0, 1000]", s.Scale)
		}
		if s.Rank < 0 || s.Rank > p-1 {
			errs = errs.add("TaskSpec.Rank = %d: must be in [0, P−1] = [0, %d] (0 = maximal)", s.Rank, p-1)
		}
		if p > maxKernelP {
			errs = errs.add("TaskSpec: P = %d: a random kernel needs P ≤ %d", p, maxKernelP)
		}
		if p < 3 {
			errs = errs.add("TaskSpec: P = %d: a random kernel needs P ≥ 3", p)
		}
	default:
		errs = errs.add("TaskSpec.Geometry = %q: must be one of %q, %q, %q, %q, %q, %q, %q", s.Geometry,
			GeometryWhitened, GeometryTargetAligned, GeometryAnisotropic, GeometryWithinClass,
			GeometryClassCorrelations, GeometryXORVariance, GeometryRandomKernel)
	}
	return errs, p, dx
}

// validateCorrelations checks within-class correlation matrices: one or q
// of them, each n×n, finite, symmetric and positive semidefinite.
func validateCorrelations(errs problems, cs [][][]float64, n, q int) problems {
	if len(cs) != 1 && len(cs) != q {
		return errs.add("TaskSpec.Correlations: %d matrices, need 1 (shared) or one per class (%d)", len(cs), q)
	}
	for c, m := range cs {
		if len(m) != n {
			errs = errs.add("TaskSpec.Correlations[%d]: %d rows, must be n×n with n = PerClass = %d", c, len(m), n)
			continue
		}
		ok := true
		for _, r := range m {
			if len(r) != n {
				errs = errs.add("TaskSpec.Correlations[%d]: a row has %d entries, must be n×n with n = PerClass = %d", c, len(r), n)
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		if !finiteRows(m) {
			errs = errs.add("TaskSpec.Correlations[%d]: has NaN or Inf entries", c)
			continue
		}
		top := 0.0
		for _, r := range m {
			for _, v := range r {
				top = max(top, math.Abs(v))
			}
		}
		sym := true
		for i := 0; i < n && sym; i++ {
			for j := i + 1; j < n; j++ {
				if math.Abs(m[i][j]-m[j][i]) > 1e-10*top {
					errs = errs.add("TaskSpec.Correlations[%d]: not symmetric (entry %d,%d = %g, entry %d,%d = %g)", c, i, j, m[i][j], j, i, m[j][i])
					sym = false
					break
				}
			}
		}
		if !sym {
			continue
		}
		var eig mat.EigenSym
		if !eig.Factorize(symFromRows(m), false) {
			errs = errs.add("TaskSpec.Correlations[%d]: eigendecomposition failed", c)
			continue
		}
		vals := eig.Values(nil)
		if lo := vals[0]; lo < -1e-10*max(top, vals[n-1]) {
			errs = errs.add("TaskSpec.Correlations[%d]: not positive semidefinite (smallest eigenvalue %g)", c, lo)
		}
	}
	return errs
}

// symFromRows returns the symmetric part (M+Mᵀ)/2 of a square row-major
// matrix.
func symFromRows(m [][]float64) *mat.SymDense {
	n := len(m)
	s := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			s.SetSym(i, j, (m[i][j]+m[j][i])/2)
		}
	}
	return s
}

func denseRows(m mat.Matrix) [][]float64 {
	r, c := m.Dims()
	out := make([][]float64, r)
	for i := range out {
		out[i] = make([]float64, c)
		for j := range out[i] {
			out[i][j] = m.At(i, j)
		}
	}
	return out
}

func finiteRows(m [][]float64) bool {
	for _, r := range m {
		for _, v := range r {
			if !finite(v) {
				return false
			}
		}
	}
	return true
}

// latentLabels returns the P×dY labels of a latent task with n stimuli per
// class (rows grouped by class; class c has latent k = 2·bitₖ(c) − 1) and
// the class of every row.
func latentLabels(dY, n int) (*mat.Dense, []int) {
	q := 1 << dY
	p := q * n
	y := mat.NewDense(p, dY, nil)
	class := make([]int, p)
	for i := 0; i < p; i++ {
		c := i / n
		class[i] = c
		for k := 0; k < dY; k++ {
			y.Set(i, k, float64(2*((c>>k)&1)-1))
		}
	}
	return y, class
}

func buildLatentTask(s TaskSpec) (*Task, error) {
	errs, p, dx := validateLatentSpec(s)
	if err := errs.err(); err != nil {
		return nil, err
	}
	n := s.PerClass
	y, class := latentLabels(s.Latents, n)
	rng := rng.New(s.Seed)
	o := randomRows(rng, p, dx)
	var x *mat.Dense
	switch s.Geometry {
	case GeometryWhitened:
		x = o
	case GeometryTargetAligned:
		a := make([]float64, s.Latents)
		for k := range a {
			a[k] = s.Aligned
		}
		x = applyRankOneRoots(o, columns(y), a)
	case GeometryAnisotropic:
		x = applyRankOneRoots(o, columns(y), s.Anisotropy)
	case GeometryXORVariance:
		u := make([]float64, p)
		for i := range u {
			u[i] = 1
			for k := 0; k < s.Latents; k++ {
				u[i] *= y.At(i, k)
			}
		}
		x = applyRankOneRoots(o, [][]float64{u}, []float64{s.XORWeight})
	case GeometryWithinClass:
		x = applyBlockRoots(o, n, [][][]float64{equicorrelatedRoot(n, s.Rho)})
	case GeometryClassCorrelations:
		roots := make([][][]float64, len(s.Correlations))
		for c, m := range s.Correlations {
			f, err := symmetricRoot(symFromRows(m))
			if err != nil {
				return nil, err
			}
			roots[c] = f
		}
		x = applyBlockRoots(o, n, roots)
	case GeometryRandomKernel:
		var ky mat.SymDense
		ky.SymOuterK(1, y)
		k, err := randomPSD(rng, &ky, psdSpec{c: s.Alignment, scale: s.Scale, rank: s.Rank})
		if err != nil {
			return nil, fmt.Errorf("rep: TaskSpec.Alignment = %g: %w", s.Alignment, err)
		}
		f, err := kernelFactor(k)
		if err != nil {
			return nil, err
		}
		x = mat.NewDense(p, dx, nil)
		x.Mul(f, o)
	}
	return &Task{X: x, Y: y, Latents: mat.DenseCopyOf(y), Class: class,
		NoiseTrain: s.NoiseTrain, NoiseTest: s.NoiseTest, Spec: s}, nil
}

// columns returns the columns of m as slices.
func columns(m *mat.Dense) [][]float64 {
	_, c := m.Dims()
	out := make([][]float64, c)
	for j := range out {
		out[j] = mat.Col(nil, j, m)
	}
	return out
}

// applyRankOneRoots returns (I + Σₖ βₖvₖvₖᵀ)·O with βₖ = (√(1+aₖ‖vₖ‖²) − 1)/‖vₖ‖²,
// the square root of I + Σₖ aₖvₖvₖᵀ for mutually orthogonal vₖ (DIGEST
// §A2.2): then XXᵀ = (I + Σβₖvₖvₖᵀ)²= I + Σₖ aₖvₖvₖᵀ when OOᵀ = I.
func applyRankOneRoots(o *mat.Dense, vs [][]float64, a []float64) *mat.Dense {
	p, dx := o.Dims()
	x := mat.DenseCopyOf(o)
	w := make([]float64, dx)
	for k, v := range vs {
		nv := 0.0
		for _, e := range v {
			nv += e * e
		}
		beta := (math.Sqrt(1+a[k]*nv) - 1) / nv
		for j := range w {
			w[j] = 0
		}
		for i := 0; i < p; i++ {
			if v[i] == 0 {
				continue
			}
			row := o.RawRowView(i)
			for j, e := range row {
				w[j] += v[i] * e
			}
		}
		for i := 0; i < p; i++ {
			row := x.RawRowView(i)
			f := beta * v[i]
			for j := range row {
				row[j] += f * w[j]
			}
		}
	}
	return x
}

// applyBlockRoots returns blockdiag(R_c)·O with n×n blocks; roots holds one
// shared root or one per class.
func applyBlockRoots(o *mat.Dense, n int, roots [][][]float64) *mat.Dense {
	p, dx := o.Dims()
	x := mat.NewDense(p, dx, nil)
	for c := 0; c < p/n; c++ {
		r := roots[0]
		if len(roots) > 1 {
			r = roots[c]
		}
		for a := 0; a < n; a++ {
			dst := x.RawRowView(c*n + a)
			for b := 0; b < n; b++ {
				f := r[a][b]
				if f == 0 {
					continue
				}
				src := o.RawRowView(c*n + b)
				for j := range dst {
					dst[j] += f * src[j]
				}
			}
		}
	}
	return x
}

// equicorrelatedRoot returns the symmetric square root of
// C = (1−ρ)I + ρ11ᵀ (n×n): √(1−ρ)(I − J/n) + √(1+(n−1)ρ)·J/n, J = 11ᵀ.
func equicorrelatedRoot(n int, rho float64) [][]float64 {
	s0 := math.Sqrt(math.Max(0, 1-rho))
	s1 := math.Sqrt(math.Max(0, 1+float64(n-1)*rho))
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, n)
		for j := range out[i] {
			v := (s1 - s0) / float64(n)
			if i == j {
				v += s0
			}
			out[i][j] = v
		}
	}
	return out
}

// symmetricRoot returns the symmetric PSD square root U Λ^{1/2} Uᵀ of a
// symmetric PSD matrix (negative rounding-noise eigenvalues set to 0).
func symmetricRoot(c *mat.SymDense) ([][]float64, error) {
	var eig mat.EigenSym
	if !eig.Factorize(c, true) {
		return nil, fmt.Errorf("rep: eigendecomposition of a correlation matrix failed")
	}
	vals := eig.Values(nil)
	var u mat.Dense
	eig.VectorsTo(&u)
	n := len(vals)
	f := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			f.Set(i, j, u.At(i, j)*math.Sqrt(math.Max(vals[j], 0)))
		}
	}
	var r mat.Dense
	r.Mul(f, u.T())
	return denseRows(&r), nil
}

// randomOrthogonal returns an n×n orthogonal matrix: the Q factor of a
// Gaussian matrix with the signs fixed so that R has a positive diagonal
// (Haar-distributed).
func randomOrthogonal(rng *rand.Rand, n int) *mat.Dense {
	g := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			g.Set(i, j, rng.NormFloat64())
		}
	}
	var qr mat.QR
	qr.Factorize(g)
	var q, r mat.Dense
	qr.QTo(&q)
	qr.RTo(&r)
	for j := 0; j < n; j++ {
		if r.At(j, j) < 0 {
			for i := 0; i < n; i++ {
				q.Set(i, j, -q.At(i, j))
			}
		}
	}
	return &q
}

// randomRows returns a p×d matrix (p ≤ d) with orthonormal rows, uniformly
// distributed: randomOrthogonal(rng, p) when d = p, otherwise the sign-fixed
// LQ factor of a Gaussian p×d matrix.
func randomRows(rng *rand.Rand, p, d int) *mat.Dense {
	if p == d {
		return randomOrthogonal(rng, p)
	}
	g := mat.NewDense(p, d, nil)
	raw := g.RawMatrix().Data
	for i := range raw {
		raw[i] = rng.NormFloat64()
	}
	a := blas64.General{Rows: p, Cols: d, Stride: d, Data: raw}
	tau := make([]float64, p)
	work := make([]float64, 1)
	lapack64.Gelqf(a, tau, work, -1)
	work = make([]float64, max(int(work[0]), p))
	lapack64.Gelqf(a, tau, work, len(work))
	neg := make([]bool, p)
	for i := range neg {
		neg[i] = raw[i*d+i] < 0 // diagonal of L
	}
	lapack64.Orglq(a, tau, work[:1], -1)
	if need := int(work[0]); need > len(work) {
		work = make([]float64, need)
	}
	lapack64.Orglq(a, tau, work, len(work))
	for i, flip := range neg {
		if flip {
			row := raw[i*d : (i+1)*d]
			for j := range row {
				row[j] = -row[j]
			}
		}
	}
	return g
}
