package rep_test

import (
	"fmt"

	"github.com/repgeom/repgeom/rep"
	"gonum.org/v1/gonum/mat"
)

// Paper B's alignment numbers (DIGEST §B5): the identity (whitened) input
// kernel against k balanced targets gives √(k/(P−1)); the δ = 1 task's
// regular tetrahedron against its label gives 1/√3.
func ExampleKernelAlignment() {
	// P = 8 stimuli, k = 3 latent targets (the ±1 cube).
	y := mat.NewDense(8, 3, nil)
	for c := 0; c < 8; c++ {
		for k := 0; k < 3; k++ {
			y.Set(c, k, float64(2*((c>>k)&1)-1))
		}
	}
	ident := mat.NewDiagDense(8, []float64{1, 1, 1, 1, 1, 1, 1, 1})
	fmt.Printf("C(I, K_Y) = %.4f (√(3/7) = 0.6547)\n", rep.KernelAlignment(ident, rep.KernelOf(y)))

	tetra := mat.NewDense(4, 3, []float64{1, 1, 1, 1, -1, -1, -1, 1, -1, -1, -1, 1})
	label := mat.NewDense(4, 1, []float64{1, 1, -1, -1})
	fmt.Printf("C(K_X, K_Y) = %.4f (1/√3 = 0.5774)\n", rep.KernelAlignment(rep.KernelOf(tetra), rep.KernelOf(label)))
	// Output:
	// C(I, K_Y) = 0.6547 (√(3/7) = 0.6547)
	// C(K_X, K_Y) = 0.5774 (1/√3 = 0.5774)
}

// The participation ratio counts the dimensions a representation
// effectively spans: 2 for a square, 3 for a tetrahedron, less when one
// direction dominates.
func ExampleParticipationRatio() {
	square := mat.NewDense(4, 2, []float64{1, 1, 1, -1, -1, 1, -1, -1})
	tetra := mat.NewDense(4, 3, []float64{1, 1, 1, 1, -1, -1, -1, 1, -1, -1, -1, 1})
	rectangle := mat.NewDense(4, 2, []float64{3, 1, 3, -1, -3, 1, -3, -1})
	fmt.Printf("square %.3f, tetrahedron %.3f, 3:1 rectangle %.3f\n",
		rep.ParticipationRatio(square), rep.ParticipationRatio(tetra), rep.ParticipationRatio(rectangle))
	fmt.Printf("from the kernel: %.3f\n", rep.KernelParticipationRatio(rep.KernelOf(tetra)))
	// Output:
	// square 2.000, tetrahedron 3.000, 3:1 rectangle 1.220
	// from the kernel: 3.000
}

// KernelOf is HHᵀ; CenteredKernel removes the mean over stimuli.
func ExampleCenteredKernel() {
	h := mat.NewDense(3, 2, []float64{1, 0, 0, 1, 2, 2})
	k := rep.KernelOf(h)
	fmt.Printf("K =\n%.3f\n", mat.Formatted(k))
	fmt.Printf("HKH =\n%.3f\n", mat.Formatted(rep.CenteredKernel(k)))
	// Output:
	// K =
	// ⎡1.000  0.000  2.000⎤
	// ⎢0.000  1.000  2.000⎥
	// ⎣2.000  2.000  8.000⎦
	// HKH =
	// ⎡ 1.000   0.000  -1.000⎤
	// ⎢ 0.000   1.000  -1.000⎥
	// ⎣-1.000  -1.000   2.000⎦
}

// Paper A's kernel test (DIGEST §A4.2): fit the trained kernel as a
// multiple of the theory's shape S = dY·11ᵀ + K_Y.
func ExampleFitScale() {
	y := mat.NewDense(4, 2, []float64{1, 1, 1, -1, -1, 1, -1, -1})
	s := mat.NewDense(4, 4, nil)
	ky := rep.KernelOf(y)
	for i := 0; i < 4; i++ {
		for j := 0; j < 4; j++ {
			s.Set(i, j, 2+ky.At(i, j))
		}
	}
	// A "trained" kernel: 0.05·S plus a small perturbation of one entry.
	k := mat.NewDense(4, 4, nil)
	k.Scale(0.05, s)
	k.Set(0, 0, k.At(0, 0)+0.001)
	scale, residual := rep.FitScale(k, s)
	fmt.Printf("scale %.4f, relative residual %.4f\n", scale, residual)
	// Output:
	// scale 0.0500, relative residual 0.0019
}
