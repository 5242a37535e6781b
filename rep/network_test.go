package rep

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"
)

// TestSameSeedBitIdentical is issue 2, acceptance 6: the same seed gives
// bit-identical weights after training, with GOMAXPROCS=1 and 2.
func TestSameSeedBitIdentical(t *testing.T) {
	train := func(procs int) []float64 {
		old := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(old)
		task := fourClusters(30, 3)
		net := Must(NewNetwork(task).Hidden(40).Activation(Tanh).Loss(CrossEntropy).ReadoutBias(true).Seed(9).Build())
		Must(net.Train(SGD(0.1, 50).Samples(200).Epochs(20).Adam(0.9, 0.999)))
		return net.Params()
	}
	a, b := train(1), train(2)
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("θ[%d] differs: %v with GOMAXPROCS=1, %v with 2", i, a[i], b[i])
		}
	}
	c := train(2)
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(c[i]) {
			t.Fatalf("θ[%d] differs between two runs with the same seed", i)
		}
	}
}

// TestEpochAllocatesNothing is issue 2, acceptance 7: a training epoch
// allocates nothing, for every engine path.
func TestEpochAllocatesNothing(t *testing.T) {
	whitened := Must(NewTask(3).Whitened().Build())
	noisy := fourClusters(20, 1)
	cases := []struct {
		name string
		net  *Network
		t    Training
	}{
		{"fig4-gd", Must(NewNetwork(whitened).Hidden(64).L2(0.01, 0.01).Build()), GD(0.01)},
		{"noisy-sgd-adam", Must(NewNetwork(noisy).Hidden(16).Activation(Tanh).Loss(CrossEntropy).Build()), SGD(0.1, 32).Samples(100).Adam(0.9, 0.99)},
		{"deep-momentum", Must(NewNetwork(whitened).Hidden(8, 8, 8).Activation(Erf).Build()), GD(0.01).Momentum(0.9)},
		{"recurrent-rmsprop", Must(NewNetwork(whitened).Hidden(8).Recurrent(4).Activation(Tanh).Build()), GD(0.01).RMSprop(0.99)},
	}
	for _, c := range cases {
		tr := newTrainer(c.net, Must(NewTraining(c.t.Spec())).spec)
		if a := testing.AllocsPerRun(20, func() { tr.epoch() }); a != 0 {
			t.Errorf("%s: %v allocations per epoch, want 0", c.name, a)
		}
	}
}

