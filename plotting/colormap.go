package plotting

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strconv"

	"gonum.org/v1/plot/palette"
)

// Colormap selects the color scale of heatmaps and color scatters. Both
// backends use the same color stops, so an HTML and an SVG figure of the
// same data look alike.
type Colormap int

const (
	// Auto uses Diverging when the data have both signs with the smaller
	// side at least a tenth of the larger, and Viridis otherwise.
	Auto Colormap = iota
	// Viridis is the perceptually uniform sequential map (dark blue → yellow).
	Viridis
	// Diverging is a blue–white–red map centred on 0 (symmetric range).
	Diverging
)

// String returns the colormap's name.
func (c Colormap) String() string {
	switch c {
	case Auto:
		return "Auto"
	case Viridis:
		return "Viridis"
	case Diverging:
		return "Diverging"
	}
	return fmt.Sprintf("Colormap(%d)", int(c))
}

var (
	viridisStops   = []string{"#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725"}
	divergingStops = []string{"#053061", "#2166ac", "#4393c3", "#92c5de", "#f7f7f7", "#f4a582", "#d6604d", "#b2182b", "#67001f"}
	// seriesColors is a colorblind-aware categorical palette (Tableau 10).
	seriesColors = []string{"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"}
	nanGray      = "#c8c8c8"
)

func (c Colormap) stops() []string {
	if c == Diverging {
		return divergingStops
	}
	return viridisStops
}

// scale is a resolved color scale: a colormap and its value range.
type scale struct {
	cmap     Colormap
	min, max float64
	label    string
}

// resolveScale picks the colormap and range for values in [lo, hi].
func resolveScale(c Colormap, lo, hi float64, fixed *[2]float64) scale {
	if fixed != nil {
		lo, hi = fixed[0], fixed[1]
	}
	if c == Auto {
		c = Viridis
		if lo < 0 && hi > 0 && math.Min(-lo, hi) >= 0.1*math.Max(-lo, hi) {
			c = Diverging
		}
	}
	if c == Diverging && fixed == nil {
		a := math.Max(math.Abs(lo), math.Abs(hi))
		lo, hi = -a, a
	}
	if !(lo < hi) { // constant data: a range around the value
		d := math.Max(math.Abs(lo)*0.1, 0.5)
		lo, hi = lo-d, hi+d
	}
	return scale{cmap: c, min: lo, max: hi}
}

// at returns the color of v on the scale (end colors outside the range,
// gray for NaN).
func (s scale) at(v float64) color.NRGBA {
	if math.IsNaN(v) {
		c, _ := parseHex(nanGray)
		return c
	}
	t := (v - s.min) / (s.max - s.min)
	return interpolate(s.cmap.stops(), t)
}

// interpolate returns the color at t ∈ [0, 1] of evenly spaced stops,
// linearly in RGB (as ECharts' visualMap does).
func interpolate(stops []string, t float64) color.NRGBA {
	t = math.Max(0, math.Min(1, t))
	f := t * float64(len(stops)-1)
	i := int(math.Floor(f))
	if i >= len(stops)-1 {
		i, f = len(stops)-2, float64(len(stops)-1)
	}
	a, _ := parseHex(stops[i])
	b, _ := parseHex(stops[i+1])
	w := f - float64(i)
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*(1-w) + float64(y)*w)) }
	return color.NRGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 255}
}

// parseHex parses "#rrggbb".
func parseHex(s string) (color.NRGBA, error) {
	if len(s) != 7 || s[0] != '#' {
		return color.NRGBA{}, fmt.Errorf("color %q: want #rrggbb", s)
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return color.NRGBA{}, fmt.Errorf("color %q: want #rrggbb", s)
	}
	return color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}, nil
}

func mustHex(s string) color.NRGBA {
	c, err := parseHex(s)
	if err != nil {
		panic("plotting: internal color " + s)
	}
	return c
}

func withAlpha(c color.NRGBA, a float64) color.NRGBA {
	c.A = uint8(math.Round(255 * a))
	return c
}

// colorMap adapts a scale to gonum/plot's palette.ColorMap (for ColorBar).
type colorMap struct{ s scale }

var _ palette.ColorMap = (*colorMap)(nil)

func (m *colorMap) At(v float64) (color.Color, error) { return m.s.at(v), nil }
func (m *colorMap) SetMax(v float64)                  { m.s.max = v }
func (m *colorMap) SetMin(v float64)                  { m.s.min = v }
func (m *colorMap) Max() float64                      { return m.s.max }
func (m *colorMap) Min() float64                      { return m.s.min }
func (m *colorMap) SetAlpha(float64)                  {}
func (m *colorMap) Alpha() float64                    { return 1 }
func (m *colorMap) Palette(n int) palette.Palette {
	cs := make([]color.Color, n)
	for i := range cs {
		t := 0.0
		if n > 1 {
			t = float64(i) / float64(n-1)
		}
		cs[i] = interpolate(m.s.cmap.stops(), t)
	}
	return pal(cs)
}

type pal []color.Color

func (p pal) Colors() []color.Color { return p }

func sortFloats(s []float64) { sort.Float64s(s) }
