package plotting

import (
	"fmt"
	"os"
	"path/filepath"
)

// Option changes how a figure is written or shown.
type Option func(*config)

type config struct {
	cdn        bool
	echartsSrc string // script src instead of inlining, if set
	glSrc      string
	assets     string // node_modules root
	dpi        int
	static     bool
	w, h       int
	problems   []error
}

// Pinned versions of the JavaScript libraries (docker/setup-assets.sh).
const (
	EChartsVersion   = "6.1.0"
	EChartsGLVersion = "2.1.0"
)

// CDN makes HTML output load ECharts (and ECharts-GL) from the jsDelivr
// CDN at the pinned versions instead of inlining them: about 1 MB smaller,
// but the figure then needs the network to render. Off by default.
func CDN() Option {
	return func(c *config) { c.cdn = true }
}

// ScriptSrc makes HTML output load ECharts from the given URL or path
// (for example a local copy served next to the page) instead of inlining
// it; glSrc is the ECharts-GL script, used by 3-D figures (may be empty
// when there are none).
func ScriptSrc(echarts, gl string) Option {
	return func(c *config) { c.echartsSrc, c.glSrc = echarts, gl }
}

// Assets sets the directory where docker/setup-assets.sh installed the
// npm packages (the one holding node_modules/). Default: $REPGEOM_ASSETS,
// or ~/.cache/repgeom/assets.
func Assets(dir string) Option {
	return func(c *config) { c.assets = dir }
}

// DPI sets the resolution of PNG output (default 192; in [36, 1200]).
func DPI(dpi int) Option {
	return func(c *config) {
		if dpi < 36 || dpi > 1200 {
			c.problems = append(c.problems, fmt.Errorf("plotting: DPI(%d): must be in [36, 1200]", dpi))
			return
		}
		c.dpi = dpi
	}
}

// Static makes Show display the static SVG (gonum/plot) instead of the
// interactive HTML (ECharts).
func Static() Option {
	return func(c *config) { c.static = true }
}

// Size sets the panel size in CSS pixels for values converted to a figure
// by Save and Show (a Figure's own PanelSize wins when set).
func Size(w, h int) Option {
	return func(c *config) {
		if w < 120 || w > 4000 || h < 120 || h > 4000 {
			c.problems = append(c.problems, fmt.Errorf("plotting: Size(%d, %d): each must be in [120, 4000]", w, h))
			return
		}
		c.w, c.h = w, h
	}
}

func newConfig(opts []Option) (*config, error) {
	c := &config{dpi: 192}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	if c.assets == "" {
		c.assets = os.Getenv("REPGEOM_ASSETS")
	}
	if c.assets == "" {
		if home, err := os.UserHomeDir(); err == nil {
			c.assets = filepath.Join(home, ".cache", "repgeom", "assets")
		}
	}
	return c, joinErrs(c.problems)
}

// prepare converts v to a figure and lays it out.
func prepare(v any, opts []Option) (*layout, *config, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, nil, err
	}
	f, err := toFigure(v)
	if err != nil {
		return nil, nil, err
	}
	if f.w == 0 && cfg.w != 0 {
		f.w, f.h = cfg.w, cfg.h
	}
	L, err := f.layout()
	if err != nil {
		return nil, nil, err
	}
	return L, cfg, nil
}
