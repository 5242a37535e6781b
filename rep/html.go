package rep

import (
	"html/template"
	"io"
)

// networkHTML renders a Network as a small table.
var networkHTML = template.Must(template.New("network").Parse(`<table class="repgeom-network">
<caption>{{.Kind}} network</caption>
<tr><th>layers</th><td>{{.DX}} → {{.Hidden}} → {{.DY}}</td></tr>
<tr><th>activation</th><td>{{.Act}}</td></tr>
<tr><th>loss</th><td>{{.Loss}}</td></tr>
<tr><th>readout</th><td>{{.Readout}}{{if .ReadoutBias}}, with bias{{end}}</td></tr>
<tr><th>L2 λ (per layer, readout last)</th><td>{{.L2}}</td></tr>
<tr><th>parameters</th><td>{{.Params}}</td></tr>
<tr><th>loss on the task</th><td>{{printf "%.6g" .Value}}</td></tr>
<tr><th>seed</th><td>{{.Seed}}</td></tr>
</table>
`))

// WriteHTML writes the network's architecture and current loss as an HTML
// table, for notebooks (plotting.Show uses it).
func (n *Network) WriteHTML(w io.Writer) error {
	kind := "feedforward"
	if n.spec.Steps > 0 {
		kind = "recurrent"
	}
	return networkHTML.Execute(w, map[string]any{
		"Kind": kind, "DX": n.task.DX(), "Hidden": n.spec.Hidden, "DY": n.task.DY(),
		"Act": n.act.String(), "Loss": string(n.spec.Loss), "Readout": string(n.spec.Readout),
		"ReadoutBias": n.spec.ReadoutBias, "L2": n.spec.L2, "Params": len(n.theta),
		"Value": n.Loss(), "Seed": n.spec.Seed,
	})
}

// historyHTML renders a History as a table of its records (at most 12:
// the first, the last and evenly spaced ones between).
var historyHTML = template.Must(template.New("history").Parse(`<table class="repgeom-history">
<caption>training history: {{.Status}}{{if .Err}} ({{.Err}}){{end}}</caption>
<tr><th>epoch</th><th>loss</th><th>‖∇‖</th>{{range .Names}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr><td>{{.Epoch}}</td><td>{{printf "%.6g" .Loss}}</td><td>{{printf "%.3g" .Grad}}</td>{{range .Metrics}}<td>{{printf "%.4g" .}}</td>{{end}}</tr>
{{end}}</table>
`))

// WriteHTML writes the history as an HTML table of at most 12 records
// (the first, the last and evenly spaced ones between), with every
// recorded metric.
func (h *History) WriteHTML(w io.Writer) error {
	type row struct {
		Epoch   int
		Loss    float64
		Grad    float64
		Metrics []float64
	}
	names := h.MetricNames()
	var rows []row
	n := len(h.Epochs)
	for _, i := range spread(n, 12) {
		r := row{Epoch: h.Epochs[i], Loss: h.Losses[i], Grad: h.GradNorms[i]}
		for _, name := range names {
			r.Metrics = append(r.Metrics, h.Metrics[name][i])
		}
		rows = append(rows, r)
	}
	return historyHTML.Execute(w, map[string]any{"Status": h.Status.String(), "Err": h.Err, "Names": names, "Rows": rows})
}

// spread returns at most k indices of [0, n), evenly spaced, including the
// first and the last.
func spread(n, k int) []int {
	if n <= k {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	out := make([]int, k)
	for j := range out {
		out[j] = j * (n - 1) / (k - 1)
	}
	return out
}
