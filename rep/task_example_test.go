package rep_test

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/repgeom/repgeom/rep"
	"gonum.org/v1/gonum/mat"
)

// clean maps −0 (a tiny negative rounding error printed as "-0.000") to 0
// after rounding to 6 decimals, so printed outputs are robust.
func clean(v float64) float64 { return math.Round(v*1e6)/1e6 + 0 }

// maxDiff returns max |a_ij − b_ij|.
func maxDiff(a, b mat.Matrix) float64 {
	r, c := a.Dims()
	m := 0.0
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			m = math.Max(m, math.Abs(a.At(i, j)-b.At(i, j)))
		}
	}
	return m
}

// Paper A's Fig. 4 task: three latent variables, eight classes, whitened
// inputs (XXᵀ = I).
func ExampleNewTask() {
	task, err := rep.NewTask(3).PerClass(1).Whitened().Seed(7).Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(task)
	fmt.Println("class of stimulus 5:", task.Class[5], "latents:", task.Y.RawRowView(5))
	var eye mat.Dense
	eye.Mul(task.X, task.X.T())
	fmt.Printf("max |XXᵀ − I| < 1e-12: %v\n", maxDiff(&eye, diag(8, 1)) < 1e-12)
	fmt.Printf("input–output alignment %.3f = √(3/7) %.3f\n", task.InputOutputAlignment(), math.Sqrt(3.0/7))
	// Output:
	// latent task (whitened): P=8 dX=8 dY=3 dL=3 seed=7
	// class of stimulus 5: 5 latents: [1 -1 1]
	// max |XXᵀ − I| < 1e-12: true
	// input–output alignment 0.655 = √(3/7) 0.655
}

func diag(n int, v float64) *mat.Dense {
	m := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		m.Set(i, i, v)
	}
	return m
}

// Inputs partially aligned with the targets: XXᵀ = I + a·K_Y.
func ExampleTaskBuilder_TargetAligned() {
	for _, a := range []float64{0, 0.5, 2} {
		task := rep.Must(rep.NewTask(2).TargetAligned(a).Build())
		want := mat.NewDense(4, 4, nil)
		want.Scale(a, task.KY())
		want.Add(want, diag(4, 1))
		fmt.Printf("a=%.1f  XXᵀ = I + aK_Y: %v  alignment %.3f\n", a, maxDiff(task.KData(), want) < 1e-12, task.InputOutputAlignment())
	}
	// Output:
	// a=0.0  XXᵀ = I + aK_Y: true  alignment 0.816
	// a=0.5  XXᵀ = I + aK_Y: true  alignment 0.973
	// a=2.0  XXᵀ = I + aK_Y: true  alignment 0.997
}

// A different scale per latent direction.
func ExampleTaskBuilder_Anisotropic() {
	task := rep.Must(rep.NewTask(2).Anisotropic(0.5, 0.01).Build())
	k := task.KData()
	v0 := mat.NewVecDense(4, mat.Col(nil, 0, task.Y))
	v1 := mat.NewVecDense(4, mat.Col(nil, 1, task.Y))
	// v_kᵀ K v_k / P² = (1 + a_k P)/P.
	fmt.Printf("%.3f %.3f\n", mat.Inner(v0, k, v0)/16, mat.Inner(v1, k, v1)/16)
	// Output:
	// 0.750 0.260
}

// Multi-element classes (paper A Fig. 5): four stimuli per class with
// within-class correlation 0.3; γ = 1ᵀC⁻¹1 = n/(1+(n−1)ρ).
func ExampleTaskBuilder_WithinClassCorrelation() {
	task := rep.Must(rep.NewTask(2).PerClass(4).WithinClassCorrelation(0.3).Seed(1).Build())
	k := task.KData()
	fmt.Printf("P=%d  within class %.2f  between classes %.2f\n", task.P(), clean(k.At(0, 1)), clean(k.At(0, 4)))
	fmt.Printf("γ = %.4f (4/1.9 = %.4f)\n", task.ClassGamma()[0], 4/1.9)
	// Output:
	// P=16  within class 0.30  between classes 0.00
	// γ = 2.1053 (4/1.9 = 2.1053)
}

// Class-specific correlation matrices: one per class.
func ExampleTaskBuilder_ClassCorrelations() {
	cs := make([]mat.Matrix, 4)
	for c := range cs {
		r := 0.2 * float64(c)
		cs[c] = mat.NewDense(2, 2, []float64{1, r, r, 1})
	}
	task := rep.Must(rep.NewTask(2).PerClass(2).ClassCorrelations(cs...).Build())
	for _, g := range task.ClassGamma() {
		fmt.Printf("%.3f ", g) // 2/(1+r)
	}
	fmt.Println()
	// Output:
	// 2.000 1.667 1.429 1.250
}

// Paper A Fig. 4C: the XOR-variance family K = I + w·uuᵀ moves the input
// geometry away from the targets as w grows.
func ExampleTaskBuilder_XORVariance() {
	for _, w := range []float64{0, 0.25, 1, 3} {
		task := rep.Must(rep.NewTask(2).XORVariance(w).Build())
		fmt.Printf("w=%.2f alignment %.3f\n", w, task.InputOutputAlignment())
	}
	// Output:
	// w=0.00 alignment 0.816
	// w=0.25 alignment 0.577
	// w=1.00 alignment 0.272
	// w=3.00 alignment 0.108
}

