package sweep

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
)

// Kind is the type of a table column.
type Kind int

const (
	// IntColumn holds integers (point, replicate, seed, epoch, counts).
	IntColumn Kind = iota
	// FloatColumn holds float64 values; NaN marks a missing value.
	FloatColumn
	// StringColumn holds text.
	StringColumn
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case IntColumn:
		return "int"
	case FloatColumn:
		return "float"
	case StringColumn:
		return "string"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// The fixed columns of a results table.
const (
	ColPoint     = "point"     // int: the point's index in the sweep
	ColReplicate = "replicate" // int: the seed index, in [0, Seeds)
	ColSeed      = "seed"      // int: the point seed (< 2⁵³)
	ColStatus    = "status"    // string: "ok" or "failed"
	ColError     = "error"     // string: the error of a failed point, else empty
	ColEpoch     = "epoch"     // int: the epoch of a per-epoch row
	ColSeconds   = "seconds"   // float: the point's wall time (TableOptions.Timing only)
)

var fixedColumns = map[string]bool{
	ColPoint: true, ColReplicate: true, ColSeed: true, ColStatus: true,
	ColError: true, ColEpoch: true, ColSeconds: true,
}

// column is one typed column; exactly one slice is used.
type column struct {
	kind Kind
	i    []int64
	f    []float64
	s    []string
}

// Table is a tidy table: one row per observation, one column per variable.
// A results table has one row per point (or per point and recorded epoch)
// and the columns, in order:
//
//	point                     int     the point's index in the sweep
//	<axis>…                   float for numeric axes, else string (JSON text for objects)
//	replicate                 int     the seed index
//	seed                      int     the point seed
//	status                    string  "ok" or "failed"
//	epoch                     int     (per-epoch tables only) the recorded epoch
//	<metric>…                 float   one per metric or series, sorted by name; NaN (empty in CSV) when absent
//	seconds                   float   (with TableOptions.Timing) the point's wall time
//	error                     string  (point tables only) the error of a failed point
//
// Tables are immutable: methods return new tables.
type Table struct {
	names   []string
	cols    []*column
	n       int
	axes    []string
	metrics []string
	index   map[string]int
}

func newTable() *Table { return &Table{index: map[string]int{}} }

func (t *Table) add(name string, c *column) {
	t.index[name] = len(t.names)
	t.names = append(t.names, name)
	t.cols = append(t.cols, c)
}

// Len returns the number of rows.
func (t *Table) Len() int { return t.n }

// Columns returns the column names, in order.
func (t *Table) Columns() []string { return append([]string(nil), t.names...) }

// Axes returns the names of the axis columns.
func (t *Table) Axes() []string { return append([]string(nil), t.axes...) }

// Metrics returns the names of the metric columns.
func (t *Table) Metrics() []string { return append([]string(nil), t.metrics...) }

// Kind returns the kind of a column, and false if there is no such column.
func (t *Table) Kind(name string) (Kind, bool) {
	k, ok := t.index[name]
	if !ok {
		return 0, false
	}
	return t.cols[k].kind, true
}

func (t *Table) col(name string) (*column, error) {
	k, ok := t.index[name]
	if !ok {
		return nil, fmt.Errorf("sweep: the table has no column %q (columns: %v)", name, t.names)
	}
	return t.cols[k], nil
}

// Floats returns a copy of a numeric column as float64 values.
func (t *Table) Floats(name string) ([]float64, error) {
	c, err := t.col(name)
	if err != nil {
		return nil, err
	}
	switch c.kind {
	case FloatColumn:
		return append([]float64(nil), c.f...), nil
	case IntColumn:
		out := make([]float64, len(c.i))
		for k, v := range c.i {
			out[k] = float64(v)
		}
		return out, nil
	}
	return nil, fmt.Errorf("sweep: column %q holds text, not numbers", name)
}

// Ints returns a copy of an integer column.
func (t *Table) Ints(name string) ([]int64, error) {
	c, err := t.col(name)
	if err != nil {
		return nil, err
	}
	if c.kind != IntColumn {
		return nil, fmt.Errorf("sweep: column %q holds %v values, not integers", name, c.kind)
	}
	return append([]int64(nil), c.i...), nil
}

// Strings returns a column as text, each cell formatted as in the CSV
// export.
func (t *Table) Strings(name string) ([]string, error) {
	c, err := t.col(name)
	if err != nil {
		return nil, err
	}
	out := make([]string, t.n)
	for r := range out {
		out[r] = c.text(r)
	}
	return out, nil
}

// Value returns the cell at row r of a column: an int64, a float64 or a
// string.
func (t *Table) Value(r int, name string) (any, error) {
	c, err := t.col(name)
	if err != nil {
		return nil, err
	}
	if r < 0 || r >= t.n {
		return nil, fmt.Errorf("sweep: row %d: the table has %d rows", r, t.n)
	}
	return c.value(r), nil
}

func (c *column) value(r int) any {
	switch c.kind {
	case IntColumn:
		return c.i[r]
	case FloatColumn:
		return c.f[r]
	}
	return c.s[r]
}

// text formats a cell: integers in decimal, floats in the shortest form
// that reads back bit for bit, NaN as the empty string, ±Inf as inf/-inf.
func (c *column) text(r int) string {
	switch c.kind {
	case IntColumn:
		return strconv.FormatInt(c.i[r], 10)
	case FloatColumn:
		return formatFloat(c.f[r])
	}
	return c.s[r]
}

func formatFloat(v float64) string {
	switch {
	case math.IsNaN(v):
		return ""
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func (c *column) appendFrom(src *column, r int) {
	switch c.kind {
	case IntColumn:
		c.i = append(c.i, src.i[r])
	case FloatColumn:
		c.f = append(c.f, src.f[r])
	default:
		c.s = append(c.s, src.s[r])
	}
}

// subset returns the table restricted to rows, in that order.
func (t *Table) subset(rows []int) *Table {
	out := newTable()
	out.axes, out.metrics = t.axes, t.metrics
	for k, name := range t.names {
		c := &column{kind: t.cols[k].kind}
		for _, r := range rows {
			c.appendFrom(t.cols[k], r)
		}
		out.add(name, c)
	}
	out.n = len(rows)
	return out
}

// Where returns the rows whose cell in column name equals value: a number
// (any Go integer or float type) for a numeric column, a string for a text
// column.
func (t *Table) Where(name string, value any) (*Table, error) {
	c, err := t.col(name)
	if err != nil {
		return nil, err
	}
	var rows []int
	if c.kind == StringColumn {
		s, ok := value.(string)
		if !ok {
			return nil, fmt.Errorf("sweep: Where(%q, %v): the column holds text, the value is a %T", name, value, value)
		}
		for r, v := range c.s {
			if v == s {
				rows = append(rows, r)
			}
		}
		return t.subset(rows), nil
	}
	x, ok := toFloat(value)
	if !ok {
		return nil, fmt.Errorf("sweep: Where(%q, %v): the column holds numbers, the value is a %T", name, value, value)
	}
	vals, _ := t.Floats(name)
	for r, v := range vals {
		if v == x {
			rows = append(rows, r)
		}
	}
	return t.subset(rows), nil
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int8:
		return float64(x), true
	case int16:
		return float64(x), true
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint8:
		return float64(x), true
	case uint16:
		return float64(x), true
	case uint32:
		return float64(x), true
	case uint64:
		return float64(x), true
	case float32:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// Equal reports whether two tables have the same columns, kinds and cells,
// bit for bit (a NaN equals a NaN).
func (t *Table) Equal(u *Table) bool {
	if t.n != u.n || len(t.names) != len(u.names) {
		return false
	}
	for k, name := range t.names {
		a, b := t.cols[k], u.cols[k]
		if u.names[k] != name || a.kind != b.kind {
			return false
		}
		for r := 0; r < t.n; r++ {
			switch a.kind {
			case IntColumn:
				if a.i[r] != b.i[r] {
					return false
				}
			case FloatColumn:
				if math.Float64bits(a.f[r]) != math.Float64bits(b.f[r]) &&
					!(math.IsNaN(a.f[r]) && math.IsNaN(b.f[r])) {
					return false
				}
			default:
				if a.s[r] != b.s[r] {
					return false
				}
			}
		}
	}
	return true
}

// TableOptions selects what a results table holds.
type TableOptions struct {
	// Epochs makes one row per point and recorded epoch, with the model's
	// series as metric columns, instead of one row per point with its final
	// metrics. Points that recorded no epoch have no row.
	Epochs bool
	// Timing adds the column seconds (wall time of each point). Timings
	// differ from run to run: leave them out of tables meant to compare.
	Timing bool
}

// Table returns the results as a table, one row per point (see Table for
// the columns).
func (r *Results) Table() *Table { return r.TableOf(TableOptions{}) }

// EpochTable returns one row per point and recorded epoch.
func (r *Results) EpochTable() *Table { return r.TableOf(TableOptions{Epochs: true}) }

// TableOf returns the results as a table with the given options.
func (r *Results) TableOf(o TableOptions) *Table {
	t := newTable()
	sw := r.sweep

	// Metric names: the union over records, sorted.
	set := map[string]bool{}
	for _, rec := range r.Records {
		if o.Epochs {
			for k := range rec.Result.Series {
				set[k] = true
			}
		} else {
			for k := range rec.Result.Metrics {
				set[k] = true
			}
		}
	}
	metrics := make([]string, 0, len(set))
	for k := range set {
		metrics = append(metrics, k)
	}
	sort.Strings(metrics)

	point := &column{kind: IntColumn}
	axes := make([]*column, len(sw.axes))
	for k, a := range sw.axes {
		axes[k] = &column{kind: axisKind(a.trees)}
	}
	rep, seed := &column{kind: IntColumn}, &column{kind: IntColumn}
	status, epoch := &column{kind: StringColumn}, &column{kind: IntColumn}
	mcols := make([]*column, len(metrics))
	for k := range mcols {
		mcols[k] = &column{kind: FloatColumn}
	}
	secs, errc := &column{kind: FloatColumn}, &column{kind: StringColumn}

	for _, rec := range r.Records {
		rows := 1
		if o.Epochs {
			rows = len(rec.Result.Epochs)
		}
		idx, _ := sw.indices(rec.Index)
		for e := 0; e < rows; e++ {
			point.i = append(point.i, int64(rec.Index))
			for k, a := range sw.axes {
				appendAxis(axes[k], a.trees[idx[k]], a.values[idx[k]])
			}
			rep.i = append(rep.i, int64(rec.Replicate))
			seed.i = append(seed.i, int64(rec.Seed))
			status.s = append(status.s, rec.Status)
			if o.Epochs {
				epoch.i = append(epoch.i, int64(rec.Result.Epochs[e]))
				for k, m := range metrics {
					v := math.NaN()
					if s, ok := rec.Result.Series[m]; ok && e < len(s) {
						v = s[e]
					}
					mcols[k].f = append(mcols[k].f, v)
				}
			} else {
				for k, m := range metrics {
					v, ok := rec.Result.Metrics[m]
					if !ok {
						v = math.NaN()
					}
					mcols[k].f = append(mcols[k].f, v)
				}
				errc.s = append(errc.s, rec.Err)
			}
			secs.f = append(secs.f, rec.Seconds)
			t.n++
		}
	}

	t.add(ColPoint, point)
	for k, a := range sw.axes {
		t.add(a.name, axes[k])
		t.axes = append(t.axes, a.name)
	}
	t.add(ColReplicate, rep)
	t.add(ColSeed, seed)
	t.add(ColStatus, status)
	if o.Epochs {
		t.add(ColEpoch, epoch)
	}
	for k, m := range metrics {
		t.add(m, mcols[k])
	}
	t.metrics = metrics
	if o.Timing {
		t.add(ColSeconds, secs)
	}
	if !o.Epochs {
		t.add(ColError, errc)
	}
	return t
}

// axisKind is FloatColumn when every value is a JSON number, else
// StringColumn.
func axisKind(trees []any) Kind {
	for _, v := range trees {
		if _, ok := v.(json.Number); !ok {
			return StringColumn
		}
	}
	return FloatColumn
}

func appendAxis(c *column, tree any, raw json.RawMessage) {
	if c.kind == FloatColumn {
		f, _ := tree.(json.Number).Float64()
		c.f = append(c.f, f)
		return
	}
	if s, ok := tree.(string); ok {
		c.s = append(c.s, s)
		return
	}
	c.s = append(c.s, string(raw))
}
