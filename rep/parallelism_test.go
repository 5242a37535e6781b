package rep

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// metricsRandDense returns an r×c matrix of standard normal entries.
func metricsRandDense(rng *rand.Rand, r, c int) *mat.Dense {
	d := mat.NewDense(r, c, nil)
	for i := range d.RawMatrix().Data {
		d.RawMatrix().Data[i] = rng.NormFloat64()
	}
	return d
}

// metricCubeLabels returns the P×dL labels of n rows per condition of the full
// latent cube, rows in a shuffled order, and the condition (binary index,
// bit k = latent k is +1) of each row.
func metricCubeLabels(rng *rand.Rand, dl, n int) (*mat.Dense, []int) {
	q := 1 << dl
	cond := make([]int, 0, q*n)
	for c := 0; c < q; c++ {
		for j := 0; j < n; j++ {
			cond = append(cond, c)
		}
	}
	rng.Shuffle(len(cond), func(i, j int) { cond[i], cond[j] = cond[j], cond[i] })
	lab := mat.NewDense(len(cond), dl, nil)
	for i, c := range cond {
		for k := 0; k < dl; k++ {
			lab.Set(i, k, float64(2*((c>>k)&1)-1))
		}
	}
	return lab, cond
}

// metricSquareTetra returns the 4 points of a square and of a regular
// tetrahedron (DIGEST §A6 Fig. 1), assigned to (y1, y2) = (+,+), (+,−),
// (−,+), (−,−), and those labels.
func metricSquareTetra() (square, tetra, labels *mat.Dense) {
	labels = mat.NewDense(4, 2, []float64{1, 1, 1, -1, -1, 1, -1, -1})
	square = mat.NewDense(4, 2, []float64{1, 1, 1, -1, -1, 1, -1, -1})
	tetra = mat.NewDense(4, 3, []float64{1, 1, 1, 1, -1, -1, -1, 1, -1, -1, -1, 1})
	return square, tetra, labels
}

func TestParallelismScoreSquareTetrahedron(t *testing.T) {
	square, tetra, labels := metricSquareTetra()
	for k, ps := range ParallelismScore(square, labels) {
		if ps != 1 {
			t.Errorf("square: PS_%d = %v, want exactly 1", k, ps)
		}
	}
	for k, ps := range ParallelismScore(tetra, labels) {
		if ps != 0 {
			t.Errorf("tetrahedron: PS_%d = %v, want exactly 0 (orthogonal coding vectors)", k, ps)
		}
	}
	// A parallelogram (sheared, stretched square) in 5-D is still
	// perfectly parallel.
	rng := rand.New(rand.NewPCG(3, 4))
	a, b, o := metricsRandDense(rng, 1, 5), metricsRandDense(rng, 1, 5), metricsRandDense(rng, 1, 5)
	par := mat.NewDense(4, 5, nil)
	for i := 0; i < 4; i++ {
		for f := 0; f < 5; f++ {
			par.Set(i, f, o.At(0, f)+labels.At(i, 0)*a.At(0, f)+labels.At(i, 1)*b.At(0, f))
		}
	}
	for k, ps := range ParallelismScore(par, labels) {
		if math.Abs(ps-1) > 1e-12 {
			t.Errorf("parallelogram: PS_%d = %v, want 1", k, ps)
		}
	}
	// Bernardi's variant: the square's max over the two pairings is the
	// fixed pairing's 1; the tetrahedron's other pairing is orthogonal too.
	_, dich := Conditions(labels)
	class, _ := Conditions(labels)
	if got := ParallelismScoreDichotomy(square, class, dich[0]); got != 1 {
		t.Errorf("square: Bernardi PS = %v, want 1", got)
	}
	if got := ParallelismScoreDichotomy(tetra, class, dich[0]); got != 0 {
		t.Errorf("tetrahedron: Bernardi PS = %v, want 0", got)
	}
}

