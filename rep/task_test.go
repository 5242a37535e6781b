package rep

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/rep/internal/rng"
)

// testCKA is an independent centered kernel alignment for the tests:
// H K H by explicit matrix products with H = I − 11ᵀ/P, then the
// entry-wise cosine.
func testCKA(k1, k2 mat.Matrix) float64 {
	p, _ := k1.Dims()
	h := mat.NewDense(p, p, nil)
	for i := 0; i < p; i++ {
		for j := 0; j < p; j++ {
			h.Set(i, j, -1/float64(p))
		}
		h.Set(i, i, 1-1/float64(p))
	}
	var a, b, t mat.Dense
	t.Mul(h, k1)
	a.Mul(&t, h)
	t.Mul(h, k2)
	b.Mul(&t, h)
	var ab, aa, bb float64
	for i := 0; i < p; i++ {
		for j := 0; j < p; j++ {
			ab += a.At(i, j) * b.At(i, j)
			aa += a.At(i, j) * a.At(i, j)
			bb += b.At(i, j) * b.At(i, j)
		}
	}
	return ab / math.Sqrt(aa*bb)
}

// maxAbsDiff returns max |a_ij − b_ij|.
func maxAbsDiff(a, b mat.Matrix) float64 {
	r, c := a.Dims()
	m := 0.0
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			m = math.Max(m, math.Abs(a.At(i, j)-b.At(i, j)))
		}
	}
	return m
}

// identity returns I_p.
func identity(p int) *mat.Dense {
	m := mat.NewDense(p, p, nil)
	for i := 0; i < p; i++ {
		m.Set(i, i, 1)
	}
	return m
}

// checkLatentLabels asserts paper A's label structure: 2^dY classes of n
// rows, latents ±1 from the class bits, targets = latents, balanced and
// orthogonal latent vectors (vₖᵀ1 = 0, vₖᵀvₗ = Pδₖₗ, DIGEST §A1).
func checkLatentLabels(t *testing.T, task *Task, dY, n int) {
	t.Helper()
	p := n << dY
	if task.P() != p || task.DY() != dY || task.DL() != dY || len(task.Class) != p {
		t.Fatalf("sizes: P=%d dY=%d dL=%d len(Class)=%d, want P=%d dY=%d", task.P(), task.DY(), task.DL(), len(task.Class), p, dY)
	}
	if !mat.Equal(task.Y, task.Latents) {
		t.Fatal("targets differ from latents")
	}
	for i := 0; i < p; i++ {
		c := i / n
		if task.Class[i] != c {
			t.Fatalf("Class[%d] = %d, want %d", i, task.Class[i], c)
		}
		for k := 0; k < dY; k++ {
			if want := float64(2*((c>>k)&1) - 1); task.Y.At(i, k) != want {
				t.Fatalf("Y[%d,%d] = %g, want %g", i, k, task.Y.At(i, k), want)
			}
		}
	}
	var g mat.Dense
	g.Mul(task.Y.T(), task.Y)
	if d := maxAbsDiff(&g, scaled(identity(dY), float64(p))); d != 0 {
		t.Fatalf("YᵀY ≠ P·I (max diff %g)", d)
	}
	if task.Classes() != 1<<dY {
		t.Fatalf("Classes() = %d, want %d", task.Classes(), 1<<dY)
	}
}

func scaled(m *mat.Dense, f float64) *mat.Dense {
	var out mat.Dense
	out.Scale(f, m)
	return &out
}

func TestWhitenedGramIsIdentity(t *testing.T) {
	for _, tc := range []struct{ dY, n, dim int }{
		{1, 1, 0}, {2, 1, 0}, {3, 1, 0}, {3, 2, 0}, {4, 3, 0}, {2, 1, 10}, {3, 2, 100}, {6, 1, 0},
	} {
		t.Run(fmt.Sprintf("dY=%d,n=%d,dim=%d", tc.dY, tc.n, tc.dim), func(t *testing.T) {
			b := NewTask(tc.dY).PerClass(tc.n).Whitened().Seed(3)
			if tc.dim > 0 {
				b = b.Dim(tc.dim)
			}
			task := Must(b.Build())
			checkLatentLabels(t, task, tc.dY, tc.n)
			p := task.P()
			wantDim := tc.dim
			if wantDim == 0 {
				wantDim = p
			}
			if task.DX() != wantDim {
				t.Fatalf("dX = %d, want %d", task.DX(), wantDim)
			}
			// 1e-12: Householder QR/LQ is orthogonal to a few ulps·√P.
			if d := maxAbsDiff(task.KData(), identity(p)); d > 1e-12 {
				t.Fatalf("XXᵀ ≠ I: max |XXᵀ − I| = %g", d)
			}
			kx := task.KX()
			for i := 0; i < p; i++ {
				for j := 0; j < p; j++ {
					want := 1.0
					if i == j {
						want = 2
					}
					if math.Abs(kx.At(i, j)-want) > 1e-12 {
						t.Fatalf("K_X[%d,%d] = %g, want %g (I + 11ᵀ)", i, j, kx.At(i, j), want)
					}
				}
			}
		})
	}
}

// TestWhitenedAlignment: C(I, K_Y) = √(dY/(P−1)) for singleton classes
// (DIGEST §A2.5, §B5): the red dot of paper A Fig. 4C.
func TestWhitenedAlignment(t *testing.T) {
	for dY := 1; dY <= 5; dY++ {
		task := Must(NewTask(dY).Build())
		p := float64(task.P())
		want := math.Sqrt(float64(dY) / (p - 1))
		if got := task.InputOutputAlignment(); math.Abs(got-want) > 1e-12 {
			t.Errorf("dY=%d: alignment %.15f, want %.15f", dY, got, want)
		}
		if got := testCKA(task.KData(), task.KY()); math.Abs(got-want) > 1e-12 {
			t.Errorf("dY=%d: test CKA %.15f, want %.15f", dY, got, want)
		}
	}
}

