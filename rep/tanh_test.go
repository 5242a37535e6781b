package rep

import (
	"math"
	"testing"

	"github.com/repgeom/repgeom/rep/internal/rng"
)

// ulpDiff returns the distance between a and b in units in the last place
// (the number of doubles between them).
func ulpDiff(a, b float64) float64 {
	ia, ib := int64(math.Float64bits(a)), int64(math.Float64bits(b))
	if ia < 0 {
		ia = math.MinInt64 - ia
	}
	if ib < 0 {
		ib = math.MinInt64 - ib
	}
	d := ia - ib
	if d < 0 {
		d = -d
	}
	return float64(d)
}

// tanhInputs returns inputs spread over every binade that matters, both
// signs, plus special values.
func tanhInputs() []float64 {
	rng := rng.New(9)
	xs := []float64{0, math.Copysign(0, -1), 1e-300, 5e-324, 1e-17, 0.5, 1, 18.5, 19.06, 21.99, 22, 22.01, 40, 1e300,
		math.Inf(1), math.Inf(-1), math.MaxFloat64, math.Ln2 / 4, math.Ln2 / 2, math.Ln2}
	for i := 0; i < 200000; i++ {
		x := math.Exp(rng.Float64()*math.Log(30/1e-12)) * 1e-12 // log-uniform on [1e-12, 30]
		if i%3 == 0 {
			x = rng.Float64() * 3 // dense where tanh curves
		}
		if i%2 == 1 {
			x = -x
		}
		xs = append(xs, x)
	}
	return xs
}

// TestTanhULP: the vectorized tanh is within 2 ulp of math.Tanh everywhere
// (the worst case measured is printed), exactly odd, exactly ±1 in
// saturation, ±0 at ±0, and NaN at NaN.
func TestTanhULP(t *testing.T) {
	xs := tanhInputs()
	got := make([]float64, len(xs))
	der := make([]float64, len(xs))
	tanhApply(got, der, xs)
	worst, at := 0.0, 0.0
	for i, x := range xs {
		d := ulpDiff(got[i], math.Tanh(x))
		if d > worst {
			worst, at = d, x
		}
		if got[i] != -tanhGo(-x) {
			t.Errorf("tanh(%v) = %v but tanh(−x) = %v: not odd", x, got[i], tanhGo(-x))
		}
		if want := 1 - got[i]*got[i]; der[i] != want {
			t.Errorf("deriv at %v = %v, want 1 − t² = %v", x, der[i], want)
		}
	}
	t.Logf("max |tanh − math.Tanh| = %v ulp at x = %v", worst, at)
	if worst > 2 {
		t.Errorf("max error %v ulp at x = %v: want ≤ 2", worst, at)
	}
	for _, x := range []float64{19.1, 22, 100, math.Inf(1)} {
		if tanhGo(x) != 1 || tanhGo(-x) != -1 {
			t.Errorf("tanh(±%v) = %v, %v: want ±1", x, tanhGo(x), tanhGo(-x))
		}
	}
	if z := tanhGo(math.Copysign(0, -1)); z != 0 || !math.Signbit(z) {
		t.Errorf("tanh(−0) = %v, want −0", z)
	}
	if !math.IsNaN(tanhGo(math.NaN())) {
		t.Error("tanh(NaN) is not NaN")
	}
}

// TestTanhKernelMatchesGo: the AVX-512 kernel and tanhGo agree bit for bit,
// for every length around the vector width.
func TestTanhKernelMatchesGo(t *testing.T) {
	xs := tanhInputs()[:5000]
	for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, len(xs)} {
		src := xs[:n]
		var a, da, b, db []float64 = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		withSIMD(true, func() { tanhApply(a, da, src) })
		tanhApplyGo(b, db, src)
		for i := range src {
			if math.Float64bits(a[i]) != math.Float64bits(b[i]) || math.Float64bits(da[i]) != math.Float64bits(db[i]) {
				t.Fatalf("n=%d x=%v: kernel %v %v, Go %v %v", n, src[i], a[i], da[i], b[i], db[i])
			}
		}
		c := make([]float64, n)
		withSIMD(true, func() { tanhApply(c, nil, src) })
		for i := range c {
			if c[i] != a[i] {
				t.Fatalf("n=%d: without deriv %v, with %v", n, c[i], a[i])
			}
		}
	}
}

// BenchmarkTanh compares the vectorized tanh (value and derivative) on the
// sweep case's 256×100 preactivations with math.Tanh.
func BenchmarkTanh(b *testing.B) {
	src := make([]float64, 25600)
	rng := rng.New(1)
	for i := range src {
		src[i] = rng.NormFloat64()
	}
	dst, der := make([]float64, len(src)), make([]float64, len(src))
	b.Run("kernel", func(b *testing.B) {
		for b.Loop() {
			tanhApply(dst, der, src)
		}
		b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N*len(src)), "ns/elem")
	})
	b.Run("go", func(b *testing.B) {
		for b.Loop() {
			tanhApplyGo(dst, der, src)
		}
		b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N*len(src)), "ns/elem")
	})
	b.Run("math.Tanh", func(b *testing.B) {
		for b.Loop() {
			for i, x := range src {
				t := math.Tanh(x)
				dst[i] = t
				der[i] = 1 - t*t
			}
		}
		b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N*len(src)), "ns/elem")
	})
}

// TestExpNegULP: the portable e^(−|v|) of the BCE gradient is within 2 ulp
// of math.Exp on [−700, 700] (worst case printed).
func TestExpNegULP(t *testing.T) {
	rng := rng.New(3)
	worst, at := 0.0, 0.0
	for i := 0; i < 100000; i++ {
		v := (rng.Float64()*2 - 1) * 700
		if i%2 == 0 {
			v = rng.NormFloat64() * 5
		}
		if d := ulpDiff(expNeg(v), math.Exp(-math.Abs(v))); d > worst {
			worst, at = d, v
		}
	}
	t.Logf("max |expNeg − math.Exp| = %v ulp at v = %v", worst, at)
	if worst > 2 {
		t.Errorf("max error %v ulp at v = %v: want ≤ 2", worst, at)
	}
	if expNeg(0) != 1 || expNeg(math.Inf(1)) != expNeg(700) {
		t.Errorf("expNeg(0) = %v, expNeg(Inf) = %v", expNeg(0), expNeg(math.Inf(1)))
	}
}
