package datasets

import (
	"bytes"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// cifarRecords returns n records: record k has label k%10 and pixel j of
// channel c equal to (k + 3j + 7c) mod 256.
func cifarRecords(n int) []byte {
	var b []byte
	for k := 0; k < n; k++ {
		b = append(b, byte(k%10))
		for c := 0; c < 3; c++ {
			for j := 0; j < 1024; j++ {
				b = append(b, byte(k+3*j+7*c))
			}
		}
	}
	return b
}

func TestReadCIFAR10(t *testing.T) {
	set, err := ReadCIFAR10(bytes.NewReader(cifarRecords(25)))
	if err != nil {
		t.Fatal(err)
	}
	if set.Len() != 25 || set.Dim() != 3072 || set.Channels != 3 || set.Rows != 32 {
		t.Fatalf("got %v", set)
	}
	for k := 0; k < 25; k++ {
		if set.Labels[k] != k%10 {
			t.Fatalf("label %d = %d", k, set.Labels[k])
		}
		img := set.Image(k)
		// red (0,0), green (0,5), blue (31,31)
		for _, p := range []struct{ c, j int }{{0, 0}, {1, 5}, {2, 1023}} {
			if got, want := img[1024*p.c+p.j], byte(k+3*p.j+7*p.c); got != want {
				t.Fatalf("image %d channel %d pixel %d = %d, want %d", k, p.c, p.j, got, want)
			}
		}
	}
	if set.Classes[set.Labels[3]] != "cat" {
		t.Errorf("class 3 = %q", set.Classes[3])
	}
	for _, tc := range []struct {
		in   []byte
		want string
	}{
		{nil, "no records"},
		{cifarRecords(2)[:CIFAR10RecordSize+100], "record 1 truncated: 100 of 3073 bytes"},
		{append([]byte{10}, make([]byte, 3072)...), "record 0: label 10"},
	} {
		if _, err := ReadCIFAR10(bytes.NewReader(tc.in)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want one containing %q", err, tc.want)
		}
	}
}

func TestLoadCIFAR10AndPairTask(t *testing.T) {
	dir := t.TempDir()
	for i := 1; i <= 5; i++ {
		writeFile(t, filepath.Join(dir, "data_batch_"+string(rune('0'+i))+".bin"), cifarRecords(40)) // 4 per class per batch
	}
	set, err := LoadCIFAR10(dir, "train")
	if err != nil {
		t.Fatal(err)
	}
	if set.Len() != 200 {
		t.Fatalf("%d images, want 200", set.Len())
	}
	if _, err := LoadCIFAR10(dir, "test"); err == nil || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing test batch: %v", err)
	}
	if _, err := LoadCIFAR10(dir, "val"); err == nil {
		t.Error("bad split accepted")
	}

	// The 5-pair grouping: 10 classes as input clusters, 5 one-hot labels.
	g := DefaultCIFAR10Pairs
	if err := g.Check(); err != nil {
		t.Fatal(err)
	}
	if g.Label(3) != 1 || g.Label(9) != 4 || g.Label(11) != -1 {
		t.Errorf("labels of 3, 9, 11: %d %d %d", g.Label(3), g.Label(9), g.Label(11))
	}
	bad := PairGrouping{{0, 1}, {1, 3}, {4, 5}, {6, 7}, {8, 9}}
	if err := bad.Check(); err == nil || !strings.Contains(err.Error(), "class 1 appears 2 times") {
		t.Errorf("bad grouping: %v", err)
	}
	task, err := NewImageTask(set, g.Latents()...).BalanceClasses().PerClass(20).Dim(30).Build()
	if err != nil {
		t.Fatal(err)
	}
	if task.P() != 200 || task.DY() != 5 || task.DX() != 30 {
		t.Fatalf("P %d dY %d dX %d", task.P(), task.DY(), task.DX())
	}
	for i := 0; i < task.P(); i++ {
		pos := 0
		for k := 0; k < 5; k++ {
			if task.Y.At(i, k) == 1 {
				pos++
			}
		}
		if pos != 1 {
			t.Fatalf("stimulus %d: %d positive labels, want one-hot", i, pos)
		}
	}
}
