package plotting

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The static backend: gonum/plot, one *plot.Plot per panel drawn into its
// box of one canvas (SVG, PNG or PDF).

// pt converts CSS pixels to points.
func pt(px int) vg.Length { return vg.Length(px) * 0.75 }

var (
	sans     = font.Font{Typeface: "Liberation", Variant: "Sans"}
	sansBold = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold}
	black    = color.NRGBA{0x22, 0x22, 0x22, 255}
)

func textStyle(f font.Font, size vg.Length) text.Style {
	return text.Style{Color: black, Font: font.From(f, size), Handler: plot.DefaultTextHandler}
}

// drawStatic draws the figure on c, whose size is L.size() in points.
func drawStatic(L *layout, c vg.Canvas) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plotting: drawing failed: %v", r)
		}
	}()
	W, H := L.size()
	dc := draw.NewCanvas(c, pt(W), pt(H))
	// White background.
	c.SetColor(color.White)
	c.Fill(rectPath(0, 0, pt(W), pt(H)))

	y := pt(H) // top, going down
	if L.title != "" {
		sty := textStyle(sansBold, 13)
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
		dc.FillText(sty, vg.Point{X: pt(W) / 2, Y: y - pt(titleH)/2}, L.title)
		y -= pt(titleH)
	}
	if len(L.legend) > 0 {
		drawLegend(L, dc, y-pt(legendH)/2, pt(W))
	}
	for i, p := range L.panels {
		x0, y0 := L.box(i)
		box := draw.Canvas{Canvas: c, Rectangle: vg.Rectangle{
			Min: vg.Point{X: pt(x0), Y: pt(H - y0 - L.ph)},
			Max: vg.Point{X: pt(x0 + L.pw), Y: pt(H - y0)},
		}}
		if err := drawPanel(L, i, p, box); err != nil {
			return fmt.Errorf("panel %s: %w", panelLabel(i), err)
		}
	}
	if L.shared != nil {
		x := pt(L.cols * L.pw)
		bar := draw.Canvas{Canvas: c, Rectangle: vg.Rectangle{
			Min: vg.Point{X: x, Y: pt(H-L.header-L.rows*L.ph) + 40},
			Max: vg.Point{X: x + pt(L.colorbarW), Y: pt(H-L.header) - 30},
		}}
		drawColorBar(*L.shared, bar)
	}
	return nil
}

func rectPath(x0, y0, x1, y1 vg.Length) vg.Path {
	var p vg.Path
	p.Move(vg.Point{X: x0, Y: y0})
	p.Line(vg.Point{X: x1, Y: y0})
	p.Line(vg.Point{X: x1, Y: y1})
	p.Line(vg.Point{X: x0, Y: y1})
	p.Close()
	return p
}

// drawLegend draws the shared legend as one centred row at height y.
func drawLegend(L *layout, dc draw.Canvas, y, width vg.Length) {
	sty := textStyle(sans, 9.5)
	sty.YAlign = draw.YCenter
	const sw, gap = 18, 14
	var total vg.Length
	for _, name := range L.legend {
		total += sw + 4 + sty.Width(name) + gap
	}
	x := (width - total + gap) / 2
	if x < 4 {
		x = 4
	}
	for _, name := range L.legend {
		col := mustHex(L.colors[name])
		kind := legendKind(L, name)
		thumb := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: x, Y: y - 5}, Max: vg.Point{X: x + sw, Y: y + 5}}}
		switch kind {
		case kColorScatter: // colored by value: a neutral swatch
			thumb.DrawGlyph(draw.GlyphStyle{Color: mustHex("#777777"), Radius: 3, Shape: draw.CircleGlyph{}}, thumb.Center())
		case kScatter, kScatter3D:
			thumb.DrawGlyph(draw.GlyphStyle{Color: col, Radius: 3, Shape: draw.CircleGlyph{}}, thumb.Center())
		case kBars:
			thumb.SetColor(col)
			thumb.Fill(rectPath(x+3, y-5, x+sw-3, y+5))
		default:
			if kind == kBand {
				thumb.SetColor(withAlpha(col, 0.25))
				thumb.Fill(rectPath(x, y-5, x+sw, y+5))
			}
			ls := draw.LineStyle{Color: col, Width: 1.5}
			if legendDashed(L, name) {
				ls.Dashes = []vg.Length{4, 2}
			}
			thumb.StrokeLine2(ls, x, y, x+sw, y)
		}
		dc.FillText(sty, vg.Point{X: x + sw + 4, Y: y}, name)
		x += sw + 4 + sty.Width(name) + gap
	}
}

