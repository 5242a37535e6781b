package rep

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/rep/internal/rng"
)

// ParallelismScore returns the parallelism score of each latent variable
// in the representation h (P×M, rows = stimuli; DIGEST §A4.1, paper A and
// paper B's text). labels is P×dL (entry > 0 means +1, otherwise −1).
//
// Rows sharing a label pattern (a condition) are averaged into a class mean
// r(y). For latent k, each setting α of the other latents for which both
// r(y_k=+1, α) and r(y_k=−1, α) exist gives a coding vector
// Δr(k;α) = r(+1, α) − r(−1, α); PS_k is the mean cosine over the unordered
// pairs of coding vectors (a zero vector has cosine 0 with everything). A
// parallelogram or hypercube gives PS = 1, the regular tetrahedron PS = 0.
// The overall PS of paper A is the mean of the returned values.
//
// PS_k is NaN when fewer than two coding vectors exist, in particular for
// every latent when dL = 1 (one coding vector has no partner: use
// ParallelismScoreDichotomy instead). Every entry is NaN when h or labels
// hold NaN or ±Inf. It panics when h and labels have different row counts.
func ParallelismScore(h, labels mat.Matrix) []float64 {
	hr, lr := rowsOf(h), rowsOf(labels)
	if hr.n != lr.n {
		panic("rep: ParallelismScore: h and labels have different numbers of rows")
	}
	if !hr.finite() || !lr.finite() {
		return nanVector(lr.cols)
	}
	class, pats := conditionsOf(lr)
	means, _ := conditionMeans(hr, class, len(pats))
	// index of each pattern, to find the partner differing in latent k.
	index := make(map[string]int, len(pats))
	key := make([]byte, lr.cols)
	patKey := func(p []bool, flip int) string {
		for k, v := range p {
			key[k] = '0'
			if v != (k == flip) {
				key[k] = '1'
			}
		}
		return string(key)
	}
	for c, p := range pats {
		index[patKey(p, -1)] = c
	}
	ps := make([]float64, lr.cols)
	var deltas [][]float64
	for k := range ps {
		deltas = deltas[:0]
		for c, p := range pats {
			if !p[k] {
				continue
			}
			neg, ok := index[patKey(p, k)]
			if !ok {
				continue
			}
			d := make([]float64, hr.cols)
			for f := range d {
				d[f] = means[c][f] - means[neg][f]
			}
			deltas = append(deltas, d)
		}
		ps[k] = meanPairwiseCosine(deltas)
	}
	return ps
}

// meanPairwiseCosine returns the mean cosine over the unordered pairs of
// vs, or NaN when there are fewer than two vectors.
func meanPairwiseCosine(vs [][]float64) float64 {
	n := len(vs)
	if n < 2 {
		return math.NaN()
	}
	s := 0.0
	for a := 0; a < n; a++ {
		for b := a + 1; b < n; b++ {
			s += vcosine(vs[a], vs[b])
		}
	}
	return s / float64(n*(n-1)/2)
}

// Limits of ParallelismScoreDichotomy: up to MaxExactPSConditions
// conditions every bijection is tried, up to MaxPSConditions a local search
// is used, beyond that the score is NaN.
const (
	MaxExactPSConditions = 16
	MaxPSConditions      = 32
)

