package rep_test

import (
	"context"
	"fmt"

	"github.com/repgeom/repgeom/rep"
	"gonum.org/v1/gonum/mat"
)

// Solve paper A's mean-field problem for whitened inputs and ReLU: the
// optimum is the abstract kernel b*(dY·11ᵀ + K_Y), certified globally
// optimal by exact pricing.
func ExampleNewMeanField() {
	task := rep.Must(rep.NewTask(2).Build())
	sol := rep.Must(rep.NewMeanField(task).Activation(rep.ReLU).L2(1e-2, 1e-2).Solve())

	th := rep.Must(rep.TheoryReLU(task, 1e-2, 1e-2))
	fmt.Printf("b* = %.5f, kernel error below 1e-9: %v\n", th.B, rep.KernelRelErr(sol.Kernel(), th.Kernel()) < 1e-9)
	fmt.Printf("E = %.6f\n", sol.Energy())
	fmt.Printf("proof: %v, violation below 1e-8: %v\n", sol.IsProof(), sol.Certificate() < 1e-8)
	fmt.Printf("%d atoms, status %v\n", len(sol.Atoms()), sol.Status())
	// Output:
	// b* = 0.45394, kernel error below 1e-9: true
	// E = 0.087396
	// proof: true, violation below 1e-8: true
	// 4 atoms, status Converged
}

// Any kernels can be solved: here paper B's XOR (four inputs on the corners
// of a square, target = XOR of the corners' signs), for which the theory
// promises nothing. The certified optimum is not abstract.
func ExampleNewMeanFieldKernels() {
	x := mat.NewDense(4, 2, []float64{-1, -1, 1, -1, -1, 1, 1, 1})
	y := mat.NewDense(4, 1, []float64{1, -1, -1, 1})
	kx := mat.NewSymDense(4, nil)
	kx.SymOuterK(1, x)
	for i := 0; i < 4; i++ {
		for j := i; j < 4; j++ {
			kx.SetSym(i, j, kx.At(i, j)+1) // the bias: K_X = XXᵀ + 11ᵀ
		}
	}
	ky := mat.NewSymDense(4, nil)
	ky.SymOuterK(1, y)
	sol := rep.Must(rep.NewMeanFieldKernels(kx, ky).L2(1e-2, 1e-2).Solve())
	latents := mat.NewDense(4, 2, []float64{-1, -1, 1, -1, -1, 1, 1, 1})
	ps := rep.KernelPS(sol.Kernel(), latents)
	fmt.Printf("proof %v, PS = %.2f %.2f\n", sol.IsProof(), ps[0], ps[1])
	// Output:
	// proof true, PS = 0.00 0.00
}

// Odd activations give K = b*·K_Y; tanh's optimum sits at vanishing
// preactivations (small-amplitude limit atoms).
func ExampleTheoryOdd() {
	task := rep.Must(rep.NewTask(2).Build())
	th := rep.Must(rep.TheoryOdd(task, rep.Tanh, 1e-2, 1e-2))
	sol := rep.Must(rep.NewMeanField(task).Activation(rep.Tanh).Solve())
	fmt.Printf("b*_odd = %.5f, solver error below 1e-9: %v, limit atoms: %v\n", th.B, rep.KernelRelErr(sol.Kernel(), th.Kernel()) < 1e-9, sol.Atoms()[0].Limit)
	// Output:
	// b*_odd = 0.49750, solver error below 1e-9: true, limit atoms: true
}

// The reduced energy of deep networks (DIGEST §A5.8), for each bias
// convention.
func ExampleTheoryDeep() {
	task := rep.Must(rep.NewTask(2).Build())
	for _, c := range []rep.BiasConvention{rep.BiasPenalized, rep.BiasFree} {
		d := rep.Must(rep.TheoryDeep(task, rep.ReLU, 3, c, 1e-2, 1e-2))
		fmt.Printf("%-9s b = %.5f %.5f %.5f\n", c, d.B[0], d.B[1], d.B[2])
	}
	// Output:
	// penalized b = 0.29604 0.39346 0.56535
	// free      b = 0.30780 0.45474 0.67185
}

// Theory, solver and a trained network side by side.
func ExampleCompareKernels() {
	task := rep.Must(rep.NewTask(2).Build())
	th := rep.Must(rep.TheoryReLU(task, 1e-2, 1e-2))
	sol := rep.Must(rep.NewMeanField(task).Solve())
	net := rep.Must(rep.NewNetwork(task).Hidden(64).L2(1e-2, 1e-2).InitScale(0.5).Seed(1).Build())
	rep.Must(net.Train(rep.GD(0.02).Epochs(100000)))
	cmp := rep.Must(rep.CompareKernels(task, []string{"theory", "solver", "trained"},
		th.Kernel(), sol.Kernel(), rep.KernelOf(net.Hidden(0))))
	for i, n := range cmp.Names {
		fmt.Printf("%-8s cosine %.4f  PS %.4f\n", n, cmp.Cosine[i][0], cmp.MeanPS[i])
	}
	// Output:
	// theory   cosine 1.0000  PS 1.0000
	// solver   cosine 1.0000  PS 1.0000
	// trained  cosine 1.0000  PS 1.0000
}

// The equivalent network: minimum-norm first layer, ridge readout; its
// loss equals the energy.
func ExampleSolution_Network() {
	task := rep.Must(rep.NewTask(2).Build())
	sol := rep.Must(rep.NewMeanField(task).Solve())
	net, notes, err := sol.Network()
	if err != nil {
		panic(err)
	}
	k := rep.KernelOf(net.Hidden(0))
	fmt.Printf("%d neurons, kernel error below 1e-12: %v, exact: %v\n", net.Readout().RawMatrix().Cols, rep.KernelRelErr(k, sol.Kernel()) < 1e-12, len(notes) == 0)
	// Output:
	// 4 neurons, kernel error below 1e-12: true, exact: true
}

// A deterministic parallel sweep over λ, input–output alignment and
// activation.
func ExampleMeanFieldGrid() {
	grid := rep.MeanFieldGrid{
		Base:        rep.NewMeanField(nil), // default settings; each point has its own task
		Task:        func(a float64) (*rep.Task, error) { return rep.NewTask(2).TargetAligned(a).Build() },
		Lambdas:     [][2]float64{{1e-2, 1e-2}},
		Alignments:  []float64{0, 2},
		Activations: []rep.Activation{rep.ReLU, rep.HardTanh},
	}
	pts, err := grid.Solve(context.Background())
	if err != nil {
		panic(err)
	}
	for _, p := range pts {
		ps := rep.KernelPS(p.Solution.Kernel(), rep.Must(grid.Task(p.Alignment)).Latents)
		fmt.Printf("a=%g %-8s E=%.5f PS=%.3f\n", p.Alignment, p.Activation, p.Solution.Energy(), (ps[0]+ps[1])/2)
	}
	// Output:
	// a=0 relu     E=0.08740 PS=1.000
	// a=0 hardtanh E=0.07980 PS=1.000
	// a=2 relu     E=0.04270 PS=1.000
	// a=2 hardtanh E=0.02664 PS=1.000
}
