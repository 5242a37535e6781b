package rep

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/rep/internal/rng"
)

// RandomKernelTaskBuilder configures paper B's random task family with a
// prescribed input–output alignment; see NewRandomKernelTask. It is a
// value builder: setters return a modified copy.
type RandomKernelTaskBuilder struct {
	spec TaskSpec
	errs problems
}

// NewRandomKernelTask starts paper B's random task (Figs. 4–6; DIGEST
// §B1.4) with P clusters (a power of two, 4 ≤ P ≤ 4096) and k balanced
// binary targets (1 ≤ k ≤ P−1). The clusters are the P patterns of
// log₂P latent bits (Latents, class = pattern index, latent j =
// 2·bitⱼ − 1); the targets are the Walsh (parity) functions of the bits
// ordered by subset size, then lexicographically, so that the first log₂P
// targets are the latents themselves; Y holds the first k of them (±1).
//
// The input kernel K_X is drawn by paper B's sampler (App. C) with
// centered alignment C(K_X, K_Y) = c, and the cluster centres are
// X = √N·U Λ^{1/2} R, where K_X = U Λ Uᵀ (centered, trace P) and R is a
// random P×N matrix with orthonormal rows: XXᵀ = N·K_X, so a centre has
// mean squared norm N, like the unit-variance noise.
//
// Defaults: Alignment(√(k/(P−1))) (the alignment of the identity kernel),
// Scale(0) (flat spectrum: the maximal-dimensional kernel, paper B's solid
// lines), maximal rank, Dim(max(100, P)), Noise(1, 1), Seed(1).
func NewRandomKernelTask(p, k int) RandomKernelTaskBuilder {
	b := RandomKernelTaskBuilder{spec: TaskSpec{Version: Version, Kind: KindRandomKernel, Clusters: p, Targets: k,
		Dim: max(100, p), NoiseTrain: 1, NoiseTest: 1, Seed: 1}}
	if p < 4 || p > maxKernelP || p&(p-1) != 0 {
		b.errs = b.errs.add("NewRandomKernelTask(%d, %d): P must be a power of two in [4, %d]", p, k, maxKernelP)
		b.spec.Dim = 100
	} else if k < 1 || k > p-1 {
		b.errs = b.errs.add("NewRandomKernelTask(%d, %d): k must be in [1, P−1] = [1, %d]", p, k, p-1)
	} else {
		b.spec.Alignment = math.Sqrt(float64(k) / float64(p-1))
	}
	return b
}

// Alignment sets the centered kernel alignment c ∈ [0, 1] between the
// input and target kernels. Paper B sweeps c from 0 to √(k/(P−1)).
func (b RandomKernelTaskBuilder) Alignment(c float64) RandomKernelTaskBuilder {
	if !(c >= 0 && c <= 1) {
		b.errs = b.errs.add("RandomKernelTaskBuilder.Alignment(%g): c must be in [0, 1]", c)
	}
	b.spec.Alignment = c
	return b
}

// Scale sets the Dirichlet scale s of the kernel's random spectrum,
// ℓ = P·Dirichlet(1/s): 0 (default) is the flat spectrum (the maximal-
// dimensional kernel for maximal rank), 0.5 gives paper B's random
// lower-dimensional kernels (the dots of Fig. 4B). s ∈ [0, 1000].
func (b RandomKernelTaskBuilder) Scale(s float64) RandomKernelTaskBuilder {
	if !(s >= 0 && s <= 1000) {
		b.errs = b.errs.add("RandomKernelTaskBuilder.Scale(%g): s must be in [0, 1000]", s)
	}
	b.spec.Scale = s
	return b
}

// Rank restricts the random source kernel to rank r (1 ≤ r ≤ P−1; default
// P−1, maximal). For c > 0, r must exceed k (the sampler may need a kernel
// orthogonal to K_Y within the same subspace); the result then has rank at
// most r + k. At c = 0 the result is supported on the null space of K_Y
// with rank min(r, P−1−k) (paper B's "hard" task: P = 32, k = 5, r = 5;
// "easy": r = 26; DIGEST §B1.6).
func (b RandomKernelTaskBuilder) Rank(r int) RandomKernelTaskBuilder {
	if r < 1 {
		b.errs = b.errs.add("RandomKernelTaskBuilder.Rank(%d): r must be in [1, P−1]", r)
	}
	b.spec.Rank = r
	return b
}

// Dim sets the input dimension N ≥ P (default max(100, P); P·N ≤ 2²⁸).
func (b RandomKernelTaskBuilder) Dim(n int) RandomKernelTaskBuilder {
	if n < 1 {
		b.errs = b.errs.add("RandomKernelTaskBuilder.Dim(%d): N must be ≥ P", n)
	}
	b.spec.Dim = n
	return b
}

// Noise sets σ_train and σ_test, the standard deviations of the training
// and analysis noise (default 1, 1, as in paper B). Both must be finite
// and ≥ 0.
func (b RandomKernelTaskBuilder) Noise(train, test float64) RandomKernelTaskBuilder {
	b.errs = checkNoise(b.errs, "RandomKernelTaskBuilder", train, test)
	b.spec.NoiseTrain, b.spec.NoiseTest = train, test
	return b
}

// Seed sets the seed of the kernel and embedding draws (default 1).
func (b RandomKernelTaskBuilder) Seed(s uint64) RandomKernelTaskBuilder {
	b.spec.Seed = s
	return b
}

