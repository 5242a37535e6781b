package rep

import (
	"context"
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/rep/internal/rng"
)

// Benchmarks of the mean-field solver (acceptance 6). Exact pricing runs
// up to P = 16 (DefaultExactPricingP); above it the certificate is a
// multi-start search. Run them one size at a time on a shared machine:
//
//	go test -run '^$' -bench 'MeanField/whitened/P=16' -benchtime 3x ./rep/

// mfRandomTask returns a task with P stimuli, inputs X (P×P) Gaussian with
// variance 1/16 per entry (K_X = XXᵀ + 11ᵀ is full rank and not an
// M-matrix inverse), and dY = 2 balanced ±1 targets.
func mfRandomTask(p int, seed uint64) *Task {
	rng := rng.New(seed)
	x := mat.NewDense(p, p, nil)
	for i := 0; i < p; i++ {
		for j := 0; j < p; j++ {
			x.Set(i, j, rng.NormFloat64()/4)
		}
	}
	y := mat.NewDense(p, 2, nil)
	for i := 0; i < p; i++ {
		for k := 0; k < 2; k++ {
			y.Set(i, k, float64(2*((i>>k)&1)-1))
		}
	}
	return Must(NewDataTask(x, y).Build())
}

func BenchmarkMeanField(b *testing.B) {
	for _, p := range []int{4, 8, 16, 32, 64} {
		dy := int(math.Round(math.Log2(float64(p))))
		b.Run(fmt.Sprintf("whitened/P=%d", p), func(b *testing.B) {
			task := Must(NewTask(dy).Build())
			b.ReportAllocs()
			var sol *Solution
			for i := 0; i < b.N; i++ {
				sol = Must(NewMeanField(task).Activation(ReLU).L2(1e-2, 1e-2).Solve())
			}
			b.ReportMetric(sol.Certificate(), "certificate")
			b.ReportMetric(float64(sol.PricingFaces()), "faces")
		})
		b.Run(fmt.Sprintf("random/P=%d", p), func(b *testing.B) {
			task := mfRandomTask(p, 7)
			b.ReportAllocs()
			var sol *Solution
			for i := 0; i < b.N; i++ {
				sol = Must(NewMeanField(task).Activation(ReLU).L2(1e-2, 1e-2).Solve())
			}
			b.ReportMetric(sol.Certificate(), "certificate")
			b.ReportMetric(float64(sol.PricingFaces()), "faces")
		})
	}
}

// BenchmarkMeanFieldLadder solves paper A's mean-field problem (ReLU,
// λ₁ = λ₂ = 10⁻², default method) for whitened tasks of P = 4, 8, 16, 32,
// 64 stimuli (dY = 2 latents, 1…16 stimuli per class): how the solve time
// grows with P (issue 8's solve ladder). One op is one solve.
func BenchmarkMeanFieldLadder(b *testing.B) {
	for _, per := range []int{1, 2, 4, 8, 16} {
		task := Must(NewTask(2).PerClass(per).Whitened().Seed(1).Build())
		b.Run(fmt.Sprintf("P=%d", task.P()), func(b *testing.B) {
			mf := NewMeanField(task).Activation(ReLU).L2(1e-2, 1e-2)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := mf.Solve(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkExactPricing times one exact pricing call at the optimum (the
// certificate of a converged solve).
func BenchmarkExactPricing(b *testing.B) {
	for _, tc := range []struct {
		name string
		task *Task
	}{
		{"whitened/P=16", Must(NewTask(4).Build())},
		{"random/P=8", mfRandomTask(8, 7)},
		{"random/P=12", mfRandomTask(12, 7)},
		{"random/P=16", mfRandomTask(16, 7)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			bld := NewMeanField(tc.task).ExactPricing(0)
			pr := Must(bld.problem())
			s := newMFSolver(pr, bld)
			s.runParticles(context.Background(), max(8, pr.p), 3000, true)
			s.rmp()
			e := newPrExact(pr.kx, pr.p, 1, 0)
			lb := s.supportBest()
			b.ResetTimer()
			var faces int64
			for i := 0; i < b.N; i++ {
				_, _, faces, _ = e.price(context.Background(), s.gam, s.q, lb, pr.l1*(1+1e-10), 8)
			}
			b.ReportMetric(float64(faces), "faces")
		})
	}
}
