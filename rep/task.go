package rep

import (
	"gonum.org/v1/gonum/mat"
)

// Task is a supervised task tied to binary latent variables. Rows of every
// matrix are stimuli: for P stimuli, X is P×dX (the noise-free inputs, the
// cluster centres of a noisy task), Y is P×dY (targets, entries ±1) and
// Latents is P×dL (latent labels, entries ±1; for paper A's tasks Latents
// and Y are equal). Class[i] is the class (condition) of stimulus i: the
// index of its latent pattern.
//
// A task with NoiseTrain > 0 is trained on fresh noisy samples
// x = X[c] + NoiseTrain·ξ, ξ ~ N(0, I); NoiseTest is the noise of the
// samples used to analyse the representation (paper B §5.2).
//
// A Task is immutable once built: its methods return new matrices.
type Task struct {
	X, Y, Latents *mat.Dense
	Class         []int
	NoiseTrain    float64
	NoiseTest     float64
	Spec          TaskSpec
}

// P returns the number of stimuli.
func (t *Task) P() int { r, _ := t.X.Dims(); return r }

// DX returns the input dimension.
func (t *Task) DX() int { _, c := t.X.Dims(); return c }

// DY returns the number of outputs.
func (t *Task) DY() int { _, c := t.Y.Dims(); return c }

// KX returns the P×P input kernel with the bias as an extra constant input,
// K_X = XXᵀ + 11ᵀ, as in paper A's mean-field theory (DIGEST §A1).
func (t *Task) KX() *mat.SymDense {
	p := t.P()
	k := mat.NewSymDense(p, nil)
	k.SymOuterK(1, t.X)
	for i := 0; i < p; i++ {
		for j := i; j < p; j++ {
			k.SetSym(i, j, k.At(i, j)+1)
		}
	}
	return k
}

// KY returns the P×P output kernel K_Y = YYᵀ.
func (t *Task) KY() *mat.SymDense {
	k := mat.NewSymDense(t.P(), nil)
	k.SymOuterK(1, t.Y)
	return k
}
