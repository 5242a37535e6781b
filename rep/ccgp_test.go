package rep

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// metricNoisy returns n noisy samples (std sigma) around each row of
// centres, embedded in m ≥ dim dimensions by a random rotation, with the
// condition of each sample.
func metricNoisy(rng *rand.Rand, centres *mat.Dense, n, m int, sigma float64) (*mat.Dense, []int) {
	c, dim := centres.Dims()
	rot := metricRotation(rng, m)
	h := mat.NewDense(c*n, m, nil)
	class := make([]int, c*n)
	for i := range class {
		class[i] = i % c
		for f := 0; f < m; f++ {
			v := 0.0
			for g := 0; g < dim; g++ {
				v += centres.At(class[i], g) * rot.At(g, f)
			}
			h.Set(i, f, v+sigma*rng.NormFloat64())
		}
	}
	return h, class
}

// metricRotation returns a random m×m orthogonal matrix (Q of a Gaussian
// matrix).
func metricRotation(rng *rand.Rand, m int) *mat.Dense {
	var qr mat.QR
	qr.Factorize(metricsRandDense(rng, m, m))
	var q mat.Dense
	qr.QTo(&q)
	return &q
}

// metricLabelsOf returns the rows of labels picked by class.
func metricLabelsOf(labels *mat.Dense, class []int) *mat.Dense {
	_, dl := labels.Dims()
	out := mat.NewDense(len(class), dl, nil)
	for i, c := range class {
		out.SetRow(i, labels.RawRowView(c))
	}
	return out
}

// metricCubeCentres returns the 2^dl vertices of the ±1 cube (condition c has
// coordinate k = 2·bit_k(c) − 1), which are also its labels.
func metricCubeCentres(dl int) *mat.Dense {
	q := 1 << dl
	d := mat.NewDense(q, dl, nil)
	for c := 0; c < q; c++ {
		for k := 0; k < dl; k++ {
			d.Set(c, k, float64(2*((c>>k)&1)-1))
		}
	}
	return d
}

func TestCCGPWellSeparated(t *testing.T) {
	rng := rand.New(rand.NewPCG(61, 62))
	square, _, labels := metricSquareTetra()
	// Noise-free square: two points per training set, exact generalization.
	for k, v := range CCGP(square, labels) {
		if v != 1 {
			t.Errorf("square: CCGP_%d = %v, want exactly 1", k, v)
		}
	}
	// Noisy square and cube in 10 and 20 dimensions, noise well below the
	// separation: every latent generalizes perfectly, in both variants.
	for _, tc := range []struct {
		name    string
		centres *mat.Dense
		labels  *mat.Dense
		m       int
	}{
		{"square", square, labels, 10},
		{"cube", metricCubeCentres(3), metricCubeCentres(3), 20},
	} {
		h, class := metricNoisy(rng, tc.centres, 30, tc.m, 0.1)
		lab := metricLabelsOf(tc.labels, class)
		for k, v := range CCGP(h, lab) {
			if v != 1 {
				t.Errorf("%s: CCGP_%d = %v, want exactly 1", tc.name, k, v)
			}
		}
		cls, dich := Conditions(lab)
		if tc.name == "cube" {
			// Bernardi's original scheme (3 of 4 conditions per side)
			// generalizes perfectly too.
			for k, d := range dich {
				if v := (LinearSVM{}).CCGPDichotomyPerSide(h, cls, d, 3, 0); v != 1 {
					t.Errorf("cube: Bernardi CCGP (3 per side) of latent %d = %v, want exactly 1", k, v)
				}
			}
		} else {
			// The code's C/4 per side includes splits whose training
			// conditions differ along the other latent too: 2 of the 4
			// splits of the square are diagonal and at chance, so ≈ 0.75.
			for k, d := range dich {
				if v := CCGPDichotomy(h, cls, d); v < 0.65 || v > 0.85 {
					t.Errorf("square: Bernardi CCGP (1 per side) of latent %d = %v, want ≈ 0.75", k, v)
				}
			}
		}
	}
}