// TestBadSettingsAreErrors is issue 2, acceptance 5 for networks and
// training: each bad setting is an error naming the parameter and range,
// never a panic.
func TestBadSettingsAreErrors(t *testing.T) {
	task := Must(NewTask(2).Build())
	net := Must(NewNetwork(task).Build())
	cases := []struct {
		name string
		err  func() error
		want string
	}{
		{"width 0", func() error { _, err := NewNetwork(task).Hidden(0).Build(); return err }, "widths must be in [1, 2^20]"},
		{"no widths", func() error { _, err := NewNetwork(task).Hidden().Build(); return err }, "at least one width"},
		{"negative λ1", func() error { _, err := NewNetwork(task).L2(-1, 0).Build(); return err }, "L2(-1, 0): λ1 must be ≥ 0"},
		{"NaN λ2", func() error { _, err := NewNetwork(task).L2(0, math.NaN()).Build(); return err }, "λ2 must be ≥ 0"},
		{"nil task", func() error { _, err := NewNetwork(nil).Build(); return err }, "task must not be nil"},
		{"init scale", func() error { _, err := NewNetwork(task).InitScale(0).Build(); return err }, "InitScale(0): must be > 0"},
		{"recurrent deep", func() error { _, err := NewNetwork(task).Hidden(3, 3).Recurrent(2).Build(); return err }, "exactly one hidden width"},
		{"lr 0", func() error { _, err := net.Train(GD(0)); return err }, "GD(0): lr must be > 0"},
		{"lr -1 sgd", func() error { _, err := net.Train(SGD(-1, 10)); return err }, "lr must be > 0"},
		{"batch 0", func() error { _, err := net.Train(SGD(0.1, 0)); return err }, "batch must be ≥ 1"},
		{"epochs 0", func() error { _, err := net.Train(GD(0.1).Epochs(0)); return err }, "Epochs(0): must be ≥ 1"},
		{"adam beta", func() error { _, err := net.Train(GD(0.1).Adam(1, 0.9)); return err }, "must be in [0, 1)"},
	}
	for _, c := range cases {
		err := c.err()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	// Several problems are reported at once.
	_, err := NewNetwork(task).Hidden(-1).L2(-1, -1).InitScale(-2).Build()
	if err == nil || strings.Count(err.Error(), "\n") < 3 {
		t.Errorf("want 4 joined problems, got %v", err)
	}
}

// TestDivergenceNamesEpoch: a run whose loss blows up is an error wrapping
// ErrDiverged that names the epoch, with the history so far.
func TestDivergenceNamesEpoch(t *testing.T) {
	task := Must(NewTask(2).Build())
	net := Must(NewNetwork(task).Hidden(32).Activation(Linear).Build())
	h, err := net.Train(GD(10).Epochs(1000))
	if !errors.Is(err, ErrDiverged) || !strings.Contains(err.Error(), "at epoch") {
		t.Fatalf("error %v, want ErrDiverged naming the epoch", err)
	}
	if h == nil || h.Status != Diverged || h.Err == "" {
		t.Fatalf("history %v, want Status Diverged with the error", h)
	}
}

// TestCancelStopsTraining: a canceled context stops the run with Status
// Canceled.
func TestCancelStopsTraining(t *testing.T) {
	task := Must(NewTask(2).Build())
	net := Must(NewNetwork(task).Build())
	ctx, cancel := context.WithCancel(context.Background())
	epochs := 0
	h, err := net.TrainContext(ctx, GD(0.01).Epochs(1000).RecordEvery(1).Progress(func(e, _ int, _ float64) {
		epochs = e
		if e == 10 {
			cancel()
		}
	}))
	if !errors.Is(err, context.Canceled) || h.Status != Canceled || epochs != 11 {
		t.Fatalf("err %v, status %v, last epoch %d; want Canceled at epoch 11", err, h.Status, epochs)
	}
}

// TestTolConverges: with a tolerance the run stops once the gradient norm
// is below it, with Status Converged.
func TestTolConverges(t *testing.T) {
	task := Must(NewTask(1).Build())
	net := Must(NewNetwork(task).Hidden(8).Activation(Tanh).L2(0.01, 0.01).Build())
	h := Must(net.Train(GD(0.05).Epochs(100000).RecordEvery(10).Tol(1e-6)))
	last := len(h.Epochs) - 1
	if h.Status != Converged || h.GradNorms[last] > 1e-6 || h.Epochs[last] == 100000 {
		t.Fatalf("status %v at epoch %d with gradient norm %g; want Converged early", h.Status, h.Epochs[last], h.GradNorms[last])
	}
}

// TestHistoryRecords: the history holds epoch 0, every k-th epoch and the
// last, with losses that decrease under gradient descent and metrics.
func TestHistoryRecords(t *testing.T) {
	task := Must(NewTask(2).Build())
	net := Must(NewNetwork(task).Hidden(16).L2(0.01, 0.01).Build())
	h := Must(net.Train(GD(0.01).Epochs(95).RecordEvery(10).Record("acc", func(n *Network) float64 { return n.Accuracy()[0] })))
	want := []int{0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95}
	if len(h.Epochs) != len(want) || len(h.Metric("acc")) != len(want) || len(h.GradNorms) != len(want) {
		t.Fatalf("records at %v with %d metric values, want %v", h.Epochs, len(h.Metric("acc")), want)
	}
	for i := range want {
		if h.Epochs[i] != want[i] {
			t.Fatalf("records at %v, want %v", h.Epochs, want)
		}
	}
	if h.Losses[len(h.Losses)-1] >= h.Losses[0] {
		t.Errorf("loss went from %g to %g", h.Losses[0], h.Losses[len(h.Losses)-1])
	}
	if math.Abs(h.Losses[len(h.Losses)-1]-net.Loss()) > 1e-12 {
		t.Errorf("last recorded loss %g, Network.Loss %g", h.Losses[len(h.Losses)-1], net.Loss())
	}
}

// TestRunSpecRoundTrip: a run saved as JSON and re-run from the file gives
// bit-identical weights.
func TestRunSpecRoundTrip(t *testing.T) {
	task := Must(NewTask(2).PerClass(2).Seed(4).Build())
	nb := NewNetwork(task).Hidden(12, 6).Activation(ShiftedReLU(0.5)).L2(0.01, 0.02).Seed(5)
	spec := NewRunSpec(task, nb, GD(0.02).Epochs(50).Momentum(0.5))
	data, err := json.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseRunSpec(data)
	if err != nil {
		t.Fatal(err)
	}
	n1, _, err := spec.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n2, _, err := back.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p1, p2 := n1.Params(), n2.Params()
	for i := range p1 {
		if math.Float64bits(p1[i]) != math.Float64bits(p2[i]) {
			t.Fatalf("θ[%d]: %v before JSON, %v after", i, p1[i], p2[i])
		}
	}
	if !strings.Contains(string(data), `"version":"`+Version+`"`) || !strings.Contains(string(data), `"seed":5`) {
		t.Errorf("spec JSON lacks the version or seed: %s", data)
	}
	if _, err := ParseRunSpec([]byte(`{"bogus": 1}`)); err == nil {
		t.Error("unknown field accepted")
	}
}

// FuzzNetworkBuilder feeds arbitrary settings to the network and training
// builders: every outcome is a network and history or an error, never a
// panic.
func FuzzNetworkBuilder(f *testing.F) {
	f.Add(2, 8, 0, 0.01, 0.01, 1.0, 0.1, 3, 0, uint8(0))
	f.Add(1, -1, 3, -1.0, 2.0, 0.0, -0.1, 0, 5, uint8(3))
	f.Add(3, 4, 4, math.NaN(), math.Inf(1), 1e300, 1e300, 2, 2000, uint8(7))
	task := Must(NewTask(2).Build())
	f.Fuzz(func(t *testing.T, layers, width, steps int, l1, l2, scale, lr float64, epochs, batch int, act uint8) {
		if layers > 4 || width > 64 || epochs > 20 || steps > 8 {
			t.Skip("keep each case small")
		}
		acts := []Activation{ReLU, Tanh, HardTanh, HardSigmoid, Sigmoid, Linear, Erf, ShiftedReLU(-0.5)}
		widths := make([]int, max(layers, 0))
		for i := range widths {
			widths[i] = width
		}
		b := NewNetwork(task).Hidden(widths...).L2(l1, l2).InitScale(scale).Activation(acts[int(act)%len(acts)])
		if steps != 0 {
			b = b.Recurrent(steps)
		}
		net, err := b.Build()
		if err != nil {
			return
		}
		tr := GD(lr).Epochs(epochs)
		if batch != 0 {
			tr = SGD(lr, batch).Epochs(epochs)
		}
		h, err := net.Train(tr)
		if err == nil && (h == nil || len(h.Epochs) == 0) {
			t.Fatal("no error and no history")
		}
	})
}

// TestCloneIsIndependent: a clone starts equal and trains separately.
func TestCloneIsIndependent(t *testing.T) {
	task := Must(NewTask(2).Build())
	net := Must(NewNetwork(task).Hidden(8).Readout(ReadoutBinary).ReadoutBias(true).Build())
	c := net.Clone()
	if c.Loss() != net.Loss() {
		t.Fatalf("clone loss %g, original %g", c.Loss(), net.Loss())
	}
	before := net.Params()
	Must(c.Train(GD(0.01).Epochs(10)))
	for i, v := range net.Params() {
		if v != before[i] {
			t.Fatal("training the clone changed the original")
		}
	}
	if c.Loss() == net.Loss() {
		t.Error("the clone did not train")
	}
}
