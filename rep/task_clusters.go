package rep

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/rep/internal/rng"
)

// ClusterTaskBuilder configures one of paper B's four-cluster tasks; see
// NewClusterTask and NewDeltaXOR. It is a value builder: setters return a
// modified copy.
//
// The four clusters are the classes c = 0…3 of two latent bits, latent k
// equal to 2·bitₖ(c) − 1; Latents holds both bits, so metrics per latent
// measure the two "untrained" dichotomies of the XOR task and the trained
// and one untrained dichotomy of the random-cluster task. Inputs are
// sampled as x = X[c] + σξ with σ = NoiseTrain for training and NoiseTest
// for analysis.
type ClusterTaskBuilder struct {
	spec TaskSpec
	errs problems
}

// NewClusterTask starts paper B's Fig. 1 task (DIGEST §B1.1): four cluster
// centres drawn from N(0, I_N) and centred (their mean is subtracted), one
// binary output y = latent 0 (the trained dichotomy is classes {0, 2}
// against {1, 3}; the untrained ones are latent 1 and the XOR of both).
// Outputs(2) gives the two-output variant of App. A (DIGEST §B1.5): Y =
// both latents. Defaults: Dim(200), Outputs(1), Noise(1, 1), Seed(1).
func NewClusterTask() ClusterTaskBuilder {
	return ClusterTaskBuilder{spec: TaskSpec{Version: Version, Kind: KindClusters, Dim: 200, Outputs: 1,
		NoiseTrain: 1, NoiseTest: 1, Seed: 1}}
}

// NewDeltaXOR starts paper B's δ-separable XOR (Figs. 2, 3, 10; DIGEST
// §B1.2), δ ∈ [0, 1]. With latents l₀, l₁ = ±1 and the XOR sign
// s = 2·(b₀ XOR b₁) − 1 = −l₀l₁, cluster c has centre
// l₀m₁ + l₁m₂ + δ·s·m₃, where m₁, m₂, m₃ ∈ R^N have disjoint supports of
// ⌊N/3⌋ coordinates, entries |N(0,1)| scaled to norm √⌊N/3⌋. The target is
// y = s. δ = 0 is XOR on a square (input–output alignment 0); δ = 1 puts
// the centres on a regular tetrahedron (alignment 1/√3). Defaults:
// Dim(120), Noise(1, 1), Seed(1).
func NewDeltaXOR(delta float64) ClusterTaskBuilder {
	b := ClusterTaskBuilder{spec: TaskSpec{Version: Version, Kind: KindDeltaXOR, Dim: 120, Delta: delta,
		NoiseTrain: 1, NoiseTest: 1, Seed: 1}}
	if !(delta >= 0 && delta <= 1) {
		b.errs = b.errs.add("NewDeltaXOR(%g): δ must be in [0, 1]", delta)
	}
	return b
}

// Outputs sets the number of trained outputs of NewClusterTask: 1 (Fig. 1)
// or 2 (Fig. 7). The δ-separable XOR has one output only.
func (b ClusterTaskBuilder) Outputs(k int) ClusterTaskBuilder {
	if b.spec.Kind != KindClusters {
		b.errs = b.errs.add("ClusterTaskBuilder.Outputs(%d): only NewClusterTask has a choice of outputs", k)
	} else if k != 1 && k != 2 {
		b.errs = b.errs.add("ClusterTaskBuilder.Outputs(%d): must be 1 or 2", k)
	}
	b.spec.Outputs = k
	return b
}

// Dim sets the input dimension N (≥ 1 for NewClusterTask, ≥ 3 for
// NewDeltaXOR; 4·N ≤ 2²⁸).
func (b ClusterTaskBuilder) Dim(n int) ClusterTaskBuilder {
	lo := 1
	if b.spec.Kind == KindDeltaXOR {
		lo = 3
	}
	if n < lo || n > maxInputEntries/4 {
		b.errs = b.errs.add("ClusterTaskBuilder.Dim(%d): N must be in [%d, 2²⁶]", n, lo)
	}
	b.spec.Dim = n
	return b
}

