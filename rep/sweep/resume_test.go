package sweep_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/repgeom/repgeom/rep/sweep"
)

// resumeSweep is testSweep with slower points (about 10 ms each), so that
// a run can be killed mid-way.
func resumeSweep(t testing.TB) *sweep.Sweep {
	t.Helper()
	cfg := testConfig(t)
	cfg.Training.Epochs = 3000
	cfg.Training.RecordEvery = 1000
	sw, err := sweep.New(sweep.RepModel, cfg).Name("resume").
		Axis("network.activation.name", []string{"tanh", "relu"}).
		Axis("training.lr", []float64{0.02, 0.05}).
		Seeds(10).Seed(42).Build()
	if err != nil {
		t.Fatal(err)
	}
	return sw
}

// storedKeys returns the keys of the records in a store.
func storedKeys(t testing.TB, dir string) map[string]bool {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "points"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, e := range entries {
		if name := e.Name(); !strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".json") {
			keys[strings.TrimSuffix(name, ".json")] = true
		}
	}
	return keys
}

// TestSweepResumeAfterSIGKILL: acceptance 2. `repgeom sweep run` is killed
// with SIGKILL mid-way; run again on the same store it finishes with a
// table identical to an uninterrupted run, and no finished point is
// computed again (the store's log counts every computation).
func TestSweepResumeAfterSIGKILL(t *testing.T) {
	sw := resumeSweep(t)
	bin := repgeomCommand(t)
	dir := t.TempDir()
	spec := writeSpec(t, sw, dir)
	store := filepath.Join(dir, "store")

	// First run: one worker, killed once a quarter of the points are done.
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "sweep", "run", "--spec", spec, "--out", store, "--workers", "1")
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	firstPID := cmd.Process.Pid
	deadline := time.Now().Add(60 * time.Second)
	for len(storedKeys(t, store)) < sw.Len()/4 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("no progress in 60 s: %s", stderr.String())
		}
		time.Sleep(time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	cmd.Wait()
	atKill := storedKeys(t, store)
	if len(atKill) >= sw.Len() {
		t.Fatalf("the run finished (%d points) before it was killed: make points slower", len(atKill))
	}
	t.Logf("killed after %d of %d points", len(atKill), sw.Len())

	// Second run: finishes the sweep.
	out, err := exec.Command(bin, "sweep", "run", "--spec", spec, "--out", store, "--workers", "2").CombinedOutput()
	if err != nil {
		t.Fatalf("second run: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "40 of 40 points finished") {
		t.Errorf("second run says:\n%s", out)
	}

	res, err := sw.Load(store)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Complete() || len(res.Failed()) != 0 {
		t.Fatalf("after resume: %v", res)
	}
	want, err := sw.Local().Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sameTable(t, res.Table(), want.Table())
	sameTable(t, res.EpochTable(), want.EpochTable())

	// Count computations in the log: a point finished before the kill was
	// never started again; the second run started exactly the others.
	events, err := sweep.ReadLog(store)
	if err != nil {
		t.Fatal(err)
	}
	starts := map[string]int{}
	done := map[string]int{}
	secondStarts := 0
	for _, ev := range events {
		switch ev.Event {
		case "start":
			starts[ev.Key]++
			if ev.PID != firstPID {
				secondStarts++
				if atKill[ev.Key] {
					t.Errorf("point %d, finished before the kill, was computed again", ev.Index)
				}
			}
		case "done":
			done[ev.Key]++
		}
	}
	if secondStarts != sw.Len()-len(atKill) {
		t.Errorf("the second run computed %d points, want %d − %d", secondStarts, sw.Len(), len(atKill))
	}
	for key, n := range done {
		if n != 1 {
			t.Errorf("point %s finished %d times", key, n)
		}
	}
	for key, n := range starts {
		if n > 2 || (n == 2 && atKill[key]) {
			t.Errorf("point %s started %d times", key, n)
		}
	}

	// A third run has nothing left to do.
	again, err := sw.Local().Store(store).Run(context.Background())
	if err != nil || again.Computed != 0 || again.Skipped != sw.Len() {
		t.Fatalf("third run: %v, %v", again, err)
	}
}
