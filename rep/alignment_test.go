package rep

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// metricCentering returns H = I − 11ᵀ/P.
func metricCentering(p int) *mat.Dense {
	h := mat.NewDense(p, p, nil)
	for i := 0; i < p; i++ {
		for j := 0; j < p; j++ {
			h.Set(i, j, -1/float64(p))
		}
		h.Set(i, i, 1-1/float64(p))
	}
	return h
}

// ckaByMatrices is an independent CKA: HKH by two matrix products, then
// Frobenius inner products through mat.Dot on flattened vectors.
func ckaByMatrices(k1, k2 mat.Matrix) float64 {
	p, _ := k1.Dims()
	h := metricCentering(p)
	var a, b mat.Dense
	a.Product(h, k1, h)
	b.Product(h, k2, h)
	va := mat.NewVecDense(p*p, a.RawMatrix().Data)
	vb := mat.NewVecDense(p*p, b.RawMatrix().Data)
	return mat.Dot(va, vb) / (mat.Norm(va, 2) * mat.Norm(vb, 2))
}

// prByEigen is an independent participation ratio: the eigenvalues of the
// covariance of explicitly centered features, (Σλ)²/Σλ².
func prByEigen(h *mat.Dense) float64 {
	p, m := h.Dims()
	c := mat.NewDense(p, m, nil)
	for f := 0; f < m; f++ {
		mu := 0.0
		for i := 0; i < p; i++ {
			mu += h.At(i, f)
		}
		mu /= float64(p)
		for i := 0; i < p; i++ {
			c.Set(i, f, h.At(i, f)-mu)
		}
	}
	cov := mat.NewSymDense(m, nil)
	cov.SymOuterK(1, c.T())
	var eig mat.EigenSym
	if !eig.Factorize(cov, false) {
		panic("eigen failed")
	}
	s, s2 := 0.0, 0.0
	for _, l := range eig.Values(nil) {
		s += l
		s2 += l * l
	}
	return s * s / s2
}

func TestKernelAlignmentIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for _, tc := range []struct{ p, m1, m2 int }{{4, 3, 2}, {8, 512, 3}, {17, 5, 40}, {32, 100, 5}} {
		h1, h2 := metricsRandDense(rng, tc.p, tc.m1), metricsRandDense(rng, tc.p, tc.m2)
		k1, k2 := KernelOf(h1), KernelOf(h2)
		got, want := KernelAlignment(k1, k2), ckaByMatrices(k1, k2)
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("P=%d: CKA = %.15g, independent %.15g", tc.p, got, want)
		}
		// Any square matrices, not only PSD kernels.
		a, b := metricsRandDense(rng, tc.p, tc.p), metricsRandDense(rng, tc.p, tc.p)
		if got, want := KernelAlignment(a, b), ckaByMatrices(a, b); math.Abs(got-want) > 1e-9 {
			t.Errorf("P=%d general matrices: CKA = %.15g, independent %.15g", tc.p, got, want)
		}
		if self := KernelAlignment(k1, k1); math.Abs(self-1) > 1e-12 {
			t.Errorf("P=%d: C(K, K) = %v, want 1", tc.p, self)
		}
	}
}

