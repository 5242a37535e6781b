package rep

import (
	"encoding/json"
	"math"
	"testing"
)

// TestActivationDerivatives: D is the derivative of F away from kinks.
func TestActivationDerivatives(t *testing.T) {
	acts := []Activation{ReLU, Tanh, HardTanh, HardSigmoid, Sigmoid, Linear, Erf, ShiftedReLU(0.3), ClippedReLU(2)}
	for _, a := range acts {
		for _, x := range []float64{-2.3, -0.71, 0.37, 0.6, 1.7, 2.9} {
			const h = 1e-6
			fd := (a.F(x+h) - a.F(x-h)) / (2 * h)
			if math.Abs(fd-a.D(x)) > 1e-7 {
				t.Errorf("%v: D(%g) = %g, finite difference %g", a, x, a.D(x), fd)
			}
		}
		dst, der := make([]float64, 3), make([]float64, 3)
		a.Apply(dst, der, []float64{-1.5, 0.2, 3})
		for i, x := range []float64{-1.5, 0.2, 3} {
			if dst[i] != a.F(x) || der[i] != a.D(x) {
				t.Errorf("%v: Apply disagrees with F/D at %g", a, x)
			}
		}
	}
}

// TestActivationJSON: activations round-trip through JSON, also from a
// bare name; unknown names and bad parameters are errors.
func TestActivationJSON(t *testing.T) {
	for _, a := range []Activation{ReLU, Tanh, ShiftedReLU(-0.5), ClippedReLU(1.5)} {
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		var back Activation
		if err := json.Unmarshal(b, &back); err != nil || back.String() != a.String() {
			t.Errorf("%v → %s → %v, %v", a, b, back, err)
		}
	}
	var a Activation
	if err := json.Unmarshal([]byte(`"tanh"`), &a); err != nil || a.Name() != "tanh" {
		t.Errorf(`"tanh" decoded to %v, %v`, a, err)
	}
	for _, bad := range []string{`"swish"`, `{"name":"clippedrelu","param":-1}`, `3`} {
		if err := json.Unmarshal([]byte(bad), &a); err == nil {
			t.Errorf("%s decoded without error", bad)
		}
	}
}
