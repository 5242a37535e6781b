package datasets

import (
	"encoding/hex"
	"encoding/json"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/repgeom/repgeom/rep"
)

// debianPython is the Python with Debian's numpy and pandas; the pyenv
// python3 first on PATH does not see them.
const debianPython = "/usr/bin/python3"

// python runs a script with Debian's Python and returns its standard
// output. It skips the test when numpy or pandas is missing, unless
// REPGEOM_REQUIRE_PYTHON=1 (CI runs docker/setup-python.sh and sets it).
func python(t *testing.T, script string, args ...string) string {
	t.Helper()
	if err := exec.Command(debianPython, "-c", "import numpy, pandas").Run(); err != nil {
		if os.Getenv("REPGEOM_REQUIRE_PYTHON") == "1" {
			t.Fatalf("%s with numpy and pandas is required (REPGEOM_REQUIRE_PYTHON=1; run docker/setup-python.sh): %v", debianPython, err)
		}
		t.Skipf("%s with numpy and pandas not available (docker/setup-python.sh installs them): %v", debianPython, err)
	}
	cmd := exec.Command(debianPython, append([]string{"-c", script}, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.String())
	}
	return string(out)
}

// f64Hex decodes the hex of little-endian float64 values (numpy's
// a.astype('<f8').tobytes().hex()).
func f64Hex(t *testing.T, s string) []float64 {
	t.Helper()
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b)%8 != 0 {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	out := make([]float64, len(b)/8)
	for i := range out {
		out[i] = math.Float64frombits(uint64(b[8*i]) | uint64(b[8*i+1])<<8 | uint64(b[8*i+2])<<16 | uint64(b[8*i+3])<<24 |
			uint64(b[8*i+4])<<32 | uint64(b[8*i+5])<<40 | uint64(b[8*i+6])<<48 | uint64(b[8*i+7])<<56)
	}
	return out
}

// Acceptance 4: .npy files written by Go load in NumPy with identical
// values (bit for bit, NaN included), in C and Fortran order.
func TestNPYGoToNumPy(t *testing.T) {
	dir := t.TempDir()
	m := specialMatrix()
	c := filepath.Join(dir, "c.npy")
	f := filepath.Join(dir, "f.npy")
	v := filepath.Join(dir, "v.npy")
	if err := SaveNPY(c, m); err != nil {
		t.Fatal(err)
	}
	var fa = &Array{Shape: []int{2, 8}, Data: specials}
	if err := writeFileAtomicNPY(f, fa, true); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomicNPY(v, &Array{Shape: []int{16}, Data: specials}, false); err != nil {
		t.Fatal(err)
	}
	out := python(t, `
import sys, numpy as np
for path in sys.argv[1:]:
    a = np.load(path)
    assert a.dtype == np.float64, a.dtype
    print(a.shape, a.flags['F_CONTIGUOUS'] and a.ndim > 1, np.ascontiguousarray(a).tobytes().hex())
`, c, f, v)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("python printed %q", out)
	}
	for i, want := range []string{"(4, 4) False ", "(2, 8) True ", "(16,) False "} {
		if !strings.HasPrefix(lines[i], want) {
			t.Errorf("file %d: numpy says %q, want prefix %q", i, lines[i], want)
		}
		fields := strings.Fields(lines[i])
		if got := f64Hex(t, fields[len(fields)-1]); !sameBits(got, specials) {
			t.Errorf("file %d: numpy read %v, want %v", i, got, specials)
		}
	}
}

func writeFileAtomicNPY(path string, a *Array, fortran bool) error {
	return writeFileAtomic(path, func(w io.Writer) error { return WriteNPYArray(w, a, fortran) })
}

