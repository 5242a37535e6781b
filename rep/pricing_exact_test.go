package rep

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/rep/internal/rng"
)

// prRandomKernel returns K = XXᵀ + 11ᵀ for a Gaussian P×d X.
func prRandomKernel(rng *rand.Rand, p, d int) []float64 {
	x := make([]float64, p*d)
	for i := range x {
		x[i] = rng.NormFloat64() / math.Sqrt(float64(d))
	}
	k := make([]float64, p*p)
	for i := 0; i < p; i++ {
		for j := 0; j < p; j++ {
			s := 1.0
			for c := 0; c < d; c++ {
				s += x[i*d+c] * x[j*d+c]
			}
			k[i*p+j] = s
		}
	}
	return k
}

func prRandomGamma(rng *rand.Rand, p, q int) []float64 {
	g := make([]float64, p*q)
	for i := range g {
		g[i] = rng.NormFloat64()
	}
	return g
}

// prBruteForce enumerates all 3^P sign vectors with gonum linear algebra,
// independently of prExact: the oracle for small P. Generic data only
// (top eigenvalue assumed simple).
func prBruteForce(k []float64, p int, gam []float64, q int, dp, dm float64) float64 {
	best := 0.0
	states := make([]int, p) // 0 zero, 1 positive, 2 negative
	total := 1
	for i := 0; i < p; i++ {
		total *= 3
	}
	kk := mat.NewSymDense(p, append([]float64(nil), k...))
	for code := 0; code < total; code++ {
		c := code
		var zs, ws []int
		for i := 0; i < p; i++ {
			states[i] = c % 3
			c /= 3
			if states[i] == 0 {
				zs = append(zs, i)
			} else {
				ws = append(ws, i)
			}
		}
		if len(ws) == 0 {
			continue
		}
		// K/Z via pseudo-inverse of K_ZZ.
		m := mat.NewDense(p, p, nil)
		m.Copy(kk)
		if len(zs) > 0 {
			kzz := mat.NewDense(len(zs), len(zs), nil)
			kaz := mat.NewDense(p, len(zs), nil)
			for a, i := range zs {
				for b, j := range zs {
					kzz.Set(a, b, k[i*p+j])
				}
				for r := 0; r < p; r++ {
					kaz.Set(r, a, k[r*p+i])
				}
			}
			var svd mat.SVD
			svd.Factorize(kzz, mat.SVDFull)
			var pinv mat.Dense
			vals := svd.Values(nil)
			var u, v mat.Dense
			svd.UTo(&u)
			svd.VTo(&v)
			sinv := mat.NewDense(len(zs), len(zs), nil)
			for i, s := range vals {
				if s > 1e-12*vals[0] {
					sinv.Set(i, i, 1/s)
				}
			}
			pinv.Product(&v, sinv, u.T())
			var corr mat.Dense
			corr.Product(kaz, &pinv, kaz.T())
			m.Sub(m, &corr)
		}
		gt := mat.NewDense(p, q, nil)
		for i := 0; i < p; i++ {
			d := 0.0
			switch states[i] {
			case 1:
				d = dp
			case 2:
				d = dm
			}
			for cc := 0; cc < q; cc++ {
				gt.Set(i, cc, d*gam[i*q+cc])
			}
		}
		var cmat mat.Dense
		cmat.Product(gt.T(), m, gt)
		sym := mat.NewSymDense(q, nil)
		for a := 0; a < q; a++ {
			for b := a; b < q; b++ {
				sym.SetSym(a, b, 0.5*(cmat.At(a, b)+cmat.At(b, a)))
			}
		}
		e, ok := mfEigSym(sym)
		if !ok || e.vals[0] <= best {
			continue
		}
		var uvec mat.Dense
		uvec.Product(m, gt, e.vecs.ColView(0))
		scale := 0.0
		for i := 0; i < p; i++ {
			scale = math.Max(scale, math.Abs(uvec.At(i, 0)))
		}
		for _, sg := range []float64{1, -1} {
			ok := true
			for i := 0; i < p; i++ {
				v := sg * uvec.At(i, 0)
				if (states[i] == 1 && v < -1e-9*scale) || (states[i] == 2 && v > 1e-9*scale) {
					ok = false
				}
			}
			if ok {
				best = e.vals[0]
			}
		}
	}
	return best
}

func TestExactPricingMatchesBruteForce(t *testing.T) {
	rng := rng.New(11)
	for trial := 0; trial < 12; trial++ {
		p := 3 + trial%4
		d := []int{p, 2, p + 3}[trial%3]
		q := 1 + trial%3
		k := prRandomKernel(rng, p, d)
		gam := prRandomGamma(rng, p, q)
		for _, sl := range [][2]float64{{1, 0}, {1, 1}, {1, 0.3}} {
			want := prBruteForce(k, p, gam, q, sl[0], sl[1])
			e := newPrExact(k, p, sl[0], sl[1])
			got, cands, _, complete := e.price(context.Background(), gam, q, 0, 0, 4)
			if !complete {
				t.Fatal("incomplete")
			}
			if math.Abs(got-want) > 1e-9*want {
				t.Errorf("trial %d P=%d d=%d q=%d slopes %v: exact %.12g, brute force %.12g", trial, p, d, q, sl, got, want)
			}
			if len(cands) == 0 || math.Abs(cands[0].val-got) > 1e-9*got {
				t.Errorf("trial %d: best candidate missing", trial)
				continue
			}
			// The candidate is a genuine point with that value.
			if v := prValue(k, p, gam, q, sl[0], sl[1], cands[0].u); math.Abs(v-got) > 1e-7*got {
				t.Errorf("trial %d slopes %v: candidate value %.12g, claimed %.12g", trial, sl, v, got)
			}
		}
	}
}