// psByKernel is an independent parallelism score: it builds the Gram matrix
// of the class means with explicit loops and gets every coding-vector dot
// product from it, Δα·Δβ = G(α+,β+) − G(α+,β−) − G(α−,β+) + G(α−,β−);
// contexts come from the bits of the condition index.
func psByKernel(h *mat.Dense, cond []int, dl int) []float64 {
	q := 1 << dl
	p, m := h.Dims()
	means := make([][]float64, q)
	for c := range means {
		means[c] = make([]float64, m)
		n := 0
		for i := 0; i < p; i++ {
			if cond[i] == c {
				n++
				for f := 0; f < m; f++ {
					means[c][f] += h.At(i, f)
				}
			}
		}
		for f := range means[c] {
			means[c][f] /= float64(n)
		}
	}
	g := make([][]float64, q)
	for a := range g {
		g[a] = make([]float64, q)
		for b := range g[a] {
			for f := 0; f < m; f++ {
				g[a][b] += means[a][f] * means[b][f]
			}
		}
	}
	out := make([]float64, dl)
	for k := 0; k < dl; k++ {
		var neg []int // conditions with latent k = −1; partner is c | 1<<k
		for c := 0; c < q; c++ {
			if c&(1<<k) == 0 {
				neg = append(neg, c)
			}
		}
		dd := func(a, b int) float64 {
			ap, bp := a|1<<k, b|1<<k
			return g[ap][bp] - g[ap][b] - g[a][bp] + g[a][b]
		}
		sum, n := 0.0, 0
		for i := range neg {
			for j := i + 1; j < len(neg); j++ {
				sum += dd(neg[i], neg[j]) / math.Sqrt(dd(neg[i], neg[i])*dd(neg[j], neg[j]))
				n++
			}
		}
		out[k] = sum / float64(n)
	}
	return out
}

func TestParallelismScoreIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, tc := range []struct{ dl, n, m int }{{2, 1, 3}, {2, 5, 40}, {3, 1, 512}, {3, 4, 17}, {4, 2, 30}, {5, 1, 64}} {
		for rep := 0; rep < 3; rep++ {
			lab, cond := metricCubeLabels(rng, tc.dl, tc.n)
			p, _ := lab.Dims()
			h := metricsRandDense(rng, p, tc.m)
			got := ParallelismScore(h, lab)
			want := psByKernel(h, cond, tc.dl)
			for k := range want {
				if math.Abs(got[k]-want[k]) > 1e-9 {
					t.Errorf("dL=%d n=%d M=%d: PS_%d = %.15g, independent %.15g", tc.dl, tc.n, tc.m, k, got[k], want[k])
				}
			}
		}
	}
}

func TestParallelismScoreEdgeCases(t *testing.T) {
	// dL = 1: one coding vector, PS undefined.
	h := mat.NewDense(2, 2, []float64{1, 0, 0, 1})
	if ps := ParallelismScore(h, mat.NewDense(2, 1, []float64{1, -1})); len(ps) != 1 || !math.IsNaN(ps[0]) {
		t.Errorf("dL=1: PS = %v, want [NaN]", ps)
	}
	// NaN anywhere: NaN for every latent, no panic.
	square, _, labels := metricSquareTetra()
	bad := mat.DenseCopyOf(square)
	bad.Set(2, 1, math.NaN())
	for _, ps := range ParallelismScore(bad, labels) {
		if !math.IsNaN(ps) {
			t.Errorf("NaN input: PS = %v, want NaN", ps)
		}
	}
	// 0/1 labels mean the same as ±1.
	zeroOne := mat.NewDense(4, 2, []float64{1, 1, 1, 0, 0, 1, 0, 0})
	_, tetra, _ := metricSquareTetra()
	if a, b := ParallelismScore(tetra, zeroOne), ParallelismScore(tetra, labels); a[0] != b[0] || a[1] != b[1] {
		t.Errorf("0/1 labels give %v, ±1 labels %v", a, b)
	}
	// A collapsed condition pair (zero coding vector) has cosine 0.
	flat := mat.NewDense(4, 2, []float64{1, 1, 1, 1, -1, 1, -1, 1})
	if ps := ParallelismScore(flat, labels); ps[0] != 1 || ps[1] != 0 {
		t.Errorf("zero coding vectors: PS = %v, want [1 0]", ps)
	}
	// Missing condition: latent 0 keeps one coding vector only.
	three := mat.NewDense(3, 2, []float64{1, 1, 1, -1, -1, 1})
	ps := ParallelismScore(three, mat.NewDense(3, 2, []float64{1, 1, 1, -1, -1, 1}))
	if !math.IsNaN(ps[0]) || !math.IsNaN(ps[1]) {
		t.Errorf("3 conditions: PS = %v, want [NaN NaN]", ps)
	}
	metricMustPanic(t, "row mismatch", func() { ParallelismScore(h, labels) })
}