func TestTargetAlignedKernel(t *testing.T) {
	for _, tc := range []struct {
		dY, n, dim int
		a          float64
	}{{2, 1, 0, 0}, {2, 1, 0, 0.5}, {3, 1, 0, 2}, {3, 2, 20, 0.25}, {4, 1, 0, 10}} {
		t.Run(fmt.Sprintf("dY=%d,n=%d,a=%g", tc.dY, tc.n, tc.a), func(t *testing.T) {
			b := NewTask(tc.dY).PerClass(tc.n).TargetAligned(tc.a).Seed(5)
			if tc.dim > 0 {
				b = b.Dim(tc.dim)
			}
			task := Must(b.Build())
			checkLatentLabels(t, task, tc.dY, tc.n)
			want := mat.NewDense(task.P(), task.P(), nil)
			want.Scale(tc.a, task.KY())
			want.Add(want, identity(task.P()))
			// Entries of I + aK_Y reach 1 + a·dY; allow 1e-12 relative.
			tol := 1e-12 * (1 + tc.a*float64(tc.dY))
			if d := maxAbsDiff(task.KData(), want); d > tol {
				t.Fatalf("XXᵀ ≠ I + aK_Y: max diff %g > %g", d, tol)
			}
			// More alignment than whitened, increasing in a.
			if tc.a > 0 {
				w := Must(NewTask(tc.dY).PerClass(tc.n).Build()).InputOutputAlignment()
				if got := task.InputOutputAlignment(); !(got > w) {
					t.Fatalf("alignment %g not above whitened %g", got, w)
				}
			}
		})
	}
}

func TestAnisotropicKernel(t *testing.T) {
	a := []float64{0.5, 0.01, -0.05}
	task := Must(NewTask(3).PerClass(2).Anisotropic(a...).Seed(2).Build())
	checkLatentLabels(t, task, 3, 2)
	p := task.P()
	want := identity(p)
	for k, ak := range a {
		v := mat.Col(nil, k, task.Y)
		for i := 0; i < p; i++ {
			for j := 0; j < p; j++ {
				want.Set(i, j, want.At(i, j)+ak*v[i]*v[j])
			}
		}
	}
	if d := maxAbsDiff(task.KData(), want); d > 1e-12 {
		t.Fatalf("XXᵀ ≠ I + Σ aₖvₖvₖᵀ: max diff %g", d)
	}
}

// TestXORVarianceAlignment checks K = I + w·uuᵀ and the closed form of
// DIGEST §A7: C = 8/(√((1+4w)²+2)·4√2) for dY = 2.
func TestXORVarianceAlignment(t *testing.T) {
	for _, w := range []float64{-0.2, 0, 0.25, 0.5, 1, 3, 10} {
		task := Must(NewTask(2).XORVariance(w).Seed(9).Build())
		p := task.P()
		want := identity(p)
		for i := 0; i < p; i++ {
			for j := 0; j < p; j++ {
				ui := task.Y.At(i, 0) * task.Y.At(i, 1)
				uj := task.Y.At(j, 0) * task.Y.At(j, 1)
				want.Set(i, j, want.At(i, j)+w*ui*uj)
			}
		}
		if d := maxAbsDiff(task.KData(), want); d > 1e-12*(1+math.Abs(w)) {
			t.Fatalf("w=%g: XXᵀ ≠ I + w uuᵀ: max diff %g", w, d)
		}
		c := 8 / (math.Sqrt((1+4*w)*(1+4*w)+2) * 4 * math.Sqrt2)
		if got := testCKA(task.KData(), task.KY()); math.Abs(got-c) > 1e-12 {
			t.Fatalf("w=%g: alignment %.15f, want %.15f", w, got, c)
		}
		if got := task.InputOutputAlignment(); math.Abs(got-c) > 1e-12 {
			t.Fatalf("w=%g: InputOutputAlignment %.15f, want %.15f", w, got, c)
		}
	}
}

// checkBlockDiag asserts XXᵀ = blockdiag(C_c) with n×n blocks.
func checkBlockDiag(t *testing.T, task *Task, n int, block func(c int) *mat.Dense) {
	t.Helper()
	k := task.KData()
	p := task.P()
	for i := 0; i < p; i++ {
		for j := 0; j < p; j++ {
			want := 0.0
			if i/n == j/n {
				want = block(i/n).At(i%n, j%n)
			}
			if math.Abs(k.At(i, j)-want) > 1e-12 {
				t.Fatalf("XXᵀ[%d,%d] = %g, want %g (blockdiag)", i, j, k.At(i, j), want)
			}
		}
	}
}

func TestWithinClassCorrelation(t *testing.T) {
	for _, tc := range []struct {
		dY, n int
		rho   float64
	}{{2, 2, 0}, {2, 2, 0.5}, {2, 4, 0.3}, {3, 3, -0.4}, {2, 3, 1}} {
		t.Run(fmt.Sprintf("dY=%d,n=%d,rho=%g", tc.dY, tc.n, tc.rho), func(t *testing.T) {
			task := Must(NewTask(tc.dY).PerClass(tc.n).WithinClassCorrelation(tc.rho).Seed(4).Build())
			checkLatentLabels(t, task, tc.dY, tc.n)
			c := mat.NewDense(tc.n, tc.n, nil)
			for i := 0; i < tc.n; i++ {
				for j := 0; j < tc.n; j++ {
					c.Set(i, j, tc.rho)
				}
				c.Set(i, i, 1)
			}
			checkBlockDiag(t, task, tc.n, func(int) *mat.Dense { return c })
			// γ = 1ᵀC⁺1 = n/(1+(n−1)ρ) (DIGEST §A5.5).
			want := float64(tc.n) / (1 + float64(tc.n-1)*tc.rho)
			for cl, g := range task.ClassGamma() {
				if math.Abs(g-want) > 1e-9 {
					t.Fatalf("γ[%d] = %.12f, want %.12f", cl, g, want)
				}
			}
		})
	}
}

func TestClassCorrelations(t *testing.T) {
	const dY, n = 2, 3
	rng := rng.New(11)
	cs := make([]*mat.Dense, 1<<dY)
	ms := make([]mat.Matrix, len(cs))
	for c := range cs {
		// A random correlation matrix: normalized Gram of random vectors.
		g := mat.NewDense(n, n+2, nil)
		for i := 0; i < n; i++ {
			for j := 0; j < n+2; j++ {
				g.Set(i, j, rng.NormFloat64())
			}
		}
		var k mat.Dense
		k.Mul(g, g.T())
		cs[c] = mat.NewDense(n, n, nil)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				cs[c].Set(i, j, k.At(i, j)/math.Sqrt(k.At(i, i)*k.At(j, j)))
			}
		}
		ms[c] = cs[c]
	}
	task := Must(NewTask(dY).PerClass(n).ClassCorrelations(ms...).Seed(8).Build())
	checkLatentLabels(t, task, dY, n)
	checkBlockDiag(t, task, n, func(c int) *mat.Dense { return cs[c] })
	// γ_c = 1ᵀC_c⁻¹1 by a linear solve (C_c is invertible here).
	ones := mat.NewVecDense(n, nil)
	for i := 0; i < n; i++ {
		ones.SetVec(i, 1)
	}
	gam := task.ClassGamma()
	for c := range cs {
		var x mat.VecDense
		if err := x.SolveVec(cs[c], ones); err != nil {
			t.Fatal(err)
		}
		want := mat.Dot(ones, &x)
		if math.Abs(gam[c]-want) > 1e-9*want {
			t.Fatalf("γ[%d] = %.12f, want %.12f", c, gam[c], want)
		}
	}
	// One shared matrix.
	shared := Must(NewTask(dY).PerClass(n).ClassCorrelations(cs[1]).Seed(8).Build())
	checkBlockDiag(t, shared, n, func(int) *mat.Dense { return cs[1] })
}

