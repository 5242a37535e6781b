package rep

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestDichotomies(t *testing.T) {
	for _, tc := range []struct{ c, n int }{{2, 1}, {4, 3}, {6, 10}, {8, 35}, {10, 126}} {
		ds := Dichotomies(tc.c)
		if len(ds) != tc.n {
			t.Errorf("Dichotomies(%d): %d, want %d", tc.c, len(ds), tc.n)
		}
		for i, d := range ds {
			npos := 0
			for _, p := range d {
				if p {
					npos++
				}
			}
			if len(d) != tc.c || npos != tc.c/2 || !d[0] {
				t.Errorf("Dichotomies(%d)[%d] = %v: not balanced with condition 0 positive", tc.c, i, d)
			}
			for j := 0; j < i; j++ {
				if SameDichotomy(d, ds[j]) {
					t.Errorf("Dichotomies(%d): %d and %d are the same split", tc.c, i, j)
				}
			}
		}
	}
	// Every latent of the cube is one of them, once.
	_, latent := Conditions(metricCubeCentres(3))
	for k, l := range latent {
		n := 0
		for _, d := range Dichotomies(8) {
			if SameDichotomy(d, l) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("latent %d matches %d dichotomies, want 1", k, n)
		}
	}
	if !SameDichotomy([]bool{true, false, true, false}, []bool{false, true, false, true}) ||
		SameDichotomy([]bool{true, false, true, false}, []bool{true, true, false, false}) ||
		SameDichotomy([]bool{true, false}, []bool{true, false, false}) {
		t.Errorf("SameDichotomy wrong")
	}
	metricMustPanic(t, "odd", func() { Dichotomies(5) })
	metricMustPanic(t, "too many", func() { Dichotomies(22) })
	metricMustPanic(t, "zero", func() { Dichotomies(0) })
}

func TestConditions(t *testing.T) {
	// Rows in any order, labels ±1 or 0/1; conditions numbered by the
	// binary number with latent k as bit k, absent patterns skipped.
	lab := mat.NewDense(5, 2, []float64{
		1, 1, // bits 11 = 3 → condition 2 (patterns present: 0, 1, 3)
		-1, -1, // 0 → 0
		1, 0, // 01 = 1 → 1
		-1, -1, // 0
		1, 1, // 3 → 2
	})
	class, latent := Conditions(lab)
	if want := []int{2, 0, 1, 0, 2}; !metricEqualInts(class, want) {
		t.Errorf("class = %v, want %v", class, want)
	}
	if len(latent) != 2 || !metricEqualBools(latent[0], []bool{false, true, true}) || !metricEqualBools(latent[1], []bool{false, false, true}) {
		t.Errorf("latent = %v", latent)
	}
}

func metricEqualInts(a, b []int) bool {
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

func metricEqualBools(a, b []bool) bool {
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

func TestDecodeAccuracyFig1(t *testing.T) {
	// Paper A Fig. 1B: both latents are perfectly decodable in the square
	// and in the tetrahedron; the XOR dichotomy only in the tetrahedron
	// (Paper B: the high-dimensional geometry decodes untrained dichotomies).
	rng := rand.New(rand.NewPCG(71, 72))
	square, tetra, labels := metricSquareTetra()
	for _, tc := range []struct {
		name    string
		centres *mat.Dense
		xorOK   bool
	}{{"square", square, false}, {"tetrahedron", tetra, true}} {
		h, class := metricNoisy(rng, tc.centres, 40, 5, 0.2)
		cls, latent := Conditions(metricLabelsOf(labels, class))
		for k, d := range latent {
			if acc := DecodeAccuracy(h, cls, d, 5, 1); acc != 1 {
				t.Errorf("%s: latent %d decoded at %v, want 1", tc.name, k, acc)
			}
		}
		var xor []bool
		for _, d := range Dichotomies(4) {
			if !SameDichotomy(d, latent[0]) && !SameDichotomy(d, latent[1]) {
				xor = d
			}
		}
		acc := DecodeAccuracy(h, cls, xor, 5, 1)
		if tc.xorOK && acc != 1 {
			t.Errorf("%s: XOR decoded at %v, want 1", tc.name, acc)
		}
		if !tc.xorOK && acc > 0.8 {
			t.Errorf("%s: XOR decoded at %v, a linear decoder cannot beat 0.75", tc.name, acc)
		}
	}
}

func TestDecodeAccuracyChanceAndFolds(t *testing.T) {
	rng := rand.New(rand.NewPCG(73, 74))
	// Pure noise: every condition has the same distribution, so decoding
	// is at chance.
	h, class := metricNoisy(rng, mat.NewDense(8, 3, nil), 40, 10, 1)
	for _, d := range Dichotomies(8)[:5] {
		if acc := DecodeAccuracy(h, class, d, 4, 2); acc < 0.35 || acc > 0.65 {
			t.Errorf("noise: %v decoded at %v, want ≈ 0.5", d, acc)
		}
	}
	// Deterministic per seed; the folds are stratified by condition (a
	// fold then holds every condition: leave-one-out over 2 rows per
	// condition keeps both classes in training).
	d := Dichotomies(8)[3]
	if a, b := DecodeAccuracy(h, class, d, 4, 9), DecodeAccuracy(h, class, d, 4, 9); a != b {
		t.Errorf("same seed: %v vs %v", a, b)
	}
	// 8 random centres in 7-D are in general position: every dichotomy is
	// linearly separable, so leave-one-out decoding is perfect.
	small, smallClass := metricNoisy(rng, metricsRandDense(rng, 8, 7), 3, 9, 0.05)
	if v := DecodeAccuracy(small, smallClass, d, len(smallClass), 0); v != 1 {
		t.Errorf("leave-one-out, 8 random centres: %v, want 1", v)
	}
	// An unbalanced dichotomy is fine for decoding.
	unb := []bool{true, false, false, false, false, false, false, false}
	if v := DecodeAccuracy(h, class, unb, 4, 0); v < 0.8 {
		t.Errorf("1-vs-7 noise decoding %v: should predict the majority (0.875)", v)
	}
	bad := mat.DenseCopyOf(h)
	bad.Set(3, 3, math.NaN())
	if v := DecodeAccuracy(bad, class, d, 4, 0); !math.IsNaN(v) {
		t.Errorf("NaN input: %v, want NaN", v)
	}
	metricMustPanic(t, "folds 1", func() { DecodeAccuracy(h, class, d, 1, 0) })
	metricMustPanic(t, "folds > P", func() { DecodeAccuracy(h, class, d, len(class)+1, 0) })
	metricMustPanic(t, "class range", func() { DecodeAccuracy(h, class, d[:4], 4, 0) })
}
