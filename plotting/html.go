package plotting

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// HTML output: a div and scripts. By default the ECharts library is
// inlined (read from the npm package installed by docker/setup-assets.sh),
// so the figure renders with no network, in a browser, a classic Jupyter
// notebook and an nbconvert export alike.

// cdnBase is where the CDN option loads the pinned libraries from.
const cdnBase = "https://cdn.jsdelivr.net/npm/"

var (
	assetMu    sync.Mutex
	assetCache = map[string]string{}
)

// readAsset returns the text of an npm asset, cached per path.
func readAsset(cfg *config, rel string) (string, error) {
	path := filepath.Join(cfg.assets, "node_modules", filepath.FromSlash(rel))
	assetMu.Lock()
	defer assetMu.Unlock()
	if s, ok := assetCache[path]; ok {
		return s, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("plotting: the ECharts library is not installed (%w): run docker/setup-assets.sh, set REPGEOM_ASSETS, or use the CDN() or ScriptSrc() option", err)
	}
	s := string(b)
	// A "</script" inside would end the inline script early.
	s = strings.ReplaceAll(s, "</script", `<\/script`)
	assetCache[path] = s
	return s, nil
}

// HTML returns v (any value Save accepts) as an HTML fragment: a div of
// the figure's size and the scripts that draw it with ECharts. The
// fragment is what Show displays in a notebook; HTMLPage wraps it in a
// page. The chart id is a hash of the option, so equal figures give equal
// bytes, and a figure shown twice on one page draws in both places.
func HTML(v any, opts ...Option) (string, error) {
	L, cfg, err := prepare(v, opts)
	if err != nil {
		return "", err
	}
	return htmlFragment(L, cfg)
}

// HTMLPage returns v as a complete, self-contained HTML page.
func HTMLPage(v any, opts ...Option) ([]byte, error) {
	L, cfg, err := prepare(v, opts)
	if err != nil {
		return nil, err
	}
	frag, err := htmlFragment(L, cfg)
	if err != nil {
		return nil, err
	}
	title := L.title
	if title == "" {
		title = "repgeom figure"
	}
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	fmt.Fprintf(&b, "<title>%s</title>\n", html.EscapeString(title))
	b.WriteString("<style>body{margin:0;background:#ffffff;}</style>\n</head>\n<body>\n")
	b.WriteString(frag)
	b.WriteString("</body>\n</html>\n")
	return b.Bytes(), nil
}

func has3D(L *layout) bool {
	for _, p := range L.panels {
		if p.family() == fam3D {
			return true
		}
	}
	return false
}

func htmlFragment(L *layout, cfg *config) (string, error) {
	option, err := echartsJSON(L)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(option)
	id := "repgeom-" + hex.EncodeToString(sum[:6])
	js := strings.ReplaceAll(strings.ReplaceAll(string(option), `"`+funcMark, ""), funcMark+`"`, "")
	// The option is JSON inside a script: keep "</" from closing it.
	js = strings.ReplaceAll(js, "</", `<\/`)
	gl := has3D(L)
	W, H := L.size()
	H += toolboxH // a strip at the bottom for ECharts' toolbox

	var b strings.Builder
	fmt.Fprintf(&b, "<div class=\"repgeom-figure\" data-repgeom-chart=\"%s\" style=\"width:%dpx;height:%dpx;\"></div>\n", id, W, H)
	var srcs []string // libraries to load by src, in order
	switch {
	case cfg.cdn:
		srcs = append(srcs, cdnBase+"echarts@"+EChartsVersion+"/dist/echarts.min.js")
		if gl {
			srcs = append(srcs, cdnBase+"echarts-gl@"+EChartsGLVersion+"/dist/echarts-gl.min.js")
		}
	case cfg.echartsSrc != "":
		srcs = append(srcs, cfg.echartsSrc)
		if gl {
			if cfg.glSrc == "" {
				return "", fmt.Errorf("plotting: ScriptSrc: the figure is 3-D and needs the ECharts-GL script, but glSrc is empty")
			}
			srcs = append(srcs, cfg.glSrc)
		}
	default:
		lib, err := readAsset(cfg, "echarts/dist/echarts.min.js")
		if err != nil {
			return "", err
		}
		writeInline(&b, "echarts", "ECharts "+EChartsVersion+" (Apache-2.0)", lib)
		if gl {
			lib, err := readAsset(cfg, "echarts-gl/dist/echarts-gl.min.js")
			if err != nil {
				return "", err
			}
			writeInline(&b, "gl", "ECharts-GL "+EChartsGLVersion+" (BSD-3-Clause)", lib)
		}
	}
	b.WriteString("<script type=\"text/javascript\">\n(function () {\n")
	fmt.Fprintf(&b, "var option = %s;\n", js)
	fmt.Fprintf(&b, "var id = '%s';\n", id)
	b.WriteString(drawJS)
	if len(srcs) == 0 {
		b.WriteString("draw();\n")
	} else {
		b.WriteString("var srcs = [")
		for i, s := range srcs {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "'%s'", strings.ReplaceAll(s, "'", `\'`))
		}
		b.WriteString("];\n")
		b.WriteString(loadJS)
	}
	b.WriteString("})();\n</script>\n")
	return b.String(), nil
}

