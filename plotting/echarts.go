package plotting

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// The interactive backend: one ECharts instance per figure, one grid (or
// grid3D) per panel, so one legend toggles a series in every panel and one
// visualMap can color several heatmaps on a shared scale. The option is
// built from go-echarts' option structs; what they cannot express (title
// arrays, visualMap seriesIndex, 3-D grids, silent series) is added
// through go-echarts' ConfigurationVisitor hook.

// num is a number in an option: NaN and ±Inf become "-" (ECharts' missing
// value, drawn as a gap), finite values keep 7 significant digits so the
// option is compact and deterministic.
type num float64

// MarshalJSON implements json.Marshaler.
func (n num) MarshalJSON() ([]byte, error) {
	v := float64(n)
	if !finite(v) {
		return []byte(`"-"`), nil
	}
	return strconv.AppendFloat(nil, v, 'g', 7, 64), nil
}

// jsFunc is JavaScript code in an option: marshalled as a marked string,
// unmarked when the option is written into a page.
type jsFunc string

func (f jsFunc) MarshalJSON() ([]byte, error) {
	if strings.ContainsAny(string(f), "\"\\\n") {
		return nil, fmt.Errorf("plotting: internal JS function holds a quote, backslash or newline")
	}
	return []byte(`"` + funcMark + string(f) + funcMark + `"`), nil
}

const funcMark = "__f__"

// series is a go-echarts series plus the fields go-echarts lacks.
type series struct {
	charts.SingleSeries
	Silent       bool           `json:"silent,omitempty"`
	Tooltip      *showFlag      `json:"tooltip,omitempty"`
	Grid3DIndex  int            `json:"grid3DIndex,omitempty"`
	Sampling     string         `json:"sampling,omitempty"`
	SymbolPair   any            `json:"symbol,omitempty"`
	ZLevel       int            `json:"z,omitempty"`
	ShowSymbol   *bool          `json:"showSymbol,omitempty"`
	RenderItem   jsFunc         `json:"renderItem,omitempty"`
	SymbolSizeAt any            `json:"symbolSize,omitempty"`
	Encode       map[string]any `json:"encode,omitempty"`
	Clip         bool           `json:"clip,omitempty"`
	Progressive  *int           `json:"progressive,omitempty"`
}

type showFlag struct {
	Show bool `json:"show"`
}

func ptrBool(b bool) *bool { return &b }
func ptrInt(i int) *int    { return &i }

// visitor injects the parts of the option go-echarts cannot express.
type visitor struct {
	charts.BaseConfigurationVisitor
	series []series
	extra  map[string]any
}

func (v visitor) VisitSeriesOpt(charts.MultiSeries) any { return v.series }

func (v visitor) Visit(obj map[string]any) {
	for k, x := range v.extra {
		obj[k] = x
	}
}

// EChartsOption returns the ECharts option of v (any value Save accepts)
// as JSON, the deterministic heart of the HTML output. JavaScript functions
// in it appear as strings "__f__function(…){…}__f__".
func EChartsOption(v any, opts ...Option) ([]byte, error) {
	L, _, err := prepare(v, opts)
	if err != nil {
		return nil, err
	}
	return echartsJSON(L)
}

