package rep

import (
	"fmt"
	"testing"
)

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
