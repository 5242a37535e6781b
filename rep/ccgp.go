package rep

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/rep/internal/rng"
)

// DefaultCCGPSplits is the number of training splits CCGPDichotomy uses at
// most; every split is used when there are fewer (36 for 8 conditions).
const DefaultCCGPSplits = 100

// CCGP returns the cross-condition generalization performance of each
// latent variable in h (P×M, rows = stimuli), with labels P×dL (entry > 0
// means +1), decoded by a LinearSVM with default settings (C = 1); see
// LinearSVM.CCGP.
func CCGP(h, labels mat.Matrix) []float64 { return LinearSVM{}.CCGP(h, labels) }

// CCGP returns the cross-condition generalization performance of each
// latent variable, paper B's text definition (DIGEST §B3.3): for latent k
// the rows are grouped by the setting α of the other latents; for every α
// whose rows hold both values of latent k, a linear SVM (this one) is
// trained to decode latent k from the rows with setting α and tested on the
// rows of every other setting; the accuracies are averaged over the test
// settings, then over the training settings. 1 means the decoder
// generalizes perfectly, 0.5 is chance, and values below 0.5 mean the
// coding direction flips between settings (an XOR geometry gives 0).
//
// Use noisy samples (several rows per condition) for a statistical
// estimate; on noise-free class means every training set has two points.
// CCGP_k is NaN when no setting can be trained on or none is left to test
// on, in particular for every latent when dL = 1 (see CCGPDichotomy), and
// every entry is NaN when h or labels hold NaN or ±Inf. It panics when h
// and labels have different row counts or s has invalid settings.
func (s LinearSVM) CCGP(h, labels mat.Matrix) []float64 {
	s = s.mustSettings()
	hr, lr := rowsOf(h), rowsOf(labels)
	if hr.n != lr.n {
		panic("rep: CCGP: h and labels have different numbers of rows")
	}
	if !hr.finite() || !lr.finite() {
		return nanVector(lr.cols)
	}
	class, pats := conditionsOf(lr)
	out := make([]float64, lr.cols)
	key := make([]byte, lr.cols)
	for k := range out {
		// Settings of the other latents, numbered in condition order.
		ctxIndex := map[string]int{}
		var members [][]int // rows of each setting
		ctxOf := make([]int, len(pats))
		for c, p := range pats {
			for j, v := range p {
				key[j] = '0'
				if v {
					key[j] = '1'
				}
			}
			key[k] = '*'
			a, ok := ctxIndex[string(key)]
			if !ok {
				a = len(members)
				ctxIndex[string(key)] = a
				members = append(members, nil)
			}
			ctxOf[c] = a
		}
		for i, c := range class {
			members[ctxOf[c]] = append(members[ctxOf[c]], i)
		}
		label := func(i int) bool { return pats[class[i]][k] }
		sum, n := 0.0, 0
		for a, train := range members {
			if !bothClasses(train, label) || len(members) < 2 {
				continue
			}
			model := s.fit(hr, train, label)
			acc := 0.0
			for b, test := range members {
				if b != a {
					acc += svmAccuracy(model, hr, test, label)
				}
			}
			sum += acc / float64(len(members)-1)
			n++
		}
		out[k] = math.NaN()
		if n > 0 {
			out[k] = sum / float64(n)
		}
	}
	return out
}

// bothClasses reports whether the rows idx hold both classes.
func bothClasses(idx []int, label func(int) bool) bool {
	pos, neg := false, false
	for _, i := range idx {
		if label(i) {
			pos = true
		} else {
			neg = true
		}
	}
	return pos && neg
}

// svmAccuracy returns the fraction of rows idx of x that model classifies as
// label says.
func svmAccuracy(model *LinearSVMModel, x rowView, idx []int, label func(int) bool) float64 {
	ok := 0
	for _, i := range idx {
		if (model.decision(x.row(i)) > 0) == label(i) {
			ok++
		}
	}
	return float64(ok) / float64(len(idx))
}

// CCGPDichotomy returns Bernardi et al.'s CCGP of a balanced dichotomy,
// decoded by a LinearSVM with default settings, over at most
// DefaultCCGPSplits training splits; see LinearSVM.CCGPDichotomy.
func CCGPDichotomy(h mat.Matrix, class []int, positive []bool) float64 {
	return LinearSVM{}.CCGPDichotomy(h, class, positive, DefaultCCGPSplits)
}

// CCGPDichotomy returns Bernardi et al.'s (2020) cross-condition
// generalization performance of a balanced dichotomy of C conditions, as
// paper B's code computes it (DIGEST §C): class[i] ∈ [0, C) is the
// condition of row i of h, positive[c] the side of condition c, C =
// len(positive). A split picks K = ⌊C/4⌋ conditions from each side; the SVM
// is trained on the rows of those 2K conditions and tested on the rows of
// all the others (accuracy over the test rows). The result is the mean
// over splits.
//
// When C is divisible by 4 the complement of a split is itself a split, so
// using all splits one-sided is the code's two-sided average
// (twosided=True). Otherwise each split is also used the other way round
// (trained on the complement, tested on the split). For 8 conditions it
// uses all 36 splits.
//
// Splits whose 2K training conditions differ in more than the decoded
// variable train decoders that need not generalize, so this CCGP stays
// below 1 even for a perfectly factorized geometry: about 0.75 for a noisy
// square (4 conditions: 2 of the 4 splits pair diagonal conditions and
// are at chance), while the per-latent CCGP of paper B's text is 1 there.
// Bernardi et al.'s original choice, 3 of 4 conditions per side for 8
// conditions, is CCGPDichotomyPerSide with perSide = C/2 − 1.
//
// maxSplits caps the number of splits; 0 means no cap. When there are more
// splits than maxSplits, a subset of maxSplits splits drawn without
// replacement by a generator seeded with s.Seed is used (deterministic).
// The result is NaN when C < 4, C > 64, a condition has no rows or h holds
// NaN or ±Inf. It panics when len(class) differs from h's row count, a class
// lies outside [0, C), the dichotomy is unbalanced, maxSplits < 0, maxSplits
// = 0 with more than 2^20 splits, or s has invalid settings.
func (s LinearSVM) CCGPDichotomy(h mat.Matrix, class []int, positive []bool, maxSplits int) float64 {
	c := len(positive)
	return s.ccgpSplits("CCGPDichotomy", h, class, positive, c/4, c%4 != 0, maxSplits)
}

