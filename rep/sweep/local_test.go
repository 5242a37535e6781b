package sweep_test

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/repgeom/repgeom/rep"
	"github.com/repgeom/repgeom/rep/sweep"
)

// TestSweepDeterministicWorkers: acceptance 1. 2 axes × 10 seeds give a
// bit-identical table with 1 and with 2 workers, and with GOMAXPROCS 1.
func TestSweepDeterministicWorkers(t *testing.T) {
	sw := testSweep(t)
	if sw.Len() != 40 {
		t.Fatalf("Len() = %d, want 2·2·10 = 40", sw.Len())
	}
	ctx := context.Background()
	one, err := sw.Local().Workers(1).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	two, err := sw.Local().Workers(2).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t1, t2 := one.Table(), two.Table()
	if t1.Len() != 40 || len(one.Failed()) != 0 {
		t.Fatalf("1 worker: %v", one)
	}
	sameTable(t, t2, t1)
	sameTable(t, t1, referenceTable(t))

	old := runtime.GOMAXPROCS(1)
	three, err := sw.Local().Workers(3).Run(ctx)
	runtime.GOMAXPROCS(old)
	if err != nil {
		t.Fatal(err)
	}
	sameTable(t, three.Table(), t1)

	// Replicates differ (their seeds do), grid points differ.
	ps, _ := t1.Floats("ps")
	seeds, _ := t1.Ints("seed")
	seen := map[int64]bool{}
	for r, s := range seeds {
		if seen[s] {
			t.Fatalf("row %d repeats seed %d", r, s)
		}
		seen[s] = true
		if math.IsNaN(ps[r]) || ps[r] < -1 || ps[r] > 1 {
			t.Fatalf("row %d: ps = %v, want a cosine in [−1, 1]", r, ps[r])
		}
	}
	if ps[0] == ps[1] {
		t.Fatalf("replicates 0 and 1 have the same ps %v: seeds are not applied", ps[0])
	}
	// Every point learned the task.
	acc, _ := t1.Floats("accuracy")
	for r, a := range acc {
		if a != 1 {
			t.Fatalf("row %d: accuracy %v, want 1", r, a)
		}
	}
}

// TestSweepSeedsFromCoordinates: a point's seed depends on the sweep seed
// and its coordinates, not on the grid's shape or the schedule: adding a
// value to an axis leaves the other points' seeds and results unchanged.
func TestSweepSeedsFromCoordinates(t *testing.T) {
	cfg := testConfig(t)
	small := sweep.New(sweep.RepModel, cfg).Axis("training.lr", []float64{0.05}).Seeds(2).Seed(7)
	big := sweep.New(sweep.RepModel, cfg).Axis("training.lr", []float64{0.02, 0.05}).Seeds(2).Seed(7)
	a, err := small.Build()
	if err != nil {
		t.Fatal(err)
	}
	b, err := big.Build()
	if err != nil {
		t.Fatal(err)
	}
	for r := 0; r < 2; r++ {
		pa, _ := a.Point(r)
		pb, _ := b.Point(2 + r)
		if pa.Seed != pb.Seed || pa.Key != pb.Key || string(pa.Config) != string(pb.Config) {
			t.Fatalf("replicate %d: point differs once the axis grows:\n%+v\n%+v", r, pa, pb)
		}
	}
	c, _ := small.Seed(8).Build()
	pa, _ := a.Point(0)
	pc, _ := c.Point(0)
	if pa.Seed == pc.Seed || pa.Key != pc.Key {
		t.Fatalf("another sweep seed must change the seed (%d, %d) and keep the key (%s, %s)", pa.Seed, pc.Seed, pa.Key, pc.Key)
	}
	if !strings.Contains(string(pa.Config), `"seed":`) || pa.Seed >= 1<<53 {
		t.Fatalf("point seed %d, config %s", pa.Seed, pa.Config)
	}
}

