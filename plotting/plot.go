package plotting

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Plot is one panel of a figure: axes, labels and the layers drawn on them
// (lines, mean ± sd bands, scatters, bars, a heatmap, arrows, a 3-D
// scatter). It is a value builder: every method returns a new Plot and
// never panics; a bad argument is recorded and returned, with all the
// others, by the terminal verbs (Save, Show, HTML, SVG, …). Data are copied
// when added, so later changes to the caller's slices do not change the
// plot. The zero value is an empty plot.
//
// Layers of one plot share its axes, so they must be of one family:
// numeric x–y layers (Line, Band, MeanSD, Scatter, ColorScatter, Arrows,
// Trajectories), category bars (Bars), one matrix (Heatmap, Grid), or 3-D
// points (Scatter3D).
type Plot struct {
	title, xLabel, yLabel, zLabel, colorLabel string
	logX, logY                                bool
	cmap                                      Colormap
	crange                                    *[2]float64
	layers                                    []layer
	problems                                  []error
	colors                                    map[string]string
	equal                                     bool // all axes on one symmetric range, square data area (PCA)
}

// NewPlot returns an empty plot with the given title (may be empty).
func NewPlot(title string) Plot { return Plot{title: title} }

// family is what kind of axes a plot has, decided by its first layer.
type family int

const (
	famNone family = iota
	famXY
	famBars
	famMatrix
	fam3D
)

func (f family) String() string {
	return [...]string{"empty", "x–y", "bars", "matrix", "3-D"}[f]
}

type layerKind int

const (
	kLine layerKind = iota
	kBand
	kScatter
	kColorScatter
	kBars
	kHeatmap
	kArrows
	kScatter3D
)

func (k layerKind) family() family {
	switch k {
	case kBars:
		return famBars
	case kHeatmap:
		return famMatrix
	case kScatter3D:
		return fam3D
	}
	return famXY
}

func (k layerKind) String() string {
	return [...]string{"line", "band", "scatter", "color scatter", "bars", "heatmap", "arrows", "3-D scatter"}[k]
}

// layer is one data series of a plot, validated and copied.
type layer struct {
	kind layerKind
	name string
	// x, y: points (line, scatter, arrows' tails); y is the mean for a band.
	x, y []float64
	// lo, hi: band limits (mean ∓ sd).
	lo, hi []float64
	// c: color values (color scatter); z: third coordinate (3-D).
	c, z []float64
	// u, v: arrow vectors in data units (already scaled for drawing).
	u, v []float64
	// cats, errs: bars.
	cats []string
	errs []float64
	// m: heatmap values, rows top to bottom, and axis labels.
	m                    *mat.Dense
	rowLabels, colLabels []string
	matrix               bool // matrix orientation (row 0 at the top)
	ends                 bool // mark the last point of each line segment
	dashed               bool
}

// with returns a copy of p with one more layer, or with a problem recorded.
func (p Plot) with(l layer, err error) Plot {
	if err != nil {
		p.problems = append(p.problems[:len(p.problems):len(p.problems)], err)
		return p
	}
	if f := p.family(); f != famNone && f != l.kind.family() {
		p.problems = append(p.problems[:len(p.problems):len(p.problems)],
			fmt.Errorf("plotting: cannot add a %v layer %q to a plot of %v layers: use another panel", l.kind, l.name, f))
		return p
	}
	if l.kind == kHeatmap && p.family() == famMatrix {
		p.problems = append(p.problems[:len(p.problems):len(p.problems)],
			fmt.Errorf("plotting: a plot holds one heatmap; %q is a second one: use another panel", l.name))
		return p
	}
	p.layers = append(p.layers[:len(p.layers):len(p.layers)], l)
	return p
}

func (p Plot) problem(format string, args ...any) Plot {
	p.problems = append(p.problems[:len(p.problems):len(p.problems)], fmt.Errorf(format, args...))
	return p
}

func (p Plot) family() family {
	if len(p.layers) == 0 {
		return famNone
	}
	return p.layers[0].kind.family()
}