func TestCCGPLowGeometries(t *testing.T) {
	rng := rand.New(rand.NewPCG(63, 64))
	_, tetra, labels := metricSquareTetra()
	// XOR: latent 0 is coded by +x when y1 = +1 and by −x when y1 = −1:
	// the decoder trained in one context is always wrong in the other.
	xor := mat.NewDense(4, 2, []float64{1, 1, 1, -1, -1, 1, -1, -1})
	for i := 0; i < 4; i++ { // x = y0·y1, y = y1
		xor.Set(i, 0, labels.At(i, 0)*labels.At(i, 1))
		xor.Set(i, 1, labels.At(i, 1))
	}
	if v := CCGP(xor, labels)[0]; v != 0 {
		t.Errorf("XOR: CCGP_0 = %v, want exactly 0", v)
	}
	h, class := metricNoisy(rng, xor, 30, 5, 0.1)
	if v := CCGP(h, metricLabelsOf(labels, class))[0]; v != 0 {
		t.Errorf("noisy XOR: CCGP_0 = %v, want 0", v)
	}
	// Tetrahedron: the coding directions of the two contexts are
	// orthogonal, so a decoder trained in one is at chance in the other.
	h, class = metricNoisy(rng, tetra, 50, 6, 0.3)
	for k, v := range CCGP(h, metricLabelsOf(labels, class)) {
		if v < 0.25 || v > 0.75 {
			t.Errorf("tetrahedron: CCGP_%d = %v, want near chance (0.5)", k, v)
		}
	}
	// dL = 1: no other latent to generalize across.
	if v := CCGP(h, mat.NewDense(len(class), 1, nil))[0]; !math.IsNaN(v) {
		t.Errorf("dL=1: CCGP = %v, want NaN", v)
	}
	bad := mat.DenseCopyOf(h)
	bad.Set(0, 0, math.NaN())
	for _, v := range CCGP(bad, metricLabelsOf(labels, class)) {
		if !math.IsNaN(v) {
			t.Errorf("NaN input: CCGP = %v, want NaN", v)
		}
	}
	metricMustPanic(t, "row mismatch", func() { CCGP(h, labels) })
}

// ccgpBySubsets is an independent per-latent CCGP on the full cube: the
// contexts are the values of the condition index with bit k cleared, the
// rows are gathered into new matrices, and the public Fit and Score are
// used.
func ccgpBySubsets(h *mat.Dense, cond []int, dl int) []float64 {
	_, m := h.Dims()
	gather := func(keep func(c int) bool, k int) (*mat.Dense, []bool) {
		var data []float64
		var y []bool
		for i, c := range cond {
			if keep(c) {
				data = append(data, h.RawRowView(i)...)
				y = append(y, c&(1<<k) != 0)
			}
		}
		return mat.NewDense(len(y), m, data), y
	}
	out := make([]float64, dl)
	for k := 0; k < dl; k++ {
		var ctxs []int
		for c := 0; c < 1<<dl; c++ {
			if c&(1<<k) == 0 {
				ctxs = append(ctxs, c)
			}
		}
		total := 0.0
		for _, a := range ctxs {
			x, y := gather(func(c int) bool { return c&^(1<<k) == a }, k)
			model, err := LinearSVM{}.Fit(x, y)
			if err != nil {
				panic(err)
			}
			acc := 0.0
			for _, b := range ctxs {
				if b != a {
					xt, yt := gather(func(c int) bool { return c&^(1<<k) == b }, k)
					acc += model.Score(xt, yt)
				}
			}
			total += acc / float64(len(ctxs)-1)
		}
		out[k] = total / float64(len(ctxs))
	}
	return out
}

func TestCCGPIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(65, 66))
	for _, dl := range []int{2, 3} {
		// Random centres with large noise: accuracies strictly between 0
		// and 1, so the comparison is not trivial.
		centres := metricsRandDense(rng, 1<<dl, 4)
		h, cond := metricNoisy(rng, centres, 12, 8, 1.0)
		lab := metricLabelsOf(metricCubeCentres(dl), cond)
		got, want := CCGP(h, lab), ccgpBySubsets(h, cond, dl)
		for k := range want {
			if math.Abs(got[k]-want[k]) > 1e-12 {
				t.Errorf("dL=%d: CCGP_%d = %v, independent %v", dl, k, got[k], want[k])
			}
			if got[k] == 0 || got[k] == 1 {
				t.Errorf("dL=%d: CCGP_%d = %v, the test needs a non-trivial value", dl, k, got[k])
			}
		}
	}
}

// ccgpBernardiBrute is an independent Bernardi CCGP: nested loops over the
// k-subsets of each side, rows gathered, public Fit and Score; each split
// also trained the other way round when twoSided.
func ccgpBernardiBrute(h *mat.Dense, class []int, positive []bool, k int, twoSided bool) float64 {
	_, m := h.Dims()
	var pos, neg []int
	for j, p := range positive {
		if p {
			pos = append(pos, j)
		} else {
			neg = append(neg, j)
		}
	}
	var subsets func(set []int, k int) [][]int
	subsets = func(set []int, k int) [][]int {
		if k == 0 {
			return [][]int{nil}
		}
		var out [][]int
		for i := range set {
			for _, rest := range subsets(set[i+1:], k-1) {
				out = append(out, append([]int{set[i]}, rest...))
			}
		}
		return out
	}
	gather := func(in func(c int) bool) (*mat.Dense, []bool) {
		var data []float64
		var y []bool
		for i, c := range class {
			if in(c) {
				data = append(data, h.RawRowView(i)...)
				y = append(y, positive[c])
			}
		}
		return mat.NewDense(len(y), m, data), y
	}
	fitScore := func(train func(int) bool) float64 {
		x, y := gather(train)
		model, err := LinearSVM{}.Fit(x, y)
		if err != nil {
			panic(err)
		}
		xt, yt := gather(func(c int) bool { return !train(c) })
		return model.Score(xt, yt)
	}
	var accs []float64
	for _, ps := range subsets(pos, k) {
		for _, ns := range subsets(neg, k) {
			in := func(c int) bool { return slices.Contains(ps, c) || slices.Contains(ns, c) }
			accs = append(accs, fitScore(in))
			if twoSided {
				accs = append(accs, fitScore(func(c int) bool { return !in(c) }))
			}
		}
	}
	s := 0.0
	for _, a := range accs {
		s += a
	}
	return s / float64(len(accs))
}

func TestCCGPDichotomyIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(67, 68))
	for _, c := range []int{4, 6, 8} {
		centres := metricsRandDense(rng, c, 5)
		h, class := metricNoisy(rng, centres, 10, 7, 0.8)
		for _, d := range Dichotomies(c)[:min(4, len(Dichotomies(c)))] {
			got, want := CCGPDichotomy(h, class, d), ccgpBernardiBrute(h, class, d, c/4, c%4 != 0)
			if math.Abs(got-want) > 1e-12 {
				t.Errorf("C=%d %v: CCGP = %v, independent %v", c, d, got, want)
			}
			per := c/2 - 1
			got, want = LinearSVM{}.CCGPDichotomyPerSide(h, class, d, per, 0), ccgpBernardiBrute(h, class, d, per, false)
			if math.Abs(got-want) > 1e-12 {
				t.Errorf("C=%d %v, %d per side: CCGP = %v, independent %v", c, d, per, got, want)
			}
		}
	}
}

func TestCCGPDichotomySplits(t *testing.T) {
	rng := rand.New(rand.NewPCG(69, 70))
	centres := metricsRandDense(rng, 8, 5)
	h, class := metricNoisy(rng, centres, 6, 7, 1.0)
	d := Dichotomies(8)[4]
	all := CCGPDichotomy(h, class, d)
	if v := (LinearSVM{}).CCGPDichotomy(h, class, d, 0); v != all {
		t.Errorf("maxSplits 0 (all) = %v, default cap (36 < 100 splits) = %v", v, all)
	}
	a := LinearSVM{Seed: 3}.CCGPDichotomy(h, class, d, 10)
	b := LinearSVM{Seed: 3}.CCGPDichotomy(h, class, d, 10)
	if a != b || math.IsNaN(a) {
		t.Errorf("capped CCGP not deterministic: %v vs %v", a, b)
	}
	for _, tc := range []struct{ total, k uint64 }{{36, 10}, {36, 36}, {36, 0}, {1 << 40, 50}, {5, 100}} {
		got := sampleIndices(tc.total, tc.k, 9)
		want := min(tc.total, tc.k)
		if tc.k == 0 {
			want = tc.total
		}
		if uint64(len(got)) != want || !slices.IsSorted(got) || got[len(got)-1] >= tc.total {
			t.Errorf("sampleIndices(%d, %d): %d indices %v…", tc.total, tc.k, len(got), got[:min(5, len(got))])
		}
		if len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Errorf("sampleIndices(%d, %d): repeated index", tc.total, tc.k)
		}
	}
	metricMustPanic(t, "unbalanced", func() { CCGPDichotomy(h, class, []bool{true, true, true, false, false, false, false, false}) })
	metricMustPanic(t, "perSide 0", func() { LinearSVM{}.CCGPDichotomyPerSide(h, class, d, 0, 0) })
	metricMustPanic(t, "perSide C/2", func() { LinearSVM{}.CCGPDichotomyPerSide(h, class, d, 4, 0) })
	metricMustPanic(t, "maxSplits < 0", func() { LinearSVM{}.CCGPDichotomy(h, class, d, -1) })
	if v := CCGPDichotomy(mat.NewDense(2, 1, []float64{1, -1}), []int{0, 1}, []bool{true, false}); !math.IsNaN(v) {
		t.Errorf("C=2: %v, want NaN", v)
	}
}

func TestUnrankCombination(t *testing.T) {
	// Lexicographic order, every subset once.
	n, k := 6, 3
	seen := map[[3]int]bool{}
	var prev []int
	comb := make([]int, k)
	for r := uint64(0); r < binomialU64(n, k); r++ {
		unrankCombination(n, r, comb)
		if prev != nil && slices.Compare(prev, comb) >= 0 {
			t.Fatalf("rank %d: %v not after %v", r, comb, prev)
		}
		seen[[3]int(comb)] = true
		prev = slices.Clone(comb)
	}
	if len(seen) != 20 {
		t.Errorf("%d distinct 3-subsets of 6, want 20", len(seen))
	}
}

// BenchmarkCCGP measures the per-latent CCGP and Bernardi's CCGP of a
// noisy cube (8 conditions × 50 samples, M = 100).
func BenchmarkCCGP(b *testing.B) {
	rng := rand.New(rand.NewPCG(2, 2))
	h, class := metricNoisy(rng, metricCubeCentres(3), 50, 100, 0.5)
	lab := metricLabelsOf(metricCubeCentres(3), class)
	cls, latent := Conditions(lab)
	b.Run("latents", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			CCGP(h, lab)
		}
	})
	b.Run("dichotomy", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			CCGPDichotomy(h, cls, latent[0])
		}
	})
}