// prValue evaluates ψ(u)ᵀGψ(u)/uᵀK†u directly.
func prValue(k []float64, p int, gam []float64, q int, dp, dm float64, u []float64) float64 {
	ks := mat.NewSymDense(p, append([]float64(nil), k...))
	var pinv mat.Dense
	if err := pinv.Inverse(ks); err != nil {
		var svd mat.SVD
		svd.Factorize(ks, mat.SVDFull)
		vals := svd.Values(nil)
		var uu, vv mat.Dense
		svd.UTo(&uu)
		svd.VTo(&vv)
		sinv := mat.NewDense(p, p, nil)
		for i, s := range vals {
			if s > 1e-10*vals[0] {
				sinv.Set(i, i, 1/s)
			}
		}
		pinv.Product(&vv, sinv, uu.T())
	}
	uv := mat.NewVecDense(p, u)
	den := mat.Inner(uv, &pinv, uv)
	num := 0.0
	for c := 0; c < q; c++ {
		s := 0.0
		for i := 0; i < p; i++ {
			psi := dp * math.Max(u[i], 0)
			if u[i] < 0 {
				psi = dm * u[i]
			}
			s += gam[i*q+c] * psi
		}
		num += s * s
	}
	return num / den
}

// The arrangement enumeration of rank-deficient kernels agrees with the
// brute force and with the sign-vector enumeration.
func TestExactPricingLowRank(t *testing.T) {
	rng := rng.New(21)
	for trial := 0; trial < 16; trial++ {
		p := 5 + trial%3
		d := 1 + trial%3 // rank d+1 < P
		q := 1 + trial%2
		k := prRandomKernel(rng, p, d)
		gam := prRandomGamma(rng, p, q)
		if trial%4 == 3 {
			// A degenerate arrangement: duplicated and opposite stimuli.
			for j := 0; j < p; j++ {
				k[1*p+j] = k[0*p+j]
				k[j*p+1] = k[j*p+0]
			}
			k[1*p+1] = k[0]
		}
		want := prBruteForce(k, p, gam, q, 1, 0)
		e := newPrExact(k, p, 1, 0)
		if e.r >= p {
			t.Fatalf("trial %d: rank %d not deficient", trial, e.r)
		}
		e.lowRank, e.mmat = true, false
		got, cands, _, _ := e.price(context.Background(), gam, q, 0, 0, 4)
		e.lowRank = false
		gen, _, _, _ := e.price(context.Background(), gam, q, 0, 0, 4)
		if math.Abs(got-want) > 1e-9*want || math.Abs(gen-want) > 1e-9*want {
			t.Errorf("trial %d P=%d rank %d: arrangement %.12g, sign vectors %.12g, brute force %.12g", trial, p, e.r, got, gen, want)
		}
		if len(cands) > 0 {
			if v := prValue(k, p, gam, q, 1, 0, cands[0].u); math.Abs(v-got) > 1e-7*got {
				t.Errorf("trial %d: candidate value %.12g, claimed %.12g", trial, v, got)
			}
		}
	}
}

func TestExactPricingMMatrixPath(t *testing.T) {
	rng := rng.New(5)
	for trial := 0; trial < 8; trial++ {
		p := 3 + trial%4
		// Whitened-like K = I + 11ᵀ plus a small equicorrelated block: an M-matrix inverse.
		k := make([]float64, p*p)
		for i := 0; i < p; i++ {
			for j := 0; j < p; j++ {
				k[i*p+j] = 1 + 0.2
				if i == j {
					k[i*p+j] += 1
				}
			}
		}
		q := 1 + trial%3
		gam := prRandomGamma(rng, p, q)
		e := newPrExact(k, p, 1, 0)
		if !e.mmat {
			t.Fatal("M-matrix path not detected")
		}
		got, _, _, _ := e.price(context.Background(), gam, q, 0, 0, 4)
		want := prBruteForce(k, p, gam, q, 1, 0)
		if math.Abs(got-want) > 1e-9*want {
			t.Errorf("trial %d: M-matrix %.12g, brute force %.12g", trial, got, want)
		}
		e.mmat = false
		got2, _, _, _ := e.price(context.Background(), gam, q, 0, 0, 4)
		if math.Abs(got2-want) > 1e-9*want {
			t.Errorf("trial %d: general %.12g, brute force %.12g", trial, got2, want)
		}
	}
}
