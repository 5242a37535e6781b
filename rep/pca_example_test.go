package rep_test

import (
	"fmt"

	"github.com/repgeom/repgeom/rep"
	"gonum.org/v1/gonum/mat"
)

// PCA of a flat 3:1 rectangle embedded in 3-D: two components carry all
// the variance, the first one along the long side.
func ExamplePCA() {
	h := mat.NewDense(4, 3, []float64{
		3, 1, 0,
		3, -1, 0,
		-3, 1, 0,
		-3, -1, 0,
	})
	r := rep.PCA(h, 2)
	fmt.Println(r)
	fmt.Printf("first axis %.3f\n", r.Components.RawRowView(0))
	fmt.Printf("scores on it %.3f\n", mat.Col(nil, 0, r.Scores))
	// Output:
	// PCA{2 of 3 features, 4 samples, explained 0.900 0.100}
	// first axis [1.000 0.000 0.000]
	// scores on it [3.000 3.000 -3.000 -3.000]
}
