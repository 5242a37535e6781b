package datasets

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/rep"
)

func TestCSVRoundTrip(t *testing.T) {
	m := specialMatrix()
	var b bytes.Buffer
	if err := WriteCSV(&b, m, []string{"a", "b", "c", "d"}); err != nil {
		t.Fatal(err)
	}
	got, header, err := ReadCSV(&b)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(header, ",") != "a,b,c,d" {
		t.Errorf("header %v", header)
	}
	// NaN comes back as NaN (its payload is not kept); everything else bit for bit.
	for i, v := range got.RawMatrix().Data {
		if math.Float64bits(v) != math.Float64bits(specials[i]) && !(math.IsNaN(v) && math.IsNaN(specials[i])) {
			t.Errorf("value %d: %v, want %v", i, v, specials[i])
		}
	}
	// No header; empty fields are NaN.
	got, header, err = ReadCSV(strings.NewReader("1,2\n3,\n"))
	if err != nil || header != nil || got.At(1, 0) != 3 || !math.IsNaN(got.At(1, 1)) {
		t.Errorf("got %v %v %v", got, header, err)
	}
	for _, tc := range []struct{ in, want string }{
		{"a,b\n", "no data rows"},
		{"1,2\n3,x\n", `line 2, column 2: "x" is not a number`},
		{"1,2\n3\n", "wrong number of fields"},
	} {
		if _, _, err := ReadCSV(strings.NewReader(tc.in)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want one containing %q", tc.in, err, tc.want)
		}
	}
	if err := WriteCSV(&b, m, []string{"a"}); err == nil {
		t.Error("1 header name for 4 columns: no error")
	}
}

func TestHistoryTable(t *testing.T) {
	h := &rep.History{Epochs: []int{0, 5}, Losses: []float64{2, 1}, Metrics: map[string][]float64{"b": {1, 2}, "a": {3}}}
	tab := HistoryTable(h)
	if got := strings.Join(tab.Columns, ","); got != "epoch,loss,a,b" {
		t.Errorf("columns %s (no gradNorm when none were recorded; metrics sorted)", got)
	}
	var b bytes.Buffer
	if err := tab.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	if want := "epoch,loss,a,b\n0,2,3,1\n5,1,,2\n"; b.String() != want {
		t.Errorf("CSV %q, want %q", b.String(), want)
	}
	b.Reset()
	if err := tab.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if want := "[\n{\"epoch\": 0, \"loss\": 2, \"a\": 3, \"b\": 1},\n{\"epoch\": 5, \"loss\": 1, \"a\": null, \"b\": 2}\n]\n"; b.String() != want {
		t.Errorf("JSON %q, want %q", b.String(), want)
	}
}

func TestTableErrors(t *testing.T) {
	if _, err := TableOf(3); err == nil || !strings.Contains(err.Error(), "want a slice of structs") {
		t.Errorf("TableOf(3): %v", err)
	}
	if _, err := TableOf([]*struct{ A int }{nil}); err == nil || !strings.Contains(err.Error(), "record 0 is nil") {
		t.Errorf("nil record: %v", err)
	}
	type r struct {
		A int `json:"-"`
		B []int
		C *mat.Dense `json:"c,omitempty"`
	}
	tab, err := TableOf([]r{{1, []int{1, 2}, nil}})
	if err != nil || strings.Join(tab.Columns, ",") != "B,c" || tab.Rows[0][0] != "[1,2]" || tab.Rows[0][1] != "null" {
		t.Errorf("TableOf: %v %v", tab, err)
	}
	bad := &Table{Columns: []string{"a"}, Rows: [][]any{{1, 2}}}
	if err := bad.WriteCSV(&bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "row 0 has 2 cells for 1 columns") {
		t.Errorf("ragged: %v", err)
	}
	bad = &Table{Columns: []string{"a"}, Rows: [][]any{{[]int{1}}}}
	if err := bad.WriteJSON(&bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "cell of type []int") {
		t.Errorf("bad cell: %v", err)
	}
	if err := (&Table{}).Save("x.txt"); err == nil || !strings.Contains(err.Error(), "must be .csv or .json") {
		t.Errorf("bad extension: %v", err)
	}
}
