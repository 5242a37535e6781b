package rep_test

import (
	"fmt"

	"github.com/repgeom/repgeom/rep"
	"gonum.org/v1/gonum/mat"
)

// A linear SVM with scikit-learn LinearSVC's defaults (C = 1, squared
// hinge, intercept) separating two points per class.
func ExampleLinearSVM_Fit() {
	x := mat.NewDense(4, 2, []float64{
		2, 1,
		3, 0,
		-1, 2,
		-2, -1,
	})
	y := []bool{true, true, false, false}
	model, err := rep.LinearSVM{}.Fit(x, y)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("w = %.3f, b = %.3f, %v\n", model.Weights, model.Intercept, model.Status)
	test := mat.NewDense(2, 2, []float64{1, 0, -1, 0})
	fmt.Println("predict:", model.Predict(test), "accuracy:", model.Score(x, y))

	_, err = rep.LinearSVM{C: -1}.Fit(x, y)
	fmt.Println(err)
	// Output:
	// w = [0.556 -0.160], b = -0.035, Converged
	// predict: [true false] accuracy: 1
	// rep: LinearSVM.C = -1: must be finite and > 0 (0 means 1)
}
