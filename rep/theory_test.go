package rep

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// The reference numbers of DIGEST §A7 (λ₁ = λ₂ = 0.01), given to 5
// significant digits there: tolerance 5e-6 relative (half a unit in the
// last printed digit is ≤ 5e-5/0.3 ≈ 1.7e-5; the values are also
// reproduced by the solver tests to 1e-6).
func TestTheoryDigestOracles(t *testing.T) {
	const lam = 0.01
	close := func(t *testing.T, what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1.5e-5*math.Abs(want) {
			t.Errorf("%s = %.6f, DIGEST §A7 says %.5f", what, got, want)
		}
	}
	for _, tc := range []struct {
		dy   int
		want float64
	}{{1, 0.60737}, {2, 0.45394}, {3, 0.33416}} {
		task := Must(NewTask(tc.dy).Build())
		th, err := TheoryReLU(task, lam, lam)
		if err != nil {
			t.Fatal(err)
		}
		close(t, "ReLU b*", th.B, tc.want)
		if tc.dy == 2 {
			close(t, "E*", th.Energy, 0.087396)
			close(t, "squared error", th.SquaredError, 2.40e-4)
		}
	}
	ta := func(a float64) *Task { return Must(NewTask(2).TargetAligned(a).Build()) }
	th := Must(TheoryThreshold(ta(0.5), ReLU, lam, lam))
	close(t, "target-aligned a=0.5", th.B, 0.68215)
	th = Must(TheoryThreshold(ta(2), ReLU, lam, lam))
	close(t, "target-aligned a=2", th.B, 0.93291)
	if math.Abs(th.Kappa[0]+2.0/7) > 1e-12 {
		t.Errorf("κ = %g, want −2/7", th.Kappa[0])
	}
	th = Must(TheoryThreshold(Must(NewTask(2).Anisotropic(0.5, 0.01).Build()), ReLU, lam, lam))
	close(t, "anisotropic b1", th.Bs[0], 0.68215)
	close(t, "anisotropic b2", th.Bs[1], 0.46143)
	close(t, "anisotropic const", th.Const, 1.14358)
	if !math.IsNaN(th.B) {
		t.Errorf("anisotropic: B = %g, want NaN (unequal coefficients)", th.B)
	}
	for _, tc := range []struct {
		n    int
		rho  float64
		want float64
	}{{2, 0, 0.33416}, {2, 0.5, 0.40116}, {4, 0.3, 0.32703}} {
		task := Must(NewTask(2).PerClass(tc.n).WithinClassCorrelation(tc.rho).Build())
		th, err := TheoryMultiElement(task, ReLU, lam, lam)
		if err != nil {
			t.Fatal(err)
		}
		close(t, "multi-element b*", th.B, tc.want)
	}
	th = Must(TheoryOdd(Must(NewTask(2).Build()), HardTanh, lam, lam))
	close(t, "hard tanh b*_odd", th.B, 0.49750)
	th = Must(TheoryThreshold(Must(NewTask(2).Build()), HardSigmoid, lam, lam))
	close(t, "hard sigmoid b*", th.B, 0.45394)

	whitened := Must(NewTask(2).Build())
	d := Must(TheoryDeep(whitened, ReLU, 2, BiasPenalized, lam, lam))
	close(t, "deep L=2 b1", d.B[0], 0.34742)
	close(t, "deep L=2 b2", d.B[1], 0.53445)
	close(t, "deep L=2 E", d.Energy, 0.107673)
	d = Must(TheoryDeep(whitened, ReLU, 3, BiasPenalized, lam, lam))
	for l, want := range []float64{0.29604, 0.39346, 0.56535} {
		close(t, "deep L=3 penalized", d.B[l], want)
	}
	d = Must(TheoryDeep(whitened, ReLU, 3, BiasFree, lam, lam))
	for l, want := range []float64{0.30780, 0.45474, 0.67185} {
		close(t, "deep L=3 free", d.B[l], want)
	}
	close(t, "γ*", d.Gamma, 1.4774)
	// Convention (ii) is exactly geometric with γ* = A·b₁*.
	if r := d.B[2] / d.B[1]; math.Abs(r-d.Gamma) > 1e-7*d.Gamma {
		t.Errorf("free biases: ratios %.8f and %.8f differ", d.Gamma, r)
	}
	if A := 4.0 * 6 / 5; math.Abs(d.Gamma-A*d.B[0]) > 1e-7*d.Gamma {
		t.Errorf("γ* = %.8f, A·b₁ = %.8f", d.Gamma, A*d.B[0])
	}
}

