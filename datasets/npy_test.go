package datasets

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// specials are float64 values whose bits must survive every round trip.
var specials = []float64{0, math.Copysign(0, -1), 1, -1.5, math.Pi, 1.0 / 3, 5e-324, 2.2250738585072014e-308,
	math.MaxFloat64, -math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN(), 1e-300, 123456789.123456789, -7e22}

// specialMatrix is 4×4 of the special values.
func specialMatrix() *mat.Dense { return mat.NewDense(4, 4, append([]float64(nil), specials...)) }

func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

func TestNPYRoundTrip(t *testing.T) {
	m := specialMatrix()
	var b bytes.Buffer
	if err := WriteNPY(&b, m); err != nil {
		t.Fatal(err)
	}
	if hl := int(binary.LittleEndian.Uint16(b.Bytes()[8:])); (10+hl)%64 != 0 || b.Bytes()[9+hl] != '\n' {
		t.Errorf("header length %d: data must start on a multiple of 64 after a newline", hl)
	}
	a, err := ReadNPY(&b)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Shape) != 2 || a.Shape[0] != 4 || a.Shape[1] != 4 || !sameBits(a.Data, specials) {
		t.Fatalf("got shape %v data %v", a.Shape, a.Data)
	}
	// Fortran order on disk, C order back; 1-D, 0-D and 3-D shapes.
	for _, shape := range [][]int{{2, 8}, {16}, {}, {2, 2, 4}, {0, 3}} {
		n := 1
		for _, d := range shape {
			n *= d
		}
		in := &Array{Shape: shape, Data: specials[:n]}
		for _, fortran := range []bool{false, true} {
			var b bytes.Buffer
			if err := WriteNPYArray(&b, in, fortran); err != nil {
				t.Fatal(err)
			}
			out, err := ReadNPY(&b)
			if err != nil {
				t.Fatalf("shape %v fortran %v: %v", shape, fortran, err)
			}
			if len(out.Shape) != len(shape) || !sameBits(out.Data, in.Data) {
				t.Errorf("shape %v fortran %v: got %v %v", shape, fortran, out.Shape, out.Data)
			}
		}
	}
	// Two arrays in one stream read back one at a time.
	b.Reset()
	WriteNPY(&b, mat.NewDense(1, 2, []float64{1, 2}))
	WriteNPY(&b, mat.NewDense(2, 1, []float64{3, 4}))
	first, err1 := ReadNPY(&b)
	second, err2 := ReadNPY(&b)
	if err1 != nil || err2 != nil || first.Data[1] != 2 || second.Shape[0] != 2 || second.Data[1] != 4 || b.Len() != 0 {
		t.Errorf("stream of two arrays: %v %v %v %v", first, second, err1, err2)
	}
}

func TestFortranOrderLayout(t *testing.T) {
	// A 2×3 array [[1,2,3],[4,5,6]] is stored column by column: 1 4 2 5 3 6.
	f := cToFortran([]float64{1, 2, 3, 4, 5, 6}, []int{2, 3})
	if !sameBits(f, []float64{1, 4, 2, 5, 3, 6}) {
		t.Errorf("cToFortran = %v", f)
	}
	if c := fortranToC(f, []int{2, 3}); !sameBits(c, []float64{1, 2, 3, 4, 5, 6}) {
		t.Errorf("fortranToC = %v", c)
	}
}

// npyFile builds a .npy stream with the given header dictionary and payload.
func npyFile(version byte, dict string, payload []byte) []byte {
	b := append([]byte(nil), npyMagic...)
	b = append(b, version, 0)
	if version == 1 {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(dict)))
	} else {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(dict)))
	}
	b = append(b, dict...)
	return append(b, payload...)
}

func TestReadNPYTypes(t *testing.T) {
	be := binary.BigEndian.AppendUint64(nil, math.Float64bits(-2.5))
	f4 := binary.LittleEndian.AppendUint32(nil, math.Float32bits(0.1))
	for _, tc := range []struct {
		descr   string
		payload []byte
		want    []float64
	}{
		{"|u1", []byte{0, 200, 255}, []float64{0, 200, 255}},
		{"|i1", []byte{0xff, 0x80, 1}, []float64{-1, -128, 1}},
		{"|b1", []byte{0, 1, 2}, []float64{0, 1, 1}},
		{"<i2", []byte{0xfe, 0xff, 0, 1, 1, 0}, []float64{-2, 256, 1}},
		{">u2", []byte{0xfe, 0xff, 0, 1, 1, 0}, []float64{65279, 1, 256}},
		{"<i4", []byte{0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0, 0, 0, 0, 0x80}, []float64{-1, 1, math.MinInt32}},
		{"<u8", binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, 1<<53), 7), 0), []float64{1 << 53, 7, 0}},
		{"<i8", binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, math.MaxUint64), 7), 0), []float64{-1, 7, 0}},
		{"<f4", append(append(f4, f4...), f4...), []float64{float64(float32(0.1)), float64(float32(0.1)), float64(float32(0.1))}},
		{">f8", append(append(be, be...), be...), []float64{-2.5, -2.5, -2.5}},
		{"<f2", []byte{0x00, 0x3c, 0x00, 0xc0, 0x01, 0x00}, []float64{1, -2, math.Ldexp(1, -24)}},
	} {
		for _, version := range []byte{1, 2, 3} {
			in := npyFile(version, "{'descr': '"+tc.descr+"', 'fortran_order': False, 'shape': (3,), }     \n", tc.payload)
			a, err := ReadNPY(bytes.NewReader(in))
			if err != nil {
				t.Fatalf("%s v%d: %v", tc.descr, version, err)
			}
			if !sameBits(a.Data, tc.want) {
				t.Errorf("%s v%d: %v, want %v", tc.descr, version, a.Data, tc.want)
			}
		}
	}
}