func echartsJSON(L *layout) ([]byte, error) {
	obj, err := echartsOption(L)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(obj); err != nil {
		return nil, fmt.Errorf("plotting: encoding the ECharts option: %w", err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// geometry of a panel in px.
const (
	toolboxH   = 18 // below the panels, HTML only
	gridLeft   = 64
	gridTop    = 40
	gridRight  = 22
	gridBottom = 48
)

func echartsOption(L *layout) (map[string]any, error) {
	chart := charts.NewLine()
	chart.XAxisList, chart.YAxisList = nil, nil
	chart.SetGlobalOptions(
		charts.WithAnimation(false),
		charts.WithColorsOpts(opts.Colors(seriesColors)),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
	)
	if len(L.legend) > 0 {
		top := 4
		if L.title != "" {
			top += titleH
		}
		chart.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{
			Show: opts.Bool(true), Type: "scroll", Data: legendData(L), Top: strconv.Itoa(top), Left: "center",
			ItemWidth: 22, ItemHeight: 12,
		}))
	} else {
		chart.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))
	}

	titles := []map[string]any{}
	if L.title != "" {
		titles = append(titles, map[string]any{"text": L.title, "left": "center", "top": 6,
			"textStyle": map[string]any{"fontSize": 16, "fontWeight": "bold"}})
	}
	var (
		ser       []series
		visual    []map[string]any
		grid3D    []map[string]any
		axes3D    = map[string][]map[string]any{}
		zoomAxes  []int
		scaleSers = map[*scale][]int{} // series indices colored by each scale
		scaleDims = map[*scale]int{}
	)
	for i, p := range L.panels {
		x0, y0 := L.box(i)
		bar := 0
		if L.ownBar(i) {
			bar = L.colorbarW
		}
		gx, gy := x0+gridLeft, y0+gridTop
		gw, gh := L.pw-gridLeft-gridRight-bar, L.ph-gridTop-gridBottom
		if p.square() && p.family() != fam3D {
			if gw > gh {
				gx, gw = gx+(gw-gh)/2, gh
			} else {
				gh = gw
			}
		}
		if L.labels {
			titles = append(titles, map[string]any{"text": panelLabel(i), "left": x0 + 6, "top": y0 + 4,
				"textStyle": map[string]any{"fontSize": 16, "fontWeight": "bold"}})
		}
		if p.title != "" {
			titles = append(titles, map[string]any{"text": p.title, "left": x0 + (L.pw-bar)/2, "top": y0 + 8,
				"textAlign": "center", "textStyle": map[string]any{"fontSize": 13, "fontWeight": "normal"}})
		}
		if L.ownBar(i) {
			s := L.scales[i]
			visual = append(visual, visualMap(*s, x0+L.pw-bar+12, gy, gh))
			if s.label != "" {
				titles = append(titles, map[string]any{"text": s.label, "left": x0 + L.pw - bar + 8, "top": gy - 22,
					"textStyle": map[string]any{"fontSize": 11, "fontWeight": "normal"}})
			}
		}
		if p.family() == fam3D {
			g := len(grid3D)
			grid3D = append(grid3D, map[string]any{"left": x0 + 10, "top": y0 + 30, "width": L.pw - 20, "height": L.ph - 40,
				"boxWidth": 100, "boxHeight": 100, "boxDepth": 100,
				"viewControl": map[string]any{"projection": "perspective", "distance": 210, "alpha": 20, "beta": 35}})
			for k, ax := range []string{"xAxis3D", "yAxis3D", "zAxis3D"} {
				name := [3]string{p.xLabel, p.yLabel, p.zLabel}[k]
				if name == "" {
					name = [3]string{"x", "y", "z"}[k]
				}
				a := map[string]any{"type": "value", "name": name, "grid3DIndex": g,
					"nameGap": 14, "nameTextStyle": map[string]any{"fontSize": 11}, "axisLabel": map[string]any{"fontSize": 9}}
				if p.equal {
					r := p.equalRange()
					a["min"], a["max"] = num(-r), num(r)
				}
				axes3D[ax] = append(axes3D[ax], a)
			}
			for _, l := range p.layers {
				data := make([][3]num, 0, len(l.x))
				for k := range l.x {
					data = append(data, [3]num{num(l.x[k]), num(l.y[k]), num(l.z[k])})
				}
				s := series{SingleSeries: charts.SingleSeries{Name: l.name, Type: "scatter3D", CoordSystem: "cartesian3D",
					Data: data, ItemStyle: &opts.ItemStyle{Color: L.colors[l.name]}}, Grid3DIndex: g, SymbolSizeAt: 6}
				ser = append(ser, s)
			}
			continue
		}
		g := len(chart.GridList)
		grid := opts.Grid{Left: strconv.Itoa(gx), Top: strconv.Itoa(gy), Width: strconv.Itoa(gw), Height: strconv.Itoa(gh)}
		if p.family() == famXY && hasLines(p) {
			grid.Tooltip = &opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}
		}
		chart.SetGlobalOptions(charts.WithGridOpts(grid))
		xa := opts.XAxis{GridIndex: g, Name: p.xLabel, NameLocation: "middle", NameGap: 28}
		ya := opts.YAxis{GridIndex: g, Name: p.yLabel, NameLocation: "middle", NameGap: 46}
		xa.AxisLine = &opts.AxisLine{OnZero: opts.Bool(false)}
		ya.AxisLine = &opts.AxisLine{OnZero: opts.Bool(false)}
		base := series{SingleSeries: charts.SingleSeries{XAxisIndex: g, YAxisIndex: g}}
		switch p.family() {
		case famXY:
			xa.Type, ya.Type = "value", "value"
			xa.Scale, ya.Scale = opts.Bool(true), opts.Bool(true)
			if p.logX {
				xa.Type = "log"
			}
			if p.logY {
				ya.Type = "log"
			}
			xa.SplitLine = &opts.SplitLine{Show: opts.Bool(false)}
			if p.equal {
				r := p.equalRange()
				xa.Min, xa.Max, ya.Min, ya.Max = num(-r), num(r), num(-r), num(r)
			}
			zoomAxes = append(zoomAxes, g)
			for _, l := range p.layers {
				col := L.colors[l.name]
				switch l.kind {
				case kBand:
					data := make([][3]num, len(l.x))
					for j := range l.x {
						a, b := l.lo[j], l.hi[j]
						if !usable(p, l.x[j], a) || !usable(p, l.x[j], b) {
							a, b = math.NaN(), math.NaN()
						}
						data[j] = [3]num{num(l.x[j]), num(a), num(b)}
					}
					s := base
					s.Name, s.Type, s.Data = l.name, "custom", data
					s.RenderItem = bandJS
					s.Encode = map[string]any{"x": 0, "y": []int{1, 2}}
					s.ItemStyle = &opts.ItemStyle{Color: col}
					s.Silent, s.Tooltip, s.Clip = true, &showFlag{false}, true
					ser = append(ser, s)
					ser = append(ser, lineSeries(base, p, l, col)...)
				case kLine:
					ser = append(ser, lineSeries(base, p, l, col)...)
				case kScatter:
					s := base
					s.SingleSeries.Name, s.Type, s.Data = l.name, "scatter", pairs(p, l.x, l.y)
					s.ItemStyle = &opts.ItemStyle{Color: col}
					s.SymbolSizeAt = 7
					ser = append(ser, s)
				case kColorScatter:
					sc := L.scales[i]
					var data, gray [][]num
					for j := range l.x {
						pt := []num{num(l.x[j]), num(l.y[j]), num(l.c[j])}
						if !usable(p, l.x[j], l.y[j]) {
							continue
						}
						if finite(l.c[j]) {
							data = append(data, pt)
						} else {
							gray = append(gray, pt[:2])
						}
					}
					s := base
					s.SingleSeries.Name, s.Type, s.Data = l.name, "scatter", data
					s.SymbolSizeAt = 9
					scaleSers[sc] = append(scaleSers[sc], len(ser))
					scaleDims[sc] = 2
					ser = append(ser, s)
					if len(gray) > 0 {
						s.Data = gray
						s.ItemStyle = &opts.ItemStyle{Color: "rgba(0,0,0,0)", BorderColor: nanGray, BorderWidth: 1.5}
						ser = append(ser, s)
					}
				case kArrows:
					type line struct {
						Coords [2][2]num `json:"coords"`
					}
					var data []line
					var ext [][2]num
					for j := range l.x {
						x1, y1 := l.x[j]+l.u[j], l.y[j]+l.v[j]
						if !usable(p, l.x[j], l.y[j]) || !usable(p, x1, y1) {
							continue
						}
						data = append(data, line{[2][2]num{{num(l.x[j]), num(l.y[j])}, {num(x1), num(y1)}}})
						ext = append(ext, [2]num{num(l.x[j]), num(l.y[j])}, [2]num{num(x1), num(y1)})
					}
					s := base
					s.SingleSeries.Name, s.Type, s.CoordSystem, s.Data = l.name, "lines", "cartesian2d", data
					s.SymbolPair, s.SymbolSizeAt = []string{"none", "arrow"}, 7
					s.LineStyle = &opts.LineStyle{Color: col, Width: 1.2, Opacity: opts.Float(1)}
					s.Silent = true
					ser = append(ser, s)
					// Invisible points so the axes cover the arrows.
					e := base
					e.SingleSeries.Name, e.Type, e.Data = l.name, "scatter", ext
					e.SymbolSizeAt, e.Silent, e.Tooltip = 0, true, &showFlag{false}
					e.ItemStyle = &opts.ItemStyle{Color: col}
					ser = append(ser, e)
				}
			}
		case famBars:
			xa.Type, ya.Type = "category", "value"
			xa.Data = p.layers[0].cats
			n := len(p.layers)
			for k, l := range p.layers {
				col := L.colors[l.name]
				vals := make([]num, len(l.y))
				for j, v := range l.y {
					vals[j] = num(v)
				}
				s := base
				s.SingleSeries.Name, s.Type, s.Data = l.name, "bar", vals
				s.BarGap, s.BarCategoryGap = "0%", "20%"
				s.ItemStyle = &opts.ItemStyle{Color: col}
				ser = append(ser, s)
				if l.errs != nil {
					off := (float64(k) - float64(n-1)/2) * 0.8 / float64(n)
					var data [][4]num
					for j := range l.y {
						if finite(l.y[j]) && finite(l.errs[j]) {
							data = append(data, [4]num{num(j), num(l.y[j]), num(l.errs[j]), num(off)})
						}
					}
					e := base
					e.SingleSeries.Name, e.Type, e.Data = l.name, "custom", data
					e.RenderItem = errorBarJS
					e.Encode = map[string]any{"x": 0, "y": 1}
					e.Silent, e.Tooltip, e.ZLevel = true, &showFlag{false}, 3
					ser = append(ser, e)
				}
			}
		case famMatrix:
			l := p.layers[0]
			sc := L.scales[i]
			xa.Type, ya.Type = "category", "category"
			xa.Data, ya.Data = l.colLabels, l.rowLabels
			xa.SplitArea, ya.SplitArea = &opts.SplitArea{Show: opts.Bool(false)}, &opts.SplitArea{Show: opts.Bool(false)}
			if l.matrix {
				ya.Inverse = opts.Bool(true)
			}
			r, c := l.m.Dims()
			data := make([][3]num, 0, r*c)
			for a := range r {
				for b := range c {
					data = append(data, [3]num{num(b), num(a), num(l.m.At(a, b))})
				}
			}
			s := base
			s.SingleSeries.Name, s.Type, s.Data = l.name, "heatmap", data
			if r*c > 4000 {
				s.Progressive = ptrInt(0) // draw at once: no half-drawn frames
			}
			scaleSers[sc] = append(scaleSers[sc], len(ser))
			scaleDims[sc] = 2
			ser = append(ser, s)
		}
		chart.ExtendXAxis(xa)
		chart.ExtendYAxis(ya)
	}
	// Attach series to their visualMaps.
	vi := 0
	for i := range L.panels {
		if L.ownBar(i) {
			visual[vi]["seriesIndex"] = scaleSers[L.scales[i]]
			visual[vi]["dimension"] = scaleDims[L.scales[i]]
			vi++
		}
	}
	if L.shared != nil {
		top := L.header + gridTop
		h := L.rows*L.ph - gridTop - gridBottom
		vm := visualMap(*L.shared, L.cols*L.pw+12, top, h)
		vm["seriesIndex"] = scaleSers[L.shared]
		vm["dimension"] = scaleDims[L.shared]
		visual = append(visual, vm)
		if L.shared.label != "" {
			titles = append(titles, map[string]any{"text": L.shared.label, "left": L.cols*L.pw + 8, "top": top - 22,
				"textStyle": map[string]any{"fontSize": 11, "fontWeight": "normal"}})
		}
	}
	if len(zoomAxes) > 0 {
		chart.SetGlobalOptions(charts.WithDataZoomOpts(opts.DataZoom{Type: "inside", XAxisIndex: zoomAxes, FilterMode: "none"}))
	}
	extra := map[string]any{
		"title":     titles,
		"textStyle": map[string]any{"fontFamily": "Liberation Sans, Arial, Helvetica, sans-serif"},
		"toolbox": map[string]any{"right": 6, "bottom": 2, "itemSize": 12, "feature": map[string]any{
			"dataZoom": map[string]any{}, "restore": map[string]any{}, "saveAsImage": map[string]any{"pixelRatio": 2}}},
		"backgroundColor": "#ffffff",
	}
	if len(visual) > 0 {
		extra["visualMap"] = visual
	}
	if len(grid3D) > 0 {
		extra["grid3D"] = grid3D
		for k, v := range axes3D {
			extra[k] = v
		}
	}
	chart.Accept(visitor{series: ser, extra: extra})
	return chart.JSON(), nil
}

