package datasets

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"slices"
	"strings"
	"testing"
)

func idxBytes(t testing.TB, m *IDX) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteIDX(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReadIDXRoundTrip(t *testing.T) {
	f32 := binary.BigEndian.AppendUint32(nil, math.Float32bits(-1.5))
	f32 = binary.BigEndian.AppendUint32(f32, math.Float32bits(0.25))
	f64 := binary.BigEndian.AppendUint64(nil, math.Float64bits(math.Pi))
	for _, tc := range []struct {
		name string
		m    *IDX
		want []float64
	}{
		{"uint8", &IDX{Type: IDXUint8, Dims: []int{2, 2}, Data: []byte{0, 1, 128, 255}}, []float64{0, 1, 128, 255}},
		{"int8", &IDX{Type: IDXInt8, Dims: []int{3}, Data: []byte{0xff, 0x80, 0x7f}}, []float64{-1, -128, 127}},
		{"int16", &IDX{Type: IDXInt16, Dims: []int{2}, Data: []byte{0xff, 0xfe, 0x01, 0x00}}, []float64{-2, 256}},
		{"int32", &IDX{Type: IDXInt32, Dims: []int{1}, Data: []byte{0x80, 0, 0, 0}}, []float64{math.MinInt32}},
		{"float32", &IDX{Type: IDXFloat32, Dims: []int{1, 2}, Data: f32}, []float64{-1.5, 0.25}},
		{"float64", &IDX{Type: IDXFloat64, Dims: []int{1, 1, 1}, Data: f64}, []float64{math.Pi}},
		{"empty", &IDX{Type: IDXUint8, Dims: []int{0, 28, 28}, Data: []byte{}}, []float64{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := idxBytes(t, tc.m)
			var zb bytes.Buffer
			zw := gzip.NewWriter(&zb)
			zw.Write(raw)
			zw.Close()
			for _, in := range [][]byte{raw, zb.Bytes()} {
				got, err := ReadIDX(bytes.NewReader(in))
				if err != nil {
					t.Fatal(err)
				}
				if got.Type != tc.m.Type || len(got.Dims) != len(tc.m.Dims) || got.Len() != len(tc.want) {
					t.Fatalf("got %v %v, want %v %v", got.Type, got.Dims, tc.m.Type, tc.m.Dims)
				}
				for i, v := range got.Float64s() {
					if v != tc.want[i] {
						t.Errorf("element %d = %v, want %v", i, v, tc.want[i])
					}
				}
			}
		})
	}
}

func TestReadIDXRejects(t *testing.T) {
	good := idxBytes(t, &IDX{Type: IDXUint8, Dims: []int{2, 3}, Data: []byte{1, 2, 3, 4, 5, 6}})
	huge := []byte{0, 0, 0x08, 3}
	huge = binary.BigEndian.AppendUint32(huge, 1000000) // 10^6 · 10^3 · 10^3 = 10^12 items
	huge = binary.BigEndian.AppendUint32(huge, 1000)
	huge = binary.BigEndian.AppendUint32(huge, 1000)
	emptyHuge := append(slices.Clone(huge[:4]), huge[4:]...)
	emptyHuge[3] = 4
	emptyHuge = binary.BigEndian.AppendUint32(emptyHuge, 0) // empty, yet absurd
	overflow := []byte{0, 0, 0x0E, 4}
	for i := 0; i < 4; i++ {
		overflow = binary.BigEndian.AppendUint32(overflow, math.MaxUint32)
	}
	for _, tc := range []struct {
		name string
		in   []byte
		err  string
	}{
		{"empty", nil, "header: unexpected EOF"},
		{"short header", []byte{0, 0, 8}, "header: unexpected EOF"},
		{"bad magic", []byte{1, 0, 8, 1, 0, 0, 0, 0}, "bad magic"},
		{"bad type", []byte{0, 0, 0x0A, 1, 0, 0, 0, 0}, "unknown element type 0x0a"},
		{"zero dims", []byte{0, 0, 8, 0}, "0 dimensions"},
		{"too many dims", []byte{0, 0, 8, 200}, "200 dimensions"},
		{"truncated dims", []byte{0, 0, 8, 2, 0, 0, 0, 1, 0, 0}, "dimension 1: unexpected EOF"},
		{"10^12 items", huge, "more than the limit"},
		{"overflowing dims", overflow, "more than the limit"},
		{"10^12 items times 0", emptyHuge, "more than the limit"},
		{"truncated payload", good[:len(good)-1], "unexpected EOF"},
		{"trailing bytes", append(good[:len(good):len(good)], 0), "trailing bytes"},
		{"bad gzip", []byte{0x1f, 0x8b, 0, 0}, "gzip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadIDX(bytes.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("error %v, want one containing %q", err, tc.err)
			}
		})
	}
}