// Acceptance 4: .npy files written by NumPy (np.save) load in Go with
// identical values, for every supported dtype, byte order and layout.
func TestNPYNumPyToGo(t *testing.T) {
	dir := t.TempDir()
	out := python(t, `
import sys, os, numpy as np
d = sys.argv[1]
base = np.array([[0.0, -0.0, 1.5, np.pi], [1/3, 5e-324, np.inf, -np.inf], [np.nan, 1e308, -7e22, 2.0**53 + 2]])
cases = {
    'f8_c': base,
    'f8_f': np.asfortranarray(base),
    'f8_big': base.astype('>f8'),
    'f4': base.astype(np.float32),
    'f2': np.array([1.0, -2.0, 0.5, 65504.0], dtype=np.float16),
    'i8': np.array([[-(2**62), 7], [0, 2**53]], dtype=np.int64),
    'i4_f': np.asfortranarray(np.arange(24, dtype=np.int32).reshape(2, 3, 4) - 12),
    'i2': np.array([-32768, 32767], dtype=np.int16),
    'i1': np.array([-128, 127], dtype=np.int8),
    'u1': (np.arange(784) % 256).astype(np.uint8).reshape(28, 28),
    'u2': np.array([65535], dtype=np.uint16),
    'u4': np.array([4294967295], dtype=np.uint32),
    'u8': np.array([2**63], dtype=np.uint64),
    'b1': np.array([True, False, True]),
    'scalar': np.float64(2.5),
    'empty': np.zeros((0, 3)),
}
for name, a in cases.items():
    np.save(os.path.join(d, name + '.npy'), a)
    a = np.asarray(a)
    print(name, ','.join(map(str, a.shape)), np.ascontiguousarray(a, dtype='<f8').tobytes().hex())
`, dir)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 16 {
		t.Fatalf("python printed %q", out)
	}
	for _, line := range lines {
		fields := strings.Split(line, " ")
		name, shape := fields[0], fields[1]
		want := []float64{}
		if len(fields) > 2 && fields[2] != "" {
			want = f64Hex(t, fields[2])
		}
		fh, err := os.Open(filepath.Join(dir, name+".npy"))
		if err != nil {
			t.Fatal(err)
		}
		a, err := ReadNPY(fh)
		fh.Close()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var dims []string
		for _, d := range a.Shape {
			dims = append(dims, itoa(d))
		}
		if got := strings.Join(dims, ","); got != shape {
			t.Errorf("%s: shape %s, numpy says %s", name, got, shape)
		}
		if !sameBits(a.Data, want) {
			t.Errorf("%s: Go read %v, numpy has %v", name, a.Data, want)
		}
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// Matrices as CSV, histories and tables as CSV and JSON: pandas reads what
// Go writes, with the same columns and the same values — bit for bit with
// read_csv(float_precision='round_trip') and read_json(precise_float=True);
// pandas' default float parsers may be 1 ulp off (seen: 123456789.12345679
// read as 123456789.1234568).
func TestPandasReadsCSVAndJSON(t *testing.T) {
	dir := t.TempDir()
	m := specialMatrix()
	matPath := filepath.Join(dir, "m.csv")
	if err := SaveCSV(matPath, m, []string{"a", "b", "c", "d"}); err != nil {
		t.Fatal(err)
	}
	h := &rep.History{
		Epochs:    []int{0, 10, 20},
		Losses:    []float64{1.5, 0.12345678901234566, math.NaN()},
		GradNorms: []float64{2, 1e-9, math.Inf(1)},
		Metrics:   map[string][]float64{"ps": {0.1, 0.2, 0.3}, "ccgp": {0.5, 0.75}},
	}
	hist := HistoryTable(h)
	if err := hist.Save(filepath.Join(dir, "h.csv")); err != nil {
		t.Fatal(err)
	}
	if err := hist.Save(filepath.Join(dir, "h.json")); err != nil {
		t.Fatal(err)
	}
	type row struct {
		Activation rep.Activation `json:"activation"`
		Width      int            `json:"width"`
		PS         float64        `json:"ps"`
		Whitened   bool           `json:"whitened"`
		Note       string         `json:"note"`
		hidden     int
	}
	sweep, err := TableOf([]row{{rep.ReLU, 100, 0.93, true, `a "quoted", text`, 1}, {rep.Tanh, 200, math.NaN(), false, "", 2}})
	if err != nil {
		t.Fatal(err)
	}
	if err := sweep.Save(filepath.Join(dir, "s.csv")); err != nil {
		t.Fatal(err)
	}
	if err := sweep.Save(filepath.Join(dir, "s.json")); err != nil {
		t.Fatal(err)
	}
	out := python(t, `
import sys, os, json, numpy as np, pandas as pd
d = sys.argv[1]
def desc(df):
    cols = {}
    for c in df.columns:
        s = df[c]
        if s.dtype.kind in 'fi':
            cols[c] = [str(s.dtype), s.to_numpy(dtype='<f8').tobytes().hex()]
        else:
            cols[c] = [str(s.dtype), [None if (isinstance(v, float) and np.isnan(v)) else v for v in s.tolist()]]
    return {'columns': list(df.columns), 'data': cols}
res = {
    'm': desc(pd.read_csv(os.path.join(d, 'm.csv'), float_precision='round_trip')),
    'h_csv': desc(pd.read_csv(os.path.join(d, 'h.csv'), float_precision='round_trip')),
    'h_json': desc(pd.read_json(os.path.join(d, 'h.json'), precise_float=True)),
    's_csv': desc(pd.read_csv(os.path.join(d, 's.csv'), float_precision='round_trip')),
    's_json': desc(pd.read_json(os.path.join(d, 's.json'), precise_float=True)),
}
print(json.dumps(res))
`, dir)
	var res map[string]struct {
		Columns []string
		Data    map[string][2]json.RawMessage
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	num := func(frame, col string) []float64 {
		raw := res[frame].Data[col][1]
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatalf("%s.%s is not numeric in pandas: %s %s", frame, col, res[frame].Data[col][0], raw)
		}
		return f64Hex(t, s)
	}
	strs := func(frame, col string) string {
		var v []any
		if err := json.Unmarshal(res[frame].Data[col][1], &v); err != nil {
			t.Fatalf("%s.%s: %v", frame, col, err)
		}
		b, _ := json.Marshal(v)
		return string(b)
	}
	cols := func(frame string) string { return strings.Join(res[frame].Columns, ",") }

	// The matrix: every value exact (NaN compared as NaN).
	if cols("m") != "a,b,c,d" {
		t.Errorf("matrix columns %s", cols("m"))
	}
	for j, c := range []string{"a", "b", "c", "d"} {
		got := num("m", c)
		for i, v := range got {
			want := m.At(i, j)
			if !(v == want && math.Signbit(v) == math.Signbit(want)) && !(math.IsNaN(v) && math.IsNaN(want)) {
				t.Errorf("matrix[%d,%d]: pandas read %v, want %v", i, j, v, want)
			}
		}
	}
	// The history: the same frame from CSV and JSON, except JSON's Inf → NaN.
	for _, frame := range []string{"h_csv", "h_json"} {
		if cols(frame) != "epoch,loss,gradNorm,ccgp,ps" {
			t.Errorf("%s columns %s", frame, cols(frame))
		}
		if got := num(frame, "epoch"); !sameBits(got, []float64{0, 10, 20}) {
			t.Errorf("%s epochs %v", frame, got)
		}
		loss := num(frame, "loss")
		if loss[0] != 1.5 || loss[1] != 0.12345678901234566 || !math.IsNaN(loss[2]) {
			t.Errorf("%s loss %v", frame, loss)
		}
		ccgp := num(frame, "ccgp")
		if ccgp[1] != 0.75 || !math.IsNaN(ccgp[2]) {
			t.Errorf("%s ccgp %v (the missing third value must be NaN)", frame, ccgp)
		}
		grad := num(frame, "gradNorm")
		if wantInf := frame == "h_csv"; grad[1] != 1e-9 || (wantInf && !math.IsInf(grad[2], 1)) || (!wantInf && !math.IsNaN(grad[2])) {
			t.Errorf("%s gradNorm %v", frame, grad)
		}
	}
	// The sweep table: strings, ints, floats and bools typed as pandas types them.
	for _, frame := range []string{"s_csv", "s_json"} {
		if cols(frame) != "activation,width,ps,whitened,note" {
			t.Errorf("%s columns %s", frame, cols(frame))
		}
		if got := strs(frame, "activation"); got != `["relu","tanh"]` {
			t.Errorf("%s activation %s", frame, got)
		}
		if got := num(frame, "width"); !sameBits(got, []float64{100, 200}) || string(res[frame].Data["width"][0]) != `"int64"` {
			t.Errorf("%s width %v %s", frame, got, res[frame].Data["width"][0])
		}
		if ps := num(frame, "ps"); ps[0] != 0.93 || !math.IsNaN(ps[1]) {
			t.Errorf("%s ps %v", frame, ps)
		}
		if got := string(res[frame].Data["whitened"][0]); got != `"bool"` {
			t.Errorf("%s whitened has dtype %s, want bool", frame, got)
		}
		if got := strs(frame, "note"); !strings.HasPrefix(got, `["a \"quoted\", text",`) {
			t.Errorf("%s note %s", frame, got)
		}
	}
}
