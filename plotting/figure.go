package plotting

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Figure is one or more panels (Plots) laid out in a grid, labelled A, B,
// C… when there are several, with one legend shared by all panels: a
// series has the same color in every panel, and in HTML clicking its
// legend entry toggles it everywhere. It is a value builder like Plot; the
// terminal verbs (Save, Show, HTML, SVG, PNG, PDF, EChartsOption) return
// every recorded problem at once.
type Figure struct {
	title    string
	panels   []Plot
	cols     int
	w, h     int
	shared   bool
	noLabels bool
	problems []error
}

// Default panel size in CSS pixels (static output: 1 px = 0.75 pt).
const (
	DefaultPanelWidth  = 440
	DefaultPanelHeight = 330
)

// NewFigure returns a figure of the given panels, in reading order.
func NewFigure(panels ...Plot) Figure {
	return Figure{panels: append([]Plot(nil), panels...)}
}

// Title returns f with an overall title.
func (f Figure) Title(s string) Figure { f.title = s; return f }

// Cols returns f with n panels per row (default: up to 3).
func (f Figure) Cols(n int) Figure {
	if n < 1 {
		f.problems = append(f.problems[:len(f.problems):len(f.problems)], fmt.Errorf("plotting: Figure.Cols(%d): must be ≥ 1", n))
		return f
	}
	f.cols = n
	return f
}

// PanelSize returns f with panels of w×h CSS pixels (default 440×330;
// each in [120, 4000]).
func (f Figure) PanelSize(w, h int) Figure {
	if w < 120 || w > 4000 || h < 120 || h > 4000 {
		f.problems = append(f.problems[:len(f.problems):len(f.problems)], fmt.Errorf("plotting: Figure.PanelSize(%d, %d): each must be in [120, 4000]", w, h))
		return f
	}
	f.w, f.h = w, h
	return f
}

// SharedColorScale returns f with one color scale, and one color bar, for
// all its heatmaps and color scatters (K_theory next to K_sim must share
// one scale to be compared).
func (f Figure) SharedColorScale() Figure { f.shared = true; return f }

// NoLabels returns f without the A, B, C… panel labels.
func (f Figure) NoLabels() Figure { f.noLabels = true; return f }

// Add returns f with more panels.
func (f Figure) Add(panels ...Plot) Figure {
	f.panels = append(f.panels[:len(f.panels):len(f.panels)], panels...)
	return f
}

// Err returns every problem of f and of its panels, joined, or nil.
func (f Figure) Err() error {
	errs := append([]error(nil), f.problems...)
	if len(f.panels) == 0 {
		errs = append(errs, errors.New("plotting: figure has no panels"))
	}
	for i, p := range f.panels {
		for _, e := range p.problems {
			errs = append(errs, fmt.Errorf("panel %s: %w", panelLabel(i), e))
		}
		if len(p.layers) == 0 && len(p.problems) == 0 {
			errs = append(errs, fmt.Errorf("panel %s (%q): no data", panelLabel(i), p.title))
		}
	}
	return joinErrs(errs)
}

// String summarizes the figure, one line per panel.
func (f Figure) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "figure %q, %d panel(s)", f.title, len(f.panels))
	for i, p := range f.panels {
		fmt.Fprintf(&b, "\n  %s: %v", panelLabel(i), p)
	}
	return b.String()
}

func panelLabel(i int) string {
	if i < 26 {
		return string(rune('A' + i))
	}
	return fmt.Sprintf("A%d", i)
}

func joinErrs(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return errors.Join(errs...)
}

// layout is a validated figure with everything both backends need decided:
// panel grid, series colors, color scales, legend.
type layout struct {
	title      string
	panels     []Plot
	rows, cols int
	pw, ph     int // panel size, px
	header     int // px above the panels: title and legend
	labels     bool
	legend     []string          // series names in order of first appearance
	colors     map[string]string // series name → hex
	scales     []*scale          // per panel (nil: no color scale)
	shared     *scale            // the shared scale, if any
	colorbarW  int               // px right of a panel (or figure) for a color bar
}

const (
	titleH  = 34
	legendH = 28
)

func (f Figure) layout() (*layout, error) {
	if err := f.Err(); err != nil {
		return nil, err
	}
	n := len(f.panels)
	cols := f.cols
	if cols == 0 {
		cols = min(n, 3)
	}
	cols = min(cols, n)
	L := &layout{
		title:     f.title,
		panels:    f.panels,
		cols:      cols,
		rows:      (n + cols - 1) / cols,
		pw:        f.w,
		ph:        f.h,
		labels:    n > 1 && !f.noLabels,
		colors:    map[string]string{},
		scales:    make([]*scale, n),
		colorbarW: 84,
	}
	if L.pw == 0 {
		L.pw, L.ph = DefaultPanelWidth, DefaultPanelHeight
	}
	// Series colors by name, in order of first appearance; overrides win.
	k := 0
	for _, p := range f.panels {
		for _, l := range p.layers {
			if l.kind == kHeatmap {
				continue
			}
			if _, ok := L.colors[l.name]; ok {
				continue
			}
			if l.name != "" {
				L.legend = append(L.legend, l.name)
			}
			L.colors[l.name] = seriesColors[k%len(seriesColors)]
			k++
		}
	}
	for _, p := range f.panels {
		for name, hex := range p.colors {
			L.colors[name] = hex
		}
	}
	// Color scales.
	glo, ghi := math.Inf(1), math.Inf(-1)
	var gcmap Colormap
	var gfixed *[2]float64
	var glabel string
	for i, p := range f.panels {
		lo, hi, ok := p.colorRange()
		if !ok {
			continue
		}
		s := resolveScale(p.cmap, lo, hi, p.crange)
		s.label = p.colorLabel
		L.scales[i] = &s
		glo, ghi = math.Min(glo, lo), math.Max(ghi, hi)
		if gcmap == Auto {
			gcmap = p.cmap
		}
		if gfixed == nil {
			gfixed = p.crange
		}
		if glabel == "" {
			glabel = p.colorLabel
		}
	}
	if f.shared && !math.IsInf(glo, 0) {
		s := resolveScale(gcmap, glo, ghi, gfixed)
		s.label = glabel
		L.shared = &s
		for i := range L.scales {
			if L.scales[i] != nil {
				L.scales[i] = &s
			}
		}
	}
	if L.title != "" {
		L.header += titleH
	}
	if len(L.legend) > 0 {
		L.header += legendH
	}
	return L, nil
}

// colorRange returns the range of the finite color values of p's heatmap or
// color scatter layers.
func (p Plot) colorRange() (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, l := range p.layers {
		var vals []float64
		switch l.kind {
		case kHeatmap:
			vals = l.m.RawMatrix().Data
		case kColorScatter:
			vals = l.c
		default:
			continue
		}
		a, b := minMax(vals)
		if !math.IsNaN(a) {
			lo, hi, ok = math.Min(lo, a), math.Max(hi, b), true
		}
	}
	return lo, hi, ok
}

// width and height of the whole figure in px.
func (L *layout) size() (int, int) {
	w := L.cols * L.pw
	if L.shared != nil {
		w += L.colorbarW
	}
	return w, L.header + L.rows*L.ph
}

// box returns the top-left corner (px, y down) of panel i.
func (L *layout) box(i int) (x, y int) {
	return (i % L.cols) * L.pw, L.header + (i/L.cols)*L.ph
}

// ownBar says whether panel i draws its own color bar.
func (L *layout) ownBar(i int) bool { return L.scales[i] != nil && L.shared == nil }
