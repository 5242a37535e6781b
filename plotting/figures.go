package plotting

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/rep"
)

// The figures of the two papers, built from the vocabulary of Plot and
// Figure.

// toFigure converts anything Save and Show draw into a figure.
func toFigure(v any) (Figure, error) {
	switch v := v.(type) {
	case Figure:
		return v, nil
	case *Figure:
		if v == nil {
			return Figure{}, fmt.Errorf("plotting: nil *Figure")
		}
		return *v, nil
	case Plot:
		return NewFigure(v), nil
	case *Plot:
		if v == nil {
			return Figure{}, fmt.Errorf("plotting: nil *Plot")
		}
		return NewFigure(*v), nil
	case *rep.History:
		if v == nil {
			return Figure{}, fmt.Errorf("plotting: nil *rep.History")
		}
		return History(v), nil
	case rep.History:
		return History(&v), nil
	case []*rep.History:
		return NewFigure(NewPlot("loss over runs").XLabel("epoch").YLabel("loss").Runs("loss", "loss", v)), nil
	case mat.Matrix:
		if v == nil {
			return Figure{}, fmt.Errorf("plotting: nil matrix")
		}
		r, c := v.Dims()
		return NewFigure(NewPlot(fmt.Sprintf("%d×%d matrix", r, c)).Heatmap(v)), nil
	case nil:
		return Figure{}, fmt.Errorf("plotting: nothing to draw (nil)")
	}
	return Figure{}, fmt.Errorf("plotting: cannot draw a %T: want a Figure, Plot, *rep.History, []*rep.History or mat.Matrix", v)
}

// History returns the figure of a training run: the loss against the
// epoch (log scale when the loss is positive and spans more than a
// decade) and, when metrics were recorded, a second panel with them.
func History(h *rep.History) Figure {
	if h == nil {
		return NewFigure(NewPlot("").problem("plotting: History: nil *rep.History"))
	}
	loss := NewPlot("training loss").XLabel("epoch").YLabel("loss")
	if len(h.Epochs) == 0 {
		return NewFigure(loss.problem("plotting: History: the run recorded nothing (%v)", h.Status))
	}
	x := epochs(h.Epochs)
	loss = loss.Line("loss", x, h.Losses)
	if lo, hi := minMax(h.Losses); lo > 0 && hi/lo > 10 {
		loss = loss.LogY()
	}
	f := NewFigure(loss)
	if names := h.MetricNames(); len(names) > 0 {
		m := NewPlot("metrics").XLabel("epoch")
		for _, n := range names {
			m = m.Line(n, x, h.Metrics[n])
		}
		f = f.Add(m)
	}
	return f
}

func epochs(e []int) []float64 {
	x := make([]float64, len(e))
	for i, v := range e {
		x[i] = float64(v)
	}
	return x
}

// historySeries returns a recorded series of h: "loss", "gradNorm" or a
// metric name.
func historySeries(h *rep.History, metric string) ([]float64, bool) {
	switch metric {
	case "loss":
		return h.Losses, true
	case "gradNorm":
		return h.GradNorms, true
	}
	v, ok := h.Metrics[metric]
	return v, ok
}

