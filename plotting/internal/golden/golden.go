// Package golden compares test output with golden files in testdata/, and
// rewrites them when the tests run with -update:
//
//	go test ./plotting/ -run Golden -update
//
// Golden files hold deterministic output only (no timestamps, no random
// ids), so a difference is a real change to review.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ with the current output")

// Check compares got with testdata/name, or writes it there with -update.
// On a difference it reports the first differing line and fails the test.
func Check(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file: %v (run the test with -update to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w []byte
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if !bytes.Equal(g, w) {
			t.Errorf("%s differs from the golden file at line %d:\n got: %s\nwant: %s\n(%d vs %d bytes; if the change is intended, rerun with -update and review the diff)",
				path, i+1, clip(g), clip(w), len(got), len(want))
			return
		}
	}
}

func clip(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}