// ParallelismScoreDichotomy returns Bernardi et al.'s (2020) parallelism
// score of a balanced dichotomy of C conditions (DIGEST §C): class[i] ∈
// [0, C) is the condition of row i of h (P×M), positive[c] says on which
// side condition c lies, and C = len(positive). Rows of a condition are
// averaged into its mean r(c). For each bijection π from the C/2 positive
// to the C/2 negative conditions the coding vectors r(p) − r(π(p)) give a
// mean pairwise cosine; the score is the maximum over π. It is never below
// the fixed-pairing score of ParallelismScore when that pairing is one of
// the bijections.
//
// For C ≤ MaxExactPSConditions (16) all (C/2)! bijections are enumerated
// (at most 40,320). For MaxExactPSConditions < C ≤ MaxPSConditions (32),
// where enumeration is out of reach, the maximum is sought by hill climbing
// over pair swaps from 16 deterministic starting bijections (the identity
// and 15 fixed-seed random ones); the result is then a lower bound of the
// true maximum, and equal to it in every case we checked. For C >
// MaxPSConditions, or C < 4 (one coding vector), the score is NaN. It is
// also NaN when a condition has no rows or h holds NaN or ±Inf.
//
// It panics when len(class) differs from h's row count, a class lies
// outside [0, C), or the dichotomy is not balanced.
func ParallelismScoreDichotomy(h mat.Matrix, class []int, positive []bool) float64 {
	const fn = "ParallelismScoreDichotomy"
	hr := rowsOf(h)
	c := len(positive)
	checkClasses(fn, hr, class, c)
	checkBalanced(fn, positive)
	if c < 4 || c > MaxPSConditions || !hr.finite() {
		return math.NaN()
	}
	means, count := conditionMeans(hr, class, c)
	for _, n := range count {
		if n == 0 {
			return math.NaN()
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
	m := len(pos)
	// cos[(a·m+b)·m² + (a'·m+b')] = cosine between r(pos[a]) − r(neg[b])
	// and r(pos[a']) − r(neg[b']), for every candidate pair.
	m2 := m * m
	unit := make([][]float64, m2)
	for a, p := range pos {
		for b, q := range neg {
			d := make([]float64, hr.cols)
			for f := range d {
				d[f] = means[p][f] - means[q][f]
			}
			if nrm := math.Sqrt(vdot(d, d)); nrm > 0 {
				for f := range d {
					d[f] /= nrm
				}
			}
			unit[a*m+b] = d
		}
	}
	cos := make([]float64, m2*m2)
	for u := 0; u < m2; u++ {
		for v := u; v < m2; v++ {
			x := vdot(unit[u], unit[v])
			cos[u*m2+v], cos[v*m2+u] = x, x
		}
	}
	score := func(perm []int) float64 {
		s := 0.0
		for a := 0; a < m; a++ {
			row := (a*m + perm[a]) * m2
			for b := a + 1; b < m; b++ {
				s += cos[row+b*m+perm[b]]
			}
		}
		return s / float64(m*(m-1)/2)
	}
	if c <= MaxExactPSConditions {
		return maxOverPermutations(m, score)
	}
	return hillClimbPermutations(m, score)
}

// maxOverPermutations returns the maximum of score over all permutations of
// 0..m−1 (Heap's algorithm, iterative).
func maxOverPermutations(m int, score func([]int) float64) float64 {
	perm := make([]int, m)
	for i := range perm {
		perm[i] = i
	}
	best := score(perm)
	ctr := make([]int, m)
	for i := 1; i < m; {
		if ctr[i] < i {
			if i%2 == 0 {
				perm[0], perm[i] = perm[i], perm[0]
			} else {
				perm[ctr[i]], perm[i] = perm[i], perm[ctr[i]]
			}
			best = max(best, score(perm))
			ctr[i]++
			i = 1
		} else {
			ctr[i] = 0
			i++
		}
	}
	return best
}

// hillClimbPermutations seeks the maximum of score over permutations of
// 0..m−1 by best-improvement pair swaps from 16 deterministic starts.
func hillClimbPermutations(m int, score func([]int) float64) float64 {
	rng := rng.New(1)
	perm := make([]int, m)
	best := math.Inf(-1)
	for start := 0; start < 16; start++ {
		for i := range perm {
			perm[i] = i
		}
		if start > 0 {
			rng.Shuffle(m, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		}
		cur := score(perm)
		for {
			bi, bj, bs := -1, -1, cur
			for i := 0; i < m; i++ {
				for j := i + 1; j < m; j++ {
					perm[i], perm[j] = perm[j], perm[i]
					if s := score(perm); s > bs+1e-15 {
						bi, bj, bs = i, j, s
					}
					perm[i], perm[j] = perm[j], perm[i]
				}
			}
			if bi < 0 {
				break
			}
			perm[bi], perm[bj] = perm[bj], perm[bi]
			cur = bs
		}
		best = max(best, cur)
	}
	return best
}
