package datasets

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// formatFloat writes v in the shortest form that parses back to the same
// float64; non-finite values as nan, inf, -inf (which pandas and NumPy
// read).
func formatFloat(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// WriteCSV writes m as CSV, one row per line, every value in the shortest
// form that reads back to the same float64 (nan, inf, -inf for non-finite
// values). A non-nil header is written first; it must have one name per
// column. pandas.read_csv reads the result directly (header=None when
// there is no header); pass float_precision='round_trip' for bit-exact
// values, since pandas' default parser can be 1 ulp off.
func WriteCSV(w io.Writer, m mat.Matrix, header []string) error {
	r, c := m.Dims()
	if header != nil && len(header) != c {
		return fmt.Errorf("datasets: WriteCSV: %d header names for %d columns", len(header), c)
	}
	cw := csv.NewWriter(w)
	if header != nil {
		if err := cw.Write(header); err != nil {
			return err
		}
	}
	rec := make([]string, c)
	for i := 0; i < r; i++ {
		for j := range rec {
			rec[j] = formatFloat(m.At(i, j))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadCSV reads a numeric CSV matrix. If the first row does not parse as
// numbers it is returned as the header (nil otherwise). Every row must have
// the same number of fields; empty fields, nan and NaN read as NaN, inf as
// +Inf. Errors name the line and column.
func ReadCSV(r io.Reader) (*mat.Dense, []string, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	var header []string
	var data []float64
	cols, rows := -1, 0
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("datasets: ReadCSV: %w", err)
		}
		if cols < 0 {
			cols = len(rec)
			if _, err := parseCSVFloat(rec[0]); err != nil {
				header = append([]string(nil), rec...)
				continue
			}
		}
		for j, s := range rec {
			v, err := parseCSVFloat(s)
			if err != nil {
				return nil, nil, fmt.Errorf("datasets: ReadCSV: line %d, column %d: %q is not a number", line, j+1, s)
			}
			data = append(data, v)
		}
		rows++
	}
	if rows == 0 {
		return nil, header, errors.New("datasets: ReadCSV: no data rows")
	}
	return mat.NewDense(rows, cols, data), header, nil
}

func parseCSVFloat(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return math.NaN(), nil
	}
	return strconv.ParseFloat(s, 64) // accepts nan, NaN, inf, Inf, +Inf, -inf
}

// SaveCSV writes m to path as CSV (see WriteCSV), atomically.
func SaveCSV(path string, m mat.Matrix, header []string) error {
	return writeFileAtomic(path, func(w io.Writer) error { return WriteCSV(w, m, header) })
}

// LoadCSV reads a numeric CSV file (see ReadCSV).
func LoadCSV(path string) (*mat.Dense, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("datasets: LoadCSV: %w", err)
	}
	defer f.Close()
	m, h, err := ReadCSV(f)
	if err != nil {
		return nil, nil, fmt.Errorf("%w (in %s)", err, path)
	}
	return m, h, nil
}
