package sweep_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/repgeom/repgeom/rep/sweep"
)

// TestSlurmJobArray: acceptance 3. On a single-node Slurm cluster started
// by the test, the sweep runs as a 4-task job array and merges into a table
// identical to the local run; a shard made to fail is reported with its
// exit code and stderr, and resubmitting it completes the sweep.
func TestSlurmJobArray(t *testing.T) {
	requireSlurm(t)
	sw := testSweep(t)
	want := referenceTable(t)
	bin := repgeomCommand(t)
	startCluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	t.Run("array", func(t *testing.T) {
		dir := t.TempDir()
		var last [2]int
		res, err := sw.Slurm(dir).Tasks(4).CPUs(1).Time("00:05:00").Poll(200 * time.Millisecond).
			Progress(func(done, total int) { last = [2]int{done, total} }).Run(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Complete() {
			t.Fatalf("missing points %v", res.Missing())
		}
		sameTable(t, res.Table(), want)
		if last[1] != sw.Len() {
			t.Errorf("progress total %d, want %d", last[1], sw.Len())
		}
		// Each shard ran as its own task, in its own process (each process
		// keeps its own log in the store).
		logs, err := os.ReadDir(filepath.Join(dir, "log"))
		if err != nil || len(logs) != 4 {
			t.Errorf("%d process logs in the store (%v), want 4", len(logs), err)
		}
		for i := 0; i < 4; i++ {
			if _, err := os.Stat(filepath.Join(dir, "slurm", fmt.Sprintf("shard-%d.out", i))); err != nil {
				t.Error(err)
			}
		}
	})

	t.Run("failed shard", func(t *testing.T) {
		dir := t.TempDir()
		// A wrapper that makes shard 2 fail before it computes anything.
		wrapper := filepath.Join(dir, "flaky.sh")
		script := fmt.Sprintf("#!/bin/sh\nif [ \"$SLURM_ARRAY_TASK_ID\" = 2 ]; then\n  echo 'shard 2 made to fail on purpose' >&2\n  exit 3\nfi\nexec %s \"$@\"\n", bin)
		if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		store := filepath.Join(dir, "store")
		res, err := sw.Slurm(store).Tasks(4).Command(wrapper).Poll(200 * time.Millisecond).Run(ctx)
		var se *sweep.SlurmError
		if !errors.As(err, &se) {
			t.Fatalf("err = %v, want a *SlurmError", err)
		}
		t.Logf("reported: %v", err)
		if len(se.Failed) != 1 {
			t.Fatalf("failed shards %+v, want shard 2 only", se.Failed)
		}
		f := se.Failed[0]
		if f.Shard != 2 || f.ExitCode != 3 || f.State != "FAILED" || !strings.Contains(f.StderrTail, "made to fail on purpose") {
			t.Fatalf("failure %+v", f)
		}
		for _, w := range []string{"shard 2: FAILED, exit code 3", "made to fail on purpose", "Slurm.Only(2)"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q does not say %q", err, w)
			}
		}
		missing := res.Missing()
		if len(missing) != sw.Len()/4 {
			t.Fatalf("missing %v, want the 10 points of shard 2", missing)
		}
		for _, i := range missing {
			if i%4 != 2 {
				t.Fatalf("point %d is missing, not in shard 2", i)
			}
		}
		// Resubmit the failed shard with the real command.
		res, err = sw.Slurm(store).Tasks(4).Command(bin).Only(se.Shards()...).Poll(200 * time.Millisecond).Run(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sameTable(t, res.Table(), want)
	})
}