// Noise sets σ_train and σ_test, the standard deviations of the training
// and analysis noise (default 1, 1, as in paper B). Both must be finite
// and ≥ 0.
func (b ClusterTaskBuilder) Noise(train, test float64) ClusterTaskBuilder {
	b.errs = checkNoise(b.errs, "ClusterTaskBuilder", train, test)
	b.spec.NoiseTrain, b.spec.NoiseTest = train, test
	return b
}

// Seed sets the seed of the cluster centres (default 1).
func (b ClusterTaskBuilder) Seed(s uint64) ClusterTaskBuilder {
	b.spec.Seed = s
	return b
}

// Spec returns the builder's settings as data.
func (b ClusterTaskBuilder) Spec() TaskSpec { return b.spec.clone() }

// Build returns the task, or every problem recorded by the setters.
func (b ClusterTaskBuilder) Build() (*Task, error) {
	if err := b.errs.err(); err != nil {
		return nil, err
	}
	return BuildTask(b.spec)
}

func buildClusterTask(s TaskSpec) (*Task, error) {
	var errs problems
	lo := 1
	if s.Kind == KindDeltaXOR {
		lo = 3
		if !(s.Delta >= 0 && s.Delta <= 1) {
			errs = errs.add("TaskSpec.Delta = %g: δ must be in [0, 1]", s.Delta)
		}
	} else if s.Outputs != 1 && s.Outputs != 2 {
		errs = errs.add("TaskSpec.Outputs = %d: must be 1 or 2", s.Outputs)
	}
	if s.Dim < lo || s.Dim > maxInputEntries/4 {
		errs = errs.add("TaskSpec.Dim = %d: N must be in [%d, 2²⁶]", s.Dim, lo)
	}
	errs = checkNoise(errs, "TaskSpec", s.NoiseTrain, s.NoiseTest)
	if err := errs.err(); err != nil {
		return nil, err
	}
	n := s.Dim
	lat, class := latentLabels(2, 1)
	rng := rng.New(s.Seed)
	x := mat.NewDense(4, n, nil)
	var y *mat.Dense
	if s.Kind == KindClusters {
		raw := x.RawMatrix().Data
		for i := range raw {
			raw[i] = rng.NormFloat64()
		}
		for j := 0; j < n; j++ {
			m := (x.At(0, j) + x.At(1, j) + x.At(2, j) + x.At(3, j)) / 4
			for c := 0; c < 4; c++ {
				x.Set(c, j, x.At(c, j)-m)
			}
		}
		y = mat.DenseCopyOf(lat.Slice(0, 4, 0, s.Outputs))
	} else {
		m := n / 3
		cols := make([][]float64, 3) // values of m₁, m₂, m₃ on their supports
		for k := range cols {
			cols[k] = make([]float64, m)
			nrm := 0.0
			for i := range cols[k] {
				v := math.Abs(rng.NormFloat64())
				cols[k][i] = v
				nrm += v * v
			}
			f := math.Sqrt(float64(m) / nrm)
			for i := range cols[k] {
				cols[k][i] *= f
			}
		}
		y = mat.NewDense(4, 1, nil)
		for c := 0; c < 4; c++ {
			l0, l1 := lat.At(c, 0), lat.At(c, 1)
			xor := -l0 * l1
			y.Set(c, 0, xor)
			coef := [3]float64{l0, l1, s.Delta * xor}
			for k := 0; k < 3; k++ {
				for i, v := range cols[k] {
					x.Set(c, k*m+i, coef[k]*v)
				}
			}
		}
	}
	return &Task{X: x, Y: y, Latents: lat, Class: class, NoiseTrain: s.NoiseTrain, NoiseTest: s.NoiseTest, Spec: s}, nil
}