// Title returns p with the given panel title.
func (p Plot) Title(s string) Plot { p.title = s; return p }

// XLabel returns p with the given x-axis label.
func (p Plot) XLabel(s string) Plot { p.xLabel = s; return p }

// YLabel returns p with the given y-axis label.
func (p Plot) YLabel(s string) Plot { p.yLabel = s; return p }

// ZLabel returns p with the given z-axis label (3-D plots).
func (p Plot) ZLabel(s string) Plot { p.zLabel = s; return p }

// ColorLabel returns p with the given label for its color bar.
func (p Plot) ColorLabel(s string) Plot { p.colorLabel = s; return p }

// LogX returns p with a logarithmic x axis. Values ≤ 0 cannot be shown on
// it and are drawn as gaps.
func (p Plot) LogX() Plot { p.logX = true; return p }

// LogY returns p with a logarithmic y axis. Values ≤ 0 cannot be shown on
// it and are drawn as gaps.
func (p Plot) LogY() Plot { p.logY = true; return p }

// Colormap returns p with the given colormap for its heatmap or color
// scatter (default Auto).
func (p Plot) Colormap(c Colormap) Plot {
	if c < Auto || c > Diverging {
		return p.problem("plotting: Plot.Colormap(%d): must be Auto, Viridis or Diverging", int(c))
	}
	p.cmap = c
	return p
}

// ColorRange returns p with a fixed color scale [min, max] instead of the
// range of its data; values outside it take the end colors.
func (p Plot) ColorRange(min, max float64) Plot {
	if !(min < max) || math.IsInf(min, 0) || math.IsInf(max, 0) {
		return p.problem("plotting: Plot.ColorRange(%g, %g): need finite min < max", min, max)
	}
	p.crange = &[2]float64{min, max}
	return p
}

// SeriesColor returns p with a fixed color (CSS hex "#rrggbb") for the
// series of the given name, overriding the figure's palette.
func (p Plot) SeriesColor(name, hex string) Plot {
	if _, err := parseHex(hex); err != nil {
		return p.problem("plotting: Plot.SeriesColor(%q, %q): %v", name, hex, err)
	}
	m := make(map[string]string, len(p.colors)+1)
	for k, v := range p.colors {
		m[k] = v
	}
	m[name] = strings.ToLower(hex)
	p.colors = m
	return p
}

// Line returns p with a line through the points (x[i], y[i]). A nil x
// means 0, 1, 2, …. NaN or ±Inf values are drawn as gaps.
func (p Plot) Line(name string, x, y []float64) Plot {
	x, y, err := xyCopy("Line", name, x, y)
	return p.with(layer{kind: kLine, name: name, x: x, y: y}, err)
}

// DashedLine is Line drawn dashed (a theory curve next to simulations).
func (p Plot) DashedLine(name string, x, y []float64) Plot {
	x, y, err := xyCopy("DashedLine", name, x, y)
	return p.with(layer{kind: kLine, name: name, x: x, y: y, dashed: true}, err)
}

// Band returns p with the mean over runs (one slice per seed, each as long
// as x) drawn as a line and mean ± sd (sample standard deviation) as a
// shaded band. A NaN in any run makes a gap at that x: a diverged seed is
// shown, not averaged away. A nil x means 0, 1, 2, ….
func (p Plot) Band(name string, x []float64, runs [][]float64) Plot {
	if len(runs) == 0 {
		return p.problem("plotting: Plot.Band(%q): no runs", name)
	}
	n := len(runs[0])
	for i, r := range runs {
		if len(r) != n {
			return p.problem("plotting: Plot.Band(%q): run %d has %d values but run 0 has %d: runs must have equal lengths", name, i, len(r), n)
		}
	}
	mean, sd := make([]float64, n), make([]float64, n)
	for j := range n {
		var s float64
		for _, r := range runs {
			s += r[j]
		}
		m := s / float64(len(runs))
		var ss float64
		for _, r := range runs {
			ss += (r[j] - m) * (r[j] - m)
		}
		mean[j] = m
		if len(runs) > 1 {
			sd[j] = math.Sqrt(ss / float64(len(runs)-1))
		}
	}
	return p.meanSD("Band", name, x, mean, sd)
}

