package sweep

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// jfloat is a float64 whose JSON form keeps NaN and ±Inf (as the strings
// "NaN", "+Inf", "-Inf"); finite values use the shortest decimal that
// round-trips, so a value read back is bit-identical.
type jfloat float64

func (f jfloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	switch {
	case math.IsNaN(v):
		return []byte(`"NaN"`), nil
	case math.IsInf(v, 1):
		return []byte(`"+Inf"`), nil
	case math.IsInf(v, -1):
		return []byte(`"-Inf"`), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

func (f *jfloat) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		switch s {
		case "NaN":
			*f = jfloat(math.NaN())
		case "+Inf":
			*f = jfloat(math.Inf(1))
		case "-Inf":
			*f = jfloat(math.Inf(-1))
		default:
			return fmt.Errorf("sweep: %q is not a number", s)
		}
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("sweep: %s is not a number", b)
	}
	*f = jfloat(v)
	return nil
}

// resultJSON is the JSON form of a Result.
type resultJSON struct {
	Metrics map[string]jfloat   `json:"metrics,omitempty"`
	Epochs  []int               `json:"epochs,omitempty"`
	Series  map[string][]jfloat `json:"series,omitempty"`
}

// MarshalJSON encodes the result, keeping NaN and ±Inf values.
func (r Result) MarshalJSON() ([]byte, error) {
	var w resultJSON
	if r.Metrics != nil {
		w.Metrics = make(map[string]jfloat, len(r.Metrics))
		for k, v := range r.Metrics {
			w.Metrics[k] = jfloat(v)
		}
	}
	w.Epochs = r.Epochs
	if r.Series != nil {
		w.Series = make(map[string][]jfloat, len(r.Series))
		for k, vs := range r.Series {
			s := make([]jfloat, len(vs))
			for i, v := range vs {
				s[i] = jfloat(v)
			}
			w.Series[k] = s
		}
	}
	return json.Marshal(w)
}

// UnmarshalJSON decodes a result written by MarshalJSON.
func (r *Result) UnmarshalJSON(b []byte) error {
	var w resultJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*r = Result{Epochs: w.Epochs}
	if w.Metrics != nil {
		r.Metrics = make(map[string]float64, len(w.Metrics))
		for k, v := range w.Metrics {
			r.Metrics[k] = float64(v)
		}
	}
	if w.Series != nil {
		r.Series = make(map[string][]float64, len(w.Series))
		for k, vs := range w.Series {
			s := make([]float64, len(vs))
			for i, v := range vs {
				s[i] = float64(v)
			}
			r.Series[k] = s
		}
	}
	return nil
}