func legendKind(L *layout, name string) layerKind {
	for _, p := range L.panels {
		for _, l := range p.layers {
			if l.name == name {
				return l.kind
			}
		}
	}
	return kLine
}

func legendDashed(L *layout, name string) bool {
	for _, p := range L.panels {
		for _, l := range p.layers {
			if l.name == name {
				return l.dashed
			}
		}
	}
	return false
}

// drawPanel draws panel i into box.
func drawPanel(L *layout, i int, p Plot, box draw.Canvas) error {
	if L.labels {
		defer func() {
			sty := textStyle(sansBold, 13)
			sty.XAlign, sty.YAlign = draw.XLeft, draw.YTop
			box.FillText(sty, vg.Point{X: box.Min.X + 4, Y: box.Max.Y - 3}, panelLabel(i))
		}()
	}
	area := box
	area.Max.Y -= 4
	if L.labels {
		area.Min.X += 12
	}
	if L.ownBar(i) {
		bar := area
		bar.Min.X = area.Max.X - pt(L.colorbarW)
		bar.Min.Y += 40
		bar.Max.Y -= 30
		area.Max.X = bar.Min.X
		drawColorBar(*L.scales[i], bar)
	}
	if p.family() == fam3D {
		return drawPairs(L, p, area)
	}
	pl, err := buildStatic(L, i, p)
	if err != nil {
		return err
	}
	if p.square() {
		d := pl.DataCanvas(area)
		if w, h := d.Max.X-d.Min.X, d.Max.Y-d.Min.Y; w > h {
			area.Min.X += (w - h) / 2
			area.Max.X -= (w - h) / 2
		} else if h > w {
			area.Min.Y += (h - w) / 2
			area.Max.Y -= (h - w) / 2
		}
	}
	pl.Draw(area)
	return nil
}

func newStaticPlot(title, xl, yl string) *plot.Plot {
	pl := plot.New()
	pl.Title.Text = title
	pl.Title.TextStyle.Font = font.From(sans, 11)
	pl.Title.TextStyle.Color = black
	pl.Title.Padding = 6
	for _, a := range []*plot.Axis{&pl.X, &pl.Y} {
		a.Label.TextStyle.Font = font.From(sans, 10)
		a.Tick.Label.Font = font.From(sans, 8.5)
		a.Label.TextStyle.Color, a.Tick.Label.Color = black, black
		a.Color, a.Tick.Color = black, black
		a.Width, a.Tick.Width = 0.75, 0.75
		a.Tick.Length = 4
		a.Padding = 2
	}
	pl.X.Label.Text, pl.Y.Label.Text = xl, yl
	pl.X.Tick.Marker, pl.Y.Tick.Marker = cleanTicks{}, cleanTicks{}
	pl.Legend.TextStyle.Font = font.From(sans, 9)
	return pl
}

// cleanTicks are gonum's default ticks with short labels ("250", not
// "250.00").
type cleanTicks struct{}

func (cleanTicks) Ticks(min, max float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = strconv.FormatFloat(ts[i].Value, 'g', 6, 64)
		}
	}
	return ts
}