func TestKernelAlignmentKnownValues(t *testing.T) {
	// C(I, K_Y) = √(k/(P−1)) for k balanced, orthogonal ±1 targets (DIGEST
	// §B5): the latent cube's labels are such targets.
	rng := rand.New(rand.NewPCG(1, 2))
	for _, k := range []int{1, 2, 3, 5} {
		lab, _ := metricCubeLabels(rng, k, 1)
		p := 1 << k
		ident := mat.NewDiagDense(p, nil)
		for i := 0; i < p; i++ {
			ident.SetDiag(i, 1)
		}
		got, want := KernelAlignment(ident, KernelOf(lab)), math.Sqrt(float64(k)/float64(p-1))
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("k=%d, P=%d: C(I, K_Y) = %v, want √(k/(P−1)) = %v", k, p, got, want)
		}
	}
	// Paper B's number for P = 32, k = 5 (DIGEST §B5).
	lab, _ := metricCubeLabels(rng, 5, 1)
	ident := mat.NewDiagDense(32, nil)
	for i := 0; i < 32; i++ {
		ident.SetDiag(i, 1)
	}
	if got := KernelAlignment(ident, KernelOf(lab)); math.Abs(got-0.402) > 5e-4 {
		t.Errorf("P=32, k=5: C(I, K_Y) = %v, want 0.402", got)
	}
	// Regular tetrahedron and one balanced dichotomy: 1/√3.
	_, tetra, labels := metricSquareTetra()
	y := mat.NewDense(4, 1, nil)
	y.Copy(labels.Slice(0, 4, 0, 1))
	if got := KernelAlignment(KernelOf(tetra), KernelOf(y)); math.Abs(got-1/math.Sqrt(3)) > 1e-12 {
		t.Errorf("tetrahedron: C(K_X, K_Y) = %v, want 1/√3", got)
	}
	// XOR (δ = 0): the label is orthogonal to the input kernel: C = 0.
	xor := mat.NewDense(4, 1, []float64{1, -1, -1, 1})
	square, _, _ := metricSquareTetra()
	if got := KernelAlignment(KernelOf(square), KernelOf(xor)); math.Abs(got) > 1e-15 {
		t.Errorf("XOR: C(K_X, K_Y) = %v, want 0", got)
	}
}

func TestKernelAlignmentEdgeCases(t *testing.T) {
	k := KernelOf(mat.NewDense(3, 2, []float64{1, 2, 3, 4, 5, 6}))
	constant := mat.NewDense(3, 3, []float64{2, 2, 2, 2, 2, 2, 2, 2, 2})
	if v := KernelAlignment(k, constant); !math.IsNaN(v) {
		t.Errorf("constant kernel: %v, want NaN", v)
	}
	bad := mat.DenseCopyOf(k)
	bad.Set(0, 1, math.NaN())
	if v := KernelAlignment(bad, k); !math.IsNaN(v) {
		t.Errorf("NaN kernel: %v, want NaN", v)
	}
	metricMustPanic(t, "size mismatch", func() { KernelAlignment(k, mat.NewDense(2, 2, nil)) })
	metricMustPanic(t, "not square", func() { KernelAlignment(mat.NewDense(3, 2, nil), k) })
}

func TestCenteredKernel(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	h := metricsRandDense(rng, 9, 4)
	k := KernelOf(h)
	got := CenteredKernel(k)
	var want mat.Dense
	c := metricCentering(9)
	want.Product(c, k, c)
	if !mat.EqualApprox(got, &want, 1e-12) {
		t.Errorf("CenteredKernel ≠ HKH:\n%v\n%v", mat.Formatted(got), mat.Formatted(&want))
	}
	// The kernel of explicitly centered features is the same.
	hc := mat.DenseCopyOf(h)
	for f := 0; f < 4; f++ {
		mu := mat.Sum(h.ColView(f)) / 9
		for i := 0; i < 9; i++ {
			hc.Set(i, f, h.At(i, f)-mu)
		}
	}
	if !mat.EqualApprox(got, KernelOf(hc), 1e-12) {
		t.Errorf("CenteredKernel(HHᵀ) ≠ kernel of centered H")
	}
}

func TestParticipationRatioIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	for _, tc := range []struct{ p, m int }{{4, 3}, {8, 512}, {50, 7}, {13, 13}} {
		h := metricsRandDense(rng, tc.p, tc.m)
		got, want := ParticipationRatio(h), prByEigen(h)
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("P=%d M=%d: PR = %.15g, eigenvalues give %.15g", tc.p, tc.m, got, want)
		}
		if kp := KernelParticipationRatio(KernelOf(h)); math.Abs(kp-got) > 1e-9 {
			t.Errorf("P=%d M=%d: KernelParticipationRatio = %.15g, ParticipationRatio %.15g", tc.p, tc.m, kp, got)
		}
		if got < 1 || got > float64(min(tc.p-1, tc.m))+1e-9 {
			t.Errorf("P=%d M=%d: PR = %v outside [1, min(P−1, M)]", tc.p, tc.m, got)
		}
	}
	// Known values: a regular simplex spans P−1 dimensions equally; the
	// square spans 2, the tetrahedron 3; points on a line span 1.
	square, tetra, _ := metricSquareTetra()
	for _, tc := range []struct {
		name string
		h    *mat.Dense
		want float64
	}{
		{"square", square, 2},
		{"tetrahedron", tetra, 3},
		{"simplex", func() *mat.Dense { d := mat.NewDense(6, 6, nil); d.Copy(metricCentering(6)); return d }(), 5},
		{"line", mat.NewDense(3, 2, []float64{1, 2, 2, 4, 5, 10}), 1},
	} {
		if got := ParticipationRatio(tc.h); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: PR = %v, want %v", tc.name, got, tc.want)
		}
	}
	if v := ParticipationRatio(mat.NewDense(3, 2, []float64{1, 1, 1, 1, 1, 1})); !math.IsNaN(v) {
		t.Errorf("zero variance: PR = %v, want NaN", v)
	}
	bad := mat.DenseCopyOf(square)
	bad.Set(0, 0, math.Inf(1))
	if v := ParticipationRatio(bad); !math.IsNaN(v) {
		t.Errorf("Inf input: PR = %v, want NaN", v)
	}
}