// TestSweepRejectsBadSweep: acceptance 5. A bad sweep is rejected, with an
// error naming the problem, before any point runs.
func TestSweepRejectsBadSweep(t *testing.T) {
	var calls int
	var mu sync.Mutex
	counting := sweep.Define("counting", func(ctx context.Context, c *sweep.RepConfig) (sweep.Result, error) {
		mu.Lock()
		calls++
		mu.Unlock()
		return sweep.Result{}, nil
	}).Check(func(c *sweep.RepConfig) error {
		_, _, _, err := rep.RunSpec{Task: c.Task, Network: c.Network, Training: c.Training}.Build()
		return err
	}).SeedPaths("network.seed")
	cfg := testConfig(t)
	cases := []struct {
		name string
		b    sweep.Builder
		want []string
	}{
		{"unknown axis", sweep.New(counting, cfg).Axis("network.width", []int{1, 2}),
			[]string{`axis "network.width"`, `unknown field`, `no field "width"`, "hidden"}},
		{"unknown top-level axis", sweep.New(counting, cfg).Axis("optimizer.lr", []float64{1}),
			[]string{`axis "optimizer.lr"`, `no field "optimizer"`}},
		{"empty axis", sweep.New(counting, cfg).Axis("training.lr", []float64{}),
			[]string{`axis "training.lr" has no values`}},
		{"empty name", sweep.New(counting, cfg).Axis("", []float64{1}),
			[]string{"empty name"}},
		{"wrong type", sweep.New(counting, cfg).Axis("training.epochs", []any{10, "many"}),
			[]string{`axis "training.epochs" value 1`, "wrong type", `"many"`, "int"}},
		{"fraction for an int", sweep.New(counting, cfg).Axis("task.perClass", []float64{1.5}),
			[]string{`axis "task.perClass" value 0`, "1.5"}},
		{"wrong type below custom JSON", sweep.New(counting, cfg).Axis("network.activation.name", []int{1}),
			[]string{`axis "network.activation.name"`, "JSON number", "string"}},
		{"index out of range", sweep.New(counting, cfg).Axis("network.l2.5", []float64{1}),
			[]string{`axis "network.l2.5"`, "not an index"}},
		{"does not build", sweep.New(counting, cfg).Axis("network.hidden.0", []int{16, 0, -3}),
			[]string{"does not build", "network.hidden.0=0", "network.hidden.0=-3"}},
		{"unknown activation", sweep.New(counting, cfg).Axis("network.activation.name", []string{"tanh", "tnah"}),
			[]string{"does not build", `"tnah"`}},
		{"duplicate values", sweep.New(counting, cfg).Axis("training.lr", []float64{0.1, 0.10}),
			[]string{"0.1 appears twice"}},
		{"duplicate axis", sweep.New(counting, cfg).Axis("training.lr", []float64{0.1}).Axis("training.lr", []float64{0.2}),
			[]string{`axis "training.lr" appears twice`}},
		{"no seeds", sweep.New(counting, cfg).Seeds(0), []string{"Seeds(0)"}},
		{"seed path not an integer", sweep.New(counting, cfg).SeedPaths("training.lr"),
			[]string{`seed path "training.lr"`, "integer"}},
		{"seed path is an axis", sweep.New(counting, cfg).Axis("network.seed", []int{1, 2}).SeedPaths("network.seed"),
			[]string{`seed path "network.seed" is also an axis`}},
		{"values not a slice", sweep.New(counting, cfg).Axis("training.lr", 0.1),
			[]string{"must be a slice"}},
		{"axis named like a column", sweep.New(counting, map[string]any{"seed": 1, "task": cfg.Task, "network": cfg.Network, "training": cfg.Training}).Axis("seed", []int{1, 2}),
			[]string{"fixed table column"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sw, err := c.b.Build()
			if err == nil {
				t.Fatalf("Build() accepted the sweep: %v", sw)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	if calls != 0 {
		t.Fatalf("the model ran %d times", calls)
	}

	// A spec read from JSON: unknown fields and models are rejected.
	if _, err := sweep.Read(strings.NewReader(`{"model":"rep","seeds":1,"base":{},"axes":[],"bogus":1}`)); err == nil || !strings.Contains(err.Error(), "bogus") {
		t.Errorf("unknown spec field: err = %v", err)
	}
	if _, err := sweep.Read(strings.NewReader(`{"model":"nope","seeds":1,"base":{}}`)); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown model: err = %v", err)
	}
	if _, err := sweep.Read(strings.NewReader(`{"model":"rep","seeds":1,"base":{"task":{"bogus":1}}}`)); err == nil || !strings.Contains(err.Error(), "bogus") {
		t.Errorf("unknown base field: err = %v", err)
	}
}

// TestSweepDivergingPointFails: acceptance 5. A point whose training
// diverges is recorded as failed with its error; the sweep goes on, and a
// re-run does not compute it again.
func TestSweepDivergingPointFails(t *testing.T) {
	sw, err := sweep.New(sweep.RepModel, testConfig(t)).Axis("training.lr", []float64{0.05, 50}).Seeds(2).Build()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	res, err := sw.Local().Store(dir).Workers(2).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tb := res.Table()
	if tb.Len() != 4 || res.Computed != 4 {
		t.Fatalf("want 4 rows computed, got %v", res)
	}
	failed := res.Failed()
	if len(failed) != 2 {
		t.Fatalf("want the 2 points with lr = 50 failed, got %d", len(failed))
	}
	for _, f := range failed {
		if !strings.Contains(f.Err, rep.ErrDiverged.Error()) || !strings.Contains(string(f.Coords[0].Value), "50") {
			t.Errorf("point %d: error %q, coords %s", f.Index, f.Err, f.Coords[0].Value)
		}
		if len(f.Result.Series["loss"]) == 0 {
			t.Errorf("point %d: the loss history up to the divergence is lost", f.Index)
		}
	}
	status, _ := tb.Strings("status")
	errs, _ := tb.Strings("error")
	loss, _ := tb.Floats("loss")
	for r := range status {
		ok := r < 2
		if (status[r] == "ok") != ok || (errs[r] == "") != ok || math.IsNaN(loss[r]) == ok {
			t.Errorf("row %d: status %q, error %q, loss %v", r, status[r], errs[r], loss[r])
		}
	}
	// Failed points are left out of summaries.
	sum, err := tb.MeanSD("loss")
	if err != nil {
		t.Fatal(err)
	}
	n, _ := sum.Ints("loss_n")
	if len(n) != 2 || n[0] != 2 || n[1] != 0 {
		t.Fatalf("loss_n = %v, want [2 0]", n)
	}
	again, err := sw.Local().Store(dir).Run(context.Background())
	if err != nil || again.Computed != 0 || again.Skipped != 4 {
		t.Fatalf("re-run: %v, %v", again, err)
	}
	retry, err := sw.Local().Store(dir).RetryFailed().Run(context.Background())
	if err != nil || retry.Computed != 2 || len(retry.Failed()) != 2 {
		t.Fatalf("retry: %v, %v", retry, err)
	}
}

// TestSweepPanicFails: a model that panics fails its point only.
func TestSweepPanicFails(t *testing.T) {
	type cfg struct {
		X int `json:"x"`
	}
	m := sweep.Define("panicky", func(ctx context.Context, c *cfg) (sweep.Result, error) {
		if c.X == 2 {
			panic("two")
		}
		return sweep.Result{Metrics: map[string]float64{"x2": float64(2 * c.X)}}, nil
	})
	sw, err := sweep.New(m, cfg{}).Axis("x", []int{1, 2, 3}).Build()
	if err != nil {
		t.Fatal(err)
	}
	res, err := sw.Local().Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	f := res.Failed()
	if len(f) != 1 || f[0].Index != 1 || !strings.Contains(f[0].Err, "panic: two") {
		t.Fatalf("failed: %+v", f)
	}
	x2, _ := res.Table().Floats("x2")
	if x2[0] != 2 || !math.IsNaN(x2[1]) || x2[2] != 6 {
		t.Fatalf("x2 = %v", x2)
	}
}

// TestSweepCancel: canceling stops the run; finished points are kept in
// the store and a second run completes the sweep.
func TestSweepCancel(t *testing.T) {
	sw := testSweep(t)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var calls []int
	res, err := sw.Local().Store(dir).Workers(2).Progress(func(done, total int) {
		calls = append(calls, done)
		if done == 5 {
			cancel()
		}
	}).Run(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := len(res.Records); n < 5 || n >= sw.Len() {
		t.Fatalf("%d records after cancel at 5", n)
	}
	if calls[0] != 0 || calls[len(calls)-1] != len(res.Records) {
		t.Fatalf("progress calls %v", calls)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "points"))
	if len(entries) != len(res.Records) {
		t.Fatalf("%d files in the store for %d records", len(entries), len(res.Records))
	}
	rest, err := sw.Local().Store(dir).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rest.Skipped != len(res.Records) || rest.Computed != sw.Len()-len(res.Records) {
		t.Fatalf("resume: %v", rest)
	}
	sameTable(t, rest.Table(), referenceTable(t))
}

// TestSweepStoreRejectsOtherSweep: a store written by another
// configuration is not silently mixed in.
func TestSweepStoreRejectsOtherSweep(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(t)
	cfg.Training.Epochs = 20
	a, _ := sweep.New(sweep.RepModel, cfg).Axis("training.lr", []float64{0.05}).Build()
	if _, err := a.Local().Store(dir).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	cfg.Training.Epochs = 30
	b, _ := sweep.New(sweep.RepModel, cfg).Axis("training.lr", []float64{0.05}).Build()
	_, err := b.Local().Store(dir).Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "another configuration") {
		t.Fatalf("err = %v", err)
	}
	if _, err := b.Load(dir); err == nil {
		t.Fatal("Load accepted a store of another configuration")
	}
}

// TestSweepShardsCover: shards partition the points; their union in one
// store is the whole sweep.
func TestSweepShardsCover(t *testing.T) {
	sw := testSweep(t)
	dir := t.TempDir()
	total := 0
	for i := 0; i < 3; i++ {
		res, err := sw.Local().Store(dir).Shard(i, 3).Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Records {
			if r.Index%3 != i {
				t.Fatalf("shard %d computed point %d", i, r.Index)
			}
		}
		total += res.Computed
	}
	if total != sw.Len() {
		t.Fatalf("shards computed %d points, want %d", total, sw.Len())
	}
	all, err := sw.Load(dir)
	if err != nil || !all.Complete() {
		t.Fatalf("load: %v, %v", all, err)
	}
	sameTable(t, all.Table(), referenceTable(t))
}

func TestLocalRejectsBadSettings(t *testing.T) {
	sw := testSweep(t)
	_, err := sw.Local().Workers(0).Shard(3, 2).Store("").Run(context.Background())
	for _, w := range []string{"Workers(0)", "Shard(3, 2)", `Store("")`} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v does not mention %s", err, w)
		}
	}
	_, err = sw.Slurm("x").Tasks(0).CPUs(0).Poll(0).Run(context.Background())
	for _, w := range []string{"Tasks(0)", "CPUs(0)", "Poll(0s)"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v does not mention %s", err, w)
		}
	}
}
