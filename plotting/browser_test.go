package plotting

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"
)

// The browser test: HTML figures opened by a real headless Chromium with
// no network, screenshots decoded and their pixels counted.
//
// It skips when no chromium is installed, unless REPGEOM_REQUIRE_BROWSER
// is set (CI sets it after docker/setup-chromium.sh), when it fails.

func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("REPGEOM_REQUIRE_BROWSER") != "" {
		t.Fatal("chromium not found and REPGEOM_REQUIRE_BROWSER is set: run docker/setup-chromium.sh")
	}
	t.Skip("chromium not found: run docker/setup-chromium.sh (REPGEOM_REQUIRE_BROWSER=1 makes this a failure)")
	return ""
}

// screenshot opens page in headless Chromium with every host name
// unresolvable (so nothing can come from the network) and returns the
// screenshot.
func screenshot(t *testing.T, browser string, page []byte, w, h int) image.Image {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "page.html")
	if err := os.WriteFile(file, page, 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "shot.png")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser,
		"--headless", "--no-sandbox", "--disable-gpu", "--enable-unsafe-swiftshader",
		"--disable-quic", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--disable-extensions",
		"--host-resolver-rules=MAP * ~NOTFOUND",
		"--user-data-dir="+filepath.Join(dir, "profile"),
		fmt.Sprintf("--window-size=%d,%d", w, h),
		"--hide-scrollbars", "--virtual-time-budget=5000",
		"--screenshot="+shot, "file://"+file)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, tail(string(out), 2000))
	}
	f, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v\n%s", err, tail(string(out), 2000))
	}
	img, err := png.Decode(bytes.NewReader(f))
	if err != nil {
		t.Fatalf("decoding the screenshot: %v", err)
	}
	if os.Getenv("REPGEOM_KEEP_SCREENSHOTS") != "" {
		_ = os.WriteFile(filepath.Join(os.Getenv("REPGEOM_KEEP_SCREENSHOTS"), strings.ReplaceAll(t.Name(), "/", "_")+".png"), f, 0o644)
	}
	return img
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// pixelCounts counts, in r, the pixels that are not background (not near
// white) and those that are clearly colored (chroma > 40 of 255; text and
// axes are gray, so only drawn data counts).
func pixelCounts(img image.Image, r image.Rectangle) (ink, colored, total int) {
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c, g, b, _ := img.At(x, y).RGBA()
			c, g, b = c>>8, g>>8, b>>8
			total++
			if c < 245 || g < 245 || b < 245 {
				ink++
			}
			if max(c, g, b)-min(c, g, b) > 40 {
				colored++
			}
		}
	}
	return ink, colored, total
}

func browserFigure() Figure {
	k := mat.NewDense(6, 6, nil)
	for i := range 6 {
		for j := range 6 {
			k.Set(i, j, 1/(1+float64((i-j)*(i-j))))
		}
	}
	x := []float64{0, 1, 2, 3, 4, 5}
	return NewFigure(
		NewPlot("kernel").Kernel(k),
		NewPlot("curves").Line("a", x, []float64{0, 1, 4, 9, 16, 25}).Line("b", x, []float64{25, 16, 9, 4, 1, 0}),
	).Title("browser test")
}

// TestBrowserRendersOffline: an echarts figure, inlined, draws in a real
// browser with no network: its chart area is far from blank. The same
// figure with the CDN option, offline, draws nothing: the count can fail.
func TestBrowserRendersOffline(t *testing.T) {
	browser := chromiumPath(t)
	f := browserFigure()
	L, err := f.layout()
	if err != nil {
		t.Fatal(err)
	}
	W, H := L.size()
	area := image.Rect(0, 0, W, H)

	page, err := HTMLPage(f)
	if err != nil {
		t.Fatal(err)
	}
	img := screenshot(t, browser, page, W+40, H+40)
	ink, colored, total := pixelCounts(img, area)
	t.Logf("offline, inlined: %d of %d pixels drawn, %d colored", ink, total, colored)
	// The 6×6 heatmap alone fills about a fifth of its panel with color.
	if frac := float64(colored) / float64(total); frac < 0.05 {
		t.Errorf("chart area nearly blank: %.2f%% colored pixels, want ≥ 5%%", 100*frac)
	}
	// Both panels drew: color in the left and in the right half.
	_, left, _ := pixelCounts(img, image.Rect(0, 0, W/2, H))
	_, right, _ := pixelCounts(img, image.Rect(W/2, 0, W, H))
	if left < 2000 || right < 300 {
		t.Errorf("colored pixels: %d in the heatmap half, %d in the line half: a panel did not draw", left, right)
	}

	cdn, err := HTMLPage(f, CDN())
	if err != nil {
		t.Fatal(err)
	}
	img = screenshot(t, browser, cdn, W+40, H+40)
	_, colored, _ = pixelCounts(img, area)
	t.Logf("offline, CDN option: %d colored pixels", colored)
	if colored > 50 {
		t.Errorf("the CDN page drew %d colored pixels with no network: the test cannot tell a blank chart", colored)
	}
}

