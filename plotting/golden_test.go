package plotting

import (
	"bytes"
	"math"
	"regexp"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/plotting/internal/golden"
	"github.com/repgeom/repgeom/rep"
)

// kind is one figure kind of the papers, built from fixed data.
type kind struct {
	name string
	v    any
}

// kinds returns one example of every figure kind, deterministic.
func kinds() []kind {
	// Lines with mean ± sd bands over seeds, on a log axis, with a gap.
	ep := make([]float64, 41)
	var tanh, relu [][]float64
	for s := range 4 {
		a, b := make([]float64, len(ep)), make([]float64, len(ep))
		for i := range ep {
			ep[i] = float64(50 * i)
			a[i] = math.Exp(-float64(i)/8) * (1 + 0.15*float64(s-1))
			b[i] = math.Exp(-float64(i)/20) * (1 + 0.1*float64(s-1))
		}
		tanh, relu = append(tanh, a), append(relu, b)
	}
	theory := make([]float64, len(ep))
	for i := range theory {
		theory[i] = math.Exp(-float64(i) / 8)
	}
	relu[2][30] = math.NaN() // a diverged seed at one record: a gap in the band
	bands := NewPlot("training loss, 4 seeds").XLabel("epoch").YLabel("loss").LogY().
		Band("tanh", ep, tanh).Band("ReLU", ep, relu).DashedLine("theory", ep, theory)

	// Scatter colored by a value: PS vs alignment, one point per task.
	var al, ps, dy []float64
	for i := range 24 {
		a := float64(i) / 23
		al = append(al, a)
		ps = append(ps, 1/(1+math.Exp(-12*(a-0.4))))
		dy = append(dy, float64(1+i%3))
	}
	dy[5] = math.NaN()
	colorScatter := NewPlot("PS after training").XLabel("input–output alignment").YLabel("PS").
		ColorScatter("random tasks", al, ps, dy).ColorLabel("dY").
		Scatter("whitened", []float64{0.33}, []float64{0.97}).SeriesColor("whitened", "#d62728")

	// Kernels side by side on one scale.
	kt, ks := mat.NewDense(8, 8, nil), mat.NewDense(8, 8, nil)
	for i := range 8 {
		for j := range 8 {
			v := 0.0
			if i/4 == j/4 {
				v += 0.5
			}
			if i%2 == j%2 {
				v += 0.3
			}
			if i == j {
				v += 0.2
			}
			kt.Set(i, j, v)
			ks.Set(i, j, v*(1+0.05*math.Sin(float64(i+j))))
		}
	}
	kernels := Kernels([]string{"K_theory", "K_sim"}, kt, ks).Title("Learned kernel matches theory")

	// PCA of a representation: 4 clusters of 6 noisy points in 5-D.
	h := mat.NewDense(24, 5, nil)
	groups := make([]string, 24)
	for i := range 24 {
		c := i / 6
		groups[i] = [...]string{"(+,+)", "(+,−)", "(−,+)", "(−,−)"}[c]
		for j := range 5 {
			centre := 0.0
			switch j {
			case 0:
				centre = float64(1 - 2*(c/2))
			case 1:
				centre = float64(1 - 2*(c%2))
			}
			h.Set(i, j, centre+0.15*math.Sin(float64(7*i+3*j)))
		}
	}
	pca2 := PCA("hidden representation", h, 2, groups)
	pca3 := PCA("preactivations", h, 3, groups)

	// Neuron tuning: 8 neurons, 2 outputs, modular.
	pre := mat.NewDense(4, 8, nil)
	w2 := mat.NewDense(2, 8, nil)
	for k := range 8 {
		unit, sign := k%2, 1.0
		if k%4 >= 2 {
			sign = -1
		}
		w2.Set(unit, k, sign*(0.5+0.1*float64(k)))
		for p := range 4 {
			pre.Set(p, k, sign*float64(1-2*((p>>unit)&1))*(1+0.1*float64(k)))
		}
	}
	tuning := NeuronTuning(pre, w2)

	// Quiver with trajectories.
	flow := func(x, y float64) (float64, float64) { return 0.8 - x*x*x, -0.6 * y * (1 + x*x) }
	var tx, ty [][]float64
	for n := range 5 {
		x, y := -0.9+0.4*float64(n), 0.9-0.35*float64(n)
		var xs, ys []float64
		for range 40 {
			xs, ys = append(xs, x), append(ys, y)
			u, v := flow(x, y)
			x, y = x+0.05*u, y+0.05*v
		}
		tx, ty = append(tx, xs), append(ty, ys)
	}
	quiver := NewPlot("weight dynamics (tanh)").XLabel("inter-class weight").YLabel("intra-class weight").
		Field("gradient flow", flow, -1, 1, -1, 1, 11).Trajectories("neurons", tx, ty)

	// Bars with error bars, one NaN.
	cats := []string{"target align.", "input align.", "PS", "CCGP"}
	bars := NewPlot("CNN, last layer").YLabel("value").
		Bars("tanh", cats, []float64{0.82, 0.41, 0.9, 0.88}, []float64{0.03, 0.02, 0.02, 0.04}).
		Bars("ReLU", cats, []float64{0.55, 0.63, math.NaN(), 0.61}, []float64{0.04, 0.03, 0.05, 0.05})

	// Parameter grid δ × σ².
	deltas := []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}
	sigmas := []float64{0.01, 0.1, 0.3, 1, 3}
	z := mat.NewDense(len(sigmas), len(deltas), nil)
	for i, s := range sigmas {
		for j, d := range deltas {
			z.Set(i, j, 1/(1+math.Exp(-10*(d-0.3*s))))
		}
	}
	z.Set(4, 0, math.NaN())
	grid := NewPlot("PS, tanh").XLabel("δ").YLabel("σ² (train)").ColorLabel("PS").Grid(deltas, sigmas, z)

	// Multi-panel figure with a shared legend.
	x := []float64{0, 1, 2, 3, 4}
	multi := NewFigure(
		NewPlot("target alignment").XLabel("epoch").Line("tanh", x, []float64{0.1, 0.4, 0.6, 0.7, 0.75}).Line("ReLU", x, []float64{0.1, 0.2, 0.3, 0.35, 0.37}),
		NewPlot("input alignment").XLabel("epoch").Line("tanh", x, []float64{0.9, 0.7, 0.5, 0.45, 0.4}).Line("ReLU", x, []float64{0.9, 0.85, 0.8, 0.78, 0.77}),
		NewPlot("PS").XLabel("epoch").Line("tanh", x, []float64{0.2, 0.6, 0.9, 0.95, 0.97}).Line("ReLU", x, []float64{0.2, 0.3, 0.45, 0.5, 0.52}),
		NewPlot("CCGP").XLabel("epoch").Line("tanh", x, []float64{0.5, 0.7, 0.9, 0.95, 0.96}).Line("ReLU", x, []float64{0.5, 0.55, 0.6, 0.62, 0.63}),
	).Title("Fig. 1B: tanh vs ReLU").Cols(2)

	hist := &rep.History{
		Epochs:    []int{0, 100, 200, 300, 400, 500},
		Losses:    []float64{2, 0.5, 0.1, 0.03, 0.012, 0.01},
		GradNorms: []float64{3, 1, 0.3, 0.1, 0.03, 0.01},
		Metrics:   map[string][]float64{"PS": {0.1, 0.5, 0.8, 0.95, 0.99, 1}, "CCGP": {0.5, 0.7, 0.9, 0.97, 1, 1}},
		Status:    rep.IterationLimit,
	}
	matrix := mat.NewDense(3, 5, []float64{0, 1, 2, 3, 4, -1, -2, -3, -4, -5, 0.5, math.NaN(), 1.5, 2.5, 3.5})

	return []kind{
		{"bands", bands},
		{"colorscatter", colorScatter},
		{"kernels", kernels},
		{"pca2d", pca2},
		{"pca3d", pca3},
		{"tuning", tuning},
		{"quiver", quiver},
		{"bars", bars},
		{"grid", grid},
		{"multipanel", multi},
		{"history", hist},
		{"matrix", matrix},
	}
}

