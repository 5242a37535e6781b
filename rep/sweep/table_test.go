package sweep_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/repgeom/repgeom/rep/sweep"
)

type toy struct {
	A    float64 `json:"a"`
	Kind string  `json:"kind"`
	Seed uint64  `json:"seed"`
}

// toyModel returns a + replicate-dependent noise, special values for
// a = 3 (NaN), a = 4 (+Inf), and a three-epoch series.
var toyModel = sweep.Define("toy", func(ctx context.Context, c *toy) (sweep.Result, error) {
	v := c.A + float64(c.Seed%1000)/1000
	switch c.A {
	case 3:
		v = math.NaN()
	case 4:
		v = math.Inf(1)
	}
	return sweep.Result{
		Metrics: map[string]float64{"v": v, "double": 2 * c.A},
		Epochs:  []int{0, 10, 20},
		Series:  map[string][]float64{"loss": {c.A, c.A / 2, c.A / 4}},
	}, nil
}).SeedPaths("seed")

func toyResults(t *testing.T, as ...float64) *sweep.Results {
	t.Helper()
	sw, err := sweep.New(toyModel, toy{Kind: "x"}).Axis("a", as).Axis("kind", []string{"p", "q"}).Seeds(3).Build()
	if err != nil {
		t.Fatal(err)
	}
	res, err := sw.Local().Store(t.TempDir()).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestTableColumnsAndSummary(t *testing.T) {
	res := toyResults(t, 1, 2)
	tb := res.Table()
	want := []string{"point", "a", "kind", "replicate", "seed", "status", "double", "v", "error"}
	if !slices.Equal(tb.Columns(), want) {
		t.Fatalf("columns %v, want %v", tb.Columns(), want)
	}
	if !slices.Equal(tb.Axes(), []string{"a", "kind"}) || !slices.Equal(tb.Metrics(), []string{"double", "v"}) {
		t.Fatalf("axes %v metrics %v", tb.Axes(), tb.Metrics())
	}
	for name, k := range map[string]sweep.Kind{"point": sweep.IntColumn, "a": sweep.FloatColumn, "kind": sweep.StringColumn, "v": sweep.FloatColumn} {
		if got, _ := tb.Kind(name); got != k {
			t.Errorf("column %s is %v, want %v", name, got, k)
		}
	}
	if tb.Len() != 12 {
		t.Fatalf("%d rows", tb.Len())
	}
	point, _ := tb.Ints("point")
	kind, _ := tb.Strings("kind")
	rep, _ := tb.Ints("replicate")
	for r := range point {
		// First axis slowest, replicate fastest.
		if point[r] != int64(r) || rep[r] != int64(r%3) || kind[r] != []string{"p", "q"}[r/3%2] {
			t.Fatalf("row %d: point %d replicate %d kind %s", r, point[r], rep[r], kind[r])
		}
	}

	sum, err := tb.MeanSD()
	if err != nil {
		t.Fatal(err)
	}
	wantCols := []string{"a", "kind", "double_mean", "double_sd", "double_n", "v_mean", "v_sd", "v_n"}
	if !slices.Equal(sum.Columns(), wantCols) || sum.Len() != 4 {
		t.Fatalf("summary %v", sum)
	}
	// Check one group against a direct computation (sd with n − 1).
	q, _ := tb.Where("a", 2)
	q, _ = q.Where("kind", "q")
	v, _ := q.Floats("v")
	mean := (v[0] + v[1] + v[2]) / 3
	sd := math.Sqrt(((v[0]-mean)*(v[0]-mean) + (v[1]-mean)*(v[1]-mean) + (v[2]-mean)*(v[2]-mean)) / 2)
	g, _ := sum.Where("a", 2.0)
	g, _ = g.Where("kind", "q")
	gm, _ := g.Floats("v_mean")
	gs, _ := g.Floats("v_sd")
	if g.Len() != 1 || math.Abs(gm[0]-mean) > 1e-15 || math.Abs(gs[0]-sd) > 1e-15 {
		t.Fatalf("group a=2 kind=q: mean %v sd %v, want %v %v", gm, gs, mean, sd)
	}
	dm, _ := g.Floats("double_sd")
	if dm[0] != 0 {
		t.Fatalf("sd of a constant is %v", dm[0])
	}
	if _, err := tb.Where("kind", 1); err == nil {
		t.Error("Where with a number on a text column")
	}
	if _, err := tb.Floats("kind"); err == nil {
		t.Error("Floats of a text column")
	}
	if _, err := tb.Summarize([]string{"nope"}); err == nil {
		t.Error("Summarize by an unknown column")
	}
	if !strings.Contains(tb.String(), "(12 rows × 9 columns)") {
		t.Errorf("String:\n%s", tb)
	}
	var h bytes.Buffer
	if err := tb.WriteHTML(&h); err != nil || !strings.Contains(h.String(), "<th>kind</th>") {
		t.Errorf("WriteHTML: %v\n%s", err, h.String())
	}
}

func TestTableNonFinite(t *testing.T) {
	res := toyResults(t, 3, 4)
	tb := res.Table()
	var c bytes.Buffer
	if err := tb.WriteCSV(&c); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(c.String(), "\n")
	// a=3: v is NaN (empty cell); a=4: +Inf.
	if !strings.HasSuffix(lines[1], ",ok,6,,") || !strings.HasSuffix(lines[7], ",ok,8,inf,") {
		t.Fatalf("CSV rows:\n%s\n%s", lines[1], lines[7])
	}
	var j bytes.Buffer
	if err := tb.WriteJSON(&j); err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal(j.Bytes(), &rows); err != nil {
		t.Fatalf("%v\n%s", err, j.String())
	}
	if len(rows) != 12 || rows[0]["v"] != nil || rows[6]["v"] != nil || rows[0]["kind"] != "p" || rows[0]["double"] != 6.0 {
		t.Fatalf("JSON rows %v / %v", rows[0], rows[6])
	}
	// The store keeps NaN and Inf exactly.
	loaded, err := res.Sweep().Load(storeOf(t, res))
	if err != nil {
		t.Fatal(err)
	}
	sameTable(t, loaded.Table(), tb)
}

// storeOf runs the results' sweep again into a fresh store and returns it.
func storeOf(t *testing.T, res *sweep.Results) string {
	dir := t.TempDir()
	if _, err := res.Sweep().Local().Store(dir).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestEpochTable(t *testing.T) {
	res := toyResults(t, 1, 2)
	et := res.EpochTable()
	want := []string{"point", "a", "kind", "replicate", "seed", "status", "epoch", "loss"}
	if !slices.Equal(et.Columns(), want) || et.Len() != 36 {
		t.Fatalf("epoch table %v, %d rows", et.Columns(), et.Len())
	}
	s, err := et.MeanSD("loss")
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 12 || !slices.Contains(s.Columns(), "epoch") {
		t.Fatalf("epoch summary:\n%v", s)
	}
	ep, _ := s.Ints("epoch")
	loss, _ := s.Floats("loss_mean")
	if ep[2] != 20 || loss[2] != 0.25 {
		t.Fatalf("row 2: epoch %d loss %v", ep[2], loss[2])
	}
	timed := res.TableOf(sweep.TableOptions{Timing: true})
	secs, err := timed.Floats("seconds")
	if err != nil || len(secs) != 12 || secs[0] < 0 {
		t.Fatalf("seconds: %v %v", secs, err)
	}
}

func TestLinspaceLogspace(t *testing.T) {
	if l := sweep.Linspace(0, 1, 21); len(l) != 21 || l[0] != 0 || l[20] != 1 || math.Abs(l[7]-0.35) > 1e-15 {
		t.Fatalf("Linspace(0, 1, 21) = %v", l)
	}
	if l := sweep.Linspace(3, 5, 1); !slices.Equal(l, []float64{3}) {
		t.Fatalf("Linspace(3, 5, 1) = %v", l)
	}
	if sweep.Linspace(0, 1, 0) != nil || sweep.Logspace(-1, 1, 3) != nil {
		t.Fatal("bad arguments give values")
	}
	l := sweep.Logspace(0.125, 8, 7)
	for i, v := range l {
		if want := 0.125 * math.Pow(2, float64(i)); math.Abs(v-want) > 1e-14*want {
			t.Fatalf("Logspace(0.125, 8, 7) = %v", l)
		}
	}
}

func TestResultJSONRoundTrip(t *testing.T) {
	in := sweep.Result{
		Metrics: map[string]float64{"a": math.NaN(), "b": math.Inf(-1), "c": 0.1 + 0.2, "d": math.SmallestNonzeroFloat64},
		Epochs:  []int{0, 5},
		Series:  map[string][]float64{"s": {math.Inf(1), -0.0}},
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out sweep.Result
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	for k, v := range in.Metrics {
		if w := out.Metrics[k]; math.Float64bits(w) != math.Float64bits(v) && !(math.IsNaN(v) && math.IsNaN(w)) {
			t.Errorf("%s: %v → %v", k, v, w)
		}
	}
	if !math.IsInf(out.Series["s"][0], 1) || !slices.Equal(out.Epochs, in.Epochs) {
		t.Errorf("series %v epochs %v", out.Series, out.Epochs)
	}
	if err := json.Unmarshal([]byte(`{"metrics":{"a":"many"}}`), &out); err == nil {
		t.Error("a string metric decoded")
	}
}
