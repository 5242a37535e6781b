package rep

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// Geometry metrics share these conventions (DIGEST §A4, §B3, §C):
//
//   - a representation h is a P×M matrix whose rows are stimuli (samples)
//     and whose columns are features (neurons);
//   - latent labels are a P×dL matrix: entry > 0 means +1, anything else −1
//     (so ±1 and 0/1 codings both work);
//   - a condition is one latent pattern (class); class[i] ∈ [0, C) gives the
//     condition of row i, and a dichotomy of the C conditions is a []bool of
//     length C (true = positive side);
//   - NaN or ±Inf anywhere in the numeric input makes the metric NaN; a
//     shape mismatch, which is visible in the calling code, panics.

// rowView is a read-only view of a matrix's rows as slices of one backing
// array: row i is data[i*stride : i*stride+cols].
type rowView struct {
	data         []float64
	n, cols, str int
}

// rowsOf returns m's rows without copying when m is a *mat.Dense, and a
// dense copy otherwise (a fast one for the kernels' *mat.SymDense).
func rowsOf(m mat.Matrix) rowView {
	switch m := m.(type) {
	case *mat.Dense:
		raw := m.RawMatrix()
		return rowView{data: raw.Data, n: raw.Rows, cols: raw.Cols, str: raw.Stride}
	case *mat.SymDense:
		raw := m.RawSymmetric() // upper triangle
		n := raw.N
		data := make([]float64, n*n)
		for i := 0; i < n; i++ {
			for j := i; j < n; j++ {
				v := raw.Data[i*raw.Stride+j]
				data[i*n+j], data[j*n+i] = v, v
			}
		}
		return rowView{data: data, n: n, cols: n, str: n}
	}
	d := mat.DenseCopyOf(m)
	raw := d.RawMatrix()
	return rowView{data: raw.Data, n: raw.Rows, cols: raw.Cols, str: raw.Stride}
}

// row returns row i.
func (r rowView) row(i int) []float64 { return r.data[i*r.str : i*r.str+r.cols] }

// finite reports whether every entry is finite.
func (r rowView) finite() bool {
	for i := 0; i < r.n; i++ {
		for _, v := range r.row(i) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return false
			}
		}
	}
	return true
}

// nanVector returns n NaNs.
func nanVector(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	return out
}

