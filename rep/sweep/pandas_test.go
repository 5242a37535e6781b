package sweep_test

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/repgeom/repgeom/rep/sweep"
)

// requirePandas returns Debian's python3 when it imports pandas; it skips
// the test otherwise, unless REPGEOM_REQUIRE_PYTHON=1 (CI runs
// docker/setup-python.sh first), which makes that a failure.
func requirePandas(t *testing.T) string {
	t.Helper()
	py := "/usr/bin/python3"
	err := exec.Command(py, "-c", "import pandas").Run()
	if err == nil {
		return py
	}
	if os.Getenv("REPGEOM_REQUIRE_PYTHON") == "1" {
		t.Fatalf("REPGEOM_REQUIRE_PYTHON=1 but %s cannot import pandas: %v (run docker/setup-python.sh)", py, err)
	}
	t.Skipf("%s cannot import pandas (run docker/setup-python.sh): %v", py, err)
	return ""
}

// pandasScript reads the CSV and JSON exports with pandas and prints what
// it sees: columns, dtypes, and every value of the numeric columns (NaN as
// null) with repr's round-trip precision.
const pandasScript = `
import json, math, sys
import pandas as pd
out = {}
for kind, path in (("csv", sys.argv[1]), ("json", sys.argv[2])):
    if kind == "csv":
        df = pd.read_csv(path, float_precision="round_trip", keep_default_na=False, na_values=[""])
    else:
        df = pd.read_json(path, orient="records", dtype=False, precise_float=True)
    cols = {}
    for c in df.columns:
        s = df[c]
        if pd.api.types.is_numeric_dtype(s):
            cols[c] = [None if (isinstance(v, float) and math.isnan(v)) else (float(v) if isinstance(v, float) else int(v)) for v in s.tolist()]
        else:
            # An empty cell (no error) is missing to pandas: NaN.
            cols[c] = ["" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in s.tolist()]
    out[kind] = {"columns": list(df.columns), "dtypes": {c: str(t) for c, t in df.dtypes.items()}, "values": cols, "rows": len(df)}
# The summary pandas computes itself, to compare with Table.MeanSD.
df = pd.read_csv(sys.argv[1], float_precision="round_trip", keep_default_na=False, na_values=[""])
ok = df[df["status"] == "ok"]
g = ok.groupby(["network.activation.name", "training.lr"], sort=False)["loss"].agg(["mean", "std", "count"]).reset_index()
out["summary"] = {"mean": g["mean"].tolist(), "std": [None if math.isnan(v) else v for v in g["std"].tolist()], "count": [int(v) for v in g["count"].tolist()]}
print(json.dumps(out))
`

// TestSweepCSVLoadsInPandas: acceptance 4. The CSV (and JSON) export of a
// results table loads in pandas with the documented columns and types,
// every float read back bit for bit (failed points as NaN), and pandas'
// own groupby mean/std agrees with Table.MeanSD.
func TestSweepCSVLoadsInPandas(t *testing.T) {
	py := requirePandas(t)
	sw, err := sweep.New(sweep.RepModel, testConfig(t)).
		Axis("network.activation.name", []string{"tanh", "relu"}).
		Axis("training.lr", []float64{0.05, 5000}). // lr = 5000 diverges: failed rows
		Seeds(3).Build()
	if err != nil {
		t.Fatal(err)
	}
	res, err := sw.Local().Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tb := res.Table()
	if len(res.Failed()) != 6 {
		t.Fatalf("want the 6 points with lr = 5000 failed: %v", res)
	}
	dir := t.TempDir()
	csvPath, jsonPath := filepath.Join(dir, "t.csv"), filepath.Join(dir, "t.json")
	for path, write := range map[string]func(*os.File) error{
		csvPath:  func(f *os.File) error { return tb.WriteCSV(f) },
		jsonPath: func(f *os.File) error { return tb.WriteJSON(f) },
	} {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := write(f); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	out, err := exec.Command(py, "-c", pandasScript, csvPath, jsonPath).CombinedOutput()
	if err != nil {
		t.Fatalf("pandas: %v\n%s", err, out)
	}
	type frame struct {
		Columns []string
		Dtypes  map[string]string
		Values  map[string][]any
		Rows    int
	}
	var got struct {
		CSV, JSON frame
		Summary   struct {
			Mean, Std []*float64
			Count     []int
		}
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}

	wantCols := []string{"point", "network.activation.name", "training.lr", "replicate", "seed", "status",
		"accuracy", "loss", "pr", "ps", "ps_0", "ps_1", "ps_2", "target_alignment", "error"}
	if !slices.Equal(tb.Columns(), wantCols) {
		t.Fatalf("Go columns %v, documented %v", tb.Columns(), wantCols)
	}
	for kind, f := range map[string]frame{"csv": got.CSV, "json": got.JSON} {
		if !slices.Equal(f.Columns, wantCols) || f.Rows != tb.Len() {
			t.Fatalf("%s: pandas sees %d rows of %v", kind, f.Rows, f.Columns)
		}
		for c, want := range map[string]string{"point": "int64", "replicate": "int64", "seed": "int64",
			"training.lr": "float64", "loss": "float64", "ps": "float64", "status": "object", "network.activation.name": "object"} {
			if f.Dtypes[c] != want {
				t.Errorf("%s: column %s has dtype %s, want %s", kind, c, f.Dtypes[c], want)
			}
		}
		for _, c := range wantCols {
			k, _ := tb.Kind(c)
			if k == sweep.StringColumn {
				want, _ := tb.Strings(c)
				for r, v := range f.Values[c] {
					if v.(string) != want[r] {
						t.Errorf("%s: %s[%d] = %q, want %q", kind, c, r, v, want[r])
					}
				}
				continue
			}
			want, _ := tb.Floats(c)
			for r, v := range f.Values[c] {
				if v == nil {
					if !math.IsNaN(want[r]) {
						t.Errorf("%s: %s[%d] is NaN in pandas, %v in Go", kind, c, r, want[r])
					}
					continue
				}
				if x := v.(float64); math.Float64bits(x) != math.Float64bits(want[r]) {
					t.Errorf("%s: %s[%d] = %v in pandas, %v in Go", kind, c, r, x, want[r])
				}
			}
		}
	}

	sum, err := tb.MeanSD("loss")
	if err != nil {
		t.Fatal(err)
	}
	mean, _ := sum.Floats("loss_mean")
	sd, _ := sum.Floats("loss_sd")
	n, _ := sum.Ints("loss_n")
	// pandas drops the groups without ok rows; ours report n = 0.
	var gm, gs []float64
	var gn []int
	for g := range mean {
		if n[g] > 0 {
			gm, gs, gn = append(gm, mean[g]), append(gs, sd[g]), append(gn, int(n[g]))
		}
	}
	if len(got.Summary.Mean) != len(gm) || !slices.Equal(got.Summary.Count, gn) {
		t.Fatalf("pandas groups %v (counts %v), ours %v (counts %v)", got.Summary.Mean, got.Summary.Count, gm, gn)
	}
	for g := range gm {
		// 1e-12: pandas sums in another order.
		if m := *got.Summary.Mean[g]; math.Abs(m-gm[g]) > 1e-12*math.Abs(m) {
			t.Errorf("group %d: mean %v in pandas, %v here", g, m, gm[g])
		}
		if s := *got.Summary.Std[g]; math.Abs(s-gs[g]) > 1e-9*math.Abs(s) {
			t.Errorf("group %d: std %v in pandas, %v here", g, s, gs[g])
		}
	}
}
