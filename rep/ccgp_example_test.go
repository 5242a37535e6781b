package rep_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/repgeom/repgeom/rep"
	"gonum.org/v1/gonum/mat"
)

// noisySamples returns n noisy samples (standard deviation sigma) around
// each row of centres, and the labels of their centres.
func noisySamples(centres, labels *mat.Dense, n int, sigma float64, seed uint64) (h, lab *mat.Dense) {
	rng := rand.New(rand.NewPCG(seed, 1))
	c, m := centres.Dims()
	_, dl := labels.Dims()
	h, lab = mat.NewDense(c*n, m, nil), mat.NewDense(c*n, dl, nil)
	for i := 0; i < c*n; i++ {
		for f := 0; f < m; f++ {
			h.Set(i, f, centres.At(i%c, f)+sigma*rng.NormFloat64())
		}
		lab.SetRow(i, labels.RawRowView(i%c))
	}
	return h, lab
}

// CCGP of paper B's text: a decoder of y1 trained where y2 = +1 is tested
// where y2 = −1, and vice versa. It generalizes on the square, is about at
// chance on the tetrahedron (with 4 conditions the estimate is coarse: a
// test condition tends to be classified wholesale) and, for the latent
// whose coding direction flips, always wrong on an XOR geometry.
func ExampleCCGP() {
	labels := mat.NewDense(4, 2, []float64{1, 1, 1, -1, -1, 1, -1, -1})
	square := mat.NewDense(4, 2, []float64{1, 1, 1, -1, -1, 1, -1, -1})
	tetra := mat.NewDense(4, 3, []float64{1, 1, 1, 1, -1, -1, -1, 1, -1, -1, -1, 1})
	xor := mat.NewDense(4, 2, []float64{1, 1, -1, -1, -1, 1, 1, -1}) // x = y1·y2, y = y2
	for _, g := range []struct {
		name    string
		centres *mat.Dense
	}{{"square", square}, {"tetrahedron", tetra}, {"xor", xor}} {
		h, lab := noisySamples(g.centres, labels, 100, 0.3, 7)
		fmt.Printf("%-11s CCGP = %.1f\n", g.name, rep.CCGP(h, lab))
	}
	// Output:
	// square      CCGP = [1.0 1.0]
	// tetrahedron CCGP = [0.7 0.5]
	// xor         CCGP = [0.0 0.5]
}

// Bernardi's CCGP of the three latents of a cube of 8 conditions, with
// paper B's code's split (2 of 4 conditions per side, 36 splits) and with
// Bernardi et al.'s original one (3 of 4 per side, 16 splits). Some of the
// 2-per-side training sets differ along other latents too and train
// decoders that do not generalize, so only the second reaches 1 on this
// perfectly factorized geometry.
func ExampleCCGPDichotomy() {
	cube := mat.NewDense(8, 3, nil)
	for c := 0; c < 8; c++ {
		for k := 0; k < 3; k++ {
			cube.Set(c, k, float64(2*((c>>k)&1)-1))
		}
	}
	h, lab := noisySamples(cube, cube, 20, 0.2, 8)
	class, latent := rep.Conditions(lab)
	for k, d := range latent {
		fmt.Printf("latent %d: C/4 per side %.2f, C/2−1 per side %.2f\n", k,
			rep.CCGPDichotomy(h, class, d),
			rep.LinearSVM{}.CCGPDichotomyPerSide(h, class, d, 3, 0))
	}
	// Output:
	// latent 0: C/4 per side 0.95, C/2−1 per side 1.00
	// latent 1: C/4 per side 0.94, C/2−1 per side 1.00
	// latent 2: C/4 per side 0.94, C/2−1 per side 1.00
}
