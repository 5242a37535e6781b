package sweep

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
)

// WriteCSV writes the table as CSV with a header row. Floats are written in
// the shortest form that reads back bit for bit, NaN as an empty cell and
// ±Inf as inf/-inf, which pandas.read_csv reads as NaN and ±inf.
func (t *Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.names); err != nil {
		return err
	}
	row := make([]string, len(t.cols))
	for r := 0; r < t.n; r++ {
		for k, c := range t.cols {
			row[k] = c.text(r)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSON writes the table as a JSON array of row objects, keys in column
// order (pandas.read_json(path, orient="records")). Non-finite floats are
// written as null.
func (t *Table) WriteJSON(w io.Writer) error {
	bw := bufio.NewWriter(w)
	keys := make([][]byte, len(t.names))
	for k, name := range t.names {
		b, err := json.Marshal(name)
		if err != nil {
			return err
		}
		keys[k] = b
	}
	bw.WriteString("[")
	for r := 0; r < t.n; r++ {
		if r > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n{")
		for k, c := range t.cols {
			if k > 0 {
				bw.WriteString(",")
			}
			bw.Write(keys[k])
			bw.WriteString(":")
			switch c.kind {
			case IntColumn:
				bw.WriteString(strconv.FormatInt(c.i[r], 10))
			case FloatColumn:
				v := c.f[r]
				if math.IsNaN(v) || math.IsInf(v, 0) {
					bw.WriteString("null")
				} else {
					bw.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
				}
			default:
				b, err := json.Marshal(c.s[r])
				if err != nil {
					return err
				}
				bw.Write(b)
			}
		}
		bw.WriteString("}")
	}
	bw.WriteString("\n]\n")
	return bw.Flush()
}

// maxShown bounds the rows String and WriteHTML show.
const maxShown = 20

// String formats the first rows of the table as aligned text.
func (t *Table) String() string {
	rows := min(t.n, maxShown)
	cells := make([][]string, rows+1)
	cells[0] = t.names
	for r := 0; r < rows; r++ {
		cells[r+1] = make([]string, len(t.cols))
		for k, c := range t.cols {
			s := c.text(r)
			if c.kind == FloatColumn {
				s = shortFloat(c.f[r])
			}
			if len(s) > 40 {
				s = s[:37] + "..."
			}
			cells[r+1][k] = s
		}
	}
	width := make([]int, len(t.names))
	for _, row := range cells {
		for k, s := range row {
			width[k] = max(width[k], len([]rune(s)))
		}
	}
	var b strings.Builder
	for _, row := range cells {
		for k, s := range row {
			if k > 0 {
				b.WriteString("  ")
			}
			b.WriteString(s)
			b.WriteString(strings.Repeat(" ", width[k]-len([]rune(s))))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "(%d rows × %d columns", t.n, len(t.names))
	if t.n > rows {
		fmt.Fprintf(&b, "; first %d shown", rows)
	}
	b.WriteString(")\n")
	return b.String()
}

func shortFloat(v float64) string {
	if math.IsNaN(v) {
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

var tableHTML = template.Must(template.New("table").Parse(`<table class="repgeom-sweep-table">
<thead><tr>{{range .Names}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</tbody>
<caption>{{.N}} rows × {{len .Names}} columns{{if .Cut}}; first {{len .Rows}} shown{{end}}</caption>
</table>
`))

// WriteHTML writes the first rows of the table as an HTML table.
func (t *Table) WriteHTML(w io.Writer) error {
	rows := min(t.n, maxShown)
	data := struct {
		Names []string
		Rows  [][]string
		N     int
		Cut   bool
	}{Names: t.names, N: t.n, Cut: t.n > rows}
	for r := 0; r < rows; r++ {
		row := make([]string, len(t.cols))
		for k, c := range t.cols {
			if c.kind == FloatColumn {
				row[k] = shortFloat(c.f[r])
			} else {
				row[k] = c.text(r)
			}
		}
		data.Rows = append(data.Rows, row)
	}
	return tableHTML.Execute(w, data)
}
