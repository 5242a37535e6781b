package plotting

import (
	"bytes"
	"encoding/json"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/rep"
)

var nan = math.NaN()

// TestBadInput: every bad input gives an error naming what is wrong, from
// every terminal verb, and nothing panics.
func TestBadInput(t *testing.T) {
	ok := []float64{1, 2, 3}
	cases := []struct {
		name string
		v    any
		want string
	}{
		{"empty series", NewPlot("p").Line("a", nil, nil), `Plot.Line("a"): empty series`},
		{"mismatched lengths", NewPlot("p").Line("a", []float64{1, 2}, ok), `len(x) = 2 but len(y) = 3`},
		{"all NaN", NewPlot("p").Line("a", nil, []float64{nan, nan}), `every value is NaN`},
		{"scatter mismatch", NewPlot("p").Scatter("s", ok, []float64{1}), `Plot.Scatter("s"): len(x) = 3 but len(y) = 1`},
		{"color mismatch", NewPlot("p").ColorScatter("c", ok, ok, []float64{1}), `len(c) = 1 but len(y) = 3`},
		{"color all NaN", NewPlot("p").ColorScatter("c", ok, ok, []float64{nan, nan, nan}), `every color value is NaN`},
		{"band no runs", NewPlot("p").Band("b", nil, nil), `Plot.Band("b"): no runs`},
		{"band ragged", NewPlot("p").Band("b", nil, [][]float64{{1, 2}, {1}}), `run 1 has 1 values but run 0 has 2`},
		{"band x mismatch", NewPlot("p").Band("b", []float64{1}, [][]float64{{1, 2}}), `len(x) = 1 but len(y) = 2`},
		{"negative sd", NewPlot("p").MeanSD("m", nil, ok, []float64{1, -1, 1}), `sd[1] = -1: must be ≥ 0`},
		{"non-square kernel", NewPlot("p").Kernel(mat.NewDense(2, 3, nil)), `a kernel must be square, got 2×3`},
		{"nil kernel", NewPlot("p").Kernel(nil), `Plot.Kernel: nil matrix`},
		{"NaN heatmap", NewPlot("p").Heatmap(mat.NewDense(1, 2, []float64{nan, nan})), `every entry is NaN`},
		{"grid shape", NewPlot("p").Grid(ok, []float64{1}, mat.NewDense(2, 3, nil)), `z is 2×3 but len(ys) = 1, len(xs) = 3`},
		{"grid NaN axis", NewPlot("p").Grid([]float64{nan}, []float64{1}, mat.NewDense(1, 1, nil)), `xs and ys must be finite`},
		{"bars mismatch", NewPlot("p").Bars("b", []string{"x"}, ok, nil), `len(values) = 3 but len(categories) = 1`},
		{"bars errs", NewPlot("p").Bars("b", []string{"x"}, []float64{1}, []float64{1, 2}), `len(errs) = 2 but len(values) = 1`},
		{"bars categories differ", NewPlot("p").Bars("a", []string{"x"}, []float64{1}, nil).Bars("b", []string{"y"}, []float64{1}, nil), `categories ["y"] differ`},
		{"mixed families", NewPlot("p").Line("a", nil, ok).Kernel(mat.NewDense(1, 1, []float64{1})), `cannot add a heatmap layer`},
		{"two heatmaps", NewPlot("p").Heatmap(mat.NewDense(1, 1, []float64{1})).Heatmap(mat.NewDense(1, 1, []float64{1})), `a plot holds one heatmap`},
		{"arrows mismatch", NewPlot("p").Arrows("a", ok, ok, ok, []float64{1}), `len(u) = 3, len(v) = 1 but len(x) = 3`},
		{"field n", NewPlot("p").Field("f", func(x, y float64) (float64, float64) { return x, y }, 0, 1, 0, 1, 1), `n = 1: must be in [2, 200]`},
		{"field range", NewPlot("p").Field("f", func(x, y float64) (float64, float64) { return x, y }, 1, 0, 0, 1, 3), `need x0 < x1`},
		{"field nil", NewPlot("p").Field("f", nil, 0, 1, 0, 1, 3), `nil function`},
		{"trajectories", NewPlot("p").Trajectories("t", [][]float64{{1}}, [][]float64{{1, 2}}), `trajectory 0 has 1 x but 2 y values`},
		{"3-D mismatch", NewPlot("p").Scatter3D("s", ok, ok, []float64{1}), `len(z) = 1 but len(x) = 3`},
		{"color range", NewPlot("p").Line("a", nil, ok).ColorRange(1, 1), `ColorRange(1, 1): need finite min < max`},
		{"colormap", NewPlot("p").Line("a", nil, ok).Colormap(7), `Colormap(7)`},
		{"series color", NewPlot("p").Line("a", nil, ok).SeriesColor("a", "red"), `want #rrggbb`},
		{"empty plot", NewPlot("nothing"), `panel A ("nothing"): no data`},
		{"empty figure", NewFigure(), `figure has no panels`},
		{"figure cols", NewFigure(NewPlot("p").Line("a", nil, ok)).Cols(0), `Figure.Cols(0): must be ≥ 1`},
		{"figure size", NewFigure(NewPlot("p").Line("a", nil, ok)).PanelSize(10, 10), `PanelSize(10, 10)`},
		{"PCA dims", PCA("x", mat.NewDense(3, 3, nil), 4, nil), `dims = 4: must be 2 or 3`},
		{"PCA groups", PCA("x", mat.NewDense(3, 2, []float64{1, 2, 3, 4, 5, 7}), 2, []string{"a"}), `len(groups) = 1 but x has 3 rows`},
		{"PCA NaN", PCA("x", mat.NewDense(2, 1, []float64{1, nan}), 2, nil), `PCA needs finite data`},
		{"PCA constant", PCA("x", mat.NewDense(2, 2, []float64{1, 1, 1, 1}), 2, nil), `no variance`},
		{"tuning neurons", NeuronTuning(mat.NewDense(2, 3, nil), mat.NewDense(1, 4, nil)), `the neuron counts differ`},
		{"kernels titles", Kernels([]string{"a"}, mat.NewDense(1, 1, nil), mat.NewDense(1, 1, nil)), `1 titles for 2 kernels`},
		{"history empty", &rep.History{}, `the run recorded nothing`},
		{"runs none", NewPlot("p").Runs("r", "loss", nil), `no runs`},
		{"runs metric", NewPlot("p").Runs("r", "PS", []*rep.History{{Epochs: []int{0}, Losses: []float64{1}}}), `did not record "PS"`},
		{"runs nil", NewPlot("p").Runs("r", "loss", []*rep.History{nil}), `run 0 is nil`},
		{"nil", nil, `plotting: nothing to`},
		{"nil history", (*rep.History)(nil), `nil *rep.History`},
		{"unknown type", 42, `a int`},
		{"several problems", NewPlot("p").Line("a", nil, nil).Scatter("b", ok, nil), `Plot.Line("a"): empty series` + "\n" + `panel A: plotting: Plot.Scatter("b"): empty series`},
	}
	verbs := map[string]func(any) error{
		"SVG":  func(v any) error { _, err := SVG(v); return err },
		"PNG":  func(v any) error { _, err := PNG(v); return err },
		"PDF":  func(v any) error { _, err := PDF(v); return err },
		"HTML": func(v any) error { _, err := HTML(v); return err },
		"JSON": func(v any) error { _, err := EChartsOption(v); return err },
		"Show": func(v any) error { return Show(v) },
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for name, verb := range verbs {
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Fatalf("%s panicked: %v", name, r)
						}
					}()
					err := verb(c.v)
					if err == nil {
						t.Fatalf("%s: no error, want one containing %q", name, c.want)
					}
					if !strings.Contains(err.Error(), c.want) {
						t.Errorf("%s: error %q does not contain %q", name, err, c.want)
					}
				}()
			}
		})
	}
}

