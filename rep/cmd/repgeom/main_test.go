package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/repgeom/repgeom/rep"
	"github.com/repgeom/repgeom/rep/sweep"
)

func writeSpec(t *testing.T, dir string) (string, *sweep.Sweep) {
	t.Helper()
	task := rep.Must(rep.NewTask(2).Build())
	net := rep.NewNetwork(task).Hidden(16).Activation(rep.Tanh).InitScale(0.5)
	cfg := sweep.NewRepConfig(rep.NewRunSpec(task, net, rep.GD(0.05).Epochs(100)), "loss", "accuracy")
	sw, err := sweep.New(sweep.RepModel, cfg).Axis("training.lr", []float64{0.02, 0.05, 1e4}).Seeds(2).Build()
	if err != nil {
		t.Fatal(err)
	}
	b, err := sw.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "sweep.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, sw
}

func call(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		nil, {"sweep"}, {"sweep", "fly"}, {"sweep", "run"}, {"sweep", "run", "--spec", "x"},
		{"sweep", "run", "--spec", "x", "--out", "y", "--shard", "4/4"},
		{"sweep", "run", "--spec", "x", "--out", "y", "--shard", "1"},
		{"sweep", "merge", "--out", "y"}, {"sweep", "check"}, {"sweep", "run", "--bogus"},
	} {
		if code, _, stderr := call(args...); code != exitUsage || stderr == "" {
			t.Errorf("%q: exit %d, stderr %q", args, code, stderr)
		}
	}
	if code, out, _ := call("version"); code != 0 || strings.TrimSpace(out) != rep.Version {
		t.Errorf("version: %d %q", code, out)
	}
}

func TestRunCheckMerge(t *testing.T) {
	dir := t.TempDir()
	spec, sw := writeSpec(t, dir)
	store := filepath.Join(dir, "store")

	if code, out, stderr := call("sweep", "check", "--spec", spec); code != 0 || !strings.Contains(out, "6 points") {
		t.Fatalf("check: %d %q %q", code, out, stderr)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"model":"rep","seeds":1,"base":{},"axes":[{"name":"nope","values":[1]}]}`), 0o644)
	if code, _, stderr := call("sweep", "check", "--spec", bad); code != exitError || !strings.Contains(stderr, `axis "nope"`) {
		t.Fatalf("check bad: %d %q", code, stderr)
	}

	// Merge before anything ran: every point missing.
	if code, _, stderr := call("sweep", "merge", "--spec", spec, "--out", store); code != exitError || !strings.Contains(stderr, "6 points missing") {
		t.Fatalf("merge of nothing: %d %q", code, stderr)
	}
	// Two shards; the diverging points (lr = 1e4) fail but not the command.
	for _, shard := range []string{"0/2", "1/2"} {
		if code, _, stderr := call("sweep", "run", "--spec", spec, "--out", store, "--shard", shard, "--workers", "1"); code != 0 {
			t.Fatalf("run %s: %d %s", shard, code, stderr)
		}
	}
	code, _, stderr := call("sweep", "run", "--spec", spec, "--out", store)
	if code != 0 || !strings.Contains(stderr, "6 of 6 points finished (0 computed, 6 from the store), 2 failed") {
		t.Fatalf("re-run: %d %s", code, stderr)
	}
	csvPath, jsonPath := filepath.Join(dir, "t.csv"), filepath.Join(dir, "t.json")
	if code, _, stderr := call("sweep", "merge", "--spec", spec, "--out", store, "--csv", csvPath, "--json", jsonPath); code != 0 {
		t.Fatalf("merge: %d %s", code, stderr)
	}
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != 7 || rows[0][0] != "point" {
		t.Fatalf("CSV: %v %v", rows, err)
	}
	res, err := sw.Local().Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	res.Table().WriteCSV(&want)
	got, _ := os.ReadFile(csvPath)
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("merged CSV differs from a local run:\n%s\nwant\n%s", got, want.String())
	}
	if _, err := os.Stat(jsonPath); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := call("sweep", "merge", "--spec", spec, "--out", store, "--epochs"); code != 0 || !strings.Contains(out, "epoch") {
		t.Fatalf("merge --epochs: %d %q", code, out)
	}
}