// MeanSD returns p with a line through (x, mean) and a shaded band
// mean ± sd. NaN values are drawn as gaps; sd must not be negative.
func (p Plot) MeanSD(name string, x, mean, sd []float64) Plot {
	return p.meanSD("MeanSD", name, x, mean, sd)
}

func (p Plot) meanSD(verb, name string, x, mean, sd []float64) Plot {
	x, y, err := xyCopy(verb, name, x, mean)
	if err != nil {
		return p.with(layer{}, err)
	}
	if len(sd) != len(y) {
		return p.problem("plotting: Plot.%s(%q): len(sd) = %d but len(mean) = %d: they must be equal", verb, name, len(sd), len(y))
	}
	lo, hi := make([]float64, len(y)), make([]float64, len(y))
	for i := range y {
		if sd[i] < 0 {
			return p.problem("plotting: Plot.%s(%q): sd[%d] = %g: must be ≥ 0", verb, name, i, sd[i])
		}
		lo[i], hi[i] = y[i]-sd[i], y[i]+sd[i]
	}
	return p.with(layer{kind: kBand, name: name, x: x, y: y, lo: lo, hi: hi}, nil)
}

// Scatter returns p with the points (x[i], y[i]) as markers. A point with
// a NaN or ±Inf coordinate is not drawn.
func (p Plot) Scatter(name string, x, y []float64) Plot {
	x, y, err := xyCopy("Scatter", name, x, y)
	return p.with(layer{kind: kScatter, name: name, x: x, y: y}, err)
}

// ColorScatter returns p with the points (x[i], y[i]) colored by c[i] on
// the plot's color scale, with a color bar (label it with ColorLabel).
// Points whose c is NaN are drawn hollow gray, so they stay visible.
func (p Plot) ColorScatter(name string, x, y, c []float64) Plot {
	x, y, err := xyCopy("ColorScatter", name, x, y)
	if err == nil && len(c) != len(y) {
		err = fmt.Errorf("plotting: Plot.ColorScatter(%q): len(c) = %d but len(y) = %d: they must be equal", name, len(c), len(y))
	}
	if err == nil && allNaN(c) {
		err = fmt.Errorf("plotting: Plot.ColorScatter(%q): every color value is NaN or ±Inf", name)
	}
	return p.with(layer{kind: kColorScatter, name: name, x: x, y: y, c: clone(c)}, err)
}

// Bars returns p with one bar per category; several Bars layers on the same
// categories are drawn side by side. errs (nil for none) are drawn as ±
// error bars. A NaN value draws no bar.
func (p Plot) Bars(name string, categories []string, values, errs []float64) Plot {
	switch {
	case len(categories) == 0:
		return p.problem("plotting: Plot.Bars(%q): no categories", name)
	case len(values) != len(categories):
		return p.problem("plotting: Plot.Bars(%q): len(values) = %d but len(categories) = %d: they must be equal", name, len(values), len(categories))
	case errs != nil && len(errs) != len(values):
		return p.problem("plotting: Plot.Bars(%q): len(errs) = %d but len(values) = %d: they must be equal (or errs nil)", name, len(errs), len(values))
	}
	for _, l := range p.layers {
		if l.kind == kBars && !equalStrings(l.cats, categories) {
			return p.problem("plotting: Plot.Bars(%q): categories %q differ from those of %q (%q)", name, categories, l.name, l.cats)
		}
	}
	for i, e := range errs {
		if e < 0 {
			return p.problem("plotting: Plot.Bars(%q): errs[%d] = %g: must be ≥ 0", name, i, e)
		}
	}
	return p.with(layer{kind: kBars, name: name, cats: append([]string(nil), categories...), y: clone(values), errs: clone(errs)}, nil)
}

