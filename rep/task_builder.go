package rep

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// TaskSpec is the data form of a task: everything needed to rebuild it.
// It round-trips through JSON; BuildTask(spec) rebuilds the same task.
type TaskSpec struct {
	Version  string `json:"version"`
	Kind     string `json:"kind"`     // "latent" (paper A's binary latent tasks)
	Latents  int    `json:"latents"`  // dY: number of binary latent variables
	PerClass int    `json:"perClass"` // n: stimuli per class
	Geometry string `json:"geometry"` // "whitened"
	Seed     uint64 `json:"seed"`
}

// TaskBuilder configures a task; see NewTask. It is a value: every setter
// returns a modified copy, so a builder forks safely.
type TaskBuilder struct {
	spec TaskSpec
	errs problems
}

// NewTask starts a binary latent task with dY latent variables
// (1 ≤ dY ≤ 16): 2^dY classes, one per sign pattern, with targets equal to
// the latent labels. Defaults: PerClass(1), Whitened(), Seed(1).
func NewTask(dY int) TaskBuilder {
	b := TaskBuilder{spec: TaskSpec{Version: Version, Kind: "latent", Latents: dY, PerClass: 1, Geometry: "whitened", Seed: 1}}
	if dY < 1 || dY > 16 {
		b.errs = b.errs.add("NewTask(%d): latents must be in [1, 16]", dY)
	}
	return b
}

// PerClass sets n, the number of stimuli per class (n ≥ 1); P = n·2^dY.
func (b TaskBuilder) PerClass(n int) TaskBuilder {
	if n < 1 {
		b.errs = b.errs.add("TaskBuilder.PerClass(%d): n must be ≥ 1", n)
	}
	b.spec.PerClass = n
	return b
}

// Whitened makes the stimuli orthonormal: XXᵀ = I_P (paper A Fig. 4).
// X is P×P, a random orthogonal matrix drawn from the seed.
func (b TaskBuilder) Whitened() TaskBuilder {
	b.spec.Geometry = "whitened"
	return b
}

// Seed sets the seed of every random draw of the task.
func (b TaskBuilder) Seed(s uint64) TaskBuilder {
	b.spec.Seed = s
	return b
}

// Spec returns the builder's settings as data.
func (b TaskBuilder) Spec() TaskSpec { return b.spec }

// Build returns the task, or every problem recorded by the setters.
func (b TaskBuilder) Build() (*Task, error) {
	if err := b.errs.err(); err != nil {
		return nil, err
	}
	return BuildTask(b.spec)
}

// BuildTask builds the task a spec describes.
func BuildTask(s TaskSpec) (*Task, error) {
	var errs problems
	if s.Latents < 1 || s.Latents > 16 {
		errs = errs.add("TaskSpec.Latents = %d: must be in [1, 16]", s.Latents)
	}
	if s.PerClass < 1 {
		errs = errs.add("TaskSpec.PerClass = %d: must be ≥ 1", s.PerClass)
	}
	if s.Geometry != "whitened" {
		errs = errs.add("TaskSpec.Geometry = %q: must be whitened", s.Geometry)
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	rng := newRand(s.Seed)
	q := 1 << s.Latents
	p := q * s.PerClass
	y := mat.NewDense(p, s.Latents, nil)
	class := make([]int, p)
	for i := 0; i < p; i++ {
		c := i / s.PerClass
		class[i] = c
		for k := 0; k < s.Latents; k++ {
			y.Set(i, k, float64(2*((c>>k)&1)-1))
		}
	}
	x := randomOrthogonal(rng, p)
	return &Task{X: x, Y: y, Latents: mat.DenseCopyOf(y), Class: class, Spec: s}, nil
}

// newRand returns the deterministic generator for a seed.
func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
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
