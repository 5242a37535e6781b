package rep

import (
	"context"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/rep/internal/rng"
)

// mfAbstractKernel returns b·(dY·11ᵀ + K_Y).
func mfAbstractKernel(task *Task, b float64) *mat.Dense {
	ky := task.KY()
	p := task.P()
	k := mat.NewDense(p, p, nil)
	for i := 0; i < p; i++ {
		for j := 0; j < p; j++ {
			k.Set(i, j, b*(float64(task.DY())+ky.At(i, j)))
		}
	}
	return k
}

// Acceptance 1: ReLU, whitened, singleton, dY = 1…4, λ₁ = λ₂ ∈ {1e-3, 1e-2}.
func TestMeanFieldReLUWhitenedMatchesClosedForm(t *testing.T) {
	for dy := 1; dy <= 4; dy++ {
		for _, lam := range []float64{1e-3, 1e-2} {
			task := Must(NewTask(dy).Build())
			sol, err := NewMeanField(task).Activation(ReLU).L2(lam, lam).Solve()
			if err != nil {
				t.Fatal(err)
			}
			p := float64(task.P())
			b := math.Sqrt(lam/lam*(p+1)/(p*(p+2))) - lam/p
			A := p * (p + 2) / (p + 1)
			e := float64(dy) * (lam*A*b + lam*p/(lam+b*p))
			relK := KernelRelErr(sol.Kernel(), mfAbstractKernel(task, b))
			relE := math.Abs(sol.Energy()-e) / e
			if relK > 1e-6 || relE > 1e-9 || sol.Certificate() > 1e-8 || !sol.IsProof() || sol.Status() != Converged {
				t.Errorf("dY=%d λ=%g: kernel error %.3g (≤ 1e-6), energy error %.3g (≤ 1e-9), certificate %.3g (≤ 1e-8), proof %v, %v",
					dy, lam, relK, relE, sol.Certificate(), sol.IsProof(), sol.Status())
			}
			// The optimal atoms are the 2·dY modular neurons α(1 ± vᵢ): each
			// atom is zero on half the stimuli and constant on the rest.
			// Near-copies of tiny weight (below 1% of the largest), which
			// the energy cannot tell apart at this tolerance, are ignored.
			heavy := 0
			maxW := sol.Atoms()[0].Weight
			for _, a := range sol.Atoms() {
				if a.Weight < 0.01*maxW {
					continue
				}
				heavy++
				on, top := 0, mfMaxAbs(a.H)
				for _, v := range a.H {
					// 1e-5: atom directions are flat directions of the
					// energy; the kernel itself is checked to 1e-6 above.
					if math.Abs(v-top) < 1e-5*top {
						on++
					} else if math.Abs(v) > 1e-5*top {
						t.Errorf("dY=%d: atom entry %g is neither 0 nor %g", dy, v, top)
					}
				}
				if on != task.P()/2 {
					t.Errorf("dY=%d: atom active on %d stimuli, want P/2", dy, on)
				}
			}
			if heavy != 2*dy {
				t.Errorf("dY=%d λ=%g: %d atoms, want 2·dY = %d", dy, lam, heavy, 2*dy)
			}
			if sol.SupportResidual() > 1e-8 || sol.GapBound() > 1e-8 {
				t.Errorf("dY=%d λ=%g: support residual %.3g, gap bound %.3g", dy, lam, sol.SupportResidual(), sol.GapBound())
			}
		}
	}
}

