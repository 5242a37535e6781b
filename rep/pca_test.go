package rep

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestPCAAgainstCovarianceEigen(t *testing.T) {
	rng := rand.New(rand.NewPCG(81, 82))
	for _, tc := range []struct{ p, m, k int }{{20, 5, 3}, {8, 50, 4}, {6, 6, 6}} {
		h := metricsRandDense(rng, tc.p, tc.m)
		// Give the features different scales so the spectrum is spread.
		for f := 0; f < tc.m; f++ {
			for i := 0; i < tc.p; i++ {
				h.Set(i, f, h.At(i, f)*float64(f+1)+3)
			}
		}
		r := PCA(h, tc.k)
		// Independent: eigen-decomposition of the covariance matrix.
		hc := mat.DenseCopyOf(h)
		for f := 0; f < tc.m; f++ {
			mu := mat.Sum(h.ColView(f)) / float64(tc.p)
			if math.Abs(mu-r.Mean[f]) > 1e-12 {
				t.Errorf("Mean[%d] = %v, want %v", f, r.Mean[f], mu)
			}
			for i := 0; i < tc.p; i++ {
				hc.Set(i, f, h.At(i, f)-mu)
			}
		}
		cov := mat.NewSymDense(tc.m, nil)
		cov.SymOuterK(1/float64(tc.p-1), hc.T())
		var eig mat.EigenSym
		eig.Factorize(cov, true)
		vals := eig.Values(nil) // ascending
		total := 0.0
		for _, v := range vals {
			total += v
		}
		var vecs mat.Dense
		eig.VectorsTo(&vecs)
		for j := 0; j < tc.k; j++ {
			want := vals[len(vals)-1-j]
			if math.Abs(r.Variance[j]-want) > 1e-9*max(1, want) {
				t.Errorf("P=%d M=%d: Variance[%d] = %v, eigenvalue %v", tc.p, tc.m, j, r.Variance[j], want)
			}
			if math.Abs(r.ExplainedRatio[j]-want/total) > 1e-9 {
				t.Errorf("P=%d M=%d: ExplainedRatio[%d] = %v, want %v", tc.p, tc.m, j, r.ExplainedRatio[j], want/total)
			}
			// Same axis up to sign.
			c := 0.0
			for f := 0; f < tc.m; f++ {
				c += r.Components.At(j, f) * vecs.At(f, len(vals)-1-j)
			}
			if math.Abs(math.Abs(c)-1) > 1e-8 {
				t.Errorf("P=%d M=%d: component %d has |cos| %v with the eigenvector", tc.p, tc.m, j, c)
			}
			// Sign convention: the largest score is positive.
			big := 0.0
			for i := 0; i < tc.p; i++ {
				if math.Abs(r.Scores.At(i, j)) > math.Abs(big) {
					big = r.Scores.At(i, j)
				}
			}
			if big <= 0 {
				t.Errorf("component %d: largest score %v is not positive", j, big)
			}
		}
		// Scores are the projections of the centered rows.
		var proj mat.Dense
		proj.Mul(hc, r.Components.T())
		if !mat.EqualApprox(&proj, r.Scores, 1e-9) {
			t.Errorf("P=%d M=%d: Scores ≠ centered H · Componentsᵀ", tc.p, tc.m)
		}
	}
}

func TestPCAKnownGeometry(t *testing.T) {
	// A square in 3-D (z = 0) spans 2 dimensions equally.
	square := mat.NewDense(4, 3, []float64{1, 1, 0, 1, -1, 0, -1, 1, 0, -1, -1, 0})
	r := PCA(square, 3)
	if math.Abs(r.ExplainedRatio[0]-0.5) > 1e-12 || math.Abs(r.ExplainedRatio[1]-0.5) > 1e-12 || math.Abs(r.ExplainedRatio[2]) > 1e-12 {
		t.Errorf("square: explained %v, want [0.5 0.5 0]", r.ExplainedRatio)
	}
	if !strings.HasPrefix(r.String(), "PCA{3 of 3 features, 4 samples, explained 0.500 0.500 0.000") {
		t.Errorf("String() = %q", r.String())
	}
	// Uncentered: a common offset is the first component.
	shifted := mat.NewDense(4, 3, nil)
	for i := 0; i < 4; i++ {
		shifted.Set(i, 0, square.At(i, 0))
		shifted.Set(i, 1, square.At(i, 1))
		shifted.Set(i, 2, 10)
	}
	u := PCAUncentered(shifted, 1)
	if math.Abs(math.Abs(u.Components.At(0, 2))-1) > 1e-12 || u.Mean[2] != 0 {
		t.Errorf("uncentered: first component %v, want ±e_z", u.Components.RawRowView(0))
	}
	if c := PCA(shifted, 1); math.Abs(c.Components.At(0, 2)) > 1e-12 {
		t.Errorf("centered: first component %v has a z part", c.Components.RawRowView(0))
	}
	bad := mat.DenseCopyOf(square)
	bad.Set(0, 0, math.NaN())
	if b := PCA(bad, 2); !math.IsNaN(b.Scores.At(0, 0)) || !math.IsNaN(b.ExplainedRatio[1]) {
		t.Errorf("NaN input: %v", b)
	}
	metricMustPanic(t, "k = 0", func() { PCA(square, 0) })
	metricMustPanic(t, "k > min(P, M)", func() { PCA(square, 4) })
}