// A random input kernel of prescribed alignment with the latent targets.
func ExampleTaskBuilder_RandomKernel() {
	task := rep.Must(rep.NewTask(3).RandomKernel(0.4).Seed(5).Build())
	fmt.Printf("alignment %.6f\n", task.InputOutputAlignment())
	// Output:
	// alignment 0.400000
}

// Paper B's δ-separable XOR: δ = 0 is XOR (alignment 0), δ = 1 puts the
// four clusters on a regular tetrahedron (alignment 1/√3).
func ExampleNewDeltaXOR() {
	for _, delta := range []float64{0, 0.5, 1} {
		task := rep.Must(rep.NewDeltaXOR(delta).Build())
		fmt.Printf("δ=%.1f P=%d N=%d alignment %.3f\n", delta, task.P(), task.DX(), clean(task.InputOutputAlignment()))
	}
	// Output:
	// δ=0.0 P=4 N=120 alignment 0.000
	// δ=0.5 P=4 N=120 alignment 0.174
	// δ=1.0 P=4 N=120 alignment 0.577
}

// Paper B's Fig. 1 task: four random clusters in 200 dimensions, one
// binary output; Outputs(2) gives the two-output task of Fig. 7.
func ExampleNewClusterTask() {
	task := rep.Must(rep.NewClusterTask().Build())
	two := rep.Must(rep.NewClusterTask().Outputs(2).Build())
	fmt.Println(task)
	fmt.Println("outputs:", task.DY(), two.DY(), " latents:", task.DL())
	// Output:
	// clusters task: P=4 dX=200 dY=1 dL=2 seed=1 σ_train=1 σ_test=1
	// outputs: 1 2  latents: 2
}

// Paper B's random tasks: P = 8 clusters, k = 3 parity targets (here the
// three latent bits), input–output alignment c.
func ExampleNewRandomKernelTask() {
	for _, c := range []float64{0, 0.3, 0.6} {
		maxDim := rep.Must(rep.NewRandomKernelTask(8, 3).Alignment(c).Build())
		random := rep.Must(rep.NewRandomKernelTask(8, 3).Alignment(c).Scale(0.5).Rank(5).Seed(3).Build())
		fmt.Printf("c=%.1f  maximal-dimensional %.6f  random rank-5 %.6f\n", c,
			clean(maxDim.InputOutputAlignment()), clean(random.InputOutputAlignment()))
	}
	// Output:
	// c=0.0  maximal-dimensional 0.000000  random rank-5 0.000000
	// c=0.3  maximal-dimensional 0.300000  random rank-5 0.300000
	// c=0.6  maximal-dimensional 0.600000  random rank-5 0.600000
}

// A task from user matrices, with latent labels.
func ExampleNewDataTask() {
	x := mat.NewDense(4, 2, []float64{0, 0, 1, 0, 0, 1, 1, 1})
	y := mat.NewDense(4, 1, []float64{-1, 1, 1, -1})
	l := mat.NewDense(4, 2, []float64{-1, -1, 1, -1, -1, 1, 1, 1})
	task, err := rep.NewDataTask(x, y).Latents(l).Build()
	fmt.Println(task.P(), task.Class, err)
	_, err = rep.NewDataTask(x, mat.NewDense(4, 1, []float64{0, 1, 1, -1})).Build()
	fmt.Println(err)
	// Output:
	// 4 [0 1 2 3] <nil>
	// rep: TaskSpec.Y[0][0] = 0: labels must be −1 or +1
}

// Noisy samples of every condition (paper B's training and test sets).
func ExampleTask_Samples() {
	task := rep.Must(rep.NewDeltaXOR(1).Build())
	x, y, _, class := task.Samples(250, task.NoiseTest, 1)
	r, c := x.Dims()
	fmt.Println(r, c, class[:6], y.At(0, 0) == task.Y.At(0, 0))
	// Output:
	// 1000 120 [0 1 2 3 0 1] true
}

// A task's spec round-trips through JSON and rebuilds the same task.
func ExampleBuildTask() {
	task := rep.Must(rep.NewTask(2).TargetAligned(0.5).Seed(3).Build())
	data, err := json.Marshal(task.Spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	var spec rep.TaskSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(spec.Kind, spec.Geometry, spec.Aligned, spec.Seed, spec.Version == rep.Version)
	again := rep.Must(rep.BuildTask(spec))
	fmt.Println("identical:", mat.Equal(task.X, again.X) && mat.Equal(task.Y, again.Y))
	// Output:
	// latent target-aligned 0.5 3 true
	// identical: true
}

// Bad settings are reported together, each naming the setter and range.
func ExampleTaskBuilder_Build() {
	_, err := rep.NewTask(0).PerClass(0).TargetAligned(-1).Build()
	fmt.Println(err)
	// Output:
	// rep: NewTask(0): latents must be in [1, 16]
	// rep: TaskBuilder.PerClass(0): n must be ≥ 1
	// rep: TaskBuilder.TargetAligned(-1): a must be finite and ≥ 0
}