// Runs returns p with the mean ± sd over runs (seeds) of a recorded series
// ("loss", "gradNorm" or a metric name) against the epoch, as a band named
// name. The runs must have recorded the same epochs.
func (p Plot) Runs(name, metric string, runs []*rep.History) Plot {
	if len(runs) == 0 {
		return p.problem("plotting: Plot.Runs(%q, %q): no runs", name, metric)
	}
	var ys [][]float64
	for i, h := range runs {
		if h == nil {
			return p.problem("plotting: Plot.Runs(%q, %q): run %d is nil", name, metric, i)
		}
		if !equalInts(h.Epochs, runs[0].Epochs) {
			return p.problem("plotting: Plot.Runs(%q, %q): run %d recorded epochs %s but run 0 recorded %s: they must be the same",
				name, metric, i, epochSpan(h.Epochs), epochSpan(runs[0].Epochs))
		}
		y, ok := historySeries(h, metric)
		if !ok {
			return p.problem("plotting: Plot.Runs(%q, %q): run %d did not record %q (recorded: loss, gradNorm%s)", name, metric, i, metric, listNames(h.MetricNames()))
		}
		ys = append(ys, y)
	}
	return p.Band(name, epochs(runs[0].Epochs), ys)
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func epochSpan(e []int) string {
	if len(e) == 0 {
		return "none"
	}
	return fmt.Sprintf("%d…%d (%d records)", e[0], e[len(e)-1], len(e))
}

func listNames(names []string) string {
	s := ""
	for _, n := range names {
		s += ", " + n
	}
	return s
}

// Kernels returns the kernels side by side on ONE shared color scale, so
// that equal values have equal colors (paper A Fig. 4B: K_theory | K_sim).
// titles name the panels; each kernel must be square.
func Kernels(titles []string, ks ...mat.Matrix) Figure {
	if len(titles) != len(ks) {
		return NewFigure(NewPlot("").problem("plotting: Kernels: %d titles for %d kernels", len(titles), len(ks)))
	}
	f := NewFigure().SharedColorScale()
	for i, k := range ks {
		f = f.Add(NewPlot(titles[i]).XLabel("stimulus").YLabel("stimulus").Kernel(k))
	}
	return f
}

// PCA returns a scatter of the rows of x (points) projected on their first
// dims principal components (2 or 3; 3 is interactive 3-D in HTML and the
// pairwise projections in static output). groups, if not nil, gives each
// row's group: one series, one color, per group, in order of first
// appearance. Axes are labelled with the explained variance.
func PCA(title string, x mat.Matrix, dims int, groups []string) Plot {
	p := NewPlot(title).EqualAxes()
	if dims != 2 && dims != 3 {
		return p.problem("plotting: PCA(%q): dims = %d: must be 2 or 3", title, dims)
	}
	if x == nil {
		return p.problem("plotting: PCA(%q): nil matrix", title)
	}
	n, d := x.Dims()
	if n < 2 || d < 1 {
		return p.problem("plotting: PCA(%q): need at least 2 rows (points) and 1 column, got %d×%d", title, n, d)
	}
	if groups != nil && len(groups) != n {
		return p.problem("plotting: PCA(%q): len(groups) = %d but x has %d rows", title, len(groups), n)
	}
	scores, ratio, err := principal(x, dims)
	if err != nil {
		return p.problem("plotting: PCA(%q): %v", title, err)
	}
	k := min(dims, len(ratio))
	lab := func(j int) string {
		if j >= k {
			return fmt.Sprintf("PC%d (0%%)", j+1)
		}
		return fmt.Sprintf("PC%d (%.1f%%)", j+1, 100*ratio[j])
	}
	p = p.XLabel(lab(0)).YLabel(lab(1))
	if dims == 3 {
		p = p.ZLabel(lab(2))
	}
	var order []string
	members := map[string][]int{}
	for i := range n {
		g := title
		if groups != nil {
			g = groups[i]
		}
		if _, ok := members[g]; !ok {
			order = append(order, g)
		}
		members[g] = append(members[g], i)
	}
	for _, g := range order {
		var cx, cy, cz []float64
		for _, i := range members[g] {
			cx, cy = append(cx, scores.At(i, 0)), append(cy, scores.At(i, 1))
			if dims == 3 {
				cz = append(cz, scores.At(i, 2))
			}
		}
		if dims == 3 {
			p = p.Scatter3D(g, cx, cy, cz)
		} else {
			p = p.Scatter(g, cx, cy)
		}
	}
	return p
}

// principal returns the scores of the rows of x on the first k principal
// components (n×k, zero columns past the rank) and the fraction of the
// variance each component explains. Signs are fixed so that the largest
// loading of each component is positive.
func principal(x mat.Matrix, k int) (*mat.Dense, []float64, error) {
	n, d := x.Dims()
	c := mat.DenseCopyOf(x)
	for j := range d {
		var s float64
		for i := range n {
			v := c.At(i, j)
			if !finite(v) {
				return nil, nil, fmt.Errorf("entry (%d, %d) = %g: PCA needs finite data", i, j, v)
			}
			s += v
		}
		m := s / float64(n)
		for i := range n {
			c.Set(i, j, c.At(i, j)-m)
		}
	}
	var svd mat.SVD
	if !svd.Factorize(c, mat.SVDThin) {
		return nil, nil, fmt.Errorf("SVD did not converge")
	}
	sv := svd.Values(nil)
	var v mat.Dense
	svd.VTo(&v)
	var total float64
	for _, s := range sv {
		total += s * s
	}
	if total == 0 {
		return nil, nil, fmt.Errorf("all rows are equal: no variance")
	}
	r := min(k, len(sv))
	ratio := make([]float64, r)
	for j := range r {
		ratio[j] = sv[j] * sv[j] / total
		if ratio[j] < 1e-12 { // past the rank: rounding noise, not a direction
			r = j
			ratio = ratio[:j]
			break
		}
	}
	scores := mat.NewDense(n, k, nil)
	for j := range r {
		// Sign: largest |loading| positive.
		best, sign := 0.0, 1.0
		for a := range d {
			if l := v.At(a, j); math.Abs(l) > best+1e-12 {
				best, sign = math.Abs(l), math.Copysign(1, l)
			}
		}
		for i := range n {
			var s float64
			for a := range d {
				s += c.At(i, a) * v.At(a, j)
			}
			scores.Set(i, j, sign*s)
		}
	}
	return scores, ratio, nil
}

// NeuronTuning returns the tuning of each hidden neuron (paper A Fig.
// 4D–E): its preactivation vector h_k over the stimuli (pre, P×M, rows =
// stimuli, as rep's Network.Preactivation) above its output weights w2_k
// (w2, dY×M, as Network.Readout), both as heatmaps with the neurons in the
// same order: grouped by the output unit they project to most strongly,
// positive weights first, strongest first. A modular solution shows as
// blocks; the column labels are the original neuron indices.
func NeuronTuning(pre, w2 mat.Matrix) Figure {
	bad := func(format string, args ...any) Figure {
		return NewFigure(NewPlot("").problem(format, args...))
	}
	if pre == nil || w2 == nil {
		return bad("plotting: NeuronTuning: nil matrix")
	}
	P, M := pre.Dims()
	dY, M2 := w2.Dims()
	if M != M2 {
		return bad("plotting: NeuronTuning: pre is %d×%d (P×M) but w2 is %d×%d (dY×M): the neuron counts differ", P, M, dY, M2)
	}
	if P == 0 || M == 0 || dY == 0 {
		return bad("plotting: NeuronTuning: empty matrix (pre %d×%d, w2 %d×%d)", P, M, dY, M2)
	}
	type key struct {
		unit int
		neg  bool
		mag  float64
		k    int
	}
	keys := make([]key, M)
	for k := range M {
		best, unit := -1.0, 0
		for j := range dY {
			if a := math.Abs(w2.At(j, k)); a > best {
				best, unit = a, j
			}
		}
		keys[k] = key{unit, w2.At(unit, k) < 0, best, k}
	}
	sort.SliceStable(keys, func(a, b int) bool {
		ka, kb := keys[a], keys[b]
		if ka.unit != kb.unit {
			return ka.unit < kb.unit
		}
		if ka.neg != kb.neg {
			return !ka.neg
		}
		return ka.mag > kb.mag
	})
	h := mat.NewDense(P, M, nil)
	w := mat.NewDense(dY, M, nil)
	labels := make([]string, M)
	for c, kk := range keys {
		for i := range P {
			h.Set(i, c, pre.At(i, kk.k))
		}
		for j := range dY {
			w.Set(j, c, w2.At(j, kk.k))
		}
		labels[c] = fmt.Sprint(kk.k)
	}
	top := NewPlot("preactivation h_k").XLabel("neuron k").YLabel("stimulus").Colormap(Diverging).Heatmap(h)
	bottom := NewPlot("output weights w2_k").XLabel("neuron k").YLabel("output unit").Colormap(Diverging).Heatmap(w)
	for _, p := range []*Plot{&top, &bottom} {
		if len(p.layers) == 1 {
			p.layers[0].colLabels = labels
		}
	}
	return NewFigure(top, bottom).Cols(1).PanelSize(max(DefaultPanelWidth, min(4000, 120+10*M)), 260)
}