// metricMustPanic fails unless f panics.
func metricMustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s: no panic", what)
		}
	}()
	f()
}

// bernardiBrute is an independent Bernardi PS: explicit coding vectors for
// each bijection, bijections enumerated recursively.
func bernardiBrute(h *mat.Dense, class []int, positive []bool) float64 {
	_, m := h.Dims()
	c := len(positive)
	means := mat.NewDense(c, m, nil)
	cnt := make([]float64, c)
	for i, k := range class {
		for f := 0; f < m; f++ {
			means.Set(k, f, means.At(k, f)+h.At(i, f))
		}
		cnt[k]++
	}
	for k := 0; k < c; k++ {
		for f := 0; f < m; f++ {
			means.Set(k, f, means.At(k, f)/cnt[k])
		}
	}
	var pos, neg []int
	for j, p := range positive {
		if p {
			pos = append(pos, j)
		} else {
			neg = append(neg, j)
		}
	}
	best := math.Inf(-1)
	used := make([]bool, len(neg))
	pick := make([]int, 0, len(pos))
	var rec func()
	rec = func() {
		if len(pick) == len(pos) {
			vs := make([]*mat.VecDense, len(pos))
			for a := range pos {
				v := mat.NewVecDense(m, nil)
				v.SubVec(means.RowView(pos[a]), means.RowView(neg[pick[a]]))
				vs[a] = v
			}
			s, n := 0.0, 0
			for a := range vs {
				for b := a + 1; b < len(vs); b++ {
					s += mat.Dot(vs[a], vs[b]) / (mat.Norm(vs[a], 2) * mat.Norm(vs[b], 2))
					n++
				}
			}
			best = max(best, s/float64(n))
			return
		}
		for j := range neg {
			if !used[j] {
				used[j] = true
				pick = append(pick, j)
				rec()
				pick = pick[:len(pick)-1]
				used[j] = false
			}
		}
	}
	rec()
	return best
}

func TestParallelismScoreDichotomyIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, tc := range []struct{ c, n, m int }{{4, 1, 3}, {4, 6, 20}, {6, 2, 10}, {8, 1, 512}, {8, 3, 30}, {10, 2, 12}} {
		class := make([]int, tc.c*tc.n)
		for i := range class {
			class[i] = i % tc.c
		}
		rng.Shuffle(len(class), func(i, j int) { class[i], class[j] = class[j], class[i] })
		h := metricsRandDense(rng, len(class), tc.m)
		for _, d := range Dichotomies(tc.c)[:min(5, len(Dichotomies(tc.c)))] {
			got := ParallelismScoreDichotomy(h, class, d)
			want := bernardiBrute(h, class, d)
			if math.Abs(got-want) > 1e-9 {
				t.Errorf("C=%d n=%d M=%d %v: Bernardi PS = %.15g, independent %.15g", tc.c, tc.n, tc.m, d, got, want)
			}
		}
	}
}

func TestParallelismScoreDichotomyAtLeastFixed(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := 0; trial < 5; trial++ {
		lab, _ := metricCubeLabels(rng, 3, 2)
		h := metricsRandDense(rng, 16, 25)
		fixed := ParallelismScore(h, lab)
		class, dich := Conditions(lab)
		for k := range fixed {
			if b := ParallelismScoreDichotomy(h, class, dich[k]); b < fixed[k]-1e-12 {
				t.Errorf("latent %d: Bernardi PS %v < fixed-pairing PS %v", k, b, fixed[k])
			}
		}
	}
}

