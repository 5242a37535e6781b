package sweep_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/repgeom/repgeom/rep/sweep"
)

// BenchmarkSweepWorkers runs the acceptance sweep (2 axes × 10 seeds, 40
// points) with 1 and with 2 workers, no store: the ratio of the two times
// is the speed-up of the worker pool (acceptance 1 asks ≥ 1.8× on 2 cores;
// measure on a quiet machine).
func BenchmarkSweepWorkers(b *testing.B) {
	cfg := testConfig(b)
	cfg.Training.Epochs = 2000
	sw, err := sweep.New(sweep.RepModel, cfg).
		Axis("network.activation.name", []string{"tanh", "relu"}).
		Axis("training.lr", []float64{0.02, 0.05}).
		Seeds(10).Seed(42).Build()
	if err != nil {
		b.Fatal(err)
	}
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := sw.Local().Workers(w).Run(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(sw.Len())*float64(b.N)/b.Elapsed().Seconds(), "points/s")
		})
	}
}