// Acceptance 2: odd activations give K = b*_odd·K_Y; hard sigmoid gives the
// ReLU kernel (DIGEST §A5.6–A5.7).
func TestMeanFieldOddAndThresholdActivations(t *testing.T) {
	const lam = 0.01
	task := Must(NewTask(2).Build())
	p := float64(task.P())
	ky := task.KY()
	bOdd := math.Sqrt(lam/(lam*p)) - lam/p
	// Hard tanh: exact, K = b*_odd·K_Y.
	sol := Must(NewMeanField(task).Activation(HardTanh).L2(lam, lam).Solve())
	var want mat.Dense
	want.Scale(bOdd, ky)
	if e := KernelRelErr(sol.Kernel(), &want); e > 1e-6 {
		t.Errorf("hard tanh: relative error %.3g from b*_odd·K_Y (b*_odd = %.6f)", e, bOdd)
	}
	if sol.IsProof() {
		t.Error("hard tanh: a search certificate must not be reported as a proof")
	}
	// Tanh: optimum at vanishing preactivations; K ∝ K_Y, scale within 2%.
	sol = Must(NewMeanField(task).Activation(Tanh).L2(lam, lam).Solve())
	if c := KernelCosine(sol.Kernel(), ky); c < 0.999 {
		t.Errorf("tanh: cosine with K_Y %.6f < 0.999", c)
	}
	if b, _ := FitScale(sol.Kernel(), ky); math.Abs(b-bOdd) > 0.02*bOdd {
		t.Errorf("tanh: scale %.6f, want within 2%% of b*_odd = %.6f", b, bOdd)
	}
	limit := 0
	for _, a := range sol.Atoms() {
		if a.Limit {
			limit++
		}
	}
	if limit == 0 {
		t.Error("tanh: the optimum should be made of small-amplitude limit atoms")
	}
	// Erf: c_φ = π/4.
	sol = Must(NewMeanField(task).Activation(Erf).L2(lam, lam).Solve())
	bErf := math.Sqrt(lam/(lam*math.Pi/4*p)) - lam/p
	want.Scale(bErf, ky)
	if e := KernelRelErr(sol.Kernel(), &want); e > 1e-6 {
		t.Errorf("erf: relative error %.3g from %.6f·K_Y", e, bErf)
	}
	// Hard sigmoid: the ReLU kernel (c_φ = 1).
	relu := Must(NewMeanField(task).Activation(ReLU).L2(lam, lam).Solve())
	sol = Must(NewMeanField(task).Activation(HardSigmoid).L2(lam, lam).Solve())
	if e := KernelRelErr(sol.Kernel(), relu.Kernel()); e > 1e-6 {
		t.Errorf("hard sigmoid: relative error %.3g from the ReLU kernel", e)
	}
	// Sigmoid: σ(z) = ½ + ½tanh(z/2); the constant is free, the rest is
	// odd with slope ¼, so K = (√(λ₂/(16λ₁P)) − λ₂/P)·K_Y plus an unbounded
	// 11ᵀ part that Kernel() leaves out (derived in mfActInfo).
	sol = Must(NewMeanField(task).Activation(Sigmoid).L2(lam, lam).Solve())
	bSig := math.Sqrt(lam/(16*lam*p)) - lam/p
	want.Scale(bSig, ky)
	if e := KernelRelErr(sol.Kernel(), &want); e > 1e-6 {
		t.Errorf("sigmoid: relative error %.3g from %.6f·K_Y", e, bSig)
	}
	if !strings.Contains(strings.Join(sol.Warnings(), " "), "11ᵀ") {
		t.Errorf("sigmoid: the unbounded constant part must be reported: %v", sol.Warnings())
	}
}

// The solver confirms every closed form on its own domain, including
// the κ < 0 regime of strongly target-aligned inputs, anisotropic inputs,
// multi-element classes, and odd activations on aligned inputs.
func TestMeanFieldConfirmsTheory(t *testing.T) {
	for _, tc := range []struct {
		name string
		task *Task
		act  Activation
	}{
		{"target-aligned a=2", Must(NewTask(2).TargetAligned(2).Build()), ReLU},
		{"anisotropic", Must(NewTask(2).Anisotropic(0.5, 0.01).Build()), ReLU},
		{"hard tanh target-aligned", Must(NewTask(2).TargetAligned(0.5).Build()), HardTanh},
		{"multi-element n=2 ρ=0.5", Must(NewTask(2).PerClass(2).WithinClassCorrelation(0.5).Build()), ReLU},
		{"hard sigmoid target-aligned", Must(NewTask(2).TargetAligned(2).Build()), HardSigmoid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			th := Must(TheoryFor(tc.task, tc.act, 0.01, 0.01))
			sol := Must(NewMeanField(tc.task).Activation(tc.act).L2(0.01, 0.01).Solve())
			if e := KernelRelErr(sol.Kernel(), th.Kernel()); e > 1e-6 {
				t.Errorf("kernel differs from %s by %.3g", th.Name, e)
			}
			if e := math.Abs(sol.Energy()-th.Energy) / th.Energy; e > 1e-9 {
				t.Errorf("energy differs from %s by %.3g", th.Name, e)
			}
		})
	}
}