// Heatmap returns p with the matrix m drawn as colored cells, row 0 at the
// top (matrix orientation), with a color bar. Any shape is accepted; NaN
// cells are left blank (gray in static output).
func (p Plot) Heatmap(m mat.Matrix) Plot {
	d, err := matCopy("Heatmap", m)
	if err != nil {
		return p.with(layer{}, err)
	}
	r, c := d.Dims()
	return p.with(layer{kind: kHeatmap, m: d, matrix: true, rowLabels: indexLabels(r), colLabels: indexLabels(c)}, nil)
}

// Kernel is Heatmap for a kernel (Gram) matrix: m must be square.
func (p Plot) Kernel(m mat.Matrix) Plot {
	if m == nil {
		return p.problem("plotting: Plot.Kernel: nil matrix")
	}
	if r, c := m.Dims(); r != c {
		return p.problem("plotting: Plot.Kernel: a kernel must be square, got %d×%d", r, c)
	}
	return p.Heatmap(m)
}

// Grid returns p with a heatmap of values over a 2-D parameter grid:
// z[i][j] is the value at (xs[j], ys[i]), with ys increasing upwards (for
// example z = PS over δ (x) and σ (y), paper B Fig. 3). NaN cells are
// blank.
func (p Plot) Grid(xs, ys []float64, z mat.Matrix) Plot {
	d, err := matCopy("Grid", z)
	if err != nil {
		return p.with(layer{}, err)
	}
	r, c := d.Dims()
	if r != len(ys) || c != len(xs) {
		return p.problem("plotting: Plot.Grid: z is %d×%d but len(ys) = %d, len(xs) = %d: need z len(ys)×len(xs)", r, c, len(ys), len(xs))
	}
	if !allFinite(xs) || !allFinite(ys) {
		return p.problem("plotting: Plot.Grid: xs and ys must be finite")
	}
	return p.with(layer{kind: kHeatmap, m: d, rowLabels: numLabels(ys), colLabels: numLabels(xs)}, nil)
}

// Arrows returns p with an arrow from each (x[i], y[i]) along (u[i], v[i])
// (a quiver plot). Arrows are scaled by one common factor so that the
// longest is as long as the typical spacing between tails (or 1/10 of the
// data span); their relative lengths are exact. Arrows with a NaN are not
// drawn.
func (p Plot) Arrows(name string, x, y, u, v []float64) Plot {
	x, y, err := xyCopy("Arrows", name, x, y)
	if err == nil && (len(u) != len(x) || len(v) != len(x)) {
		err = fmt.Errorf("plotting: Plot.Arrows(%q): len(u) = %d, len(v) = %d but len(x) = %d: they must be equal", name, len(u), len(v), len(x))
	}
	if err != nil {
		return p.with(layer{}, err)
	}
	su, sv := scaleArrows(x, y, u, v)
	return p.with(layer{kind: kArrows, name: name, x: x, y: y, u: su, v: sv}, nil)
}

// Field returns p with arrows of the vector field f sampled on an n×n grid
// over [x0, x1]×[y0, y1] (for example the gradient flow of the weights,
// paper B Fig. 1D).
func (p Plot) Field(name string, f func(x, y float64) (u, v float64), x0, x1, y0, y1 float64, n int) Plot {
	switch {
	case f == nil:
		return p.problem("plotting: Plot.Field(%q): nil function", name)
	case n < 2 || n > 200:
		return p.problem("plotting: Plot.Field(%q): n = %d: must be in [2, 200]", name, n)
	case !(x0 < x1) || !(y0 < y1):
		return p.problem("plotting: Plot.Field(%q): need x0 < x1 and y0 < y1, got [%g, %g]×[%g, %g]", name, x0, x1, y0, y1)
	}
	var x, y, u, v []float64
	for i := range n {
		for j := range n {
			xi := x0 + (x1-x0)*float64(j)/float64(n-1)
			yi := y0 + (y1-y0)*float64(i)/float64(n-1)
			ui, vi := f(xi, yi)
			x, y, u, v = append(x, xi), append(y, yi), append(u, ui), append(v, vi)
		}
	}
	return p.Arrows(name, x, y, u, v)
}