// dot returns a·b.
func vdot(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

// cosine returns a·b/(|a||b|), and 0 when either vector is zero (DIGEST §A4.1).
func vcosine(a, b []float64) float64 {
	na, nb := vdot(a, a), vdot(b, b)
	if na == 0 || nb == 0 {
		return 0
	}
	return vdot(a, b) / math.Sqrt(na*nb)
}

// Conditions groups the rows of a P×dL label matrix by their sign pattern
// (entry > 0 means +1). It returns the condition of every row, class[i] ∈
// [0, C), and for every latent k the dichotomy of the C conditions it
// defines: latent[k][c] is true when condition c has latent k = +1.
// Conditions are numbered by the binary number whose bit k is 1 when latent
// k is +1, keeping only the patterns that occur: with all 2^dL patterns
// present, condition c has latent k = 2·bit_k(c) − 1 (DIGEST §A1). The
// result feeds ParallelismScoreDichotomy, CCGPDichotomy and DecodeAccuracy.
func Conditions(labels mat.Matrix) (class []int, latent [][]bool) {
	class, pats := conditionsOf(rowsOf(labels))
	dl := 0
	if len(pats) > 0 {
		dl = len(pats[0])
	}
	latent = make([][]bool, dl)
	for k := range latent {
		latent[k] = make([]bool, len(pats))
		for c, p := range pats {
			latent[k][c] = p[k]
		}
	}
	return class, latent
}

// conditionsOf returns the condition of every row of lab and the sign
// pattern of every condition (pattern[c][k] = latent k is +1), numbered in
// increasing binary order with latent k as bit k.
func conditionsOf(lab rowView) (class []int, patterns [][]bool) {
	key := make([]string, lab.n)
	seen := map[string]bool{}
	var keys []string
	for i := 0; i < lab.n; i++ {
		b := make([]byte, lab.cols)
		for k, v := range lab.row(i) {
			// Most significant first (latent dL−1 … 0) so that string
			// order is binary order.
			b[lab.cols-1-k] = '0'
			if v > 0 {
				b[lab.cols-1-k] = '1'
			}
		}
		key[i] = string(b)
		if !seen[key[i]] {
			seen[key[i]] = true
			keys = append(keys, key[i])
		}
	}
	slices.Sort(keys)
	index := make(map[string]int, len(keys))
	patterns = make([][]bool, len(keys))
	for c, s := range keys {
		index[s] = c
		p := make([]bool, lab.cols)
		for k := range p {
			p[k] = s[lab.cols-1-k] == '1'
		}
		patterns[c] = p
	}
	class = make([]int, lab.n)
	for i, s := range key {
		class[i] = index[s]
	}
	return class, patterns
}

// conditionMeans returns the C×M matrix (as rows) of the mean of h's rows in
// each condition and the number of rows of each. A condition with no rows
// has a zero mean and count 0.
func conditionMeans(h rowView, class []int, c int) (means [][]float64, count []int) {
	means = make([][]float64, c)
	buf := make([]float64, c*h.cols)
	count = make([]int, c)
	for j := range means {
		means[j] = buf[j*h.cols : (j+1)*h.cols]
	}
	for i := 0; i < h.n; i++ {
		m := means[class[i]]
		for f, v := range h.row(i) {
			m[f] += v
		}
		count[class[i]]++
	}
	for j, m := range means {
		if count[j] > 0 {
			inv := 1 / float64(count[j])
			for f := range m {
				m[f] *= inv
			}
		}
	}
	return means, count
}

// checkClasses panics unless class has one entry per row of h and every
// entry lies in [0, c).
func checkClasses(fn string, h rowView, class []int, c int) {
	if len(class) != h.n {
		panic(fmt.Sprintf("rep: %s: len(class) = %d, h has %d rows", fn, len(class), h.n))
	}
	for i, k := range class {
		if k < 0 || k >= c {
			panic(fmt.Sprintf("rep: %s: class[%d] = %d outside [0, %d) (len(positive) = %d conditions)", fn, i, k, c, c))
		}
	}
}

// checkBalanced panics unless exactly half of the conditions are positive.
func checkBalanced(fn string, positive []bool) {
	n := 0
	for _, p := range positive {
		if p {
			n++
		}
	}
	if 2*n != len(positive) {
		panic(fmt.Sprintf("rep: %s: positive marks %d of %d conditions, a balanced dichotomy needs %d", fn, n, len(positive), len(positive)/2))
	}
}

// Modularity measures how modular a readout is (DIGEST §A4.3, paper A Fig.
// 4D-E): readout is dY×M (rows = outputs, columns = hidden neurons, the
// layout of Network.Readout), and the result is the mean over active
// neurons of max_i w_ik² / Σ_i w_ik². It is 1 when every neuron projects to
// a single output (the theory's optimum) and 1/dY when every neuron projects
// equally to all outputs. A neuron is active when Σ_i w_ik² > 1e-8 (the
// dead neurons of the L2-regularized optimum decay to zero weight); see
// ModularityAbove for another threshold. It returns NaN when no neuron is
// active or readout holds NaN or ±Inf.
func Modularity(readout mat.Matrix) float64 { return ModularityAbove(readout, 1e-8) }

// ModularityAbove is Modularity with the activity threshold given: neuron
// k counts when Σ_i w_ik² > minNorm2.
func ModularityAbove(readout mat.Matrix, minNorm2 float64) float64 {
	w := rowsOf(readout)
	if !w.finite() {
		return math.NaN()
	}
	sum, n := 0.0, 0
	for k := 0; k < w.cols; k++ {
		tot, most := 0.0, 0.0
		for i := 0; i < w.n; i++ {
			v := w.data[i*w.str+k]
			tot += v * v
			most = max(most, v*v)
		}
		if tot > minNorm2 {
			sum += most / tot
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}