// buildStatic makes the gonum plot of a 2-D panel.
func buildStatic(L *layout, i int, p Plot) (*plot.Plot, error) {
	pl := newStaticPlot(p.title, p.xLabel, p.yLabel)
	switch p.family() {
	case famXY:
		if err := addXY(L, i, p, pl); err != nil {
			return nil, err
		}
	case famBars:
		if err := addBars(L, p, pl); err != nil {
			return nil, err
		}
	case famMatrix:
		addHeatmap(*L.scales[i], p.layers[0], pl)
	}
	if p.equal {
		r := p.equalRange()
		pl.X.Min, pl.X.Max, pl.Y.Min, pl.Y.Max = -r, r, -r, r
	}
	return pl, nil
}

// usable says whether (x, y) can be drawn on the plot's axes.
func usable(p Plot, x, y float64) bool {
	return finite(x) && finite(y) && (!p.logX || x > 0) && (!p.logY || y > 0)
}

// segments splits the points into maximal runs of usable points.
func segments(p Plot, x, y []float64) [][2]int {
	var segs [][2]int
	start := -1
	for i := range x {
		ok := usable(p, x[i], y[i])
		switch {
		case ok && start < 0:
			start = i
		case !ok && start >= 0:
			segs = append(segs, [2]int{start, i})
			start = -1
		}
	}
	if start >= 0 {
		segs = append(segs, [2]int{start, len(x)})
	}
	return segs
}

func xys(x, y []float64) plotter.XYs {
	out := make(plotter.XYs, len(x))
	for i := range x {
		out[i] = plotter.XY{X: x[i], Y: y[i]}
	}
	return out
}

func addXY(L *layout, i int, p Plot, pl *plot.Plot) error {
	if p.logX {
		pl.X.Scale, pl.X.Tick.Marker = plot.LogScale{}, plot.LogTicks{Prec: -1}
	}
	if p.logY {
		pl.Y.Scale, pl.Y.Tick.Marker = plot.LogScale{}, plot.LogTicks{Prec: -1}
	}
	drawn := 0
	for _, l := range p.layers {
		col := mustHex(L.colors[l.name])
		switch l.kind {
		case kBand:
			for _, s := range segments(p, l.x, l.lo) {
				// Only the part where lo and hi are both usable.
				for _, t := range segments(p, l.x[s[0]:s[1]], l.hi[s[0]:s[1]]) {
					a, b := s[0]+t[0], s[0]+t[1]
					if b-a < 2 {
						continue
					}
					ring := append(xys(l.x[a:b], l.hi[a:b]), reversed(xys(l.x[a:b], l.lo[a:b]))...)
					poly, err := plotter.NewPolygon(ring)
					if err != nil {
						return err
					}
					poly.Color = withAlpha(col, 0.22)
					poly.LineStyle.Width = 0
					pl.Add(poly)
					drawn++
				}
			}
			if err := addLine(p, pl, l, col); err != nil {
				return err
			}
		case kLine:
			if err := addLine(p, pl, l, col); err != nil {
				return err
			}
		case kScatter:
			pts := usablePoints(p, l.x, l.y)
			if len(pts) == 0 {
				continue
			}
			s, err := plotter.NewScatter(pts)
			if err != nil {
				return err
			}
			s.GlyphStyle = draw.GlyphStyle{Color: col, Radius: 2.6, Shape: draw.CircleGlyph{}}
			pl.Add(s)
		case kColorScatter:
			sc := *L.scales[i]
			var idx []int
			for k := range l.x {
				if usable(p, l.x[k], l.y[k]) {
					idx = append(idx, k)
				}
			}
			if len(idx) == 0 {
				continue
			}
			pts := make(plotter.XYs, len(idx))
			for k, j := range idx {
				pts[k] = plotter.XY{X: l.x[j], Y: l.y[j]}
			}
			s, err := plotter.NewScatter(pts)
			if err != nil {
				return err
			}
			s.GlyphStyleFunc = func(k int) draw.GlyphStyle {
				v := l.c[idx[k]]
				if !finite(v) {
					return draw.GlyphStyle{Color: mustHex(nanGray), Radius: 3, Shape: draw.RingGlyph{}}
				}
				return draw.GlyphStyle{Color: sc.at(v), Radius: 3.2, Shape: draw.CircleGlyph{}}
			}
			pl.Add(s)
		case kArrows:
			pl.Add(&arrows{x: l.x, y: l.y, u: l.u, v: l.v, color: col, p: p})
		}
	}
	return nil
}

