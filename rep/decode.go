package rep

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/rep/internal/rng"
)

// DecodeAccuracy returns the cross-validated accuracy of a LinearSVM with
// default settings (C = 1) decoding a dichotomy; see
// LinearSVM.DecodeAccuracy.
func DecodeAccuracy(h mat.Matrix, class []int, positive []bool, folds int, seed uint64) float64 {
	return LinearSVM{}.DecodeAccuracy(h, class, positive, folds, seed)
}

// DecodeAccuracy returns the cross-validated accuracy with which this
// linear SVM decodes a dichotomy of the conditions from the representation
// h (P×M, rows = samples; DIGEST §B3.4): class[i] ∈ [0, C) is the condition
// of row i and positive[c] the side of condition c (any dichotomy: the
// trained one or an untrained one, balanced or not).
//
// The folds are stratified by condition: the rows of every condition are
// shuffled by a generator seeded with seed and dealt in turn to the folds,
// so each fold holds about 1/folds of every condition. For each fold the
// SVM is trained on the other folds and tested on it; the result is the
// fraction of all rows classified correctly. Folds whose training rows hold
// a single class are skipped. Pass noisy samples (several rows per
// condition); with one row per condition the held-out rows are unseen
// conditions and the score measures generalization instead.
//
// It returns NaN when no fold can be trained or h holds NaN or ±Inf, and
// panics when len(class) differs from h's row count, a class lies outside
// [0, C), folds < 2 or folds > P, or s has invalid settings.
func (s LinearSVM) DecodeAccuracy(h mat.Matrix, class []int, positive []bool, folds int, seed uint64) float64 {
	const fn = "DecodeAccuracy"
	s = s.mustSettings()
	hr := rowsOf(h)
	checkClasses(fn, hr, class, len(positive))
	if folds < 2 || folds > hr.n {
		panic(fmt.Sprintf("rep: %s: folds = %d outside [2, %d] (P rows)", fn, folds, hr.n))
	}
	if !hr.finite() {
		return math.NaN()
	}
	// Deal the shuffled rows of each condition to the folds in turn,
	// continuing where the previous condition stopped.
	byCond := make([][]int, len(positive))
	for i, c := range class {
		byCond[c] = append(byCond[c], i)
	}
	rng := rng.New(seed)
	fold := make([]int, hr.n)
	next := 0
	for _, idx := range byCond {
		rng.Shuffle(len(idx), func(a, b int) { idx[a], idx[b] = idx[b], idx[a] })
		for _, i := range idx {
			fold[i] = next
			next = (next + 1) % folds
		}
	}
	label := func(i int) bool { return positive[class[i]] }
	train := make([]int, 0, hr.n)
	test := make([]int, 0, hr.n)
	correct, tested := 0.0, 0
	for f := 0; f < folds; f++ {
		train, test = train[:0], test[:0]
		for i, g := range fold {
			if g == f {
				test = append(test, i)
			} else {
				train = append(train, i)
			}
		}
		if len(test) == 0 || !bothClasses(train, label) {
			continue
		}
		correct += svmAccuracy(s.fit(hr, train, label), hr, test, label) * float64(len(test))
		tested += len(test)
	}
	if tested == 0 {
		return math.NaN()
	}
	return correct / float64(tested)
}

// MaxDichotomyConditions is the largest number of conditions Dichotomies
// enumerates (92,378 dichotomies).
const MaxDichotomyConditions = 20

// Dichotomies returns every balanced dichotomy of c conditions once, as
// positive[c] slices: binomial(c, c/2)/2 of them (3 for c = 4, 35 for c =
// 8), since a dichotomy and its complement are the same split. Condition 0
// is always on the positive side; the order is lexicographic in the
// positive conditions. Compare a dichotomy with the one a latent defines
// (Conditions) with SameDichotomy. It panics unless c is even and 2 ≤ c ≤
// MaxDichotomyConditions.
func Dichotomies(c int) [][]bool {
	if c < 2 || c%2 != 0 || c > MaxDichotomyConditions {
		panic(fmt.Sprintf("rep: Dichotomies(%d): c must be even and in [2, %d]", c, MaxDichotomyConditions))
	}
	h := c / 2
	// Positive sets: condition 0 plus h−1 of the conditions 1..c−1.
	n := binomialU64(c-1, h-1)
	out := make([][]bool, 0, n)
	comb := make([]int, h-1)
	for r := uint64(0); r < n; r++ {
		unrankCombination(c-1, r, comb)
		d := make([]bool, c)
		d[0] = true
		for _, j := range comb {
			d[j+1] = true
		}
		out = append(out, d)
	}
	return out
}

// SameDichotomy reports whether a and b split the conditions the same way:
// equal, or each the complement of the other. Slices of different lengths
// are different dichotomies.
func SameDichotomy(a, b []bool) bool {
	if len(a) != len(b) {
		return false
	}
	eq, comp := true, true
	for i := range a {
		eq = eq && a[i] == b[i]
		comp = comp && a[i] != b[i]
	}
	return eq || comp
}
