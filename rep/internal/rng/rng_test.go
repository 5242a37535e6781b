package rng

import "testing"

func TestNewIsAPureFunctionOfTheSeed(t *testing.T) {
	a, b := New(42), New(42)
	for i := 0; i < 100; i++ {
		if x, y := a.Uint64(), b.Uint64(); x != y {
			t.Fatalf("draw %d: %d != %d", i, x, y)
		}
	}
	if New(1).Uint64() == New(2).Uint64() {
		t.Fatal("seeds 1 and 2 start with the same draw")
	}
}

func TestStreamsDifferAndRepeat(t *testing.T) {
	seen := map[uint64]uint64{}
	for i := uint64(0); i < 1000; i++ {
		v := Stream(7, i).Uint64()
		if j, ok := seen[v]; ok {
			t.Fatalf("streams %d and %d start with the same draw", j, i)
		}
		seen[v] = i
		if w := Stream(7, i).Uint64(); w != v {
			t.Fatalf("stream %d is not repeatable", i)
		}
	}
	if Stream(7, 0).Uint64() == Stream(8, 0).Uint64() {
		t.Fatal("seeds 7 and 8 give the same stream 0")
	}
}
