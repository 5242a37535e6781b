package datasets

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	"github.com/repgeom/repgeom/rep"
)

// Table is a data frame: named columns and rows of cells. A cell is nil
// (missing), a string, a bool, an integer or a float. Tables are how a
// run's history and a sweep's results leave Go: WriteCSV and WriteJSON give
// files pandas.read_csv and pandas.read_json read directly, with the same
// column names and order (bit-exact floats with
// read_csv(…, float_precision='round_trip') and read_json(…,
// precise_float=True); pandas' defaults can be 1 ulp off).
type Table struct {
	Columns []string
	Rows    [][]any
}

// HistoryTable returns a training history as a table, one row per record:
// columns epoch, loss, gradNorm (when recorded), then one per recorded
// metric, sorted by name. A metric with fewer values than records is
// missing (nil) in the last rows.
func HistoryTable(h *rep.History) *Table {
	t := &Table{Columns: []string{"epoch", "loss"}}
	n := len(h.Epochs)
	withGrad := len(h.GradNorms) > 0
	if withGrad {
		t.Columns = append(t.Columns, "gradNorm")
	}
	names := h.MetricNames()
	t.Columns = append(t.Columns, names...)
	at := func(s []float64, i int) any {
		if i < len(s) {
			return s[i]
		}
		return nil
	}
	for i := 0; i < n; i++ {
		row := []any{h.Epochs[i], at(h.Losses, i)}
		if withGrad {
			row = append(row, at(h.GradNorms, i))
		}
		for _, name := range names {
			row = append(row, at(h.Metrics[name], i))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// TableOf returns a table with one row per element of records, a slice of
// structs (or of pointers to structs), and one column per exported field,
// named by its json tag when it has one (a field tagged json:"-" is
// skipped). Fields of basic kinds (bool, integers, floats, string) are
// cells as they are; a fmt.Stringer is its String(); anything else is its
// JSON encoding.
func TableOf(records any) (*Table, error) {
	v := reflect.ValueOf(records)
	if v.Kind() != reflect.Slice {
		return nil, fmt.Errorf("datasets: TableOf(%T): want a slice of structs", records)
	}
	et := v.Type().Elem()
	ptr := et.Kind() == reflect.Pointer
	if ptr {
		et = et.Elem()
	}
	if et.Kind() != reflect.Struct {
		return nil, fmt.Errorf("datasets: TableOf(%T): want a slice of structs", records)
	}
	var fields []int
	t := &Table{}
	for i := 0; i < et.NumField(); i++ {
		f := et.Field(i)
		if !f.IsExported() {
			continue
		}
		name := f.Name
		if tag, ok := f.Tag.Lookup("json"); ok {
			tn, _, _ := strings.Cut(tag, ",")
			if tn == "-" {
				continue
			}
			if tn != "" {
				name = tn
			}
		}
		fields = append(fields, i)
		t.Columns = append(t.Columns, name)
	}
	for r := 0; r < v.Len(); r++ {
		e := v.Index(r)
		if ptr {
			if e.IsNil() {
				return nil, fmt.Errorf("datasets: TableOf: record %d is nil", r)
			}
			e = e.Elem()
		}
		row := make([]any, len(fields))
		for k, i := range fields {
			cell, err := cellOf(e.Field(i))
			if err != nil {
				return nil, fmt.Errorf("datasets: TableOf: record %d, field %s: %w", r, t.Columns[k], err)
			}
			row[k] = cell
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

var stringerType = reflect.TypeFor[fmt.Stringer]()

func cellOf(f reflect.Value) (any, error) {
	if f.Type().Implements(stringerType) {
		if f.Kind() == reflect.Pointer && f.IsNil() {
			return nil, nil
		}
		return f.Interface().(fmt.Stringer).String(), nil
	}
	switch f.Kind() {
	case reflect.Bool:
		return f.Bool(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return f.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return f.Uint(), nil
	case reflect.Float32, reflect.Float64:
		return f.Float(), nil
	case reflect.String:
		return f.String(), nil
	}
	b, err := json.Marshal(f.Interface())
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// check returns an error unless every row has one cell per column and
// every cell is of a supported type.
func (t *Table) check() error {
	for i, row := range t.Rows {
		if len(row) != len(t.Columns) {
			return fmt.Errorf("datasets: Table: row %d has %d cells for %d columns", i, len(row), len(t.Columns))
		}
		for j, c := range row {
			switch c.(type) {
			case nil, string, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
			default:
				return fmt.Errorf("datasets: Table: row %d, column %s: cell of type %T: want nil, string, bool, integer or float", i, t.Columns[j], c)
			}
		}
	}
	return nil
}

// WriteCSV writes the table as CSV with a header line. Floats are written
// in the shortest form that reads back exactly; nil and NaN as an empty
// field (pandas: NaN), ±Inf as inf and -inf; bools as True and False
// (pandas: bool).
func (t *Table) WriteCSV(w io.Writer) error {
	if err := t.check(); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Columns); err != nil {
		return err
	}
	rec := make([]string, len(t.Columns))
	for _, row := range t.Rows {
		for j, c := range row {
			rec[j] = csvCell(c)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvCell(c any) string {
	switch v := c.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		if v {
			return "True"
		}
		return "False"
	case float64:
		if math.IsNaN(v) {
			return ""
		}
		return formatFloat(v)
	case float32:
		if math.IsNaN(float64(v)) {
			return ""
		}
		return formatFloat32(v)
	}
	return fmt.Sprint(c) // integers
}

func formatFloat32(v float32) string {
	if math.IsInf(float64(v), 0) {
		return formatFloat(float64(v))
	}
	return strconv.FormatFloat(float64(v), 'g', -1, 32)
}

// WriteJSON writes the table as a JSON array of records, one object per
// row with the columns in order ([{"epoch": 0, "loss": 0.5}, …]), which
// pandas.read_json reads into the same data frame. JSON has no NaN or
// infinities: non-finite floats and nil cells are null.
func (t *Table) WriteJSON(w io.Writer) error {
	if err := t.check(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	keys := make([][]byte, len(t.Columns))
	for j, c := range t.Columns {
		k, err := json.Marshal(c)
		if err != nil {
			return err
		}
		keys[j] = k
	}
	bw.WriteString("[")
	for i, row := range t.Rows {
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n{")
		for j, c := range row {
			if j > 0 {
				bw.WriteString(", ")
			}
			bw.Write(keys[j])
			bw.WriteString(": ")
			bw.WriteString(jsonCell(c))
		}
		bw.WriteString("}")
	}
	bw.WriteString("\n]\n")
	return bw.Flush()
}

func jsonCell(c any) string {
	switch v := c.(type) {
	case nil:
		return "null"
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "null"
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	case float32:
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return "null"
		}
		return strconv.FormatFloat(float64(v), 'g', -1, 32)
	case string:
		b, _ := json.Marshal(v)
		return string(b)
	case bool:
		return strconv.FormatBool(v)
	}
	return fmt.Sprint(c) // integers
}

// Save writes the table to path as CSV or JSON, chosen by the extension
// (.csv or .json), atomically.
func (t *Table) Save(path string) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return writeFileAtomic(path, t.WriteCSV)
	case ".json":
		return writeFileAtomic(path, t.WriteJSON)
	}
	return fmt.Errorf("datasets: Table.Save(%q): extension must be .csv or .json", path)
}

// String returns the table as aligned text (at most 20 rows).
func (t *Table) String() string {
	var b strings.Builder
	rows := [][]string{t.Columns}
	for i, row := range t.Rows {
		if i == 20 {
			break
		}
		rec := make([]string, len(row))
		for j, c := range row {
			if f, ok := c.(float64); ok {
				rec[j] = strconv.FormatFloat(f, 'g', 6, 64)
			} else {
				rec[j] = csvCell(c)
			}
		}
		rows = append(rows, rec)
	}
	width := make([]int, len(t.Columns))
	for _, r := range rows {
		for j, s := range r {
			if j < len(width) {
				width[j] = max(width[j], len([]rune(s)))
			}
		}
	}
	for _, r := range rows {
		for j, s := range r {
			if j > 0 {
				b.WriteString("  ")
			}
			if j < len(width) {
				b.WriteString(strings.Repeat(" ", width[j]-len([]rune(s))))
			}
			b.WriteString(s)
		}
		b.WriteByte('\n')
	}
	if len(t.Rows) > 20 {
		fmt.Fprintf(&b, "… %d rows\n", len(t.Rows))
	}
	return b.String()
}