// A stream that claims a large (allowed) payload but holds little must cost
// memory in proportion to what it holds.
func TestReadIDXTruncatedLargeClaimAllocatesLittle(t *testing.T) {
	in := []byte{0, 0, 8, 1}
	in = binary.BigEndian.AppendUint32(in, 900<<20) // 900 MiB claimed, under the 1 GiB limit
	in = append(in, make([]byte, 1000)...)
	before := totalAlloc()
	_, err := ReadIDX(bytes.NewReader(in))
	used := totalAlloc() - before
	if err == nil || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("error %v, want a truncation", err)
	}
	if used > 8<<20 {
		t.Errorf("reading a 1 kB stream claiming 900 MiB allocated %d bytes", used)
	}
}

func TestReadIDXLimit(t *testing.T) {
	in := idxBytes(t, &IDX{Type: IDXInt16, Dims: []int{10}, Data: make([]byte, 20)})
	if _, err := ReadIDXLimit(bytes.NewReader(in), 20); err != nil {
		t.Errorf("20 bytes with limit 20: %v", err)
	}
	if _, err := ReadIDXLimit(bytes.NewReader(in), 19); err == nil || !strings.Contains(err.Error(), "limit of 19 bytes") {
		t.Errorf("20 bytes with limit 19: %v", err)
	}
}

func TestWriteIDXRejects(t *testing.T) {
	for _, m := range []*IDX{
		{Type: 0x01, Dims: []int{1}, Data: []byte{0}},
		{Type: IDXUint8, Dims: nil},
		{Type: IDXUint8, Dims: []int{-1}},
		{Type: IDXInt16, Dims: []int{2}, Data: []byte{1, 2}},
	} {
		if err := WriteIDX(io.Discard, m); err == nil {
			t.Errorf("WriteIDX(%v %v, %d bytes): no error", m.Type, m.Dims, len(m.Data))
		}
	}
}

// FuzzReadIDX: any input gives an array or an error, never a panic or an
// allocation beyond the input's size; what parses writes back identically.
func FuzzReadIDX(f *testing.F) {
	f.Add([]byte{0, 0, 8, 1, 0, 0, 0, 2, 7, 9})
	f.Add([]byte{0, 0, 0x0E, 2, 0, 0, 0, 1, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Add([]byte{0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4})
	f.Add([]byte{0, 0, 8, 1, 0xff, 0xff, 0xff, 0xff})
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write([]byte{0, 0, 9, 1, 0, 0, 0, 3, 1, 2, 3})
	zw.Close()
	f.Add(zb.Bytes())
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := ReadIDXLimit(bytes.NewReader(in), 1<<20)
		if err != nil {
			return
		}
		if len(m.Data) != m.Len()*m.Type.Size() {
			t.Fatalf("%d data bytes for dims %v of %v", len(m.Data), m.Dims, m.Type)
		}
		for i := 0; i < m.Len(); i++ {
			m.At(i)
		}
		var out bytes.Buffer
		if err := WriteIDX(&out, m); err != nil {
			t.Fatal(err)
		}
		back, err := ReadIDX(&out)
		if err != nil || back.Type != m.Type || !bytes.Equal(back.Data, m.Data) {
			t.Fatalf("round trip: %v", err)
		}
	})
}