// legendData gives each legend entry an icon for its kind of series.
func legendData(L *layout) []map[string]any {
	const lineIcon = "path://M0,0L24,0L24,3L0,3Z"
	out := make([]map[string]any, len(L.legend))
	for i, name := range L.legend {
		e := map[string]any{"name": name}
		switch legendKind(L, name) {
		case kScatter, kScatter3D:
			e["icon"] = "circle"
		case kColorScatter:
			e["icon"] = "circle"
			e["itemStyle"] = map[string]any{"color": "#777777"}
		case kBars:
			e["icon"] = "rect"
		default:
			e["icon"] = lineIcon
		}
		out[i] = e
	}
	return out
}

func hasLines(p Plot) bool {
	for _, l := range p.layers {
		if l.kind == kLine || l.kind == kBand {
			return true
		}
	}
	return false
}

func pairs(p Plot, x, y []float64) [][2]num {
	out := make([][2]num, len(x))
	for i := range x {
		a, b := x[i], y[i]
		if !usable(p, a, b) {
			b = math.NaN()
		}
		out[i] = [2]num{num(a), num(b)}
	}
	return out
}

// lineSeries is a line (plus its end dots for trajectories).
func lineSeries(base series, p Plot, l layer, col string) []series {
	s := base
	s.SingleSeries.Name, s.Type, s.Data = l.name, "line", pairs(p, l.x, l.y)
	s.LineStyle = &opts.LineStyle{Color: col, Width: 2}
	if l.dashed {
		s.LineStyle.Type = "dashed"
	}
	s.ItemStyle = &opts.ItemStyle{Color: col}
	s.ShowSymbol = ptrBool(false)
	if len(l.x) > 2000 {
		s.Sampling = "lttb"
	}
	out := []series{s}
	if l.ends {
		var ends [][2]num
		for _, sg := range segments(p, l.x, l.y) {
			j := sg[1] - 1
			ends = append(ends, [2]num{num(l.x[j]), num(l.y[j])})
		}
		e := base
		e.SingleSeries.Name, e.Type, e.Data = l.name, "scatter", ends
		e.ItemStyle = &opts.ItemStyle{Color: col}
		e.SymbolSizeAt = 5
		out = append(out, e)
	}
	return out
}