// TestGolden pins the deterministic output of every figure kind: the SVG
// text (gonum/plot) and the ECharts option JSON.
func TestGolden(t *testing.T) {
	for _, k := range kinds() {
		t.Run(k.name, func(t *testing.T) {
			svg, err := SVG(k.v)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, k.name+".svg", svg)
			option, err := EChartsOption(k.v)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, k.name+".json", append(option, '\n'))
		})
	}
}

// TestDeterministic renders every kind twice, in every format but PDF
// (which carries a creation date), and wants identical bytes.
func TestDeterministic(t *testing.T) {
	for _, k := range kinds() {
		for _, f := range []struct {
			name string
			fn   func(any, ...Option) ([]byte, error)
		}{{"svg", SVG}, {"png", PNG}, {"html", HTMLPage}, {"json", EChartsOption}} {
			a, err := f.fn(k.v)
			if err != nil {
				t.Fatalf("%s %s: %v", k.name, f.name, err)
			}
			b, _ := f.fn(k.v)
			if !bytes.Equal(a, b) {
				t.Errorf("%s %s: two renderings differ", k.name, f.name)
			}
		}
	}
}

// inlined matches a library inlined by writeInline, up to its closing tag.
var inlined = regexp.MustCompile(`(?s)<script type="text/javascript">/\* ECharts[^*]*inlined by repgeom/plotting \*/.*?</script>`)

