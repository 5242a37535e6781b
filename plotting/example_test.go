package plotting_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/plotting"
	"github.com/repgeom/repgeom/rep"
)

// A training history saved as an interactive page, and a kernel saved as a
// static SVG heatmap with a color bar: the format follows the extension.
func Example() {
	dir, _ := os.MkdirTemp("", "plotting")
	defer os.RemoveAll(dir)

	hist := &rep.History{Epochs: []int{0, 100, 200, 300}, Losses: []float64{1, 0.1, 0.01, 0.005}}
	kernel := mat.NewSymDense(3, []float64{1, 0.5, 0, 0.5, 1, 0.5, 0, 0.5, 1})

	fmt.Println(plotting.Save(hist, filepath.Join(dir, "loss.html")))
	fmt.Println(plotting.Save(kernel, filepath.Join(dir, "k.svg")))
	page, _ := os.ReadFile(filepath.Join(dir, "loss.html"))
	svg, _ := os.ReadFile(filepath.Join(dir, "k.svg"))
	fmt.Println(bytes.Contains(page, []byte("echarts.init")), bytes.Contains(svg, []byte("<svg")))
	// Output:
	// <nil>
	// <nil>
	// true true
}

// Mean ± sd over seeds: one line and a shaded band per group of runs.
func ExamplePlot_Band() {
	epochs := []float64{0, 10, 20}
	tanh := [][]float64{{0.1, 0.6, 0.9}, {0.1, 0.7, 0.95}, {0.1, 0.5, 0.85}}
	relu := [][]float64{{0.1, 0.3, 0.4}, {0.1, 0.35, 0.5}}
	p := plotting.NewPlot("parallelism score").XLabel("epoch").YLabel("PS").
		Band("tanh", epochs, tanh).
		Band("ReLU", epochs, relu)
	fmt.Println(p)
	fmt.Println(p.Err())
	// Output:
	// plot "parallelism score": band "tanh" (3 points), band "ReLU" (3 points)
	// <nil>
}

// Recorded histories of several seeds give the band directly.
func ExamplePlot_Runs() {
	runs := []*rep.History{
		{Epochs: []int{0, 1, 2}, Losses: []float64{1, 0.5, 0.2}},
		{Epochs: []int{0, 1, 2}, Losses: []float64{1, 0.7, 0.4}},
	}
	p := plotting.NewPlot("loss").Runs("GD", "loss", runs)
	fmt.Println(p)
	// A run that recorded other epochs cannot be averaged with these.
	bad := plotting.NewPlot("loss").Runs("GD", "loss", append(runs, &rep.History{Epochs: []int{0, 5}, Losses: []float64{1, 0.1}}))
	fmt.Println(bad.Err())
	// Output:
	// plot "loss": band "GD" (3 points)
	// plotting: Plot.Runs("GD", "loss"): run 2 recorded epochs 0…5 (2 records) but run 0 recorded 0…2 (3 records): they must be the same
}

// One point per task, colored by a value, with a color bar (paper A Fig.
// 4C: PS against input–output alignment).
func ExamplePlot_ColorScatter() {
	alignment := []float64{0.1, 0.3, 0.6, 0.9}
	ps := []float64{0.05, 0.3, 0.98, 1}
	dY := []float64{1, 2, 2, 3}
	p := plotting.NewPlot("PS vs alignment").XLabel("CKA(K_X, K_Y)").YLabel("PS").
		ColorScatter("tasks", alignment, ps, dY).ColorLabel("dY").
		Scatter("whitened", []float64{0.33}, []float64{1}).SeriesColor("whitened", "#d62728")
	svg, err := plotting.SVG(p)
	fmt.Println(err, bytes.Contains(svg, []byte("fill:#D62728")))
	// Output: <nil> true
}

