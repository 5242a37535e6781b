package rep

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats"
)

// TestAxpyBitIdentical: the assembly axpy gives, bit for bit, the result of
// gonum's kernel and of the scalar loop, for every length around the
// unrolling boundaries.
func TestAxpyBitIdentical(t *testing.T) {
	rng := newRand(1)
	for n := 0; n < 70; n++ {
		x := make([]float64, n)
		y := make([]float64, n)
		for i := range x {
			x[i] = rng.NormFloat64() * math.Exp(10*rng.NormFloat64())
			y[i] = rng.NormFloat64()
		}
		a := rng.NormFloat64()
		want := append([]float64(nil), y...)
		for i := range want {
			want[i] += a * x[i]
		}
		ref := append([]float64(nil), y...)
		floats.AddScaled(ref, a, x)
		got := append([]float64(nil), y...)
		axpy(got, a, x)
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) || math.Float64bits(ref[i]) != math.Float64bits(want[i]) {
				t.Fatalf("n=%d i=%d: axpy %v, gonum %v, scalar %v", n, i, got[i], ref[i], want[i])
			}
		}
	}
}

func BenchmarkAxpy512(b *testing.B) {
	x, y := make([]float64, 512), make([]float64, 512)
	b.Run("ours", func(b *testing.B) {
		for b.Loop() {
			axpy(y, 1e-9, x)
		}
	})
	b.Run("gonum", func(b *testing.B) {
		for b.Loop() {
			floats.AddScaled(y, 1e-9, x)
		}
	})
}
