package sweep_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/repgeom/repgeom/rep"
	"github.com/repgeom/repgeom/rep/sweep"
)

// TestRepModelMatchesRep: every measurement of the rep model at a point is
// what package rep computes, called directly on the point's configuration
// (axis value and derived seeds applied, noisy test samples for a task with
// test noise), bit for bit; and the axis really changes the task: paper B's
// δ-XOR has input–output alignment 0 at δ = 0 and 1/√3 at δ = 1.
func TestRepModelMatchesRep(t *testing.T) {
	task := rep.Must(rep.NewDeltaXOR(0.5).Dim(30).Noise(0.5, 1).Seed(3).Build())
	net := rep.NewNetwork(task).Hidden(32).Activation(rep.Tanh).Loss(rep.CrossEntropy).Readout(rep.ReadoutBinary)
	cfg := sweep.NewRepConfig(rep.NewRunSpec(task, net, rep.SGD(0.1, 50).Epochs(20).Samples(200).RecordEvery(5)))
	cfg.TestSamples = 25
	cfg.Record = []string{"target_alignment"}
	sw, err := sweep.New(sweep.RepModel, cfg).Axis("task.delta", []float64{0, 1}).Seeds(2).Build()
	if err != nil {
		t.Fatal(err)
	}
	res, err := sw.Local().Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failed()) != 0 {
		t.Fatalf("failed: %+v", res.Failed())
	}
	wantMetrics := []string{"accuracy", "ccgp", "ccgp_0", "ccgp_1", "epochs", "grad_norm", "input_alignment", "io_alignment",
		"loss", "pr", "ps", "ps_0", "ps_1", "target_alignment"}
	if got := res.Table().Metrics(); !slices.Equal(got, wantMetrics) {
		t.Fatalf("metrics %v, want %v", got, wantMetrics)
	}
	for _, rec := range res.Records {
		var c sweep.RepConfig
		if err := jsonStrict(rec.Config, &c); err != nil {
			t.Fatal(err)
		}
		if c.Network.Seed == cfg.Network.Seed || c.Seed == cfg.Seed || c.Task.Seed != cfg.Task.Seed {
			t.Fatalf("point %d: seeds not derived as documented: %+v", rec.Index, c)
		}
		tk, err := rep.BuildTask(c.Task)
		if err != nil {
			t.Fatal(err)
		}
		n, err := rep.BuildNetwork(tk, c.Network)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := rep.NewTraining(c.Training)
		if err != nil {
			t.Fatal(err)
		}
		hist, err := n.Train(tr)
		if err != nil {
			t.Fatal(err)
		}
		x, y, lat, _ := tk.Samples(c.TestSamples, tk.NoiseTest, c.Seed)
		h := n.HiddenOn(n.Layers()-1, x)
		k := rep.KernelOf(h)
		ps := rep.ParallelismScore(h, lat)
		cc := rep.CCGP(h, lat)
		want := map[string]float64{
			"loss": hist.Losses[len(hist.Losses)-1], "grad_norm": hist.GradNorms[len(hist.GradNorms)-1], "epochs": 20,
			"ps_0": ps[0], "ps_1": ps[1], "ps": (ps[0] + ps[1]) / 2,
			"ccgp_0": cc[0], "ccgp_1": cc[1], "ccgp": (cc[0] + cc[1]) / 2,
			"target_alignment": rep.KernelAlignment(k, rep.KernelOf(y)),
			"input_alignment":  rep.KernelAlignment(k, rep.KernelOf(x)),
			"io_alignment":     tk.InputOutputAlignment(),
			"pr":               rep.ParticipationRatio(h),
		}
		for name, w := range want {
			if g := rec.Result.Metrics[name]; math.Float64bits(g) != math.Float64bits(w) {
				t.Errorf("point %d: %s = %v, rep gives %v", rec.Index, name, g, w)
			}
		}
		out := n.OutputOn(x)
		right := 0
		for i := range tk.P() * c.TestSamples {
			if (out.At(i, 0) > 0) == (y.At(i, 0) > 0) {
				right++
			}
		}
		if a := rec.Result.Metrics["accuracy"]; a != float64(right)/float64(tk.P()*c.TestSamples) {
			t.Errorf("point %d: accuracy %v, want %d/%d", rec.Index, a, right, tk.P()*c.TestSamples)
		}
		delta := c.Task.Delta
		if io := rec.Result.Metrics["io_alignment"]; math.Abs(io-delta/math.Sqrt(3)) > 1e-9 {
			t.Errorf("δ = %v: io_alignment %v, want %v", delta, io, delta/math.Sqrt(3))
		}
		if s := rec.Result.Series["target_alignment"]; len(s) != len(rec.Result.Epochs) || len(s) != 5 {
			t.Errorf("point %d: recorded target_alignment %v at epochs %v", rec.Index, s, rec.Result.Epochs)
		}
	}
}

func TestRepConfigRejected(t *testing.T) {
	cfg := testConfig(t)
	for _, c := range []struct {
		edit func(*sweep.RepConfig)
		want string
	}{
		{func(c *sweep.RepConfig) { c.Metrics = []string{"ps", "beauty"} }, `unknown metric "beauty"`},
		{func(c *sweep.RepConfig) { c.Record = []string{"loss"} }, `"loss" is recorded anyway`},
		{func(c *sweep.RepConfig) { c.Record = []string{"ps"} }, `"ps" has one value per latent`},
		{func(c *sweep.RepConfig) { c.Layer = 3 }, "Layer = 3"},
		{func(c *sweep.RepConfig) { c.Training.LR = -1 }, "the base configuration does not build: rep: RunSpec.Training: rep: TrainingSpec.LR = -1"},
	} {
		bad := cfg
		c.edit(&bad)
		_, err := sweep.New(sweep.RepModel, bad).Build()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("err = %v, want it to mention %s", err, c.want)
		}
	}
	if got := sweep.RepMetrics(); len(got) != 10 || sweep.RepMetricDoc("ps") == "" {
		t.Errorf("RepMetrics() = %v", got)
	}
}