// writeInline writes a library inside a script that hides require.js's
// window.define while it runs (so the UMD bundle sets window.echarts
// instead of registering an anonymous AMD module, which would leave the
// chart blank in Jupyter), restores it after, and skips the library when
// it is already loaded on the page.
func writeInline(b *strings.Builder, which, banner, lib string) {
	guard := "typeof window.echarts !== 'undefined'"
	done := ""
	if which == "gl" {
		guard = "window.repgeomEChartsGL"
		done = "window.repgeomEChartsGL = true;\n"
	}
	fmt.Fprintf(b, "<script type=\"text/javascript\">/* %s, inlined by repgeom/plotting */\n", banner)
	fmt.Fprintf(b, "(function () {\nif (%s) { return; }\nvar savedDefine = window.define;\nwindow.define = undefined;\ntry {\n", guard)
	b.WriteString(lib)
	fmt.Fprintf(b, "\n%s} finally {\nwindow.define = savedDefine;\n}\n})();\n</script>\n", done)
}

// drawJS initializes every not yet drawn div of this chart id.
const drawJS = `function draw() {
  var nodes = document.querySelectorAll('div[data-repgeom-chart="' + id + '"]');
  for (var i = 0; i < nodes.length; i++) {
    var el = nodes[i];
    if (el.getAttribute('data-repgeom-drawn')) { continue; }
    el.setAttribute('data-repgeom-drawn', '1');
    if (typeof window.echarts === 'undefined') {
      el.textContent = 'repgeom: the ECharts library did not load, so this figure cannot be drawn.';
      continue;
    }
    var chart = window.echarts.init(el, null, {renderer: 'canvas'});
    chart.setOption(option);
    if (window.ResizeObserver) {
      (function (c) { new ResizeObserver(function () { c.resize(); }).observe(el); })(chart);
    }
  }
}
`

// loadJS loads the libraries in srcs one after the other (with
// window.define hidden, as for inlined ones), then draws.
const loadJS = `function next(i) {
  if (i === srcs.length) { draw(); return; }
  var isGL = srcs[i].indexOf('echarts-gl') >= 0 || i > 0;
  if ((!isGL && typeof window.echarts !== 'undefined') || (isGL && window.repgeomEChartsGL)) { next(i + 1); return; }
  var savedDefine = window.define;
  window.define = undefined;
  var s = document.createElement('script');
  s.src = srcs[i];
  s.onload = function () { window.define = savedDefine; if (isGL) { window.repgeomEChartsGL = true; } next(i + 1); };
  s.onerror = function () { window.define = savedDefine; draw(); };
  document.head.appendChild(s);
}
next(0);
`
