package notebooks

import (
	"encoding/json"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// checkHTMLExport exports a one-cell notebook holding chart (an executed
// echarts output) to HTML with nbconvert, the way a user shares a notebook,
// opens the page offline in headless Chromium and checks the chart was drawn:
// the screenshot must hold many coloured pixels, and (control) the same page
// with its scripts removed almost none, so the colour comes from echarts
// drawing, not from the page. nbconvert's page loads require.js, which hides
// echarts' global unless handled (FACTS.md): require_js_url is set to an
// empty script, and plotting's display hides `define` around echarts.
func checkHTMLExport(t *testing.T, chart output) {
	t.Helper()
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv(requireEnv) == "1" {
			t.Fatalf("chromium not found (%s=1; run docker/setup-chromium.sh)", requireEnv)
		}
		t.Skip("chromium not found: run docker/setup-chromium.sh")
	}
	dir := t.TempDir()
	one := notebook{
		Nbformat: 4, NbformatMinor: 5,
		Metadata: map[string]any{"kernelspec": map[string]any{"name": "gonb", "display_name": "Go (gonb)", "language": "go"}},
		Cells: []cell{{ID: "chart", CellType: "code", Source: "", Outputs: []output{chart},
			ExecutionCount: new(int), Metadata: json.RawMessage("{}")}},
	}
	b, err := json.Marshal(one)
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "chart.ipynb")
	if err := os.WriteFile(src, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(jupyter, "nbconvert", "--to", "html", "--no-input",
		"--HTMLExporter.require_js_url=data:text/javascript,",
		"--HTMLExporter.mathjax_url=data:text/javascript,",
		"--output-dir", dir, src).CombinedOutput()
	if err != nil {
		t.Fatalf("nbconvert --to html: %v\n%s", err, out)
	}
	page := filepath.Join(dir, "chart.html")
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, remote := range []string{"src=\"http://", "src=\"https://", "src=\"//"} {
		if strings.Contains(string(html), remote) {
			t.Errorf("the exported page loads a script from the network (%s…): it would not work offline", remote)
		}
	}
	noScript := filepath.Join(dir, "chart-noscript.html")
	if err := os.WriteFile(noScript, scriptTag.ReplaceAll(html, nil), 0o644); err != nil {
		t.Fatal(err)
	}
	on := screenshot(t, chromium, page)
	off := screenshot(t, chromium, noScript)
	t.Logf("coloured pixels: %d in the exported page, %d without its scripts (page %s)", on, off, page)
	if on < minChartPixels {
		t.Errorf("the exported chart is blank: %d coloured pixels, want ≥ %d", on, minChartPixels)
	}
	if off > on/10 {
		t.Errorf("control: %d coloured pixels without scripts (vs %d with): the colour is not the chart's", off, on)
	}

	// The trap itself: nbconvert's default page loads Debian's require.js
	// (a local file:// copy), which stops echarts from defining its global
	// unless plotting hides `define` around it. That page must draw too.
	out, err = exec.Command(jupyter, "nbconvert", "--to", "html", "--no-input",
		"--output", "chart-requirejs", "--output-dir", dir, src).CombinedOutput()
	if err != nil {
		t.Fatalf("nbconvert --to html (default require.js): %v\n%s", err, out)
	}
	withRequire := filepath.Join(dir, "chart-requirejs.html")
	b, err = os.ReadFile(withRequire)
	if err != nil {
		t.Fatal(err)
	}
	m := localRequireJS.FindSubmatch(b)
	if m == nil {
		t.Logf("the default export loads no local require.js: nothing more to check")
		return
	}
	if _, err := os.Stat(string(m[1])); err != nil {
		t.Logf("the default export's require.js (%s) is not installed: nothing more to check", m[1])
		return
	}
	req := screenshot(t, chromium, withRequire)
	t.Logf("coloured pixels with require.js loaded (%s): %d", m[1], req)
	if req < minChartPixels {
		t.Errorf("with require.js loaded the chart is blank (%d coloured pixels): the require.js trap is not handled", req)
	}
}

var localRequireJS = regexp.MustCompile(`<script src="file://(/[^"?]*require[^"?]*\.js)`)

// minChartPixels is the fewest coloured pixels a drawn 2-D chart has: a
// sparse one (a few markers and lines) has over a thousand, a blank one
// (echarts not running) none.
const minChartPixels = 300

var scriptTag = regexp.MustCompile(`(?is)<script\b.*?</script>`)

// screenshot opens page in headless Chromium, offline, and returns the number
// of coloured (saturated) pixels in a 1200×900 screenshot.
func screenshot(t *testing.T, chromium, page string) int {
	t.Helper()
	shot := strings.TrimSuffix(page, ".html") + ".png"
	profile, err := os.MkdirTemp(filepath.Dir(page), "profile")
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + profile, "--window-size=1200,900", "--virtual-time-budget=5000",
		"--screenshot=" + shot, "file://" + page}
	if out, err := exec.Command(chromium, args...).CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, tail(string(out), 2000))
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return colouredPixels(img)
}

// colouredPixels counts pixels whose channels differ by more than 48 (of 255):
// echarts' series colours, not text (black), background (white) or grey rules.
func colouredPixels(img image.Image) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			hi := max(r, g, bl) >> 8
			lo := min(r, g, bl) >> 8
			if hi-lo > 48 {
				n++
			}
		}
	}
	return n
}