func visualMap(s scale, left, top, h int) map[string]any {
	return map[string]any{
		"type": "continuous", "min": num(s.min), "max": num(s.max),
		"calculable": true, "precision": 3, "orient": "vertical",
		"left": left, "top": top, "itemHeight": max(h-40, 40), "itemWidth": 14,
		"inRange":    map[string]any{"color": s.cmap.stops()},
		"outOfRange": map[string]any{"color": []string{nanGray}},
	}
}

// bandJS draws a mean ± sd band as polygons (one per run of finite
// points), all from the first data item: data = [x, lo, hi]. A custom
// series, because stacked areas are wrong on log axes.
const bandJS jsFunc = "function(params, api){" +
	"if (params.dataIndexInside !== 0) { return null; }" +
	"var n = params.dataInsideLength, polys = [], up = [], lo = [], fill = api.visual('color');" +
	"function flush() { if (up.length > 1) { polys.push({type: 'polygon', shape: {points: up.concat(lo.reverse())}, style: {fill: fill, opacity: 0.22}}); } up = []; lo = []; }" +
	"for (var i = 0; i < n; i++) {" +
	"var x = api.value(0, i), a = api.value(1, i), b = api.value(2, i);" +
	"if (isNaN(x) || isNaN(a) || isNaN(b)) { flush(); continue; }" +
	"up.push(api.coord([x, b])); lo.push(api.coord([x, a])); }" +
	"flush();" +
	"return {type: 'group', children: polys};}"

// errorBarJS draws a vertical error bar with caps at a bar's centre:
// data = [category index, value, error, offset in category widths].
const errorBarJS jsFunc = "function(params, api){" +
	"var c = api.value(0), y = api.value(1), e = api.value(2), off = api.value(3);" +
	"var w = api.size([1, 0])[0], lo = api.coord([c, y - e]), hi = api.coord([c, y + e]);" +
	"var x = lo[0] + off * w, cap = Math.min(6, w * 0.08);" +
	"var st = {stroke: '#222222', lineWidth: 1.2};" +
	"return {type: 'group', children: [" +
	"{type: 'line', shape: {x1: x, y1: lo[1], x2: x, y2: hi[1]}, style: st}," +
	"{type: 'line', shape: {x1: x - cap, y1: lo[1], x2: x + cap, y2: lo[1]}, style: st}," +
	"{type: 'line', shape: {x1: x - cap, y1: hi[1], x2: x + cap, y2: hi[1]}, style: st}]};}"