func reversed(s plotter.XYs) plotter.XYs {
	out := make(plotter.XYs, len(s))
	for i := range s {
		out[i] = s[len(s)-1-i]
	}
	return out
}

func usablePoints(p Plot, x, y []float64) plotter.XYs {
	var pts plotter.XYs
	for k := range x {
		if usable(p, x[k], y[k]) {
			pts = append(pts, plotter.XY{X: x[k], Y: y[k]})
		}
	}
	return pts
}

func addLine(p Plot, pl *plot.Plot, l layer, col color.NRGBA) error {
	ls := draw.LineStyle{Color: col, Width: 1.5}
	if l.dashed {
		ls.Dashes = []vg.Length{5, 3}
	}
	var ends plotter.XYs
	for _, s := range segments(p, l.x, l.y) {
		pts := xys(l.x[s[0]:s[1]], l.y[s[0]:s[1]])
		if len(pts) == 1 { // an isolated point between gaps: a dot
			sc, err := plotter.NewScatter(pts)
			if err != nil {
				return err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: 1.5, Shape: draw.CircleGlyph{}}
			pl.Add(sc)
		} else {
			ln, err := plotter.NewLine(pts)
			if err != nil {
				return err
			}
			ln.LineStyle = ls
			pl.Add(ln)
		}
		if l.ends {
			ends = append(ends, pts[len(pts)-1])
		}
	}
	if len(ends) > 0 {
		sc, err := plotter.NewScatter(ends)
		if err != nil {
			return err
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: 2.2, Shape: draw.CircleGlyph{}}
		pl.Add(sc)
	}
	return nil
}

// arrows is a quiver plotter: a line from each tail along (u, v) (already
// scaled to data units) with a filled head of fixed screen size.
type arrows struct {
	x, y, u, v []float64
	color      color.NRGBA
	p          Plot
}

func (a *arrows) Plot(c draw.Canvas, pl *plot.Plot) {
	trX, trY := pl.Transforms(&c)
	ls := draw.LineStyle{Color: a.color, Width: 1}
	c.SetColor(a.color)
	for i := range a.x {
		x1, y1 := a.x[i]+a.u[i], a.y[i]+a.v[i]
		if !usable(a.p, a.x[i], a.y[i]) || !usable(a.p, x1, y1) {
			continue
		}
		p0 := vg.Point{X: trX(a.x[i]), Y: trY(a.y[i])}
		p1 := vg.Point{X: trX(x1), Y: trY(y1)}
		d := p1.Sub(p0)
		n := math.Hypot(float64(d.X), float64(d.Y))
		if n < 0.5 {
			continue
		}
		head := vg.Length(math.Min(4.5, 0.45*n))
		ux, uy := vg.Length(float64(d.X)/n), vg.Length(float64(d.Y)/n)
		base := vg.Point{X: p1.X - ux*head, Y: p1.Y - uy*head}
		c.StrokeLine2(ls, p0.X, p0.Y, base.X, base.Y)
		var tri vg.Path
		tri.Move(p1)
		tri.Line(vg.Point{X: base.X - uy*head*0.45, Y: base.Y + ux*head*0.45})
		tri.Line(vg.Point{X: base.X + uy*head*0.45, Y: base.Y - ux*head*0.45})
		tri.Close()
		c.Fill(tri)
	}
}