// CCGPDichotomyPerSide is CCGPDichotomy with perSide training conditions
// from each side and one-sided splits only: every choice of perSide
// positive and perSide negative conditions trains a decoder that is tested
// on the rows of the remaining C − 2·perSide conditions. perSide = C/2 − 1
// is Bernardi et al.'s original scheme (3 of 4 per side for 8 conditions,
// 16 splits), which gives 1 for a well-separated factorized geometry. It
// panics unless 1 ≤ perSide ≤ C/2 − 1, and otherwise behaves like
// CCGPDichotomy.
func (s LinearSVM) CCGPDichotomyPerSide(h mat.Matrix, class []int, positive []bool, perSide, maxSplits int) float64 {
	const fn = "CCGPDichotomyPerSide"
	if c := len(positive); c >= 4 && (perSide < 1 || perSide > c/2-1) {
		panic(fmt.Sprintf("rep: %s: perSide = %d outside [1, %d] (C = %d conditions)", fn, perSide, c/2-1, c))
	}
	return s.ccgpSplits(fn, h, class, positive, perSide, false, maxSplits)
}

// ccgpSplits trains on kk conditions per side and tests on the rest, over
// all (or maxSplits sampled) splits, also the other way round if twoSided.
func (s LinearSVM) ccgpSplits(fn string, h mat.Matrix, class []int, positive []bool, kk int, twoSided bool, maxSplits int) float64 {
	s = s.mustSettings()
	hr := rowsOf(h)
	c := len(positive)
	checkClasses(fn, hr, class, c)
	checkBalanced(fn, positive)
	if maxSplits < 0 {
		panic(fmt.Sprintf("rep: %s: maxSplits = %d < 0 (0 means every split)", fn, maxSplits))
	}
	if c < 4 || c > 64 || !hr.finite() {
		return math.NaN()
	}
	count := make([]int, c)
	for _, k := range class {
		count[k]++
	}
	if slices.Contains(count, 0) {
		return math.NaN()
	}
	var pos, neg []int
	for j, p := range positive {
		if p {
			pos = append(pos, j)
		} else {
			neg = append(neg, j)
		}
	}
	m := c / 2
	nc := binomialU64(m, kk)
	total := nc * nc
	if maxSplits == 0 && total > 1<<20 {
		panic(fmt.Sprintf("rep: %s: maxSplits = 0 asks for all %d splits (more than 2^20); pass a cap", fn, total))
	}
	picks := sampleIndices(total, uint64(maxSplits), s.Seed)
	label := func(i int) bool { return positive[class[i]] }
	inSplit := make([]bool, c)
	comb := make([]int, kk)
	var train, test []int
	sum, n := 0.0, 0
	for _, t := range picks {
		clear(inSplit)
		unrankCombination(m, t/nc, comb)
		for _, a := range comb {
			inSplit[pos[a]] = true
		}
		unrankCombination(m, t%nc, comb)
		for _, b := range comb {
			inSplit[neg[b]] = true
		}
		train, test = train[:0], test[:0]
		for i, k := range class {
			if inSplit[k] {
				train = append(train, i)
			} else {
				test = append(test, i)
			}
		}
		sum += svmAccuracy(s.fit(hr, train, label), hr, test, label)
		n++
		if twoSided {
			sum += svmAccuracy(s.fit(hr, test, label), hr, train, label)
			n++
		}
	}
	return sum / float64(n)
}

// binomialU64 returns n choose k (exact for the sizes used here: n ≤ 32).
func binomialU64(n, k int) uint64 {
	r := uint64(1)
	for i := 1; i <= k; i++ {
		r = r * uint64(n-k+i) / uint64(i)
	}
	return r
}

// unrankCombination writes into comb (length k) the r-th k-subset of
// 0..n−1 in lexicographic order.
func unrankCombination(n int, r uint64, comb []int) {
	k := len(comb)
	next := 0
	for i := 0; i < k; i++ {
		for {
			// subsets whose i-th element is next
			b := binomialU64(n-next-1, k-i-1)
			if r < b {
				break
			}
			r -= b
			next++
		}
		comb[i] = next
		next++
	}
}

// sampleIndices returns 0..total−1 when total ≤ k or k == 0, and otherwise
// k distinct indices in [0, total) drawn by Floyd's algorithm from a
// generator seeded with seed, in increasing order.
func sampleIndices(total, k, seed uint64) []uint64 {
	if k == 0 || total <= k {
		out := make([]uint64, total)
		for i := range out {
			out[i] = uint64(i)
		}
		return out
	}
	rng := rng.New(seed)
	chosen := make(map[uint64]bool, k)
	out := make([]uint64, 0, k)
	for j := total - k; j < total; j++ {
		t := rng.Uint64N(j + 1)
		if chosen[t] {
			t = j
		}
		chosen[t] = true
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}