// Kernels side by side share ONE color scale (one color bar), so equal
// values have equal colors in both panels.
func ExampleKernels() {
	theory := mat.NewDense(2, 2, []float64{1, 0.2, 0.2, 1})
	sim := mat.NewDense(2, 2, []float64{0.9, 0.25, 0.25, 1.1})
	f := plotting.Kernels([]string{"K_theory", "K_sim"}, theory, sim)
	option, err := plotting.EChartsOption(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	var o struct {
		VisualMap []struct {
			Min, Max    float64
			SeriesIndex []int
		}
	}
	_ = json.Unmarshal(option, &o)
	fmt.Println(len(o.VisualMap), o.VisualMap[0].Min, o.VisualMap[0].Max, o.VisualMap[0].SeriesIndex)
	// Output: 1 0.2 1.1 [0 1]
}

// The first principal components of a representation, one color per
// class; the axes give the explained variance.
func ExamplePCA() {
	h := mat.NewDense(4, 3, []float64{
		1, 1, 0.1,
		1, -1, -0.1,
		-1, 1, 0.1,
		-1, -1, -0.1,
	})
	p := plotting.PCA("hidden layer", h, 2, []string{"A", "A", "B", "B"})
	fmt.Println(p)
	svg, _ := plotting.SVG(p)
	fmt.Println(bytes.Contains(svg, []byte("PC1 (50.2%)")), bytes.Contains(svg, []byte("PC2 (49.8%)")))
	// Output:
	// plot "hidden layer": scatter "A" (2 points), scatter "B" (2 points)
	// true true
}

// Three components: an interactive 3-D scatter in HTML (ECharts-GL), the
// three pairwise projections in static output.
func ExamplePCA_threeD() {
	h := mat.NewDense(4, 3, []float64{1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1})
	p := plotting.PCA("preactivations", h, 3, nil)
	option, _ := plotting.EChartsOption(p)
	fmt.Println(bytes.Contains(option, []byte(`"type":"scatter3D"`)), bytes.Contains(option, []byte(`"grid3D"`)))
	// Output: true true
}

// Neurons grouped by the output unit they project to (paper A Fig. 4D–E).
func ExampleNeuronTuning() {
	pre := mat.NewDense(2, 4, []float64{
		0.5, -1, 2, 0,
		-0.5, 1, 0, 2,
	})
	w2 := mat.NewDense(2, 4, []float64{
		0, 0.1, 0.9, 0,
		0.8, 0, 0, -0.7,
	})
	f := plotting.NeuronTuning(pre, w2)
	option, _ := plotting.EChartsOption(f)
	var o struct{ XAxis []struct{ Data []string } }
	_ = json.Unmarshal(option, &o)
	fmt.Println("neuron order:", o.XAxis[0].Data)
	// Output: neuron order: [2 1 0 3]
}

// A vector field with neuron trajectories (paper B Fig. 1D).
func ExamplePlot_Field() {
	flow := func(x, y float64) (float64, float64) { return 1 - x, -y } // towards (1, 0)
	p := plotting.NewPlot("weight dynamics").XLabel("inter-class").YLabel("intra-class").
		Field("gradient", flow, -1, 1, -1, 1, 7).
		Trajectories("neurons", [][]float64{{0, 0.5, 0.9}, {-0.5, 0.2, 0.8}}, [][]float64{{0.8, 0.4, 0.1}, {-0.6, -0.3, -0.05}})
	fmt.Println(p)
	// Output: plot "weight dynamics": arrows "gradient" (49 points), line "neurons" (7 points)
}

// Grouped bars with error bars; a NaN value leaves its bar out.
func ExamplePlot_Bars() {
	metrics := []string{"target align.", "PS", "CCGP"}
	p := plotting.NewPlot("CNN, last layer").YLabel("value").
		Bars("tanh", metrics, []float64{0.8, 0.9, 0.85}, []float64{0.02, 0.03, 0.02}).
		Bars("ReLU", metrics, []float64{0.5, math.NaN(), 0.6}, []float64{0.04, 0.05, 0.03})
	fmt.Println(p)
	// Output: plot "CNN, last layer": bars "tanh" (3 bars), bars "ReLU" (3 bars)
}

// A metric over a 2-D parameter grid (paper B Fig. 3: δ × σ²).
func ExamplePlot_Grid() {
	delta := []float64{0, 0.5, 1}
	sigma := []float64{0.1, 1}
	ps := mat.NewDense(2, 3, []float64{
		0.1, 0.9, 0.95, // σ = 0.1
		0.05, 0.3, 0.6, // σ = 1
	})
	p := plotting.NewPlot("PS, tanh").XLabel("δ").YLabel("σ²").ColorLabel("PS").Grid(delta, sigma, ps)
	fmt.Println(p)
	fmt.Println(plotting.NewPlot("").Grid(delta, sigma, mat.NewDense(3, 2, nil)).Err())
	// Output:
	// plot "PS, tanh": heatmap 2×3
	// plotting: Plot.Grid: z is 3×2 but len(ys) = 2, len(xs) = 3: need z len(ys)×len(xs)
}

// Panels labelled A, B… with one legend: "tanh" has the same color in
// both, and clicking it in the HTML legend hides it in both.
func ExampleFigure() {
	x := []float64{0, 1, 2}
	f := plotting.NewFigure(
		plotting.NewPlot("target alignment").Line("tanh", x, []float64{0.2, 0.5, 0.8}).Line("ReLU", x, []float64{0.2, 0.3, 0.4}),
		plotting.NewPlot("input alignment").Line("tanh", x, []float64{0.9, 0.6, 0.4}).Line("ReLU", x, []float64{0.9, 0.8, 0.7}),
	).Title("Fig. 1B")
	fmt.Println(f)
	option, _ := plotting.EChartsOption(f)
	fmt.Println(strings.Count(string(option), `"name":"tanh"`) >= 2, bytes.Contains(option, []byte(`"text":"B"`)))
	// Output:
	// figure "Fig. 1B", 2 panel(s)
	//   A: plot "target alignment": line "tanh" (3 points), line "ReLU" (3 points)
	//   B: plot "input alignment": line "tanh" (3 points), line "ReLU" (3 points)
	// true true
}

// Outside a notebook Show prints a summary instead of displaying.
func ExampleShow() {
	hist := &rep.History{Epochs: []int{0, 10}, Losses: []float64{1, 0.25}, Status: rep.Converged}
	if err := plotting.Show(hist); err != nil {
		fmt.Println(err)
	}
	// Bad input is reported, not drawn.
	fmt.Println(plotting.Show(plotting.NewPlot("empty").Line("x", nil, nil)))
	// Output:
	// History{2 records, epoch 10, loss 0.25, Converged}
	// panel A: plotting: Plot.Line("x"): empty series
}

// ShowContent is Show's twin: it returns what Show would display.
func ExampleShowContent() {
	k := mat.NewDense(2, 2, []float64{1, 0, 0, 1})
	c, _ := plotting.ShowContent(k)
	s, _ := plotting.ShowContent(k, plotting.Static())
	fmt.Println(c.MIME, s.MIME)
	// Output: text/html image/svg+xml
}

// A progress line for training, as written to a log.
func ExampleProgress() {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	now := t0
	p := plotting.NewProgress("train").To(os.Stdout).Clock(func() time.Time { return now })
	report := p.Training() // for rep's Training.Progress
	for epoch := 0; epoch <= 20; epoch += 5 {
		now = now.Add(time.Second)
		report(epoch, 20, 1/float64(epoch+1))
	}
	// Output:
	// train [..............................]   0% 0/20 loss 1 (1s)
	// train [#######.......................]  25% 5/20 loss 0.1667 (2s)
	// train [###############...............]  50% 10/20 loss 0.09091 (3s)
	// train [######################........]  75% 15/20 loss 0.0625 (4s)
	// train [##############################] 100% 20/20 loss 0.04762 (5s)
}
