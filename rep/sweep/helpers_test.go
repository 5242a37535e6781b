package sweep_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/repgeom/repgeom/rep"
	"github.com/repgeom/repgeom/rep/sweep"
)

// testConfig is a small rep run: paper A's whitened task with three
// latents (P = 8), 48 hidden units, 300 epochs of full-batch GD.
func testConfig(t testing.TB) sweep.RepConfig {
	t.Helper()
	task, err := rep.NewTask(3).Seed(5).Build()
	if err != nil {
		t.Fatal(err)
	}
	net := rep.NewNetwork(task).Hidden(48).Activation(rep.Tanh).L2(1e-3, 1e-3).InitScale(0.5)
	run := rep.NewRunSpec(task, net, rep.GD(0.05).Epochs(300).RecordEvery(100))
	return sweep.NewRepConfig(run, "loss", "ps", "target_alignment", "pr", "accuracy")
}

// testSweep is the sweep of the acceptance tests: 2 axes × 10 seeds.
func testSweep(t testing.TB) *sweep.Sweep {
	t.Helper()
	sw, err := sweep.New(sweep.RepModel, testConfig(t)).Name("test").
		Axis("network.activation.name", []string{"tanh", "relu"}).
		Axis("training.lr", []float64{0.02, 0.05}).
		Seeds(10).Seed(42).Build()
	if err != nil {
		t.Fatal(err)
	}
	return sw
}

// csvOf returns a table's CSV export.
func csvOf(t testing.TB, tb *sweep.Table) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := tb.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// sameTable fails the test unless two tables are bit-identical, cell by
// cell and in their CSV and JSON exports.
func sameTable(t testing.TB, got, want *sweep.Table) {
	t.Helper()
	if !got.Equal(want) {
		t.Fatalf("tables differ:\ngot\n%v\nwant\n%v", got, want)
	}
	if !bytes.Equal(csvOf(t, got), csvOf(t, want)) {
		t.Fatal("CSV exports differ")
	}
	var a, b bytes.Buffer
	if err := got.WriteJSON(&a); err != nil {
		t.Fatal(err)
	}
	if err := want.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("JSON exports differ")
	}
}

var reference = struct {
	sync.Once
	table *sweep.Table
	err   error
}{}

// referenceTable is the table of an uninterrupted local run of testSweep,
// computed once per test binary.
func referenceTable(t testing.TB) *sweep.Table {
	t.Helper()
	reference.Do(func() {
		res, err := testSweep(t).Local().Run(context.Background())
		if err != nil {
			reference.err = err
			return
		}
		reference.table = res.Table()
	})
	if reference.err != nil {
		t.Fatal(reference.err)
	}
	return reference.table
}

var command = struct {
	sync.Once
	dir, path string
	err       error
}{}

// repgeomCommand builds the repgeom command once per test binary, with
// sweep.BuildCommand (what the Slurm backend does).
func repgeomCommand(t testing.TB) string {
	t.Helper()
	command.Do(func() {
		command.dir, command.err = os.MkdirTemp("", "repgeom-cmd-")
		if command.err == nil {
			command.path, command.err = sweep.BuildCommand(context.Background(), filepath.Join(command.dir, "repgeom"))
		}
	})
	if command.err != nil {
		t.Fatal(command.err)
	}
	return command.path
}

// writeSpec writes a sweep's spec as JSON into dir and returns the path.
func writeSpec(t testing.TB, sw *sweep.Sweep, dir string) string {
	t.Helper()
	b, err := sw.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "spec.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestMain(m *testing.M) {
	code := m.Run()
	if command.dir != "" {
		os.RemoveAll(command.dir)
	}
	os.Exit(code)
}

// jsonStrict decodes JSON into v, rejecting unknown fields.
func jsonStrict(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	return d.Decode(v)
}