func TestBadOptions(t *testing.T) {
	p := NewPlot("p").Line("a", nil, []float64{1, 2})
	if _, err := PNG(p, DPI(5)); err == nil || !strings.Contains(err.Error(), "DPI(5): must be in [36, 1200]") {
		t.Errorf("DPI(5): %v", err)
	}
	if _, err := SVG(p, Size(1, 1)); err == nil || !strings.Contains(err.Error(), "Size(1, 1)") {
		t.Errorf("Size(1, 1): %v", err)
	}
	if err := Save(p, filepath.Join(t.TempDir(), "x.gif")); err == nil || !strings.Contains(err.Error(), `unknown extension ".gif"`) {
		t.Errorf("Save .gif: %v", err)
	}
	if err := Save(p, filepath.Join(t.TempDir(), "missing", "x.svg")); err == nil {
		t.Error("Save into a missing directory: no error")
	}
	if _, err := HTML(p, Assets(t.TempDir())); err == nil || !strings.Contains(err.Error(), "run docker/setup-assets.sh") {
		t.Errorf("missing assets: %v", err)
	}
	// 3-D with a local script but no ECharts-GL script.
	p3 := NewPlot("p").Scatter3D("s", []float64{1, 2}, []float64{1, 2}, []float64{1, 2})
	if _, err := HTML(p3, ScriptSrc("echarts.min.js", "")); err == nil || !strings.Contains(err.Error(), "needs the ECharts-GL script") {
		t.Errorf("ScriptSrc without GL: %v", err)
	}
	if h, err := HTML(p3, ScriptSrc("echarts.min.js", "echarts-gl.min.js")); err != nil || !strings.Contains(h, "'echarts-gl.min.js'") {
		t.Errorf("ScriptSrc: %v", err)
	}
}