func TestClassCorrelationsErrors(t *testing.T) {
	notPSD := mat.NewDense(2, 2, []float64{1, 2, 2, 1})
	asym := mat.NewDense(2, 2, []float64{1, 0.5, 0.2, 1})
	nan := mat.NewDense(2, 2, []float64{1, math.NaN(), math.NaN(), 1})
	okC := mat.NewDense(2, 2, []float64{1, 0.5, 0.5, 1})
	three := mat.NewDense(3, 3, []float64{1, 0, 0, 0, 1, 0, 0, 0, 1})
	for _, tc := range []struct {
		name string
		b    TaskBuilder
		want string
	}{
		{"notPSD", NewTask(2).PerClass(2).ClassCorrelations(notPSD), "not positive semidefinite"},
		{"asym", NewTask(2).PerClass(2).ClassCorrelations(asym), "not symmetric"},
		{"nan", NewTask(2).PerClass(2).ClassCorrelations(nan), "NaN or Inf"},
		{"size", NewTask(2).PerClass(2).ClassCorrelations(three), "n×n with n = PerClass = 2"},
		{"count", NewTask(2).PerClass(2).ClassCorrelations(okC, okC), "1 (shared) or one per class (4)"},
		{"nil", NewTask(2).PerClass(2).ClassCorrelations(nil), "matrix 0 is nil"},
		{"none", NewTask(2).PerClass(2).ClassCorrelations(), "needs one shared matrix"},
		{"nonsquare", NewTask(2).PerClass(2).ClassCorrelations(mat.NewDense(2, 3, nil)), "must be square"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			task, err := tc.b.Build()
			if err == nil || task != nil {
				t.Fatalf("no error (task %v)", task)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

// TestDeltaXORGeometry checks DIGEST §B1.2 and §B5: at δ = 1 the
// noise-free centres are equidistant (a regular tetrahedron) with
// input–output alignment 1/√3; at δ = 0 they form a square with alignment
// 0; alignment grows with δ.
func TestDeltaXORGeometry(t *testing.T) {
	prev := -1.0
	for _, delta := range []float64{0, 0.1, 0.25, 0.5, 0.75, 1} {
		task := Must(NewDeltaXOR(delta).Seed(3).Build())
		if task.P() != 4 || task.DX() != 120 || task.DY() != 1 || task.DL() != 2 {
			t.Fatalf("sizes P=%d dX=%d dY=%d dL=%d", task.P(), task.DX(), task.DY(), task.DL())
		}
		if task.NoiseTrain != 1 || task.NoiseTest != 1 {
			t.Fatalf("noise %g %g, want 1 1", task.NoiseTrain, task.NoiseTest)
		}
		for c := 0; c < 4; c++ {
			l0, l1 := task.Latents.At(c, 0), task.Latents.At(c, 1)
			if task.Y.At(c, 0) != -l0*l1 {
				t.Fatalf("y[%d] = %g is not the XOR of latents (%g, %g)", c, task.Y.At(c, 0), l0, l1)
			}
			if task.Class[c] != c {
				t.Fatalf("Class[%d] = %d", c, task.Class[c])
			}
		}
		k := task.KData()
		m := 40.0 // ⌊N/3⌋
		for i := 0; i < 4; i++ {
			for j := 0; j < 4; j++ {
				// Gram of the centres: m(l0ᵢl0ⱼ + l1ᵢl1ⱼ + δ²sᵢsⱼ).
				want := m * (task.Latents.At(i, 0)*task.Latents.At(j, 0) + task.Latents.At(i, 1)*task.Latents.At(j, 1) +
					delta*delta*task.Y.At(i, 0)*task.Y.At(j, 0))
				if math.Abs(k.At(i, j)-want) > 1e-12*m {
					t.Fatalf("δ=%g: Gram[%d,%d] = %g, want %g", delta, i, j, k.At(i, j), want)
				}
			}
		}
		got := testCKA(k, task.KY())
		if got <= prev {
			t.Fatalf("δ=%g: alignment %g not above %g", delta, got, prev)
		}
		prev = got
		switch delta {
		case 0:
			if math.Abs(got) > 1e-12 {
				t.Fatalf("δ=0: alignment %g, want 0", got)
			}
		case 1:
			if math.Abs(got-1/math.Sqrt(3)) > 1e-12 {
				t.Fatalf("δ=1: alignment %.15f, want 1/√3", got)
			}
			d01 := sqDist(task.X, 0, 1)
			for i := 0; i < 4; i++ {
				for j := i + 1; j < 4; j++ {
					if d := sqDist(task.X, i, j); math.Abs(d-d01) > 1e-12*d01 {
						t.Fatalf("δ=1: ‖x%d−x%d‖² = %g ≠ ‖x0−x1‖² = %g", i, j, d, d01)
					}
				}
			}
		}
	}
}

func sqDist(x *mat.Dense, i, j int) float64 {
	s := 0.0
	for k, v := range x.RawRowView(i) {
		d := v - x.At(j, k)
		s += d * d
	}
	return s
}

// TestDeltaXORSupports checks the disjoint-support construction.
func TestDeltaXORSupports(t *testing.T) {
	task := Must(NewDeltaXOR(0.5).Dim(31).Seed(4).Build()) // m = 10, one zero coordinate
	if task.DX() != 31 {
		t.Fatalf("dX = %d", task.DX())
	}
	for c := 0; c < 4; c++ {
		if task.X.At(c, 30) != 0 {
			t.Fatalf("coordinate 30 of centre %d is %g, want 0", c, task.X.At(c, 30))
		}
		for k := 0; k < 3; k++ {
			nrm := 0.0
			for i := 10 * k; i < 10*(k+1); i++ {
				nrm += task.X.At(c, i) * task.X.At(c, i)
			}
			want := 10.0
			if k == 2 {
				want = 10 * 0.25
			}
			if math.Abs(nrm-want) > 1e-12 {
				t.Fatalf("centre %d block %d: squared norm %g, want %g", c, k, nrm, want)
			}
		}
	}
}

func TestClusterTask(t *testing.T) {
	task := Must(NewClusterTask().Seed(2).Build())
	if task.P() != 4 || task.DX() != 200 || task.DY() != 1 || task.DL() != 2 {
		t.Fatalf("sizes P=%d dX=%d dY=%d dL=%d", task.P(), task.DX(), task.DY(), task.DL())
	}
	for j := 0; j < task.DX(); j++ {
		s := 0.0
		for c := 0; c < 4; c++ {
			s += task.X.At(c, j)
		}
		if math.Abs(s) > 1e-12 {
			t.Fatalf("centres not centred: column %d sums to %g", j, s)
		}
	}
	for c := 0; c < 4; c++ {
		if task.Y.At(c, 0) != task.Latents.At(c, 0) {
			t.Fatal("Y is not latent 0")
		}
	}
	// Centres ~ N(0, I) then centred: each coordinate has variance 3/4,
	// so Σ‖x_c‖²/(4N) ≈ 0.75 (s.d. ≈ 0.04 for N = 200).
	ms := 0.0
	for c := 0; c < 4; c++ {
		for _, v := range task.X.RawRowView(c) {
			ms += v * v
		}
	}
	if ms /= 4 * 200; ms < 0.6 || ms > 0.9 {
		t.Fatalf("mean squared coordinate %g, want ≈ 0.75", ms)
	}
	two := Must(NewClusterTask().Outputs(2).Seed(2).Build())
	if !mat.Equal(two.Y, two.Latents) || !mat.Equal(two.X, task.X) {
		t.Fatal("two-output task: Y must equal both latents and X the same centres")
	}
}

// TestRandomKernelAlignment checks that the sampler hits the prescribed
// centered alignment (to 1e-9) for several c, P, k, spectra and ranks,
// with a centered input kernel of trace N·P and the requested rank.
func TestRandomKernelAlignment(t *testing.T) {
	for _, p := range []int{4, 8, 32} {
		bits := int(math.Log2(float64(p)))
		for _, k := range []int{1, bits, p / 2} {
			if k > p-2 {
				continue
			}
			cmax := math.Sqrt(float64(k) / float64(p-1))
			for _, c := range []float64{0, 0.05, 0.3, cmax, 0.7, 0.95, 1} {
				for _, scale := range []float64{0, 0.5} {
					for _, rank := range []int{0, k + 1} {
						if rank > p-1 || (rank == p-1) {
							continue
						}
						name := fmt.Sprintf("P=%d,k=%d,c=%.3f,scale=%g,rank=%d", p, k, c, scale, rank)
						b := NewRandomKernelTask(p, k).Alignment(c).Scale(scale).Seed(uint64(7 + p + k))
						if rank > 0 {
							b = b.Rank(rank)
						}
						task, err := b.Build()
						if err != nil {
							t.Fatalf("%s: %v", name, err)
						}
						checkRandomKernelTask(t, name, task, p, k, c, rank)
					}
				}
			}
		}
	}
}

func checkRandomKernelTask(t *testing.T, name string, task *Task, p, k int, c float64, rank int) {
	t.Helper()
	n := task.DX()
	if task.P() != p || task.DY() != k {
		t.Fatalf("%s: P=%d dY=%d", name, task.P(), task.DY())
	}
	kx := task.KData()
	if got := testCKA(kx, task.KY()); math.Abs(got-c) > 1e-9 {
		t.Fatalf("%s: alignment %.15f, want %.15f", name, got, c)
	}
	// Centered (K1 = 0) with trace N·P.
	tr := mat.Trace(kx)
	if math.Abs(tr-float64(n*p)) > 1e-9*float64(n*p) {
		t.Fatalf("%s: tr XXᵀ = %g, want N·P = %d", name, tr, n*p)
	}
	for i := 0; i < p; i++ {
		s := 0.0
		for j := 0; j < p; j++ {
			s += kx.At(i, j)
		}
		if math.Abs(s) > 1e-9*float64(n) {
			t.Fatalf("%s: row %d of XXᵀ sums to %g, want 0", name, i, s)
		}
	}
	var eig mat.EigenSym
	eig.Factorize(kx, false)
	r := 0
	for _, v := range eig.Values(nil) {
		if v < -1e-9*float64(n) {
			t.Fatalf("%s: XXᵀ has eigenvalue %g < 0", name, v)
		}
		if v > 1e-9*float64(n) {
			r++
		}
	}
	maxRank := p - 1
	switch {
	case c == 0 && rank > 0:
		maxRank = min(rank, p-1-k)
	case c == 0:
		maxRank = p - 1 - k
	case c == 1:
		maxRank = k
	case rank > 0:
		maxRank = min(p-1, rank+k)
	}
	if r > maxRank {
		t.Fatalf("%s: rank %d > %d", name, r, maxRank)
	}
	if c == 0 && r != maxRank {
		t.Fatalf("%s: rank %d at c = 0, want %d", name, r, maxRank)
	}
}

// TestRandomKernelMaximal checks the maximal-dimensional kernel at the
// alignment of the identity: K_X = N·P/(P−1)·H (DIGEST §B1.4, App. C), and
// at c = 0 the flat kernel on the null space of K_Y.
func TestRandomKernelMaximal(t *testing.T) {
	const p, k = 16, 4
	task := Must(NewRandomKernelTask(p, k).Build()) // default c = √(k/(P−1)), scale 0
	n := float64(task.DX())
	if task.DX() != 100 {
		t.Fatalf("default N = %d, want 100", task.DX())
	}
	kx := task.KData()
	for i := 0; i < p; i++ {
		for j := 0; j < p; j++ {
			want := -n / (p - 1)
			if i == j {
				want = n * (1 - 1.0/p) * p / (p - 1)
			}
			if math.Abs(kx.At(i, j)-want) > 1e-9*n {
				t.Fatalf("K_X[%d,%d] = %g, want %g (N·P/(P−1)·H)", i, j, kx.At(i, j), want)
			}
		}
	}
	zero := Must(NewRandomKernelTask(p, k).Alignment(0).Build())
	// K = N·P/(P−1−k)·Π, Π the projector on null(K_Y) ∩ 1⊥:
	// Π = H − K_Y/P for Walsh targets.
	ky := zero.KY()
	kz := zero.KData()
	for i := 0; i < p; i++ {
		for j := 0; j < p; j++ {
			h := -1.0 / p
			if i == j {
				h += 1
			}
			want := n * p / float64(p-1-k) * (h - ky.At(i, j)/p)
			if math.Abs(kz.At(i, j)-want) > 1e-9*n {
				t.Fatalf("c=0: K_X[%d,%d] = %g, want %g", i, j, kz.At(i, j), want)
			}
		}
	}
}

// TestRandomKernelHardEasy builds paper B's Fig. 5 tasks (P = 32, k = 5,
// zero alignment; rank 5 "hard" and 26 "easy", DIGEST §B1.6).
func TestRandomKernelHardEasy(t *testing.T) {
	for _, r := range []int{5, 26} {
		task := Must(NewRandomKernelTask(32, 5).Alignment(0).Scale(0.5).Rank(r).Seed(1).Build())
		checkRandomKernelTask(t, fmt.Sprintf("rank %d", r), task, 32, 5, 0, r)
	}
}

func TestRandomKernelLatents(t *testing.T) {
	task := Must(NewRandomKernelTask(8, 7).Alignment(1).Build())
	if task.DL() != 3 {
		t.Fatalf("dL = %d, want 3", task.DL())
	}
	for i := 0; i < 8; i++ {
		if task.Class[i] != i {
			t.Fatalf("Class[%d] = %d", i, task.Class[i])
		}
		for j := 0; j < 3; j++ {
			if want := float64(2*((i>>j)&1) - 1); task.Latents.At(i, j) != want || task.Y.At(i, j) != want {
				t.Fatalf("latent/target %d of cluster %d: %g %g, want %g", j, i, task.Latents.At(i, j), task.Y.At(i, j), want)
			}
		}
	}
	// All P−1 Walsh functions: K_Y = P·I − 11ᵀ, and the third bit pair
	// XOR (column 3 = bits {0,1}).
	ky := task.KY()
	for i := 0; i < 8; i++ {
		for j := 0; j < 8; j++ {
			want := -1.0
			if i == j {
				want = 7
			}
			if ky.At(i, j) != want {
				t.Fatalf("K_Y[%d,%d] = %g, want %g", i, j, ky.At(i, j), want)
			}
		}
		b0, b1 := i&1, (i>>1)&1
		if want := float64(2*(b0^b1) - 1); task.Y.At(i, 3) != want {
			t.Fatalf("Y[%d,3] = %g, want XOR of bits 0,1 = %g", i, task.Y.At(i, 3), want)
		}
	}
	// Few targets: latents are still all bits.
	one := Must(NewRandomKernelTask(8, 1).Build())
	if one.DL() != 3 || one.DY() != 1 {
		t.Fatalf("k=1: dL=%d dY=%d", one.DL(), one.DY())
	}
}

// TestRandomKernelGeometry: paper A's random-kernel geometry hits c.
func TestRandomKernelGeometry(t *testing.T) {
	for _, tc := range []struct {
		dY, n int
		c     float64
	}{{2, 1, 0.2}, {3, 1, 0.5}, {3, 2, 0.9}, {2, 2, 0}, {3, 1, 1}} {
		task := Must(NewTask(tc.dY).PerClass(tc.n).RandomKernel(tc.c).Seed(6).Build())
		checkLatentLabels(t, task, tc.dY, tc.n)
		if got := testCKA(task.KData(), task.KY()); math.Abs(got-tc.c) > 1e-9 {
			t.Fatalf("%+v: alignment %.15f", tc, got)
		}
		if got := task.InputOutputAlignment(); math.Abs(got-tc.c) > 1e-9 {
			t.Fatalf("%+v: InputOutputAlignment %.15f", tc, got)
		}
	}
}

func TestDataTask(t *testing.T) {
	x := mat.NewDense(4, 3, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	y := mat.NewDense(4, 1, []float64{1, -1, 1, -1})
	l := mat.NewDense(4, 2, []float64{-1, -1, 1, -1, -1, 1, 1, 1})
	task := Must(NewDataTask(x, y).Latents(l).Noise(0.5, 1).Build())
	if !mat.Equal(task.X, x) || !mat.Equal(task.Y, y) || !mat.Equal(task.Latents, l) {
		t.Fatal("matrices not copied faithfully")
	}
	if task.NoiseTrain != 0.5 || task.NoiseTest != 1 {
		t.Fatal("noise not kept")
	}
	for i, want := range []int{0, 1, 2, 3} {
		if task.Class[i] != want {
			t.Fatalf("Class = %v", task.Class)
		}
	}
	x.Set(0, 0, 100)
	if task.X.At(0, 0) == 100 {
		t.Fatal("task shares memory with the caller's X")
	}
	// Without latents: latents = targets, classes from Y.
	noL := Must(NewDataTask(x, y).Build())
	if !mat.Equal(noL.Latents, y) || noL.Class[0] != 1 || noL.Class[1] != 0 {
		t.Fatalf("latents/classes from Y: %v", noL.Class)
	}
}

func TestDataTaskErrors(t *testing.T) {
	x := mat.NewDense(4, 2, nil)
	y := mat.NewDense(4, 1, []float64{1, -1, 1, -1})
	bad := mat.NewDense(4, 1, []float64{1, 0, 1, -1})
	short := mat.NewDense(3, 1, []float64{1, -1, 1})
	nanX := mat.NewDense(4, 2, []float64{0, 0, math.NaN(), 0, 0, 0, 0, 0})
	infX := mat.NewDense(4, 2, []float64{0, 0, 0, math.Inf(1), 0, 0, 0, 0})
	one := mat.NewDense(1, 2, nil)
	for _, tc := range []struct {
		name string
		b    DataTaskBuilder
		want []string
	}{
		{"nilX", NewDataTask(nil, y), []string{"X is nil"}},
		{"nilY", NewDataTask(x, nil), []string{"Y is nil"}},
		{"emptyX", NewDataTask(&mat.Dense{}, y), []string{"X is empty"}},
		{"labels", NewDataTask(x, bad), []string{"TaskSpec.Y[1][0] = 0", "−1 or +1"}},
		{"rows", NewDataTask(x, short), []string{"TaskSpec.Y: 3 rows, X has 4"}},
		{"nan", NewDataTask(nanX, y), []string{"TaskSpec.X[1][0] = NaN", "finite"}},
		{"inf", NewDataTask(infX, y), []string{"TaskSpec.X[1][1] = +Inf"}},
		{"P", NewDataTask(one, mat.NewDense(1, 1, []float64{1})), []string{"need P ≥ 2"}},
		{"latents", NewDataTask(x, y).Latents(bad), []string{"TaskSpec.L[1][0] = 0"}},
		{"latentRows", NewDataTask(x, y).Latents(short), []string{"TaskSpec.L: 3 rows"}},
		{"nilLatents", NewDataTask(x, y).Latents(nil), []string{"Latents(L): L is nil"}},
		{"noise", NewDataTask(x, y).Noise(-1, math.NaN()), []string{"σ_train must be finite and ≥ 0", "σ_test"}},
		{"both", NewDataTask(nil, bad), []string{"X is nil", "TaskSpec.Y[1][0] = 0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			task, err := tc.b.Build()
			if err == nil || task != nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Fatalf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// buildersForRoundTrip lists one builder of every kind and geometry.
func buildersForRoundTrip() map[string]interface{ Spec() TaskSpec } {
	c := mat.NewDense(2, 2, []float64{1, 0.3, 0.3, 1})
	return map[string]interface{ Spec() TaskSpec }{
		"whitened":     NewTask(3).Seed(7),
		"dim":          NewTask(2).PerClass(2).Dim(13).Noise(0.1, 0.2).Seed(3),
		"aligned":      NewTask(2).TargetAligned(0.7).Seed(4),
		"anisotropic":  NewTask(2).Anisotropic(0.5, -0.1).Seed(5),
		"withinClass":  NewTask(2).PerClass(3).WithinClassCorrelation(0.4).Seed(6),
		"classCorr":    NewTask(2).PerClass(2).ClassCorrelations(c).Seed(7),
		"xorVariance":  NewTask(2).XORVariance(0.25).Seed(8),
		"randomKernel": NewTask(3).RandomKernel(0.3).Seed(9),
		"clusters":     NewClusterTask().Outputs(2).Dim(17).Seed(10),
		"deltaXOR":     NewDeltaXOR(0.3).Noise(0.5, 1).Seed(11),
		"random":       NewRandomKernelTask(8, 3).Alignment(0.4).Scale(0.5).Rank(5).Seed(12),
		"data": NewDataTask(mat.NewDense(2, 2, []float64{0.1, 1.0 / 3, math.Pi, -1e-300}),
			mat.NewDense(2, 1, []float64{1, -1})).Noise(0.3, 0.7),
	}
}

func TestTaskSpecJSONRoundTrip(t *testing.T) {
	for name, b := range buildersForRoundTrip() {
		t.Run(name, func(t *testing.T) {
			spec := b.Spec()
			orig, err := BuildTask(spec)
			if err != nil {
				t.Fatal(err)
			}
			data, err := json.Marshal(orig.Spec)
			if err != nil {
				t.Fatal(err)
			}
			var back TaskSpec
			if err := json.Unmarshal(data, &back); err != nil {
				t.Fatal(err)
			}
			if back.Version != Version || back.Seed != spec.Seed {
				t.Fatalf("spec lost version/seed: %+v", back)
			}
			again, err := BuildTask(back)
			if err != nil {
				t.Fatal(err)
			}
			assertSameTask(t, orig, again)
			data2, _ := json.Marshal(again.Spec)
			if string(data) != string(data2) {
				t.Fatalf("spec JSON changed:\n%s\n%s", data, data2)
			}
		})
	}
}

// assertSameTask asserts bit-identical matrices and equal metadata.
func assertSameTask(t *testing.T, a, b *Task) {
	t.Helper()
	for _, m := range []struct {
		name string
		x, y *mat.Dense
	}{{"X", a.X, b.X}, {"Y", a.Y, b.Y}, {"Latents", a.Latents, b.Latents}} {
		ra, ca := m.x.Dims()
		rb, cb := m.y.Dims()
		if ra != rb || ca != cb {
			t.Fatalf("%s: %d×%d vs %d×%d", m.name, ra, ca, rb, cb)
		}
		for i := 0; i < ra; i++ {
			for j := 0; j < ca; j++ {
				if math.Float64bits(m.x.At(i, j)) != math.Float64bits(m.y.At(i, j)) {
					t.Fatalf("%s[%d,%d]: %v vs %v", m.name, i, j, m.x.At(i, j), m.y.At(i, j))
				}
			}
		}
	}
	if fmt.Sprint(a.Class) != fmt.Sprint(b.Class) || a.NoiseTrain != b.NoiseTrain || a.NoiseTest != b.NoiseTest {
		t.Fatal("class or noise differ")
	}
}

func TestSameSeedSameTask(t *testing.T) {
	for name, b := range buildersForRoundTrip() {
		spec := b.Spec()
		a, err1 := BuildTask(spec)
		c, err2 := BuildTask(spec)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		assertSameTask(t, a, c)
		if name == "data" { // no random draw
			continue
		}
		spec.Seed++
		d := Must(BuildTask(spec))
		if mat.Equal(a.X, d.X) {
			t.Errorf("%s: seeds %d and %d give the same X", name, spec.Seed-1, spec.Seed)
		}
	}
}

func TestBuilderForksIndependently(t *testing.T) {
	base := NewTask(2).PerClass(2).Seed(3)
	aligned := base.TargetAligned(1)
	corr := base.WithinClassCorrelation(0.5)
	if base.Spec().Geometry != GeometryWhitened || aligned.Spec().Geometry != GeometryTargetAligned ||
		corr.Spec().Geometry != GeometryWithinClass || corr.Spec().Aligned != 0 {
		t.Fatalf("forks interfere: %+v %+v %+v", base.Spec(), aligned.Spec(), corr.Spec())
	}
	bad := base.PerClass(0)
	if _, err := base.Build(); err != nil {
		t.Fatalf("base picked up the fork's problem: %v", err)
	}
	if _, err := bad.Build(); err == nil {
		t.Fatal("fork lost its problem")
	}
	an := base.Anisotropic(0.1, 0.2)
	s := an.Spec()
	s.Anisotropy[0] = 99
	if an.Spec().Anisotropy[0] != 0.1 {
		t.Fatal("Spec() shares its slices with the builder")
	}
}

func TestBuilderErrors(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name  string
		build func() (*Task, error)
		want  []string
	}{
		{"latents0", NewTask(0).Build, []string{"NewTask(0): latents must be in [1, 16]"}},
		{"latents17", NewTask(17).Build, []string{"NewTask(17): latents must be in [1, 16]"}},
		{"perClass", NewTask(2).PerClass(0).Build, []string{"PerClass(0): n must be ≥ 1"}},
		{"joined", NewTask(0).PerClass(-1).TargetAligned(-1).Build, []string{"NewTask(0)", "PerClass(-1)", "TargetAligned(-1): a must be finite and ≥ 0"}},
		{"alignedNaN", NewTask(2).TargetAligned(nan).Build, []string{"TargetAligned(NaN)"}},
		{"alignedInf", NewTask(2).TargetAligned(math.Inf(1)).Build, []string{"TargetAligned(+Inf)"}},
		{"anisoCount", NewTask(3).Anisotropic(1, 2).Build, []string{"2 values, need one per latent (3)"}},
		{"anisoRange", NewTask(2).Anisotropic(-0.5, 0).Build, []string{"Anisotropy[0] = -0.5: must be finite and > −1/P = -0.25"}},
		{"anisoNaN", NewTask(2).Anisotropic(nan, 0).Build, []string{"a[0] = NaN"}},
		{"rho", NewTask(2).PerClass(4).WithinClassCorrelation(-0.5).Build, []string{"ρ must be in [−1/(n−1), 1]"}},
		{"rhoRange", NewTask(2).WithinClassCorrelation(1.5).Build, []string{"WithinClassCorrelation(1.5)"}},
		{"xorLatents", NewTask(1).XORVariance(1).Build, []string{"needs ≥ 2 latents"}},
		{"xorRange", NewTask(2).XORVariance(-0.3).Build, []string{"w must be finite and > −1/P = -0.25"}},
		{"randomC", NewTask(2).RandomKernel(1.5).Build, []string{"RandomKernel(1.5): alignment c must be in [0, 1]"}},
		{"randomCNaN", NewTask(2).RandomKernel(nan).Build, []string{"RandomKernel(NaN)"}},
		{"dimSmall", NewTask(3).Dim(4).Build, []string{"TaskSpec.Dim = 4: dX must be ≥ P = 8"}},
		{"dimZero", NewTask(3).Dim(0).Build, []string{"Dim(0): dX must be ≥ P"}},
		{"tooMany", NewTask(16).Build, []string{"P·dX = 65536·65536: must be ≤ 2²⁸"}},
		{"tooManyP", NewTask(16).PerClass(2).Build, []string{"must be ≤ 65536"}},
		{"perClassHuge", NewTask(1).PerClass(1 << 40).Build, []string{"must be ≤ 65536"}},
		{"dimHuge", NewTask(2).Dim(1 << 27).Build, []string{"must be ≤ 2²⁸"}},
		{"noise", NewTask(2).Noise(-1, nan).Build, []string{"σ_train must be finite and ≥ 0", "σ_test"}},
		{"delta", NewDeltaXOR(1.5).Build, []string{"NewDeltaXOR(1.5): δ must be in [0, 1]"}},
		{"deltaNaN", NewDeltaXOR(nan).Build, []string{"NewDeltaXOR(NaN)"}},
		{"deltaOutputs", NewDeltaXOR(0).Outputs(2).Build, []string{"only NewClusterTask"}},
		{"outputs", NewClusterTask().Outputs(3).Build, []string{"Outputs(3): must be 1 or 2"}},
		{"clusterDim", NewClusterTask().Dim(0).Build, []string{"Dim(0): N must be in [1, 2²⁶]"}},
		{"xorDim", NewDeltaXOR(0).Dim(2).Build, []string{"Dim(2): N must be in [3, 2²⁶]"}},
		{"clusterNoise", NewClusterTask().Noise(math.Inf(1), 0).Build, []string{"σ_train"}},
		{"randomP", NewRandomKernelTask(6, 1).Build, []string{"NewRandomKernelTask(6, 1): P must be a power of two in [4, 4096]"}},
		{"randomPHuge", NewRandomKernelTask(1<<20, 1).Build, []string{"power of two in [4, 4096]"}},
		{"randomK", NewRandomKernelTask(8, 8).Build, []string{"k must be in [1, P−1] = [1, 7]"}},
		{"randomK0", NewRandomKernelTask(8, 0).Build, []string{"k must be in [1, P−1]"}},
		{"alignment", NewRandomKernelTask(8, 1).Alignment(-0.1).Build, []string{"Alignment(-0.1): c must be in [0, 1]"}},
		{"alignmentNaN", NewRandomKernelTask(8, 1).Alignment(nan).Build, []string{"Alignment(NaN)"}},
		{"scale", NewRandomKernelTask(8, 1).Scale(-1).Build, []string{"Scale(-1): s must be in [0, 1000]"}},
		{"rank", NewRandomKernelTask(8, 1).Rank(0).Build, []string{"Rank(0): r must be in [1, P−1]"}},
		{"rankBig", NewRandomKernelTask(8, 1).Rank(8).Build, []string{"TaskSpec.Rank = 8: r must be in [1, P−1] = [1, 7]"}},
		{"rankK", NewRandomKernelTask(8, 3).Alignment(0.3).Rank(3).Build, []string{"r must exceed k = 3 when c > 0"}},
		{"randomDim", NewRandomKernelTask(128, 1).Dim(100).Build, []string{"N must be ≥ P = 128"}},
		{"randomDimHuge", NewRandomKernelTask(4096, 1).Dim(1 << 20).Build, []string{"P·N = 4096·1048576: must be ≤ 2²⁸"}},
		{"unreachable", NewRandomKernelTask(4, 3).Alignment(0.5).Scale(0).Build, []string{"TaskSpec.Alignment = 0.5", "no kernel orthogonal to K_Y"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			task, err := tc.build()
			if err == nil || task != nil {
				t.Fatalf("no error (task %v)", task)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "rep: ") {
				t.Fatalf("error %q lacks the rep: prefix", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Fatalf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}

func TestBuildTaskRejectsBadSpecs(t *testing.T) {
	good := NewTask(2).Spec()
	for _, tc := range []struct {
		name string
		edit func(*TaskSpec)
		want string
	}{
		{"kind", func(s *TaskSpec) { s.Kind = "nope" }, `TaskSpec.Kind = "nope"`},
		{"geometry", func(s *TaskSpec) { s.Geometry = "round" }, `TaskSpec.Geometry = "round"`},
		{"latents", func(s *TaskSpec) { s.Latents = 40 }, "TaskSpec.Latents = 40"},
		{"aligned", func(s *TaskSpec) { s.Geometry, s.Aligned = GeometryTargetAligned, -2 }, "TaskSpec.Aligned = -2"},
		{"rank", func(s *TaskSpec) { s.Geometry, s.Rank = GeometryRandomKernel, -1 }, "TaskSpec.Rank = -1"},
		{"scale", func(s *TaskSpec) { s.Geometry, s.Scale = GeometryRandomKernel, math.Inf(1) }, "TaskSpec.Scale = +Inf"},
		{"corr", func(s *TaskSpec) { s.Geometry = GeometryClassCorrelations }, "TaskSpec.Correlations: 0 matrices"},
		{"corrRows", func(s *TaskSpec) {
			s.Geometry, s.Correlations = GeometryClassCorrelations, [][][]float64{{{1, 0}}}
		}, "TaskSpec.Correlations[0]: a row has 2 entries"},
		{"dataY", func(s *TaskSpec) { *s = TaskSpec{Kind: KindData, X: [][]float64{{1}, {2}}} }, "TaskSpec.Y: missing"},
		{"dataRagged", func(s *TaskSpec) {
			*s = TaskSpec{Kind: KindData, X: [][]float64{{1, 2}, {2}}, Y: [][]float64{{1}, {-1}}}
		}, "TaskSpec.X: row 1 has 1 entries"},
		{"clusterOutputs", func(s *TaskSpec) { *s = NewClusterTask().Spec(); s.Outputs = 0 }, "TaskSpec.Outputs = 0"},
		{"randomClusters", func(s *TaskSpec) { *s = NewRandomKernelTask(8, 1).Spec(); s.Clusters = 5 }, "TaskSpec.Clusters = 5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := good
			tc.edit(&s)
			task, err := BuildTask(s)
			if err == nil || task != nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

func TestSamples(t *testing.T) {
	task := Must(NewDeltaXOR(1).Dim(30).Build())
	x, y, lat, class := task.Samples(500, 0.5, 42)
	x2, _, _, _ := task.Samples(500, 0.5, 42)
	if !mat.Equal(x, x2) {
		t.Fatal("same seed, different samples")
	}
	x3, _, _, _ := task.Samples(500, 0.5, 43)
	if mat.Equal(x, x3) {
		t.Fatal("different seeds, same samples")
	}
	p, dx := task.P(), task.DX()
	if r, c := x.Dims(); r != 500*p || c != dx {
		t.Fatalf("x is %d×%d", r, c)
	}
	// Balanced and labelled by condition; the sample mean of each
	// condition is within 5 standard errors of X, and the residual
	// variance is σ² (to 5%).
	sum := mat.NewDense(p, dx, nil)
	ss := 0.0
	for s := 0; s < 500*p; s++ {
		i := s % p
		if class[s] != task.Class[i] || y.At(s, 0) != task.Y.At(i, 0) || lat.At(s, 1) != task.Latents.At(i, 1) {
			t.Fatalf("sample %d mislabelled", s)
		}
		for j := 0; j < dx; j++ {
			d := x.At(s, j) - task.X.At(i, j)
			sum.Set(i, j, sum.At(i, j)+d)
			ss += d * d
		}
	}
	se := 0.5 / math.Sqrt(500)
	for i := 0; i < p; i++ {
		for j := 0; j < dx; j++ {
			if m := sum.At(i, j) / 500; math.Abs(m) > 5*se {
				t.Fatalf("mean offset of condition %d, coordinate %d = %g > 5 s.e. (%g)", i, j, m, 5*se)
			}
		}
	}
	if v := ss / float64(500*p*dx); math.Abs(v-0.25) > 0.05*0.25 {
		t.Fatalf("noise variance %g, want 0.25", v)
	}
	// σ = 0: exact copies.
	x0, _, _, _ := task.Samples(2, 0, 1)
	for s := 0; s < 2*p; s++ {
		for j := 0; j < dx; j++ {
			if x0.At(s, j) != task.X.At(s%p, j) {
				t.Fatal("σ = 0 samples differ from X")
			}
		}
	}
}

func TestSamplesPanics(t *testing.T) {
	task := Must(NewTask(2).Build())
	for _, tc := range []struct {
		n     int
		sigma float64
	}{{0, 1}, {1, -1}, {1, math.NaN()}, {1, math.Inf(1)}, {1 << 30, 1}} {
		func() {
			defer func() {
				r := recover()
				if r == nil || !strings.HasPrefix(fmt.Sprint(r), "rep: Task.Samples") {
					t.Errorf("Samples(%d, %g): recovered %v, want a rep: panic", tc.n, tc.sigma, r)
				}
			}()
			task.Samples(tc.n, tc.sigma, 1)
		}()
	}
}

func TestWalshTargets(t *testing.T) {
	y := WalshTargets(4, 15)
	var g mat.Dense
	g.Mul(y.T(), y)
	if d := maxAbsDiff(&g, scaled(identity(15), 16)); d != 0 {
		t.Fatal("Walsh functions are not orthogonal with norm² P")
	}
	for j := 0; j < 15; j++ {
		s := 0.0
		for i := 0; i < 16; i++ {
			s += y.At(i, j)
		}
		if s != 0 {
			t.Fatalf("column %d not balanced", j)
		}
	}
	// Order: 4 singletons, 6 pairs {01,02,03,12,13,23}, 4 triples, 1 quadruple.
	masks := []int{1, 2, 4, 8, 3, 5, 9, 6, 10, 12, 7, 11, 13, 14, 15}
	for j, m := range masks {
		for i := 0; i < 16; i++ {
			if want := float64(2*(popcount(i&m)&1) - 1); y.At(i, j) != want {
				t.Fatalf("column %d (mask %b) row %d: %g, want %g", j, m, i, y.At(i, j), want)
			}
		}
	}
}

func TestTaskStringAndHTML(t *testing.T) {
	task := Must(NewDeltaXOR(1).Build())
	if s := task.String(); !strings.Contains(s, "delta-xor task: P=4 dX=120 dY=1 dL=2") || !strings.Contains(s, "σ_train=1") {
		t.Fatalf("String() = %q", s)
	}
	var sb strings.Builder
	if err := task.WriteHTML(&sb); err != nil {
		t.Fatal(err)
	}
	if h := sb.String(); !strings.Contains(h, "<table") || !strings.Contains(h, "0.5774") {
		t.Fatalf("WriteHTML: %s", h)
	}
}

func TestRandomPSDUnreachableIsError(t *testing.T) {
	// k = P−1: K_Y has no null space, so c below the source alignment
	// cannot be reached; it must be an error, never a panic or a wrong
	// kernel.
	_, err := NewRandomKernelTask(8, 7).Alignment(0.2).Build()
	if err == nil || !errors.Is(err, errAlignmentUnreachable) {
		t.Fatalf("err = %v, want errAlignmentUnreachable", err)
	}
}

// TestTaskDeterministicAcrossGOMAXPROCS: gonum's matrix products run in
// parallel above a size threshold; tasks must not depend on it.
func TestTaskDeterministicAcrossGOMAXPROCS(t *testing.T) {
	specs := []TaskSpec{
		NewRandomKernelTask(128, 7).Alignment(0.3).Scale(0.5).Seed(2).Spec(),
		NewTask(6).Dim(200).RandomKernel(0.5).Seed(3).Spec(),
		NewTask(5).PerClass(4).Dim(300).TargetAligned(0.4).Seed(4).Spec(),
	}
	build := func(procs int) []*Task {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		out := make([]*Task, len(specs))
		for i, s := range specs {
			out[i] = Must(BuildTask(s))
		}
		return out
	}
	one, four := build(1), build(4)
	for i := range specs {
		assertSameTask(t, one[i], four[i])
	}
}