// Spec returns the builder's settings as data.
func (b RandomKernelTaskBuilder) Spec() TaskSpec { return b.spec.clone() }

// Build returns the task, or every problem recorded by the setters.
func (b RandomKernelTaskBuilder) Build() (*Task, error) {
	if err := b.errs.err(); err != nil {
		return nil, err
	}
	return BuildTask(b.spec)
}

// WalshTargets returns the P×k matrix (P = 2^bits, 1 ≤ k ≤ P−1) of the
// first k Walsh (parity) functions of the bits of the row index, as ±1
// (parity 1 ↦ +1): subsets of bits ordered by size, then
// lexicographically, so the first `bits` columns are the bits themselves
// (2·bitⱼ − 1) and the next ones their pairwise XORs. Paper B's targets
// (DIGEST §B1.4). It panics if bits ∉ [1, 12] or k ∉ [1, P−1].
func WalshTargets(bits, k int) *mat.Dense {
	if bits < 1 || bits > 12 {
		panic(fmt.Sprintf("rep: WalshTargets(%d, %d): bits must be in [1, 12]", bits, k))
	}
	p := 1 << bits
	if k < 1 || k > p-1 {
		panic(fmt.Sprintf("rep: WalshTargets(%d, %d): k must be in [1, 2^bits−1]", bits, k))
	}
	masks := make([]int, 0, k)
	comb := make([]int, 0, bits)
	var gen func(start, size int)
	gen = func(start, size int) {
		if len(masks) == k {
			return
		}
		if len(comb) == size {
			m := 0
			for _, j := range comb {
				m |= 1 << j
			}
			masks = append(masks, m)
			return
		}
		for j := start; j < bits; j++ {
			comb = append(comb, j)
			gen(j+1, size)
			comb = comb[:len(comb)-1]
		}
	}
	for size := 1; size <= bits && len(masks) < k; size++ {
		gen(0, size)
	}
	y := mat.NewDense(p, k, nil)
	for i := 0; i < p; i++ {
		for c, m := range masks {
			parity := popcount(i&m) & 1
			y.Set(i, c, float64(2*parity-1))
		}
	}
	return y
}

func popcount(x int) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

func buildRandomKernelTask(s TaskSpec) (*Task, error) {
	var errs problems
	p, k := s.Clusters, s.Targets
	if p < 4 || p > maxKernelP || p&(p-1) != 0 {
		errs = errs.add("TaskSpec.Clusters = %d: P must be a power of two in [4, %d]", p, maxKernelP)
	} else if k < 1 || k > p-1 {
		errs = errs.add("TaskSpec.Targets = %d: k must be in [1, P−1] = [1, %d]", k, p-1)
	}
	if !(s.Alignment >= 0 && s.Alignment <= 1) {
		errs = errs.add("TaskSpec.Alignment = %g: c must be in [0, 1]", s.Alignment)
	}
	if !(s.Scale >= 0 && s.Scale <= 1000) {
		errs = errs.add("TaskSpec.Scale = %g: s must be in [0, 1000]", s.Scale)
	}
	errs = checkNoise(errs, "TaskSpec", s.NoiseTrain, s.NoiseTest)
	if len(errs) == 0 {
		if s.Rank < 0 || s.Rank > p-1 {
			errs = errs.add("TaskSpec.Rank = %d: r must be in [1, P−1] = [1, %d] (0 = maximal)", s.Rank, p-1)
		} else if s.Alignment > 0 && s.Alignment < 1 && s.Rank > 0 && s.Rank <= k {
			errs = errs.add("TaskSpec.Rank = %d: r must exceed k = %d when c > 0", s.Rank, k)
		}
		if s.Dim < p {
			errs = errs.add("TaskSpec.Dim = %d: N must be ≥ P = %d", s.Dim, p)
		} else if float64(p)*float64(s.Dim) > maxInputEntries {
			errs = errs.add("TaskSpec: P·N = %d·%d: must be ≤ 2²⁸", p, s.Dim)
		}
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	bits := 0
	for 1<<bits < p {
		bits++
	}
	y := WalshTargets(bits, k)
	var lat *mat.Dense
	if k >= bits {
		lat = mat.DenseCopyOf(y.Slice(0, p, 0, bits))
	} else {
		lat = WalshTargets(bits, bits)
	}
	class := make([]int, p)
	for i := range class {
		class[i] = i
	}
	rng := rng.New(s.Seed)
	var ky mat.SymDense
	ky.SymOuterK(1, y)
	kx, err := randomPSD(rng, &ky, psdSpec{c: s.Alignment, scale: s.Scale, rank: s.Rank})
	if err != nil {
		return nil, fmt.Errorf("rep: TaskSpec.Alignment = %g: %w", s.Alignment, err)
	}
	f, err := kernelFactor(kx)
	if err != nil {
		return nil, err
	}
	r := randomRows(rng, p, s.Dim)
	x := mat.NewDense(p, s.Dim, nil)
	x.Mul(f, r)
	x.Scale(math.Sqrt(float64(s.Dim)), x)
	return &Task{X: x, Y: y, Latents: lat, Class: class, NoiseTrain: s.NoiseTrain, NoiseTest: s.NoiseTest, Spec: s}, nil
}
