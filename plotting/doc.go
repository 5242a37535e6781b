// Package plotting draws the figures of repgeom's two papers: training
// curves with mean ± sd bands over seeds, scatters colored by a value,
// kernel heatmaps side by side on one color scale, 2-D and 3-D PCA
// scatters, neuron-tuning heatmaps, vector fields with trajectories, bar
// charts, parameter-grid heatmaps and multi-panel figures labelled A, B,
// C… with one shared legend.
//
// One vocabulary, two backends. A Plot (one panel) and a Figure (panels in
// a grid) describe what to draw; the output format picks the backend:
//
//	plotting.Save(hist, "loss.html") // *rep.History → loss curve, interactive (go-echarts / ECharts)
//	plotting.Save(kernel, "k.svg")   // any mat.Matrix → heatmap with a color bar (gonum/plot)
//	plotting.Show(fig)               // inline in the GoNB cell
//
// HTML output (.html, Show) is interactive: hover for values, wheel or box
// zoom, click a legend entry to hide a series in every panel, 3-D panels
// rotate. .svg, .png and .pdf are static and publication-ready. Both use
// the same colors for the same series and the same colormaps (Viridis,
// and a blue–white–red Diverging map centred on 0 for signed data).
//
// # Offline
//
// HTML output inlines the ECharts library (and ECharts-GL for 3-D panels)
// from the npm packages that docker/setup-assets.sh installs, pinned at
// EChartsVersion and EChartsGLVersion, under $REPGEOM_ASSETS (default
// ~/.cache/repgeom/assets). No default output refers to a CDN; the CDN
// option opts into one for smaller notebooks, ScriptSrc into a local copy.
// The inlined library hides require.js's window.define while it loads,
// so charts draw in the classic notebook and nbconvert exports too.
//
// # Determinism
//
// The same figure gives the same SVG and the same ECharts option, byte for
// byte: chart ids are a hash of the option, nothing holds a timestamp or a
// random id (PDF files alone carry a creation date). Golden files in
// testdata/ pin both; go test -update rewrites them.
//
// # Builders
//
// Plot and Figure are value builders: methods return modified copies and
// never panic, so a base plot can be forked. Data are validated and copied
// when added.
//
// # Errors
//
// A bad argument (empty series, mismatched lengths, a non-square kernel, a
// NaN-only series, layers that cannot share axes) is recorded and returned
// by the terminal verb (Save, Show, HTML, HTMLPage, SVG, PNG, PDF,
// EChartsOption), joined with every other problem, each naming the method
// and the panel. NaN values inside otherwise good data are drawn as gaps:
// a break in a line, a missing bar or point, a blank heatmap cell, a
// hollow gray point in a color scatter. Nothing in this package panics on
// bad data.
//
// # Notebooks
//
// Show displays a figure in the current GoNB cell (ECharts HTML, or SVG
// with the Static option) and waits until GoNB has it (gonbui.Sync).
// Outside a notebook it prints a text summary, so the same code runs in
// tests and programs. ShowContent, HTML and SVG return the content instead
// of displaying it. Progress reports long runs: a bar updating in place in
// a notebook, a progress line in a terminal; its Training and Sweep methods
// give the callbacks rep's Training.Progress and rep/sweep expect.
//
// # Concurrency
//
// Plot and Figure values are immutable once built and safe to share. Save,
// Show and the other verbs may run concurrently. A Progress may be updated
// from several goroutines.
package plotting