// Trajectories returns p with one line per trajectory (xs[k], ys[k]), all
// in one series, each ending in a dot (the final point). Trajectories of
// different lengths are fine; NaN values make gaps.
func (p Plot) Trajectories(name string, xs, ys [][]float64) Plot {
	if len(xs) == 0 {
		return p.problem("plotting: Plot.Trajectories(%q): no trajectories", name)
	}
	if len(xs) != len(ys) {
		return p.problem("plotting: Plot.Trajectories(%q): %d x trajectories but %d y trajectories", name, len(xs), len(ys))
	}
	var x, y []float64
	for k := range xs {
		if len(xs[k]) != len(ys[k]) {
			return p.problem("plotting: Plot.Trajectories(%q): trajectory %d has %d x but %d y values", name, k, len(xs[k]), len(ys[k]))
		}
		if k > 0 {
			x, y = append(x, math.NaN()), append(y, math.NaN())
		}
		x, y = append(x, xs[k]...), append(y, ys[k]...)
	}
	x, y, err := xyCopy("Trajectories", name, x, y)
	return p.with(layer{kind: kLine, name: name, x: x, y: y, ends: true}, err)
}

// Scatter3D returns p with 3-D points (interactive 3-D in HTML; the three
// pairwise projections in static output). Points with a NaN coordinate are
// not drawn.
func (p Plot) Scatter3D(name string, x, y, z []float64) Plot {
	x, y, err := xyCopy("Scatter3D", name, x, y)
	if err == nil && len(z) != len(x) {
		err = fmt.Errorf("plotting: Plot.Scatter3D(%q): len(z) = %d but len(x) = %d: they must be equal", name, len(z), len(x))
	}
	return p.with(layer{kind: kScatter3D, name: name, x: x, y: y, z: clone(z)}, err)
}

// EqualAxes returns p with every axis on the same symmetric range [-R, R]
// and a square data area, so distances are not distorted (PCA uses it).
func (p Plot) EqualAxes() Plot { p.equal = true; return p }

// equalRange is R for EqualAxes: a round number above the largest
// absolute coordinate.
func (p Plot) equalRange() float64 {
	var m float64
	for _, l := range p.layers {
		for _, s := range [][]float64{l.x, l.y, l.z} {
			for _, v := range s {
				if finite(v) {
					m = math.Max(m, math.Abs(v))
				}
			}
		}
	}
	if m == 0 {
		return 1
	}
	m *= 1.05
	e := math.Pow(10, math.Floor(math.Log10(m)))
	for _, f := range []float64{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if f*e >= m {
			return f * e
		}
	}
	return 10 * e
}

// square says whether the panel's data area should be square.
func (p Plot) square() bool {
	if p.equal {
		return true
	}
	if p.family() == famMatrix && p.layers[0].matrix {
		r, c := p.layers[0].m.Dims()
		return r == c
	}
	return false
}

// Err returns every problem recorded while building p, joined, or nil.
func (p Plot) Err() error { return joinErrs(p.problems) }

// String summarizes the plot: title and layers.
func (p Plot) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "plot %q", p.title)
	if len(p.layers) == 0 {
		b.WriteString(": empty")
	}
	for i, l := range p.layers {
		sep := ", "
		if i == 0 {
			sep = ": "
		}
		b.WriteString(sep)
		b.WriteString(l.kind.String())
		if l.name != "" {
			fmt.Fprintf(&b, " %q", l.name)
		}
		switch {
		case l.m != nil:
			r, c := l.m.Dims()
			fmt.Fprintf(&b, " %d×%d", r, c)
		case l.kind == kBars:
			fmt.Fprintf(&b, " (%d bars)", len(l.cats))
		default:
			fmt.Fprintf(&b, " (%d points)", len(l.x))
		}
	}
	if len(p.problems) > 0 {
		fmt.Fprintf(&b, " [%d problems]", len(p.problems))
	}
	return b.String()
}

