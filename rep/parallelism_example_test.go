package rep_test

import (
	"fmt"

	"github.com/repgeom/repgeom/rep"
	"gonum.org/v1/gonum/mat"
)

// Paper A Fig. 1: four stimuli with two binary latents (y1, y2), placed on
// a square (an abstract geometry) or on a regular tetrahedron.
func ExampleParallelismScore() {
	labels := mat.NewDense(4, 2, []float64{
		+1, +1,
		+1, -1,
		-1, +1,
		-1, -1,
	})
	square := mat.NewDense(4, 2, []float64{1, 1, 1, -1, -1, 1, -1, -1})
	tetra := mat.NewDense(4, 3, []float64{1, 1, 1, 1, -1, -1, -1, 1, -1, -1, -1, 1})
	fmt.Printf("square:      PS = %.3f\n", rep.ParallelismScore(square, labels))
	fmt.Printf("tetrahedron: PS = %.3f\n", rep.ParallelismScore(tetra, labels))
	// Output:
	// square:      PS = [1.000 1.000]
	// tetrahedron: PS = [0.000 0.000]
}

// Bernardi's parallelism score of every balanced dichotomy of the square's
// four conditions: the two latents are perfectly parallel; for the XOR
// dichotomy every pairing gives antiparallel coding vectors.
func ExampleParallelismScoreDichotomy() {
	labels := mat.NewDense(4, 2, []float64{1, 1, 1, -1, -1, 1, -1, -1})
	square := mat.NewDense(4, 2, []float64{1, 1, 1, -1, -1, 1, -1, -1})
	class, latent := rep.Conditions(labels)
	for _, d := range rep.Dichotomies(4) {
		trained := rep.SameDichotomy(d, latent[0]) || rep.SameDichotomy(d, latent[1])
		fmt.Printf("%v latent=%v PS=%.3f\n", d, trained, rep.ParallelismScoreDichotomy(square, class, d))
	}
	// Output:
	// [true true false false] latent=true PS=1.000
	// [true false true false] latent=true PS=1.000
	// [true false false true] latent=false PS=-1.000
}