// TestNaNGaps: NaN values inside good data are drawn as visible gaps.
func TestNaNGaps(t *testing.T) {
	y := []float64{1, 2, nan, 4, 5}
	p := NewPlot("gap").Line("a", nil, y)
	// Static: the line is split into two paths of the series color.
	svg, err := SVG(p)
	if err != nil {
		t.Fatal(err)
	}
	clean, _ := SVG(NewPlot("gap").Line("a", nil, []float64{1, 2, 3, 4, 5}))
	stroke := regexp.MustCompile(`<path d="M[^"]*"\s+style="[^"]*stroke:#4E79A7`)
	if n, n0 := len(stroke.FindAll(svg, -1)), len(stroke.FindAll(clean, -1)); n != n0+1 {
		t.Errorf("line with one NaN drawn as %d paths of its color, without NaN %d: want one more (a gap)", n, n0)
	}
	// Interactive: the NaN point is ECharts' missing value "-".
	option, _ := EChartsOption(p)
	if !bytes.Contains(option, []byte(`[2,"-"]`)) {
		t.Errorf("NaN not encoded as a gap in %s", option)
	}
	// A log axis cannot show 0: a gap too, not a crash.
	if _, err := SVG(NewPlot("log").LogY().Line("a", nil, []float64{1, 0, 0.1})); err != nil {
		t.Errorf("log axis with a zero: %v", err)
	}
	// Heatmap: a NaN cell is gray in static output, missing in ECharts.
	m := mat.NewDense(2, 2, []float64{1, nan, 0, 1})
	option, _ = EChartsOption(m)
	if !bytes.Contains(option, []byte(`[1,0,"-"]`)) {
		t.Errorf("NaN cell not a gap in %s", option)
	}
	svg, _ = SVG(m)
	if !bytes.Contains(svg, []byte("fill:#C8C8C8")) {
		t.Error("NaN cell not gray in the SVG")
	}
	// Color scatter: the point with no value stays, hollow gray.
	option, _ = EChartsOption(NewPlot("c").ColorScatter("c", []float64{1, 2}, []float64{1, 2}, []float64{1, nan}))
	if !bytes.Contains(option, []byte(`"borderColor":"#c8c8c8"`)) || !bytes.Contains(option, []byte(`[[2,2]]`)) {
		t.Errorf("NaN-colored point not kept as a gray ring: %s", option)
	}
}

// TestBandStatistics: the band is mean ± the sample sd over runs, and a
// NaN in one run makes a gap at that x only.
func TestBandStatistics(t *testing.T) {
	p := NewPlot("b").Band("b", []float64{0, 1}, [][]float64{{1, 2}, {3, nan}, {5, 6}})
	l := p.layers[0]
	// x=0: values 1, 3, 5: mean 3, sd 2.
	if l.y[0] != 3 || math.Abs(l.hi[0]-5) > 1e-15 || math.Abs(l.lo[0]-1) > 1e-15 {
		t.Errorf("x=0: mean %g, band [%g, %g], want 3, [1, 5]", l.y[0], l.lo[0], l.hi[0])
	}
	if !math.IsNaN(l.y[1]) || !math.IsNaN(l.hi[1]) {
		t.Errorf("x=1 has a NaN run: mean %g, hi %g, want NaN (a gap)", l.y[1], l.hi[1])
	}
	// One run: no spread.
	one := NewPlot("b").Band("b", nil, [][]float64{{1, 2}}).layers[0]
	if one.lo[1] != 2 || one.hi[1] != 2 {
		t.Errorf("one run: band [%g, %g], want [2, 2]", one.lo[1], one.hi[1])
	}
}