// Acceptance 4: paper B's XOR (δ = 0) is a task where the theory promises
// nothing; the solver still certifies its optimum, which is not abstract.
func TestMeanFieldXORNotAbstract(t *testing.T) {
	task := Must(NewDeltaXOR(0).Build())
	sol := Must(NewMeanField(task).Activation(ReLU).L2(0.01, 0.01).Solve())
	if sol.Status() != Converged || !sol.IsProof() || sol.Certificate() > 1e-8 {
		t.Fatalf("XOR: %v", sol)
	}
	ps := KernelPS(sol.Kernel(), task.Latents)
	for k, v := range ps {
		if !(v < 0.5) {
			t.Errorf("XOR: PS of latent %d = %.3f, want well below 1", k, v)
		}
	}
	// For comparison the abstract whitened task has PS = 1.
	w := Must(NewTask(2).Build())
	ws := Must(NewMeanField(w).Solve())
	for k, v := range KernelPS(ws.Kernel(), w.Latents) {
		if math.Abs(v-1) > 1e-9 {
			t.Errorf("whitened: PS of latent %d = %.12f, want 1", k, v)
		}
	}
}

// A random input kernel: exact certificate by the general enumeration.
func TestMeanFieldRandomKernelCertified(t *testing.T) {
	rng := rng.New(7)
	p := 8
	x := mat.NewDense(p, p, nil)
	for i := 0; i < p; i++ {
		for j := 0; j < p; j++ {
			x.Set(i, j, rng.NormFloat64()/4)
		}
	}
	y := mat.NewDense(p, 2, nil)
	for i := 0; i < p; i++ {
		for k := 0; k < 2; k++ {
			y.Set(i, k, float64(2*((i>>k)&1)-1))
		}
	}
	task := Must(NewDataTask(x, y).Build())
	sol := Must(NewMeanField(task).Solve())
	if sol.Status() != Converged || !sol.IsProof() || sol.Certificate() > 1e-8 {
		t.Fatalf("random K_X: %v", sol)
	}
	// Independent check: no neuron of many random directions violates the
	// KKT condition, and the particle method reaches the same energy.
	part := Must(NewMeanField(task).Method(MethodParticles).Atoms(32).Solve())
	if part.Energy() < sol.Energy()*(1-1e-9) {
		t.Errorf("particle descent found a lower energy %.12g < %.12g: the certificate is wrong", part.Energy(), sol.Energy())
	}
	// L-BFGS stalls at the kinks of ReLU: particle descent is a local
	// method, within 1% here.
	if (part.Energy()-sol.Energy())/sol.Energy() > 1e-2 {
		t.Errorf("particle descent energy %.10g far above the certified optimum %.10g", part.Energy(), sol.Energy())
	}
}

// Acceptance 3: a trained network at convergence and the solver agree.
func TestMeanFieldMatchesTrainedNetwork(t *testing.T) {
	task := Must(NewTask(2).Build())
	net := Must(NewNetwork(task).Hidden(64).Activation(ReLU).L2(0.01, 0.01).InitScale(0.5).Seed(1).Build())
	if _, err := net.Train(GD(0.02).Epochs(100000)); err != nil {
		t.Fatal(err)
	}
	sol := Must(NewMeanField(task).Activation(ReLU).L2(0.01, 0.01).Solve())
	k := KernelOf(net.Hidden(0))
	if c := KernelCosine(k, sol.Kernel()); c < 0.995 {
		t.Errorf("trained vs solver kernel cosine %.6f < 0.995", c)
	}
	if e := (net.Loss() - sol.Energy()) / sol.Energy(); e < -1e-9 || e > 1e-3 {
		t.Errorf("trained loss %.10g vs mean-field optimum %.10g (relative %.3g): GD cannot beat the certified optimum", net.Loss(), sol.Energy(), e)
	}
	cmp := Must(CompareKernels(task, []string{"theory", "solver", "trained"},
		Must(TheoryReLU(task, 0.01, 0.01)).Kernel(), sol.Kernel(), k))
	for i, ps := range cmp.MeanPS {
		if ps < 0.999 {
			t.Errorf("%s: PS %.4f < 0.999", cmp.Names[i], ps)
		}
	}
	if cmp.RelErr[1][0] > 1e-6 || cmp.Cosine[2][1] < 0.995 {
		t.Errorf("comparison:\n%v", cmp)
	}
}