func TestFitScale(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 52))
	lab, _ := metricCubeLabels(rng, 3, 1)
	s := KernelOf(lab) // K_Y
	sd := mat.NewDense(8, 8, nil)
	for i := 0; i < 8; i++ {
		for j := 0; j < 8; j++ {
			sd.Set(i, j, s.At(i, j)+3) // dY·11ᵀ + K_Y
		}
	}
	k := mat.NewDense(8, 8, nil)
	k.Scale(0.0123, sd)
	b, r := FitScale(k, sd)
	if math.Abs(b-0.0123) > 1e-15 || r > 1e-14 {
		t.Errorf("exact multiple: scale %v residual %v, want 0.0123 and 0", b, r)
	}
	// Add a perpendicular perturbation E (⟨E, S⟩ = 0): the scale is
	// unchanged and the residual is ‖E‖/‖K + E‖.
	e := metricsRandDense(rng, 8, 8)
	proj := 0.0
	for i := 0; i < 8; i++ {
		for j := 0; j < 8; j++ {
			proj += e.At(i, j) * sd.At(i, j)
		}
	}
	var ee mat.Dense
	ee.Scale(proj/math.Pow(mat.Norm(sd, 2), 2), sd)
	e.Sub(e, &ee)
	e.Scale(1e-3, e)
	var ke mat.Dense
	ke.Add(k, e)
	b, r = FitScale(&ke, sd)
	if math.Abs(b-0.0123) > 1e-12 || math.Abs(r-mat.Norm(e, 2)/mat.Norm(&ke, 2)) > 1e-12 {
		t.Errorf("perturbed: scale %v residual %v, want 0.0123 and %v", b, r, mat.Norm(e, 2)/mat.Norm(&ke, 2))
	}
	if b, _ := FitScale(k, mat.NewDense(8, 8, nil)); !math.IsNaN(b) {
		t.Errorf("zero s: scale %v, want NaN", b)
	}
	metricMustPanic(t, "shape", func() { FitScale(k, mat.NewDense(8, 7, nil)) })
}

func TestModularity(t *testing.T) {
	// 3 active neurons: one-hot (1), one-hot (1), equal to both (1/2); one
	// dead neuron ignored.
	w := mat.NewDense(2, 4, []float64{
		2, 0, 1, 0,
		0, -3, 1, 1e-9,
	})
	if got, want := Modularity(w), (1+1+0.5)/3; math.Abs(got-want) > 1e-15 {
		t.Errorf("Modularity = %v, want %v", got, want)
	}
	if got := ModularityAbove(w, 0); math.Abs(got-(1+1+0.5+1)/4) > 1e-15 {
		t.Errorf("ModularityAbove(0) = %v, want %v", got, (1+1+0.5+1)/4)
	}
	if v := Modularity(mat.NewDense(2, 3, nil)); !math.IsNaN(v) {
		t.Errorf("all dead: %v, want NaN", v)
	}
}

// BenchmarkKernelAlignment measures CKA of two 256×256 kernels and the
// participation ratio of a 256×100 representation.
func BenchmarkKernelAlignment(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 3))
	h1, h2 := metricsRandDense(rng, 256, 100), metricsRandDense(rng, 256, 4)
	k1, k2 := KernelOf(h1), KernelOf(h2)
	b.Run("CKA", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			KernelAlignment(k1, k2)
		}
	})
	b.Run("PR", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ParticipationRatio(h1)
		}
	})
}