func (a *arrows) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for i := range a.x {
		for _, q := range [][2]float64{{a.x[i], a.y[i]}, {a.x[i] + a.u[i], a.y[i] + a.v[i]}} {
			if usable(a.p, q[0], q[1]) {
				xmin, xmax = math.Min(xmin, q[0]), math.Max(xmax, q[0])
				ymin, ymax = math.Min(ymin, q[1]), math.Max(ymax, q[1])
			}
		}
	}
	return
}

// barErrs adapts bar positions and errors to plotter.YErrorBars.
type barErrs struct{ x, y, e []float64 }

func (b barErrs) Len() int                    { return len(b.x) }
func (b barErrs) XY(i int) (float64, float64) { return b.x[i], b.y[i] }
func (b barErrs) YError(i int) (float64, float64) {
	return b.e[i], b.e[i]
}

func addBars(L *layout, p Plot, pl *plot.Plot) error {
	n := len(p.layers)
	cats := p.layers[0].cats
	const group = 0.8 // fraction of a category's width taken by its bars
	// Width in points of one bar: resolved at draw time is not possible
	// with BarChart, so use a width relative to a typical panel.
	plotW := pt(L.pw) - 70
	catW := plotW / vg.Length(len(cats))
	w := catW * group / vg.Length(n)
	for k, l := range p.layers {
		col := mustHex(L.colors[l.name])
		vals := make(plotter.Values, len(l.y))
		for j, v := range l.y {
			if finite(v) {
				vals[j] = v
			}
		}
		b, err := plotter.NewBarChart(vals, w)
		if err != nil {
			return err
		}
		b.Color = col
		b.LineStyle.Width = 0
		b.Offset = (vg.Length(k) - vg.Length(n-1)/2) * w
		pl.Add(b)
		if l.errs != nil {
			var e barErrs
			for j := range l.y {
				if finite(l.y[j]) && finite(l.errs[j]) {
					off := (float64(k) - float64(n-1)/2) * group / float64(n)
					e.x, e.y, e.e = append(e.x, float64(j)+off), append(e.y, l.y[j]), append(e.e, l.errs[j])
				}
			}
			if len(e.x) > 0 {
				eb, err := plotter.NewYErrorBars(e)
				if err != nil {
					return err
				}
				eb.LineStyle = draw.LineStyle{Color: black, Width: 1}
				eb.CapWidth = 4
				pl.Add(eb)
			}
		}
	}
	pl.NominalX(cats...)
	pl.X.Tick.Label.XAlign = draw.XCenter
	return nil
}

// heatGrid adapts a layer's matrix to plotter.GridXYZ; with flip (matrix
// orientation) row 0 of the matrix is the top row of cells.
type heatGrid struct {
	l    layer
	flip bool
}

func (g heatGrid) Dims() (c, r int) { r, c = g.l.m.Dims(); return c, r }
func (g heatGrid) Z(c, r int) float64 {
	if g.flip {
		rows, _ := g.l.m.Dims()
		r = rows - 1 - r
	}
	v := g.l.m.At(r, c)
	if !finite(v) {
		return math.NaN()
	}
	return v
}
func (g heatGrid) X(c int) float64 { return float64(c) }
func (g heatGrid) Y(r int) float64 { return float64(r) }

// labelTicks puts at most about max labelled ticks at integer positions;
// with flip, label i sits at position len-1-i.
func labelTicks(labels []string, max int, flip bool) plot.ConstantTicks {
	step := 1
	for len(labels)/step > max {
		step++
	}
	var ts plot.ConstantTicks
	for i := 0; i < len(labels); i += step {
		v := float64(i)
		if flip {
			v = float64(len(labels) - 1 - i)
		}
		ts = append(ts, plot.Tick{Value: v, Label: labels[i]})
	}
	return ts
}