// The equivalent network has loss = energy and kernel = K[ρ*].
func TestMeanFieldWeights(t *testing.T) {
	for _, act := range []Activation{ReLU, HardTanh, HardSigmoid} {
		task := Must(NewTask(2).Dim(6).Build())
		sol := Must(NewMeanField(task).Activation(act).L2(0.01, 0.02).Solve())
		w1, b, w2, notes, err := sol.Weights()
		if err != nil {
			t.Fatal(err)
		}
		if len(notes) != 0 {
			t.Errorf("%s: realization should be exact, notes %v", act, notes)
		}
		net, _, err := sol.Network()
		if err != nil {
			t.Fatal(err)
		}
		k := KernelOf(net.Hidden(0))
		if e := KernelRelErr(k, sol.Kernel()); e > 1e-9 {
			t.Errorf("%s: network kernel differs from K[ρ*] by %.3g", act, e)
		}
		var out mat.Dense
		out.Sub(net.Output(), task.Y)
		loss := mfFrob(&out)*mfFrob(&out) + 0.01*(mfFrob(w1)*mfFrob(w1)+mfDot(b, b)) + 0.02*mfFrob(w2)*mfFrob(w2)
		if e := math.Abs(loss-sol.Energy()) / sol.Energy(); e > 1e-9 {
			t.Errorf("%s: network loss %.12g, energy %.12g (relative %.3g)", act, loss, sol.Energy(), e)
		}
	}
	// Tanh needs small amplitudes: the realization is approximate and says so.
	task := Must(NewTask(2).Build())
	sol := Must(NewMeanField(task).Activation(Tanh).Solve())
	_, _, _, notes, err := sol.Weights()
	if err != nil || len(notes) == 0 {
		t.Errorf("tanh: err %v, notes %v (want a note on the approximation)", err, notes)
	}
	// No task, no weights.
	kern := Must(NewMeanFieldKernels(task.KX(), task.KY()).Solve())
	if _, _, _, _, err := kern.Weights(); err == nil {
		t.Error("weights from kernels only: want an error")
	}
}

func mfDot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// Acceptance 5: bad input gives a clear error, never a panic.
func TestMeanFieldBadInput(t *testing.T) {
	task := Must(NewTask(2).Build())
	kx, ky := task.KX(), task.KY()
	asym := mat.DenseCopyOf(kx)
	asym.Set(0, 1, asym.At(0, 1)+0.5)
	notPSD := mat.NewSymDense(4, nil)
	for i := 0; i < 4; i++ {
		notPSD.SetSym(i, i, 1)
	}
	notPSD.SetSym(3, 3, -1)
	nan := mat.NewSymDense(4, nil)
	nan.CopySym(kx)
	nan.SetSym(1, 2, math.NaN())
	nanX := mat.DenseCopyOf(task.X)
	nanX.Set(0, 0, math.NaN())
	small := mat.NewSymDense(3, nil)
	for i := 0; i < 3; i++ {
		small.SetSym(i, i, 1)
	}
	for _, tc := range []struct {
		name string
		b    MeanFieldBuilder
		want []string
	}{
		{"asymmetric K_X", NewMeanFieldMatrices(asym, ky), []string{"K_X", "not symmetric"}},
		{"not PSD", NewMeanFieldKernels(notPSD, ky), []string{"K_X", "positive semi-definite"}},
		{"NaN kernel", NewMeanFieldKernels(nan, ky), []string{"K_X", "NaN"}},
		{"NaN input", NewMeanField(&Task{X: nanX, Y: task.Y, Latents: task.Latents, Class: task.Class}), []string{"NaN"}},
		{"sizes", NewMeanFieldKernels(small, ky), []string{"sizes must match"}},
		{"λ1 = 0", NewMeanField(task).L2(0, 0.01), []string{"L2(0, 0.01)", "λ1 must be finite and > 0"}},
		{"λ2 < 0", NewMeanField(task).L2(0.01, -1), []string{"λ2 must be finite and > 0"}},
		{"λ NaN", NewMeanField(task).L2(math.NaN(), 0.01), []string{"λ1"}},
		{"nil task", NewMeanField(nil), []string{"nil"}},
		{"nil kernels", NewMeanFieldKernels(nil, nil), []string{"nil"}},
		{"zero K_Y", NewMeanFieldKernels(kx, mat.NewSymDense(4, nil)), []string{"K_Y is zero"}},
		{"zero activation", NewMeanField(task).Activation(Activation{}), []string{"Activation"}},
		{"atoms < 0", NewMeanField(task).Atoms(-1), []string{"Atoms(-1)", "≥ 0"}},
		{"tol", NewMeanField(task).Tol(0.5), []string{"Tol(0.5)", "[1e-15, 1e-2]"}},
		{"starts", NewMeanField(task).Starts(0), []string{"Starts(0)"}},
		{"max iter", NewMeanField(task).MaxIter(0), []string{"MaxIter(0)"}},
		{"exact limit", NewMeanField(task).ExactPricing(99), []string{"ExactPricing(99)", "[0, 24]"}},
		{"method", NewMeanField(task).Method(MeanFieldMethod(9)), []string{"Method(9)"}},
		{"all at once", NewMeanField(task).L2(-1, -1).Tol(1), []string{"λ1", "λ2", "Tol(1)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("panic: %v", r)
				}
			}()
			sol, err := tc.b.Solve()
			if err == nil {
				t.Fatalf("no error (solution %v)", sol)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if !strings.HasPrefix(err.Error(), "rep: ") {
				t.Errorf("error %q lacks the rep: prefix", err)
			}
		})
	}
}

