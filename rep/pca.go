package rep

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// PCAResult is a principal component analysis of a representation: the
// top k components of its P rows (samples) in M-dimensional feature space.
type PCAResult struct {
	// Scores is P×k: the coordinates of each (centered) row on the
	// components, Scores = (H − 1·Meanᵀ)·Componentsᵀ.
	Scores *mat.Dense
	// Components is k×M: the unit principal axes, one per row, in order of
	// decreasing variance.
	Components *mat.Dense
	// Variance holds the variance along each component, s²/(P−1) for
	// singular value s (scikit-learn's explained_variance_); for
	// PCAUncentered it is the mean square s²/P.
	Variance []float64
	// ExplainedRatio holds each component's share of the total variance
	// (summed over all min(P, M) components, not only the k kept).
	ExplainedRatio []float64
	// Mean holds the column means that were subtracted (zeros for
	// PCAUncentered).
	Mean []float64
}

// PCA returns the top k principal components of the representation h (P×M,
// rows = samples, columns = features), centering the features first, as
// scikit-learn's PCA does. Signs follow scikit-learn's convention: the
// score of largest magnitude in each column of Scores is positive. To
// analyse the neurons as points in stimulus space instead (paper A Fig.
// 4F: the M preactivation vectors h_k ∈ R^P), pass h.T().
//
// Every number in the result is NaN when h holds NaN or ±Inf; the explained
// ratios are NaN when h has zero variance. It panics unless 1 ≤ k ≤
// min(P, M).
func PCA(h mat.Matrix, k int) *PCAResult { return pcaOf("PCA", h, k, true) }

// PCAUncentered is PCA without centering: the components are the top right
// singular vectors of h itself, so a common offset of all rows shows up as
// a component (paper A Fig. 4F does not say whether its PCA is centered;
// the rays of the dead and active neurons start at the origin only in the
// uncentered one).
func PCAUncentered(h mat.Matrix, k int) *PCAResult { return pcaOf("PCAUncentered", h, k, false) }

func pcaOf(fn string, h mat.Matrix, k int, center bool) *PCAResult {
	hr := rowsOf(h)
	p, m := hr.n, hr.cols
	if k < 1 || k > min(p, m) {
		panic(fmt.Sprintf("rep: %s: k = %d outside [1, %d] (min of P = %d rows, M = %d columns)", fn, k, min(p, m), p, m))
	}
	res := &PCAResult{
		Scores:         mat.NewDense(p, k, nil),
		Components:     mat.NewDense(k, m, nil),
		Variance:       make([]float64, k),
		ExplainedRatio: make([]float64, k),
		Mean:           make([]float64, m),
	}
	if !hr.finite() {
		fillNaN(res.Scores.RawMatrix().Data)
		fillNaN(res.Components.RawMatrix().Data)
		fillNaN(res.Variance)
		fillNaN(res.ExplainedRatio)
		fillNaN(res.Mean)
		return res
	}
	if center {
		for i := 0; i < p; i++ {
			for f, v := range hr.row(i) {
				res.Mean[f] += v
			}
		}
		for f := range res.Mean {
			res.Mean[f] /= float64(p)
		}
	}
	x := mat.NewDense(p, m, nil)
	for i := 0; i < p; i++ {
		row := x.RawRowView(i)
		for f, v := range hr.row(i) {
			row[f] = v - res.Mean[f]
		}
	}
	var svd mat.SVD
	if !svd.Factorize(x, mat.SVDThin) {
		// LAPACK's SVD did not converge: nothing sensible to return.
		fillNaN(res.Scores.RawMatrix().Data)
		fillNaN(res.Components.RawMatrix().Data)
		fillNaN(res.Variance)
		fillNaN(res.ExplainedRatio)
		return res
	}
	var u, v mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)
	s := svd.Values(nil)
	total := 0.0
	for _, x := range s {
		total += x * x
	}
	denom := float64(p - 1)
	if !center || p == 1 {
		denom = float64(p)
	}
	for j := 0; j < k; j++ {
		// Sign: the largest-magnitude entry of U's column is positive.
		big, sign := 0.0, 1.0
		for i := 0; i < p; i++ {
			if a := math.Abs(u.At(i, j)); a > big {
				big = a
				sign = math.Copysign(1, u.At(i, j))
			}
		}
		for i := 0; i < p; i++ {
			res.Scores.Set(i, j, sign*u.At(i, j)*s[j])
		}
		for f := 0; f < m; f++ {
			res.Components.Set(j, f, sign*v.At(f, j))
		}
		res.Variance[j] = s[j] * s[j] / denom
		res.ExplainedRatio[j] = s[j] * s[j] / total
	}
	return res
}

// fillNaN sets every entry of x to NaN.
func fillNaN(x []float64) {
	for i := range x {
		x[i] = math.NaN()
	}
}

// String returns a one-line summary: the shape and the explained ratios.
func (r *PCAResult) String() string {
	p, k := r.Scores.Dims()
	var b strings.Builder
	fmt.Fprintf(&b, "PCA{%d of %d features, %d samples, explained", k, len(r.Mean), p)
	for _, e := range r.ExplainedRatio {
		fmt.Fprintf(&b, " %.3f", e)
	}
	b.WriteString("}")
	return b.String()
}