// TestSharedScale: side-by-side kernels use one scale spanning both, and
// each panel alone would have had its own.
func TestSharedScale(t *testing.T) {
	a := mat.NewDense(2, 2, []float64{0, 1, 1, 0})
	b := mat.NewDense(2, 2, []float64{0, 3, 3, 0})
	L, err := Kernels([]string{"a", "b"}, a, b).layout()
	if err != nil {
		t.Fatal(err)
	}
	if L.scales[0] != L.scales[1] || L.shared == nil || L.shared.min != 0 || L.shared.max != 3 {
		t.Fatalf("shared scale: %+v %+v", L.scales[0], L.scales[1])
	}
	// The value 1 has the same color in both panels, and differs from 3.
	if L.scales[0].at(1) != L.scales[1].at(1) || L.scales[0].at(1) == L.scales[1].at(3) {
		t.Error("equal values, different colors")
	}
	own, _ := NewFigure(NewPlot("a").Kernel(a), NewPlot("b").Kernel(b)).layout()
	if own.scales[0].max != 1 || own.scales[1].max != 3 {
		t.Errorf("own scales: %g, %g, want 1, 3", own.scales[0].max, own.scales[1].max)
	}
	// Echarts: one visualMap coloring both heatmap series.
	option, _ := EChartsOption(Kernels([]string{"a", "b"}, a, b))
	var o struct {
		VisualMap []struct {
			SeriesIndex []int
		}
		Series []struct{ Type string }
	}
	if err := json.Unmarshal(option, &o); err != nil {
		t.Fatal(err)
	}
	if len(o.VisualMap) != 1 || len(o.VisualMap[0].SeriesIndex) != 2 || o.Series[0].Type != "heatmap" || o.Series[1].Type != "heatmap" {
		t.Errorf("visualMap %+v, series %+v", o.VisualMap, o.Series)
	}
}

// TestColormap: the scale ends are the first and last stops; Auto picks the
// diverging map, centred on 0, for signed data.
func TestColormap(t *testing.T) {
	s := resolveScale(Auto, 0, 2, nil)
	if s.cmap != Viridis || s.at(0) != mustHex(viridisStops[0]) || s.at(2) != mustHex(viridisStops[8]) || s.at(9) != mustHex(viridisStops[8]) {
		t.Errorf("viridis scale: %+v", s)
	}
	d := resolveScale(Auto, -1, 3, nil)
	if d.cmap != Diverging || d.min != -3 || d.max != 3 || d.at(0) != mustHex("#f7f7f7") {
		t.Errorf("diverging scale: %+v, at(0) = %v", d, d.at(0))
	}
	if c := resolveScale(Auto, -0.01, 3, nil); c.cmap != Viridis {
		t.Error("slightly negative data should stay sequential")
	}
	if c := resolveScale(Auto, 2, 2, nil); !(c.min < 2 && c.max > 2) {
		t.Errorf("constant data: range [%g, %g]", c.min, c.max)
	}
}

// TestArrowScale: the longest arrow is 0.9 grid steps; ratios are kept.
func TestArrowScale(t *testing.T) {
	p := NewPlot("f").Field("f", func(x, y float64) (float64, float64) { return 2 * x, 0 }, -1, 1, -1, 1, 5)
	l := p.layers[0]
	var longest float64
	for i := range l.u {
		longest = math.Max(longest, math.Hypot(l.u[i], l.v[i]))
	}
	if math.Abs(longest-0.9*0.5) > 1e-12 {
		t.Errorf("longest arrow %g, want 0.45 (0.9 × grid step 0.5)", longest)
	}
	// x = 0.5 has half the vector of x = 1.
	if math.Abs(l.u[3]/l.u[4]-0.5) > 1e-12 {
		t.Errorf("ratio %g, want 0.5", l.u[3]/l.u[4])
	}
}