// Acceptance 5: fewer atoms than the optimum needs is reported.
func TestMeanFieldTooFewAtoms(t *testing.T) {
	task := Must(NewTask(2).Build()) // the optimum needs 2·dY = 4 neurons
	sol := Must(NewMeanField(task).Method(MethodParticles).Atoms(2).Solve())
	if sol.Certificate() < 1e-3 {
		t.Errorf("2 particles cannot reach the optimum, yet certificate %.3g", sol.Certificate())
	}
	if !mfWarned(sol, "M = 2") {
		t.Errorf("no warning about the width: %v", sol.Warnings())
	}
	sol = Must(NewMeanField(task).Atoms(2).Solve())
	if !mfWarned(sol, "Atoms(2)") {
		t.Errorf("column generation: no warning about Atoms(2): %v", sol.Warnings())
	}
	// Enough particles: the width-M optimum is the mean-field optimum.
	sol = Must(NewMeanField(task).Method(MethodParticles).Atoms(8).Solve())
	th := Must(TheoryReLU(task, 0.01, 0.01))
	if e := (sol.Energy() - th.Energy) / th.Energy; e < -1e-9 || e > 1e-3 {
		t.Errorf("8 particles: energy %.10g vs %.10g", sol.Energy(), th.Energy)
	}
}

func mfWarned(s *Solution, sub string) bool {
	for _, w := range s.Warnings() {
		if strings.Contains(w, sub) {
			return true
		}
	}
	return false
}

// Search certificates beyond the exact-pricing limit are labelled as such.
func TestMeanFieldSearchCertificateLabelled(t *testing.T) {
	task := Must(NewTask(3).Build())
	sol := Must(NewMeanField(task).ExactPricing(4).Solve())
	if sol.IsProof() || !mfWarned(sol, "not a proof") {
		t.Errorf("P = 8 > ExactPricing(4): proof %v, warnings %v", sol.IsProof(), sol.Warnings())
	}
	th := Must(TheoryReLU(task, 0.01, 0.01))
	if e := KernelRelErr(sol.Kernel(), th.Kernel()); e > 1e-6 {
		t.Errorf("search pricing: kernel error %.3g", e)
	}
}

func TestMeanFieldDeterministic(t *testing.T) {
	task := Must(NewTask(3).Build())
	for _, act := range []Activation{ReLU, Tanh} {
		a := Must(NewMeanField(task).Activation(act).Seed(3).Solve())
		b := Must(NewMeanField(task).Activation(act).Seed(3).Solve())
		if a.Energy() != b.Energy() || !mat.Equal(a.Kernel(), b.Kernel()) {
			t.Errorf("%s: same seed, different results", act)
		}
	}
}

func TestMeanFieldCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sol, err := NewMeanField(Must(NewTask(2).Build())).SolveContext(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sol.Status() != Canceled {
		t.Errorf("status %v, want Canceled", sol.Status())
	}
}

func TestMeanFieldGridDeterministic(t *testing.T) {
	grid := MeanFieldGrid{
		Base:        NewMeanField(nil).Seed(5),
		Task:        func(a float64) (*Task, error) { return NewTask(2).TargetAligned(a).Build() },
		Lambdas:     [][2]float64{{0.01, 0.01}, {0.001, 0.001}},
		Alignments:  []float64{0, 2},
		Activations: []Activation{ReLU, HardTanh},
	}
	var runs [][]GridPoint
	for _, w := range []int{1, 2} {
		grid.Workers = w
		pts, err := grid.Solve(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, pts)
	}
	if len(runs[0]) != 8 {
		t.Fatalf("%d points, want 8", len(runs[0]))
	}
	for i := range runs[0] {
		a, b := runs[0][i], runs[1][i]
		if a.Err != nil || b.Err != nil {
			t.Fatalf("point %d: %v %v", i, a.Err, b.Err)
		}
		if a.Solution.Energy() != b.Solution.Energy() {
			t.Errorf("point %d: energy depends on Workers", i)
		}
		th := Must(TheoryFor(Must(grid.Task(a.Alignment)), a.Activation, a.L1, a.L2))
		if e := KernelRelErr(a.Solution.Kernel(), th.Kernel()); e > 1e-6 {
			t.Errorf("point %d (%s, a=%g, λ=%g): kernel error %.3g", i, a.Activation, a.Alignment, a.L1, e)
		}
	}
	if _, err := (MeanFieldGrid{}).Solve(context.Background()); err == nil {
		t.Error("grid without Task: want an error")
	}
}

