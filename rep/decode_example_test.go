package rep_test

import (
	"fmt"

	"github.com/repgeom/repgeom/rep"
	"gonum.org/v1/gonum/mat"
)

// Paper B's decoding of trained and untrained dichotomies: noisy samples of
// the four conditions, every balanced dichotomy decoded by a linear SVM
// with 5-fold cross-validation. The tetrahedron decodes all three; the
// square cannot decode XOR linearly.
func ExampleDecodeAccuracy() {
	labels := mat.NewDense(4, 2, []float64{1, 1, 1, -1, -1, 1, -1, -1})
	square := mat.NewDense(4, 2, []float64{1, 1, 1, -1, -1, 1, -1, -1})
	tetra := mat.NewDense(4, 3, []float64{1, 1, 1, 1, -1, -1, -1, 1, -1, -1, -1, 1})
	for _, g := range []struct {
		name    string
		centres *mat.Dense
	}{{"square", square}, {"tetrahedron", tetra}} {
		h, lab := noisySamples(g.centres, labels, 50, 0.3, 1)
		class, latent := rep.Conditions(lab)
		fmt.Print(g.name, ":")
		for _, d := range rep.Dichotomies(4) {
			kind := "untrained"
			if rep.SameDichotomy(d, latent[0]) || rep.SameDichotomy(d, latent[1]) {
				kind = "latent"
			}
			fmt.Printf(" %s %.1f", kind, rep.DecodeAccuracy(h, class, d, 5, 1))
		}
		fmt.Println()
	}
	// Output:
	// square: latent 1.0 latent 1.0 untrained 0.5
	// tetrahedron: latent 1.0 latent 1.0 untrained 1.0
}

// Dichotomies lists each balanced split of the conditions once; Conditions
// gives the ones the latents define.
func ExampleDichotomies() {
	fmt.Println(len(rep.Dichotomies(8)), "dichotomies of 8 conditions")
	for _, d := range rep.Dichotomies(4) {
		fmt.Println(d)
	}
	labels := mat.NewDense(4, 2, []float64{1, 1, 1, -1, -1, 1, -1, -1})
	class, latent := rep.Conditions(labels)
	fmt.Println("class of each row:", class)
	fmt.Println("latent dichotomies:", latent)
	// Output:
	// 35 dichotomies of 8 conditions
	// [true true false false]
	// [true false true false]
	// [true false false true]
	// class of each row: [3 1 2 0]
	// latent dichotomies: [[false true false true] [false false true true]]
}