// TestBrowserRequireJS: a page where require.js's AMD define is present
// (as in the classic notebook and nbconvert exports). The inlined library
// hides it while loading, so the chart draws, and restores it after (a
// green marker drawn by a script that finds define again). The library
// inlined naively, without the guard, leaves the chart blank: the trap is
// real.
func TestBrowserRequireJS(t *testing.T) {
	browser := chromiumPath(t)
	f := browserFigure()
	L, _ := f.layout()
	W, H := L.size()
	frag, err := HTML(f)
	if err != nil {
		t.Fatal(err)
	}
	const fakeRequire = `<script>window.define = function () { window.amdCalls = (window.amdCalls || 0) + 1; }; window.define.amd = {};</script>`
	marker := fmt.Sprintf(`<script>if (typeof window.define === 'function' && window.define.amd && !window.amdCalls) {
var m = document.createElement('div'); m.style.cssText = 'position:absolute;left:0;top:%dpx;width:60px;height:30px;background:#00c000;'; document.body.appendChild(m); }</script>`, H+4)
	page := "<!DOCTYPE html><html><head><meta charset=\"utf-8\">" + fakeRequire + "<style>body{margin:0}</style></head><body>" + frag + marker + "</body></html>"
	img := screenshot(t, browser, []byte(page), W+40, H+60)
	_, colored, total := pixelCounts(img, image.Rect(0, 0, W, H))
	t.Logf("with require.js present: %d of %d pixels colored", colored, total)
	if float64(colored)/float64(total) < 0.05 {
		t.Errorf("chart blank with require.js present: %d colored pixels", colored)
	}
	if _, green, _ := pixelCounts(img, image.Rect(5, H+10, 55, H+28)); green < 600 {
		t.Errorf("window.define was not restored (or was called): marker has %d colored pixels", green)
	}

	// Negative control: the bare library under require.js.
	cfg, _ := newConfig(nil)
	lib, err := readAsset(cfg, "echarts/dist/echarts.min.js")
	if err != nil {
		t.Fatal(err)
	}
	option, _ := echartsJSON(L)
	naive := fmt.Sprintf("<!DOCTYPE html><html><head><meta charset=\"utf-8\">%s<style>body{margin:0}</style></head><body>"+
		"<div id=\"c\" style=\"width:%dpx;height:%dpx\"></div><script>%s</script>"+
		"<script>try { echarts.init(document.getElementById('c')).setOption(%s); } catch (e) {}</script></body></html>",
		fakeRequire, W, H, lib, option)
	img = screenshot(t, browser, []byte(naive), W+40, H+40)
	if _, c, _ := pixelCounts(img, image.Rect(0, 0, W, H)); c > 50 {
		t.Errorf("naively inlined ECharts drew %d colored pixels under require.js: the trap this guards against did not show", c)
	}
}

// TestBrowser3D: a 3-D PCA scatter (ECharts-GL, WebGL in software) draws
// offline.
func TestBrowser3D(t *testing.T) {
	browser := chromiumPath(t)
	h := mat.NewDense(40, 3, nil)
	groups := make([]string, 40)
	for i := range 40 {
		groups[i] = fmt.Sprint(i % 4)
		for j := range 3 {
			h.Set(i, j, float64((i>>j)&1)*2-1+0.1*float64(i%5))
		}
	}
	p := PCA("3-D", h, 3, groups)
	L, err := NewFigure(p).layout()
	if err != nil {
		t.Fatal(err)
	}
	W, H := L.size()
	page, err := HTMLPage(p)
	if err != nil {
		t.Fatal(err)
	}
	img := screenshot(t, browser, page, W+40, H+40)
	// The legend alone has 4 colored dots; the points add many more.
	_, colored, _ := pixelCounts(img, image.Rect(0, L.header, W, H))
	t.Logf("3-D panel: %d colored pixels", colored)
	if colored < 400 {
		t.Errorf("3-D panel nearly blank: %d colored pixels", colored)
	}
}