func TestTheoryReLUClosedForm(t *testing.T) {
	for dy := 1; dy <= 4; dy++ {
		task := Must(NewTask(dy).Build())
		p := float64(task.P())
		for _, lam := range []float64{1e-3, 1e-2, 0.3} {
			th := Must(TheoryReLU(task, lam, 2*lam))
			want := math.Max(0, math.Sqrt(2*(p+1)/(p*(p+2)))-2*lam/p)
			if math.Abs(th.B-want) > 1e-14 {
				t.Errorf("dY=%d λ=%g: b* = %.15g, want %.15g", dy, lam, th.B, want)
			}
			// Kernel = b*(dY·11ᵀ + K_Y).
			ky := task.KY()
			k := th.Kernel()
			for i := 0; i < task.P(); i++ {
				for j := 0; j < task.P(); j++ {
					if w := want * (float64(dy) + ky.At(i, j)); math.Abs(k.At(i, j)-w) > 1e-13 {
						t.Fatalf("K[%d,%d] = %g, want %g", i, j, k.At(i, j), w)
					}
				}
			}
			// Atoms α(1 ± vᵢ) reproduce the kernel: Σ φ(h)φ(h)ᵀ = K.
			sum := mat.NewDense(task.P(), task.P(), nil)
			for _, a := range th.Atoms {
				for i := range a.H {
					for j := range a.H {
						sum.Set(i, j, sum.At(i, j)+a.Mass*math.Max(a.H[i], 0)*math.Max(a.H[j], 0))
					}
				}
			}
			var diff mat.Dense
			diff.Sub(sum, k)
			if mfFrob(&diff) > 1e-12*math.Max(1, mfFrob(k)) {
				t.Errorf("dY=%d: atoms give a kernel off by %g", dy, mfFrob(&diff))
			}
			// The modular readout reproduces the ridge readout: each
			// column has one nonzero entry.
			if th.Readout != nil {
				r, c := th.Readout.Dims()
				for j := 0; j < c; j++ {
					nz := 0
					for i := 0; i < r; i++ {
						if th.Readout.At(i, j) != 0 {
							nz++
						}
					}
					if nz != 1 {
						t.Errorf("readout column %d has %d nonzeros, want 1 (modular)", j, nz)
					}
				}
			}
		}
	}
	// Trivial regime: λ₁λ₂ ≥ P(P+1)/(P+2).
	th := Must(TheoryReLU(Must(NewTask(1).Build()), 2, 2))
	if !th.Trivial || th.B != 0 || th.Energy != 2 { // E = tr K_Y = P·dY
		t.Errorf("trivial regime: %v", th)
	}
}

func TestTheoryReadoutMatchesRidge(t *testing.T) {
	task := Must(NewTask(2).Build())
	th := Must(TheoryReLU(task, 0.01, 0.01))
	// Build Φ from the atoms and compare with Yᵀ(λ₂I + ΦΦᵀ)⁻¹Φ.
	var cols [][]float64
	for _, a := range th.Atoms {
		for k := 0; k < int(a.Mass); k++ {
			c := make([]float64, len(a.H))
			for i, v := range a.H {
				c[i] = math.Max(v, 0)
			}
			cols = append(cols, c)
		}
	}
	p := task.P()
	phi := mat.NewDense(p, len(cols), nil)
	for j, c := range cols {
		for i, v := range c {
			phi.Set(i, j, v)
		}
	}
	reg := mat.NewDense(p, p, nil)
	reg.Mul(phi, phi.T())
	for i := 0; i < p; i++ {
		reg.Set(i, i, reg.At(i, i)+0.01)
	}
	var inv mat.Dense
	if err := inv.Inverse(reg); err != nil {
		t.Fatal(err)
	}
	var w2 mat.Dense
	w2.Product(task.Y.T(), &inv, phi)
	var d mat.Dense
	d.Sub(&w2, th.Readout)
	if mfFrob(&d) > 1e-12*mfFrob(&w2) {
		t.Errorf("closed-form readout differs from ridge by %g", mfFrob(&d)/mfFrob(&w2))
	}
}

