package rep

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// metricSVMProblem returns n samples in d dimensions labelled by a noisy linear
// rule (flip = probability of a flipped label: 0 gives separable data).
func metricSVMProblem(seed uint64, n, d int, flip float64) (*mat.Dense, []bool) {
	rng := rand.New(rand.NewPCG(seed, 99))
	x := metricsRandDense(rng, n, d)
	w := metricsRandDense(rng, d, 1)
	y := make([]bool, n)
	for i := range y {
		s := 0.3
		for f := 0; f < d; f++ {
			s += x.At(i, f) * w.At(f, 0)
		}
		y[i] = s > 0
		if rng.Float64() < flip {
			y[i] = !y[i]
		}
	}
	return x, y
}

// metricPrimalGradient returns the gradient of the primal objective
// ½‖w̃‖² + C Σ max(0, 1 − y_i w̃·x̃_i)² at the model, x̃ = (x, 1).
func metricPrimalGradient(m *LinearSVMModel, x *mat.Dense, y []bool, c float64) []float64 {
	n, d := x.Dims()
	g := append(append([]float64(nil), m.Weights...), m.Intercept)
	for i := 0; i < n; i++ {
		yi := -1.0
		if y[i] {
			yi = 1
		}
		f := m.Intercept
		for j := 0; j < d; j++ {
			f += m.Weights[j] * x.At(i, j)
		}
		if slack := 1 - yi*f; slack > 0 {
			for j := 0; j < d; j++ {
				g[j] -= 2 * c * slack * yi * x.At(i, j)
			}
			g[d] -= 2 * c * slack * yi
		}
	}
	return g
}

func TestLinearSVMOptimality(t *testing.T) {
	// At a tight tolerance the fitted model solves the primal problem: its
	// gradient vanishes (a check independent of the dual algorithm).
	for _, tc := range []struct {
		name string
		n, d int
		flip float64
		c    float64
	}{
		{"separable, C=1000", 60, 4, 0, 1000},
		{"noisy", 80, 5, 0.15, 1},
		{"wide", 20, 50, 0, 1},
		{"C=0.01", 80, 5, 0.15, 0.01},
		{"C=100", 80, 5, 0.15, 100},
	} {
		x, y := metricSVMProblem(7, tc.n, tc.d, tc.flip)
		m, err := LinearSVM{C: tc.c, Tol: 1e-10, MaxIter: 100000}.Fit(x, y)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if m.Status != Converged {
			t.Errorf("%s: status %v after %d passes", tc.name, m.Status, m.Iterations)
		}
		g := metricPrimalGradient(m, x, y, tc.c)
		scale := math.Sqrt(vdot(m.Weights, m.Weights) + m.Intercept*m.Intercept)
		if gn := math.Sqrt(vdot(g, g)); gn > 1e-6*max(1, scale*tc.c) {
			t.Errorf("%s: primal gradient norm %g (‖w̃‖ = %g)", tc.name, gn, scale)
		}
		if tc.flip == 0 {
			if acc := m.Score(x, y); acc != 1 {
				t.Errorf("%s: training accuracy %v, want 1", tc.name, acc)
			}
		}
	}
}

func TestLinearSVMDefaultsAndDeterminism(t *testing.T) {
	x, y := metricSVMProblem(3, 100, 6, 0.1)
	a, err := LinearSVM{}.Fit(x, y)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := LinearSVM{C: 1, Tol: 1e-4, MaxIter: 1000}.Fit(x, y)
	if a.Intercept != b.Intercept || !metricEqualFloats(a.Weights, b.Weights) {
		t.Errorf("zero value ≠ explicit defaults")
	}
	c, _ := LinearSVM{}.Fit(x, y)
	if a.Intercept != c.Intercept || !metricEqualFloats(a.Weights, c.Weights) {
		t.Errorf("same seed, different weights")
	}
	// Another seed visits coordinates in another order: same optimum
	// within the tolerance.
	d, _ := LinearSVM{Seed: 42}.Fit(x, y)
	da, dd := a.Decision(x), d.Decision(x)
	for i := range da {
		if math.Abs(da[i]-dd[i]) > 1e-2 {
			t.Errorf("seed 0 vs 42: decision %d differs: %v vs %v", i, da[i], dd[i])
			break
		}
	}
	// Predict agrees with the sign of Decision, ties negative.
	for i, p := range a.Predict(x) {
		if p != (da[i] > 0) {
			t.Errorf("Predict[%d] = %v, decision %v", i, p, da[i])
		}
	}
	// One pass on a noisy problem cannot converge.
	e, _ := LinearSVM{MaxIter: 1, Tol: 1e-12}.Fit(x, y)
	if e.Status != IterationLimit || e.Iterations != 1 {
		t.Errorf("MaxIter 1: status %v after %d passes", e.Status, e.Iterations)
	}
}

func metricEqualFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestLinearSVMErrors(t *testing.T) {
	x := mat.NewDense(4, 2, []float64{1, 0, 0, 1, -1, 0, 0, -1})
	y := []bool{true, true, false, false}
	nanX := mat.DenseCopyOf(x)
	nanX.Set(1, 1, math.NaN())
	for _, tc := range []struct {
		name string
		svm  LinearSVM
		x    *mat.Dense
		y    []bool
		want []string
	}{
		{"C<0", LinearSVM{C: -1}, x, y, []string{"LinearSVM.C = -1", "> 0"}},
		{"C NaN", LinearSVM{C: math.NaN()}, x, y, []string{"LinearSVM.C = NaN"}},
		{"C Inf", LinearSVM{C: math.Inf(1)}, x, y, []string{"LinearSVM.C = +Inf"}},
		{"Tol<0", LinearSVM{Tol: -1e-3}, x, y, []string{"LinearSVM.Tol = -0.001", "> 0"}},
		{"MaxIter<0", LinearSVM{MaxIter: -5}, x, y, []string{"LinearSVM.MaxIter = -5", "≥ 0"}},
		{"len(y)", LinearSVM{}, x, y[:3], []string{"len(y) = 3", "4 rows"}},
		{"NaN x", LinearSVM{}, nanX, y, []string{"NaN"}},
		{"one class", LinearSVM{}, x, []bool{true, true, true, true}, []string{"single class", "4 of 4"}},
		{"all at once", LinearSVM{C: -1, Tol: -1}, x, []bool{false, false, false, false}, []string{"LinearSVM.C", "LinearSVM.Tol", "single class"}},
	} {
		m, err := tc.svm.Fit(tc.x, tc.y)
		if err == nil || m != nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not say %q", tc.name, err, w)
			}
		}
	}
	m, _ := LinearSVM{}.Fit(x, y)
	metricMustPanic(t, "Decision column mismatch", func() { m.Decision(mat.NewDense(2, 3, nil)) })
	metricMustPanic(t, "Score len(y)", func() { m.Score(x, y[:2]) })
	metricMustPanic(t, "CCGP with invalid C", func() { LinearSVM{C: -1}.CCGP(x, mat.NewDense(4, 2, nil)) })
}

func BenchmarkLinearSVMFit(b *testing.B) {
	x, y := metricSVMProblem(1, 400, 100, 0.1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := (LinearSVM{}).Fit(x, y); err != nil {
			b.Fatal(err)
		}
	}
}