func addHeatmap(s scale, l layer, pl *plot.Plot) {
	r, c := l.m.Dims()
	if r*c > 128*128 {
		// Large: one image, a pixel per cell (row 0 of the image is the
		// top row of cells).
		img := image.NewNRGBA(image.Rect(0, 0, c, r))
		for i := range r {
			row := i
			if !l.matrix {
				row = r - 1 - i
			}
			for j := range c {
				img.Set(j, row, s.at(l.m.At(i, j)))
			}
		}
		pl.Add(plotter.NewImage(img, -0.5, -0.5, float64(c)-0.5, float64(r)-0.5))
	} else {
		cm := &colorMap{s: s}
		h := plotter.NewHeatMap(heatGrid{l: l, flip: l.matrix}, cm.Palette(256))
		h.Min, h.Max = s.min, s.max
		h.Underflow, h.Overflow = s.at(s.min), s.at(s.max)
		h.NaN = mustHex(nanGray)
		pl.Add(h)
	}
	pl.X.Tick.Marker = labelTicks(l.colLabels, 8, false)
	pl.Y.Tick.Marker = labelTicks(l.rowLabels, 8, l.matrix)
	pl.X.Padding, pl.Y.Padding = 0, 0
}

func drawColorBar(s scale, c draw.Canvas) {
	pl := plot.New()
	pl.HideX()
	pl.Y.Label.Text = s.label
	pl.Y.Label.TextStyle.Font = font.From(sans, 10)
	pl.Y.Tick.Label.Font = font.From(sans, 8.5)
	pl.Y.Tick.Length = 4
	pl.Y.Tick.Marker = cleanTicks{}
	pl.Y.Padding = 0
	pl.Add(&plotter.ColorBar{ColorMap: &colorMap{s: s}, Vertical: true, Colors: 256})
	// A narrow bar at the right of the strip, ticks on its left.
	c.Min.X = c.Max.X - 56
	c.Max.X -= 14
	pl.Draw(c)
}

// drawPairs draws a 3-D panel as its three 2-D projections side by side.
func drawPairs(L *layout, p Plot, area draw.Canvas) error {
	labels := [3]string{p.xLabel, p.yLabel, p.zLabel}
	for k, name := range labels {
		if name == "" {
			labels[k] = [3]string{"x", "y", "z"}[k]
		}
	}
	pairs := [3][2]int{{0, 1}, {0, 2}, {1, 2}}
	// The title spans the three plots.
	if p.title != "" {
		sty := textStyle(sans, 11)
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
		area.FillText(sty, vg.Point{X: (area.Min.X + area.Max.X) / 2, Y: area.Max.Y - 6}, p.title)
		area.Max.Y -= 22
	}
	w := (area.Max.X - area.Min.X) / 3
	for k, pr := range pairs {
		pl := newStaticPlot("", labels[pr[0]], labels[pr[1]])
		for _, l := range p.layers {
			cols := [3][]float64{l.x, l.y, l.z}
			pts := usablePoints(Plot{}, cols[pr[0]], cols[pr[1]])
			if len(pts) == 0 {
				continue
			}
			s, err := plotter.NewScatter(pts)
			if err != nil {
				return err
			}
			s.GlyphStyle = draw.GlyphStyle{Color: mustHex(L.colors[l.name]), Radius: 2.2, Shape: draw.CircleGlyph{}}
			pl.Add(s)
		}
		if p.equal {
			r := p.equalRange()
			pl.X.Min, pl.X.Max, pl.Y.Min, pl.Y.Max = -r, r, -r, r
		}
		sub := area
		sub.Min.X = area.Min.X + vg.Length(k)*w
		sub.Max.X = sub.Min.X + w
		if p.equal { // square data area, centred in the strip
			d := pl.DataCanvas(sub)
			if dw, dh := d.Max.X-d.Min.X, d.Max.Y-d.Min.Y; dh > dw {
				sub.Max.Y -= (dh - dw) / 2
				sub.Min.Y += (dh - dw) / 2
			}
		}
		pl.Draw(sub)
	}
	return nil
}