func TestReadNPYRejects(t *testing.T) {
	dict := func(s string) []byte { return npyFile(1, s, make([]byte, 64)) }
	for _, tc := range []struct {
		name string
		in   []byte
		err  string
	}{
		{"empty", nil, "magic: unexpected EOF"},
		{"bad magic", []byte("\x93NUMPZ\x01\x00\x00\x00"), "bad magic"},
		{"version", []byte("\x93NUMPY\x04\x00\x00\x00"), "format version 4.0"},
		{"truncated header", npyFile(1, "{'descr': '<f8'", nil)[:15], "header: unexpected EOF"},
		{"huge v2 header", []byte("\x93NUMPY\x02\x00\xff\xff\xff\x7f"), "more than the limit"},
		{"complex", dict("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }"), "unsupported"},
		{"structured", dict("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }"), "structured dtypes are not supported"},
		{"object", dict("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }"), "unsupported"},
		{"missing key", dict("{'descr': '<f8', 'shape': (1,), }"), `missing key "fortran_order"`},
		{"unknown key", dict("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}"), `unknown key "x"`},
		{"bad bool", dict("{'descr': '<f8', 'fortran_order': 0, 'shape': (1,), }"), "want True or False"},
		{"negative dim", dict("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }"), "bad dimension"},
		{"1-tuple", dict("{'descr': '<f8', 'fortran_order': False, 'shape': (1), }"), "trailing comma"},
		{"10^12 items", dict("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }"), "more than the limit"},
		{"overflow", dict("{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, 2147483647, 2147483647, 2147483647), }"), "more than the limit"},
		{"truncated payload", dict("{'descr': '<f8', 'fortran_order': False, 'shape': (9,), }"), "unexpected EOF"},
		{"text after", dict("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), } x"), "text after the dictionary"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadNPY(bytes.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("error %v, want one containing %q", err, tc.err)
			}
		})
	}
}

func TestSaveLoadNPY(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.npy")
	m := specialMatrix()
	if err := SaveNPY(path, m); err != nil {
		t.Fatal(err)
	}
	got, err := LoadNPY(path)
	if err != nil {
		t.Fatal(err)
	}
	if !sameBits(got.RawMatrix().Data, specials) {
		t.Errorf("LoadNPY = %v", got.RawMatrix().Data)
	}
	b, _ := os.ReadFile(path)
	writeFile(t, path, append(b, 0))
	if _, err := LoadNPY(path); err == nil || !strings.Contains(err.Error(), "bytes after the array") {
		t.Errorf("trailing byte: %v", err)
	}
	if err := SaveNPY(filepath.Join(t.TempDir(), "no", "such", "dir.npy"), m); err == nil {
		t.Error("SaveNPY into a missing directory: no error")
	}
}

// FuzzReadNPY: any input gives an array or an error, never a panic; what
// parses has as many values as its shape says.
func FuzzReadNPY(f *testing.F) {
	var b bytes.Buffer
	WriteNPY(&b, mat.NewDense(2, 2, []float64{1, 2, 3, 4}))
	f.Add(b.Bytes())
	b.Reset()
	WriteNPYArray(&b, &Array{Shape: []int{2, 1, 2}, Data: []float64{1, 2, 3, 4}}, true)
	f.Add(b.Bytes())
	f.Add(npyFile(2, "{'descr': '|u1', 'fortran_order': False, 'shape': (), }", []byte{7}))
	f.Fuzz(func(t *testing.T, in []byte) {
		a, err := ReadNPYLimit(bytes.NewReader(in), 1<<20)
		if err != nil {
			return
		}
		n := 1
		for _, d := range a.Shape {
			n *= d
		}
		if n != len(a.Data) {
			t.Fatalf("shape %v with %d values", a.Shape, len(a.Data))
		}
	})
}
