package nb

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestSizeFrom(t *testing.T) {
	for _, tc := range []struct {
		env  string
		def  Size
		want Size
		err  string
	}{
		{"", Quick, Quick, ""},
		{"", Paper, Paper, ""},
		{"paper", Quick, Paper, ""},
		{"quick", Paper, Quick, ""},
		{"huge", Quick, "", `REPGEOM_SIZE="huge": must be "quick" or "paper"`},
		{"", "tiny", "", `ChooseSize("tiny"): must be "quick" or "paper"`},
	} {
		got, err := sizeFrom(tc.env, tc.def)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("sizeFrom(%q, %q): error %v, want one containing %q", tc.env, tc.def, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("sizeFrom(%q, %q) = %q, %v; want %q", tc.env, tc.def, got, err, tc.want)
		}
	}
	if Pick(Quick, 1, 2) != 1 || Pick(Paper, 1, 2) != 2 {
		t.Error("Pick does not follow the size")
	}
}

func TestChooseSizeEnv(t *testing.T) {
	t.Setenv(SizeEnv, "paper")
	if got := ChooseSize(Quick); got != Paper {
		t.Errorf("ChooseSize with REPGEOM_SIZE=paper = %q", got)
	}
}

type result struct {
	Values []float64
	Name   string
}

func TestCachedComputesOncePerSpec(t *testing.T) {
	t.Setenv(CacheDirEnv, t.TempDir())
	calls := 0
	compute := func(seed int) func() (result, error) {
		return func() (result, error) {
			calls++
			return result{Values: []float64{float64(seed), 0.5}, Name: "r"}, nil
		}
	}
	type spec struct{ Seed int }
	a1, err := Cached("train", spec{1}, compute(1))
	if err != nil {
		t.Fatal(err)
	}
	a2, err := Cached("train", spec{1}, compute(99)) // must not run
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 || a2.Values[0] != 1 || a2.Name != a1.Name {
		t.Fatalf("second call with the same spec: calls = %d, value %+v; want 1 call and the cached value", calls, a2)
	}
	b, err := Cached("train", spec{2}, compute(2))
	if err != nil || calls != 2 || b.Values[0] != 2 {
		t.Fatalf("another spec: calls = %d, value %+v, err %v; want a new computation", calls, b, err)
	}
	if _, err := Cached("other", spec{1}, compute(3)); err != nil || calls != 3 {
		t.Fatalf("another name with the same spec must not share the result (calls = %d)", calls)
	}
}

func TestCachedDoesNotCacheErrors(t *testing.T) {
	t.Setenv(CacheDirEnv, t.TempDir())
	boom := errors.New("boom")
	if _, err := Cached("x", 1, func() (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Fatalf("error = %v, want boom", err)
	}
	v, err := Cached("x", 1, func() (int, error) { return 7, nil })
	if err != nil || v != 7 {
		t.Fatalf("after a failed computation: %d, %v; want 7 computed afresh", v, err)
	}
}

func TestCachedRejectsUnencodable(t *testing.T) {
	t.Setenv(CacheDirEnv, t.TempDir())
	type hidden struct{ x int }
	_, err := Cached("h", 1, func() (hidden, error) { return hidden{1}, nil })
	if err == nil || !strings.Contains(err.Error(), "cannot be gob-encoded") {
		t.Fatalf("error = %v, want one saying the result cannot be gob-encoded", err)
	}
	if _, err := Cached("s", func() {}, func() (int, error) { return 1, nil }); err == nil {
		t.Fatal("a spec that is not JSON-encodable must be an error")
	}
}

func TestCachedWithoutDirJustComputes(t *testing.T) {
	t.Setenv(CacheDirEnv, "")
	t.Setenv("GONB_TMP_DIR", "")
	calls := 0
	for range 2 {
		if _, err := Cached("x", 1, func() (int, error) { calls++; return 1, nil }); err != nil {
			t.Fatal(err)
		}
	}
	if calls != 2 {
		t.Fatalf("calls = %d, want 2 (no cache outside a notebook)", calls)
	}
}

func TestClaims(t *testing.T) {
	var buf bytes.Buffer
	c := &Claims{figure: "fig", w: &buf}
	if c.Err() == nil {
		t.Error("no claim checked must be an error")
	}
	c.Check(true, "PS = %.3f ≥ 0.95", 0.999)
	if err := c.Err(); err != nil {
		t.Errorf("all claims hold, Err = %v", err)
	}
	c.Check(false, "tanh %.2f above ReLU %.2f", 0.1, 0.2)
	err := c.Err()
	if err == nil || !strings.Contains(err.Error(), "CLAIM FAILED: fig: 1 of 2") || !strings.Contains(err.Error(), "tanh 0.10 above ReLU 0.20") {
		t.Errorf("Err = %v, want the failed claim listed", err)
	}
	want := "✓ PS = 0.999 ≥ 0.95\n✗ tanh 0.10 above ReLU 0.20\n"
	if buf.String() != want {
		t.Errorf("printed %q, want %q", buf.String(), want)
	}
}

func TestMust(t *testing.T) {
	Must(nil)
	defer func() {
		if r := recover(); r == nil {
			t.Error("Must(err) did not panic")
		}
	}()
	Must(errors.New("boom"))
}