func TestKernelComparisonHelpers(t *testing.T) {
	task := Must(NewTask(2).Build())
	th := Must(TheoryReLU(task, 0.01, 0.01))
	var twice mat.Dense
	twice.Scale(2, th.Kernel())
	if c := KernelCosine(&twice, th.Kernel()); math.Abs(c-1) > 1e-15 {
		t.Errorf("cosine of proportional kernels %g", c)
	}
	if e := KernelRelErr(&twice, th.Kernel()); math.Abs(e-1) > 1e-15 {
		t.Errorf("relative error of 2K vs K = %g, want 1", e)
	}
	cmp := Must(CompareKernels(task, []string{"theory", "double"}, th.Kernel(), &twice))
	if math.Abs(cmp.Scale[1]-2) > 1e-12 || math.Abs(cmp.MeanPS[0]-1) > 1e-12 {
		t.Errorf("comparison %v", cmp)
	}
	if _, err := CompareKernels(task, []string{"one"}, th.Kernel(), &twice); err == nil {
		t.Error("names/kernels mismatch: want an error")
	}
	var sb strings.Builder
	if err := cmp.WriteHTML(&sb); err != nil || !strings.Contains(sb.String(), "double") {
		t.Errorf("WriteHTML: %v", err)
	}
}

// The particle energy's gradient matches finite differences.
func TestMeanFieldParticleGradient(t *testing.T) {
	task := Must(NewTask(2).TargetAligned(0.3).Build())
	for _, act := range []Activation{Tanh, ReLU, Sigmoid} {
		b := NewMeanField(task).Activation(act)
		pr := Must(b.problem())
		s := newMFSolver(pr, b)
		m := 5
		p, r := pr.p, pr.r
		pt := &mfParticles{s: s, m: m, h: make([]float64, p*m), phi: make([]float64, p*m),
			dphi: make([]float64, p*m), gphi: make([]float64, p*m), z: make([]float64, pr.q*m)}
		x := make([]float64, m*r)
		for i := range x {
			x[i] = s.rng.NormFloat64()
		}
		g := make([]float64, len(x))
		pt.eval(x, g)
		for i := range x {
			const h = 1e-6
			xp := append([]float64(nil), x...)
			xm := append([]float64(nil), x...)
			xp[i] += h
			xm[i] -= h
			fd := (pt.eval(xp, nil) - pt.eval(xm, nil)) / (2 * h)
			// 1e-5: central differences (h² ≈ 1e-12 truncation, 1e-10 rounding).
			if math.Abs(fd-g[i]) > 1e-5*(1e-3+math.Abs(fd)) {
				t.Errorf("%s: ∂E/∂x[%d] = %.9g, finite difference %.9g", act, i, g[i], fd)
			}
		}
	}
}

func TestSolutionDisplay(t *testing.T) {
	task := Must(NewTask(2).Build())
	sol := Must(NewMeanField(task).Activation(Tanh).Solve())
	if s := sol.String(); !strings.Contains(s, "tanh") || !strings.Contains(s, "search") || !strings.Contains(s, "warning") {
		t.Errorf("String: %s", s)
	}
	var sb strings.Builder
	if err := sol.WriteHTML(&sb); err != nil || !strings.Contains(sb.String(), "certificate") {
		t.Errorf("WriteHTML: %v %s", err, sb.String())
	}
	h := sol.Preactivations()
	if r, _ := h.Dims(); r != task.P() {
		t.Errorf("Preactivations has %d rows", r)
	}
	var rr mat.Dense
	rep := sol.Representation()
	rr.Mul(rep, rep.T())
	if e := KernelRelErr(&rr, sol.Kernel()); e > 1e-12 {
		t.Errorf("Representation·Representationᵀ differs from the kernel by %g", e)
	}
}