// TestPCA: points on a line have one component explaining everything,
// and the scores are their signed distances along it.
func TestPCA(t *testing.T) {
	x := mat.NewDense(3, 2, []float64{0, 0, 1, 1, 2, 2})
	scores, ratio, err := principal(x, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(ratio) != 1 || math.Abs(ratio[0]-1) > 1e-12 {
		t.Errorf("explained variance %v, want [1]", ratio)
	}
	want := []float64{-math.Sqrt2, 0, math.Sqrt2}
	for i, w := range want {
		if math.Abs(scores.At(i, 0)-w) > 1e-12 || scores.At(i, 1) != 0 {
			t.Errorf("score %d = (%g, %g), want (%g, 0)", i, scores.At(i, 0), scores.At(i, 1), w)
		}
	}
}

// TestNeuronOrder: a modular readout sorts into blocks per output unit,
// positive weights first.
func TestNeuronOrder(t *testing.T) {
	w2 := mat.NewDense(2, 4, []float64{0, -0.5, 0, 0.9, 0.3, 0, -0.8, 0})
	f := NeuronTuning(mat.NewDense(1, 4, []float64{1, 2, 3, 4}), w2)
	if err := f.Err(); err != nil {
		t.Fatal(err)
	}
	got := f.panels[0].layers[0].colLabels
	if strings.Join(got, " ") != "3 1 0 2" {
		t.Errorf("neuron order %v, want [3 1 0 2]", got)
	}
	// Columns follow the order: preactivation of neuron 3 first.
	if v := f.panels[0].layers[0].m.At(0, 0); v != 4 {
		t.Errorf("first column holds %g, want neuron 3's 4", v)
	}
}

// TestSaveFormats writes every format and checks its signature.
func TestSaveFormats(t *testing.T) {
	dir := t.TempDir()
	hist := &rep.History{Epochs: []int{0, 1, 2}, Losses: []float64{1, 0.5, 0.1}}
	for ext, sig := range map[string]string{".html": "<!DOCTYPE html>", ".svg": "<?xml", ".png": "\x89PNG", ".pdf": "%PDF"} {
		path := filepath.Join(dir, "h"+ext)
		if err := Save(hist, path); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(path)
		if !bytes.HasPrefix(b, []byte(sig)) {
			t.Errorf("%s starts with %q", ext, b[:min(len(b), 10)])
		}
	}
}

// TestProgress: the terminal form is written once per 10%, the notebook
// form is well formed, and a Progress ignores updates after the end.
func TestProgress(t *testing.T) {
	var b bytes.Buffer
	p := NewProgress("sweep").To(&b)
	cb := p.Sweep()
	for i := 0; i <= 200; i++ {
		cb(i, 200)
	}
	cb(200, 200)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 11 || !strings.Contains(lines[10], "100% 200/200") {
		t.Errorf("%d lines, last %q; want 11, ending at 100%%", len(lines), lines[len(lines)-1])
	}
	h := ProgressHTML("train <net>", 25, 100, "loss 0.5", 0)
	if !strings.Contains(h, "width:25.0%") || !strings.Contains(h, "train &lt;net&gt;") || !strings.Contains(h, "25% (25/100)") {
		t.Errorf("progress HTML: %s", h)
	}
	// Not a notebook here: Show prints, Progress does not touch gonbui.
	if NewProgress("x").notebook {
		t.Error("a test is not a notebook")
	}
}

// TestHeatmapOrientation: row 0 of a matrix is drawn at the top, in the
// vector (small) and the raster (large) paths alike; a parameter grid has
// its first row (smallest y) at the bottom.
func TestHeatmapOrientation(t *testing.T) {
	for _, n := range []int{6, 200} {
		m := mat.NewDense(n, n, nil)
		for i := range n {
			for j := range n {
				if i < n/2 {
					m.Set(i, j, -1) // top half: blue
				} else {
					m.Set(i, j, 1) // bottom half: red
				}
			}
		}
		ys := make([]float64, n)
		xs := make([]float64, n)
		for i := range n {
			xs[i], ys[i] = float64(i), float64(i)
		}
		for _, c := range []struct {
			name    string
			p       Plot
			blueTop bool
		}{{"matrix", NewPlot("").Heatmap(m), true}, {"grid", NewPlot("").Grid(xs, ys, m), false}} {
			b, err := PNG(c.p, DPI(96))
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			// Scan the column through the middle of the data area.
			x := img.Bounds().Dx() * 2 / 5
			firstBlue, firstRed := -1, -1
			for y := 0; y < img.Bounds().Dy(); y++ {
				r, _, bl, _ := img.At(x, y).RGBA()
				r, bl = r>>8, bl>>8
				if firstBlue < 0 && bl > r+60 {
					firstBlue = y
				}
				if firstRed < 0 && r > bl+60 {
					firstRed = y
				}
			}
			if firstBlue < 0 || firstRed < 0 {
				t.Errorf("%d×%d %s: blue at %d, red at %d: a half is not drawn", n, n, c.name, firstBlue, firstRed)
				continue
			}
			if (firstBlue < firstRed) != c.blueTop {
				t.Errorf("%d×%d %s: blue starts at y=%d, red at y=%d: upside down", n, n, c.name, firstBlue, firstRed)
			}
		}
	}
}

// TestRepDoesNotImportPlotting: the core never depends on the UI.
func TestRepDoesNotImportPlotting(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/repgeom/repgeom/rep").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/repgeom/repgeom/plotting") || strings.Contains(dep, "gonb") || strings.Contains(dep, "go-echarts") {
			t.Errorf("rep depends on %s", dep)
		}
	}
}