func TestHillClimbMatchesEnumeration(t *testing.T) {
	// The local search used beyond 16 conditions finds the exact maximum
	// on random pairing problems small enough to enumerate.
	rng := rand.New(rand.NewPCG(9, 10))
	for _, m := range []int{3, 5, 7, 8} {
		for trial := 0; trial < 4; trial++ {
			c := 2 * m
			class := make([]int, c)
			for i := range class {
				class[i] = i
			}
			h := metricsRandDense(rng, c, 6)
			positive := Dichotomies(c)[rng.IntN(len(Dichotomies(c)))]
			means, _ := conditionMeans(rowsOf(h), class, c)
			var pos, neg []int
			for j, p := range positive {
				if p {
					pos = append(pos, j)
				} else {
					neg = append(neg, j)
				}
			}
			score := func(perm []int) float64 {
				vs := make([][]float64, m)
				for a := range vs {
					vs[a] = make([]float64, 6)
					for f := range vs[a] {
						vs[a][f] = means[pos[a]][f] - means[neg[perm[a]]][f]
					}
				}
				return meanPairwiseCosine(vs)
			}
			exact := maxOverPermutations(m, score)
			local := hillClimbPermutations(m, score)
			if math.Abs(exact-local) > 1e-12 {
				t.Errorf("m=%d trial %d: hill climbing %v, exact %v", m, trial, local, exact)
			}
		}
	}
	// Large C takes the local-search path and stays ≤ 1 and ≥ a fixed pairing.
	c := 20
	class := make([]int, c)
	for i := range class {
		class[i] = i
	}
	h := metricsRandDense(rng, c, 8)
	pos := make([]bool, c)
	for i := 0; i < c/2; i++ {
		pos[i] = true
	}
	got := ParallelismScoreDichotomy(h, class, pos)
	if !(got <= 1) || got < -1 {
		t.Errorf("C=20: PS = %v outside [−1, 1]", got)
	}
	if nan := ParallelismScoreDichotomy(metricsRandDense(rng, 34, 3), metricSeq(34), append(make([]bool, 17), metricOnes(17)...)); !math.IsNaN(nan) {
		t.Errorf("C=34 > MaxPSConditions: PS = %v, want NaN", nan)
	}
}

func metricSeq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func metricOnes(n int) []bool {
	out := make([]bool, n)
	for i := range out {
		out[i] = true
	}
	return out
}

func TestParallelismScoreDichotomyPanics(t *testing.T) {
	h := mat.NewDense(4, 2, nil)
	metricMustPanic(t, "unbalanced", func() { ParallelismScoreDichotomy(h, []int{0, 1, 2, 3}, []bool{true, true, true, false}) })
	metricMustPanic(t, "class out of range", func() { ParallelismScoreDichotomy(h, []int{0, 1, 2, 4}, []bool{true, true, false, false}) })
	metricMustPanic(t, "len(class)", func() { ParallelismScoreDichotomy(h, []int{0, 1, 2}, []bool{true, true, false, false}) })
	if v := ParallelismScoreDichotomy(h, []int{0, 1, 1, 0}, []bool{true, false}); !math.IsNaN(v) {
		t.Errorf("C=2: %v, want NaN", v)
	}
	if v := ParallelismScoreDichotomy(h, []int{0, 1, 2, 2}, []bool{true, true, false, false}); !math.IsNaN(v) {
		t.Errorf("empty condition: %v, want NaN", v)
	}
}

// BenchmarkParallelismScore measures paper A's Fig. 4 case: P = 8, M = 512,
// dY = 3, and Bernardi's variant of one latent.
func BenchmarkParallelismScore(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	lab, _ := metricCubeLabels(rng, 3, 1)
	h := metricsRandDense(rng, 8, 512)
	class, latent := Conditions(lab)
	b.Run("fixed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ParallelismScore(h, lab)
		}
	})
	b.Run("bernardi", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ParallelismScoreDichotomy(h, class, latent[0])
		}
	})
}