// TestNoRemoteScripts: no output of the default configuration refers to a
// script (or anything) on the network: apart from the inlined libraries'
// own text, the HTML holds no http:// or https:// at all, and no script
// has a src. The CDN option, the opt-in, does refer to one — which shows
// the check can fail.
func TestNoRemoteScripts(t *testing.T) {
	srcAttr := regexp.MustCompile(`(?i)<script[^>]*\bsrc\s*=`)
	for _, k := range kinds() {
		page, err := HTMLPage(k.v)
		if err != nil {
			t.Fatal(err)
		}
		frag, err := HTML(k.v)
		if err != nil {
			t.Fatal(err)
		}
		show, err := ShowContent(k.v)
		if err != nil {
			t.Fatal(err)
		}
		for name, out := range map[string]string{"page": string(page), "fragment": frag, "Show": string(show.Data)} {
			if n := len(inlined.FindAllString(out, -1)); n < 1 {
				t.Fatalf("%s %s: the ECharts library is not inlined", k.name, name)
			}
			rest := inlined.ReplaceAllString(out, "")
			if strings.Contains(rest, "http://") || strings.Contains(rest, "https://") {
				i := max(0, strings.Index(rest, "http")-80)
				t.Errorf("%s %s: refers to the network: …%s…", k.name, name, rest[i:min(len(rest), i+200)])
			}
			if srcAttr.MatchString(out) {
				t.Errorf("%s %s: has a <script src>", k.name, name)
			}
		}
		svg, _ := SVG(k.v)
		if bytes.Contains(bytes.ToLower(svg), []byte("<script")) {
			t.Errorf("%s: SVG has a script", k.name)
		}
		cdn, err := HTML(k.v, CDN())
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(cdn, "'https://cdn.jsdelivr.net/npm/echarts@"+EChartsVersion+"/dist/echarts.min.js'") {
			t.Errorf("%s: the CDN option does not load the pinned ECharts", k.name)
		}
		if inlined.MatchString(cdn) {
			t.Errorf("%s: the CDN option still inlines the library", k.name)
		}
	}
	// 3-D figures inline ECharts-GL too.
	page, _ := HTML(kinds()[4].v)
	if n := len(inlined.FindAllString(page, -1)); n != 2 || !strings.Contains(page, "ECharts-GL "+EChartsGLVersion) {
		t.Errorf("pca3d: %d inlined libraries, want ECharts and ECharts-GL", n)
	}
}
