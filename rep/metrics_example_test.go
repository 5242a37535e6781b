package rep_test

import (
	"fmt"

	"github.com/repgeom/repgeom/rep"
	"gonum.org/v1/gonum/mat"
)

// Modularity of a readout (dY×M, columns = neurons): paper A's optimum has
// every neuron project to a single output.
func ExampleModularity() {
	modular := mat.NewDense(2, 4, []float64{
		1.2, -0.8, 0, 0,
		0, 0, 0.9, -1.1,
	})
	mixed := mat.NewDense(2, 4, []float64{
		1, -1, 1, 0.5,
		1, 1, -1, 0,
	})
	fmt.Printf("modular %.3f, mixed %.3f\n", rep.Modularity(modular), rep.Modularity(mixed))
	// Output:
	// modular 1.000, mixed 0.625
}