func TestTheoryConditions(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func() error
		want string
	}{
		{"xor variance is not two-level", func() error {
			_, err := TheoryThreshold(Must(NewTask(2).XORVariance(1).Build()), ReLU, 0.01, 0.01)
			return err
		}, "not of the form"},
		{"odd activation to threshold", func() error {
			_, err := TheoryThreshold(Must(NewTask(2).Build()), Tanh, 0.01, 0.01)
			return err
		}, "not threshold-type"},
		{"threshold activation to odd", func() error {
			_, err := TheoryOdd(Must(NewTask(2).Build()), ReLU, 0.01, 0.01)
			return err
		}, "not odd"},
		{"sigmoid has no closed form", func() error {
			_, _, err := TheoryCPhi(Sigmoid)
			return err
		}, "neither threshold-type"},
		{"multi-element is not singleton", func() error {
			_, err := TheoryReLU(Must(NewTask(2).PerClass(2).Build()), 0.01, 0.01)
			return err
		}, "singleton"},
		{"target-aligned is not whitened", func() error {
			_, err := TheoryReLU(Must(NewTask(2).TargetAligned(1).Build()), 0.01, 0.01)
			return err
		}, "not whitened"},
		{"negative anisotropy", func() error {
			_, err := TheoryThreshold(Must(NewTask(2).Anisotropic(-0.1, 0).Build()), ReLU, 0.01, 0.01)
			return err
		}, "a_0"},
		{"negative lambda", func() error {
			_, err := TheoryReLU(Must(NewTask(2).Build()), -1, 0.01)
			return err
		}, "λ1"},
		{"unequal gamma", func() error {
			c1 := mat.NewSymDense(2, []float64{1, 0.5, 0.5, 1})
			c2 := mat.NewSymDense(2, []float64{1, 0, 0, 1})
			task, err := NewTask(1).PerClass(2).ClassCorrelations(c1, c2).Build()
			if err != nil {
				return nil
			}
			_, err = TheoryMultiElement(task, ReLU, 0.01, 0.01)
			return err
		}, "γ differs"},
		{"deep needs whitened", func() error {
			_, err := TheoryDeep(Must(NewTask(2).TargetAligned(1).Build()), ReLU, 2, BiasPenalized, 0.01, 0.01)
			return err
		}, "not whitened"},
		{"deep layers", func() error {
			_, err := TheoryDeep(Must(NewTask(2).Build()), ReLU, 0, BiasPenalized, 0.01, 0.01)
			return err
		}, "layers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.f()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

func TestTheoryCPhi(t *testing.T) {
	for _, tc := range []struct {
		a    Activation
		c    float64
		fam  string
		fail bool
	}{
		{ReLU, 1, FamilyThreshold, false},
		{HardSigmoid, 1, FamilyThreshold, false},
		{ClippedReLU(0.5), 1, FamilyThreshold, false},
		{Tanh, 1, FamilyOdd, false},
		{HardTanh, 1, FamilyOdd, false},
		{Erf, math.Pi / 4, FamilyOdd, false},
		{Linear, 1, FamilyOdd, false},
		{CustomActivation("half-relu", func(x float64) float64 { return 0.5 * math.Max(x, 0) }, func(x float64) float64 { return 0 }), 4, FamilyThreshold, false},
		{CustomActivation("relu²", func(x float64) float64 { return math.Pow(math.Max(x, 0), 2) }, func(x float64) float64 { return 0 }), 0, "", true},
		{Sigmoid, 0, "", true},
	} {
		c, fam, err := TheoryCPhi(tc.a)
		if (err != nil) != tc.fail {
			t.Errorf("%s: error %v", tc.a, err)
			continue
		}
		if !tc.fail && (math.Abs(c-tc.c) > 1e-9 || fam != tc.fam) {
			t.Errorf("%s: c_φ = %g (%s), want %g (%s)", tc.a, c, fam, tc.c, tc.fam)
		}
	}
}