// xyCopy validates and copies a pair of coordinate slices. A nil x becomes
// 0, 1, 2, ….
func xyCopy(verb, name string, x, y []float64) ([]float64, []float64, error) {
	if len(y) == 0 {
		return nil, nil, fmt.Errorf("plotting: Plot.%s(%q): empty series", verb, name)
	}
	if x == nil {
		x = make([]float64, len(y))
		for i := range x {
			x[i] = float64(i)
		}
	} else {
		if len(x) != len(y) {
			return nil, nil, fmt.Errorf("plotting: Plot.%s(%q): len(x) = %d but len(y) = %d: they must be equal", verb, name, len(x), len(y))
		}
		x = clone(x)
	}
	if allNaN(y) || allNaN(x) {
		return nil, nil, fmt.Errorf("plotting: Plot.%s(%q): every value is NaN or ±Inf: nothing to draw", verb, name)
	}
	return x, clone(y), nil
}

func matCopy(verb string, m mat.Matrix) (*mat.Dense, error) {
	if m == nil {
		return nil, fmt.Errorf("plotting: Plot.%s: nil matrix", verb)
	}
	r, c := m.Dims()
	if r == 0 || c == 0 {
		return nil, fmt.Errorf("plotting: Plot.%s: empty %d×%d matrix", verb, r, c)
	}
	d := mat.DenseCopyOf(m) // compact: stride = c
	if allNaN(d.RawMatrix().Data) {
		return nil, fmt.Errorf("plotting: Plot.%s: every entry is NaN or ±Inf: nothing to draw", verb)
	}
	return d, nil
}

func clone(s []float64) []float64 {
	if s == nil {
		return nil
	}
	return append([]float64(nil), s...)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func allNaN(s []float64) bool {
	for _, v := range s {
		if finite(v) {
			return false
		}
	}
	return true
}

func allFinite(s []float64) bool {
	for _, v := range s {
		if !finite(v) {
			return false
		}
	}
	return true
}

func equalStrings(a, b []string) bool {
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

func indexLabels(n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = fmt.Sprint(i)
	}
	return s
}

func numLabels(v []float64) []string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprintf("%.3g", x)
	}
	return s
}

// scaleArrows returns (u, v) multiplied by one factor so that the longest
// arrow is as long as the median nearest-neighbour spacing of the tails
// (for a grid, the grid step), or 1/10 of the data span when there is one
// tail.
func scaleArrows(x, y, u, v []float64) ([]float64, []float64) {
	var maxLen float64
	for i := range u {
		if l := math.Hypot(u[i], v[i]); finite(l) && finite(x[i]) && finite(y[i]) {
			maxLen = math.Max(maxLen, l)
		}
	}
	su, sv := make([]float64, len(u)), make([]float64, len(v))
	if maxLen == 0 {
		copy(su, u)
		copy(sv, v)
		return su, sv
	}
	// Typical spacing: median over tails of the nearest other tail (O(n²),
	// n is a few hundred at most in a quiver plot; capped below).
	var dists []float64
	n := len(x)
	step := 1
	if n > 400 {
		step = n / 400
	}
	for i := 0; i < n; i += step {
		best := math.Inf(1)
		for j := range n {
			if j == i || !finite(x[j]) || !finite(y[j]) {
				continue
			}
			if d := math.Hypot(x[i]-x[j], y[i]-y[j]); d > 0 && d < best {
				best = d
			}
		}
		if finite(best) {
			dists = append(dists, best)
		}
	}
	var spacing float64
	if len(dists) > 0 {
		sortFloats(dists)
		spacing = dists[len(dists)/2]
	} else {
		xmin, xmax := minMax(x)
		ymin, ymax := minMax(y)
		spacing = math.Max(xmax-xmin, ymax-ymin) / 10
		if spacing == 0 {
			spacing = 1
		}
	}
	s := 0.9 * spacing / maxLen
	for i := range u {
		su[i], sv[i] = u[i]*s, v[i]*s
	}
	return su, sv
}

// minMax returns the range of the finite values of s (NaN, NaN if none).
func minMax(s []float64) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range s {
		if finite(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if lo > hi {
		return math.NaN(), math.NaN()
	}
	return lo, hi
}
