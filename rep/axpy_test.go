package rep

import (
	"math"
	"testing"

	"github.com/repgeom/repgeom/rep/internal/rng"
)

// TestKernelsMatchGo: every AVX-512 vector kernel gives, bit for bit, the
// result of its pure-Go twin, for every length around the vector width and
// its unrolling, with values spanning many binades, zeros of both signs and
// NaN.
func TestKernelsMatchGo(t *testing.T) {
	if !hasAVX512 {
		t.Skip("no AVX-512: only the pure-Go kernels run on this processor")
	}
	rng := rng.New(1)
	vals := func(n int) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = rng.NormFloat64() * math.Exp(8*rng.NormFloat64())
			switch rng.IntN(20) {
			case 0:
				x[i] = 0
			case 1:
				x[i] = math.Copysign(0, -1)
			case 2:
				x[i] = math.NaN()
			}
		}
		return x
	}
	same := func(name string, n int, got, want []float64) {
		t.Helper()
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
				t.Fatalf("%s n=%d i=%d: kernel %v, Go %v", name, n, i, got[i], want[i])
			}
		}
	}
	for n := 0; n < 70; n++ {
		x, y, z := vals(n), vals(n), vals(n)
		a, b := make([]float64, n), make([]float64, n)
		withSIMD(true, func() { mulVec(a, x, y) })
		mulVecGo(b, x, y)
		same("mulVec", n, a, b)

		copy(a, z)
		copy(b, z)
		withSIMD(true, func() { addVec(a, x) })
		addVecGo(b, x)
		same("addVec", n, a, b)

		copy(a, z)
		copy(b, z)
		withSIMD(true, func() { gdStep(a, x, 0.03, 0.02) })
		gdStepGo(b, x, 0.03, 0.02)
		same("gdStep", n, a, b)

		da, db := make([]float64, n), make([]float64, n)
		withSIMD(true, func() { relu(a, da, x) })
		reluGo(b, db, x)
		same("relu", n, a, b)
		same("relu'", n, da, db)
		withSIMD(true, func() { relu(a, nil, y) })
		reluGo(b, nil, y)
		same("relu no deriv", n, a, b)

		// dots over 11 rows (8 + 3 single) with padded strides.
		const rows, ldo = 11, 3
		lda := n + 5
		m := make([]float64, rows*lda)
		for i := range m {
			m[i] = rng.NormFloat64()
		}
		bv := make([]float64, n)
		for i := range bv {
			bv[i] = rng.NormFloat64() * math.Exp(4*rng.NormFloat64())
		}
		oa, ob := make([]float64, rows*ldo), make([]float64, rows*ldo)
		withSIMD(true, func() { dots(oa, ldo, m, lda, rows, bv) })
		dotsGo(ob, ldo, m, lda, rows, bv)
		same("dots", n, oa, ob)
	}
}

// TestReLUKernelSemantics: ReLU gives +0 (not −0) for x ≤ 0 and NaN, and
// its derivative is 1 exactly where x > 0.
func TestReLUKernelSemantics(t *testing.T) {
	src := []float64{-1, math.Copysign(0, -1), 0, 1e-320, 2, math.NaN(), math.Inf(1), math.Inf(-1), -3}
	dst, der := make([]float64, len(src)), make([]float64, len(src))
	relu(dst, der, src)
	want := []float64{0, 0, 0, 1e-320, 2, 0, math.Inf(1), 0, 0}
	wantD := []float64{0, 0, 0, 1, 1, 0, 1, 0, 0}
	for i := range src {
		if math.Float64bits(dst[i]) != math.Float64bits(want[i]) || der[i] != wantD[i] {
			t.Errorf("relu(%v) = %v, %v; want %v, %v", src[i], dst[i], der[i], want[i], wantD[i])
		}
	}
}
