package rep

import (
	"encoding/json"
	"fmt"
	"math"
)

// activationKind selects the fast path of an Activation in hot loops.
type activationKind int

const (
	kindCustom activationKind = iota
	kindReLU
	kindTanh
	kindHardTanh
	kindHardSigmoid
	kindShiftedReLU
	kindSigmoid
	kindLinear
	kindErf
	kindClippedReLU
)

// Activation is an elementwise nonlinearity φ with its derivative φ'.
// The zero value is not usable; use one of the predefined activations
// (ReLU, Tanh, HardTanh, HardSigmoid, Sigmoid, Linear, Erf), a parameterized
// one (ShiftedReLU, ClippedReLU) or CustomActivation.
//
// An Activation marshals to JSON as {"name": …, "param": …}; a custom
// activation marshals its name but cannot be unmarshaled (its functions are
// code, not data).
type Activation struct {
	kind  activationKind
	name  string
	param float64
	f, df func(float64) float64
}

// Predefined activations.
var (
	// ReLU is max(x, 0); its derivative at 0 is taken as 0.
	ReLU = Activation{kind: kindReLU, name: "relu"}
	// Tanh is the hyperbolic tangent.
	Tanh = Activation{kind: kindTanh, name: "tanh"}
	// HardTanh clips x to [−1, 1].
	HardTanh = Activation{kind: kindHardTanh, name: "hardtanh"}
	// HardSigmoid is min(max(x, 0), 1), a threshold-type activation
	// (paper A §A5.6; paper B's clipped ReLU with upper bound 1).
	HardSigmoid = Activation{kind: kindHardSigmoid, name: "hardsigmoid"}
	// Sigmoid is the logistic function 1/(1+e^−x).
	Sigmoid = Activation{kind: kindSigmoid, name: "sigmoid"}
	// Linear is the identity.
	Linear = Activation{kind: kindLinear, name: "linear"}
	// Erf is the error function.
	Erf = Activation{kind: kindErf, name: "erf"}
)

// ShiftedReLU returns max(x+b, 0) (paper B Fig. 6B).
func ShiftedReLU(b float64) Activation {
	return Activation{kind: kindShiftedReLU, name: "shiftedrelu", param: b}
}

// ClippedReLU returns min(max(x, 0), ub), paper B's ReLU with positive
// saturation at ub (Fig. 6A). ClippedReLU(1) equals HardSigmoid.
func ClippedReLU(ub float64) Activation {
	return Activation{kind: kindClippedReLU, name: "clippedrelu", param: ub}
}

// CustomActivation returns a user-defined activation φ = f with derivative
// φ' = df. It panics if f or df is nil (a programmer error).
func CustomActivation(name string, f, df func(float64) float64) Activation {
	if f == nil || df == nil {
		panic("rep: CustomActivation: nil function")
	}
	return Activation{kind: kindCustom, name: name, f: f, df: df}
}

// Name returns the activation's name, e.g. "relu".
func (a Activation) Name() string { return a.name }

// Param returns the activation's parameter (the shift of ShiftedReLU, the
// upper bound of ClippedReLU), or 0.
func (a Activation) Param() float64 { return a.param }

// String returns the name, with the parameter where there is one.
func (a Activation) String() string {
	switch a.kind {
	case kindShiftedReLU, kindClippedReLU:
		return fmt.Sprintf("%s(%g)", a.name, a.param)
	}
	return a.name
}

// valid reports whether a is a usable activation (not the zero value).
func (a Activation) valid() bool {
	return a.kind != kindCustom || (a.f != nil && a.df != nil)
}

// F returns φ(x).
func (a Activation) F(x float64) float64 {
	switch a.kind {
	case kindReLU:
		if x > 0 {
			return x
		}
		return 0
	case kindTanh:
		return math.Tanh(x)
	case kindHardTanh:
		return math.Max(-1, math.Min(1, x))
	case kindHardSigmoid:
		return math.Max(0, math.Min(1, x))
	case kindShiftedReLU:
		return math.Max(x+a.param, 0)
	case kindClippedReLU:
		return math.Max(0, math.Min(a.param, x))
	case kindSigmoid:
		return 1 / (1 + math.Exp(-x))
	case kindLinear:
		return x
	case kindErf:
		return math.Erf(x)
	}
	return a.f(x)
}

// D returns φ'(x). At kinks the derivative of the left piece is used
// (0 for ReLU at 0, 0 for the clipped activations at their bounds).
func (a Activation) D(x float64) float64 {
	switch a.kind {
	case kindReLU:
		if x > 0 {
			return 1
		}
		return 0
	case kindTanh:
		t := math.Tanh(x)
		return 1 - t*t
	case kindHardTanh:
		if x > -1 && x < 1 {
			return 1
		}
		return 0
	case kindHardSigmoid:
		if x > 0 && x < 1 {
			return 1
		}
		return 0
	case kindShiftedReLU:
		if x+a.param > 0 {
			return 1
		}
		return 0
	case kindClippedReLU:
		if x > 0 && x < a.param {
			return 1
		}
		return 0
	case kindSigmoid:
		s := 1 / (1 + math.Exp(-x))
		return s * (1 - s)
	case kindLinear:
		return 1
	case kindErf:
		return 2 / math.SqrtPi * math.Exp(-x*x)
	}
	return a.df(x)
}

// Apply sets dst[i] = φ(src[i]) and deriv[i] = φ'(src[i]) for every i;
// deriv may be nil. It panics if the lengths differ. ReLU and Tanh run
// vectorized kernels; Tanh's values are then within 2 ulp of F (math.Tanh),
// the same on every processor.
func (a Activation) Apply(dst, deriv, src []float64) {
	if len(dst) != len(src) || (deriv != nil && len(deriv) != len(src)) {
		panic("rep: Activation.Apply: length mismatch")
	}
	switch a.kind {
	case kindReLU:
		relu(dst, deriv, src) // vectorized; the same values as F and D
	case kindTanh:
		// Vectorized, within 2 ulp of math.Tanh (see tanh.go); deriv is
		// 1 − t² of the returned t.
		tanhApply(dst, deriv, src)
	default:
		for i, x := range src {
			dst[i] = a.F(x)
			if deriv != nil {
				deriv[i] = a.D(x)
			}
		}
	}
}

// Odd reports whether φ(−x) = −φ(x) for the predefined activations
// (Tanh, HardTanh, Linear, Erf). Custom activations report false.
func (a Activation) Odd() bool {
	switch a.kind {
	case kindTanh, kindHardTanh, kindLinear, kindErf:
		return true
	}
	return false
}

// activationJSON is the wire form of an Activation.
type activationJSON struct {
	Name  string  `json:"name"`
	Param float64 `json:"param,omitempty"`
}

// MarshalJSON encodes the activation's name and parameter.
func (a Activation) MarshalJSON() ([]byte, error) {
	return json.Marshal(activationJSON{Name: a.name, Param: a.param})
}

// UnmarshalJSON decodes an activation from {"name": …, "param": …} or
// from a bare name such as "tanh" (so a sweep can set it as a string).
// Custom activations cannot be decoded.
func (a *Activation) UnmarshalJSON(b []byte) error {
	var w activationJSON
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &w.Name); err != nil {
			return err
		}
	} else if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	act, err := ActivationByName(w.Name, w.Param)
	if err != nil {
		return err
	}
	*a = act
	return nil
}

// ActivationByName returns the predefined activation with the given name
// ("relu", "tanh", "hardtanh", "hardsigmoid", "sigmoid", "linear", "erf",
// "shiftedrelu", "clippedrelu"); param is used by the parameterized ones.
func ActivationByName(name string, param float64) (Activation, error) {
	switch name {
	case "relu":
		return ReLU, nil
	case "tanh":
		return Tanh, nil
	case "hardtanh":
		return HardTanh, nil
	case "hardsigmoid":
		return HardSigmoid, nil
	case "sigmoid":
		return Sigmoid, nil
	case "linear":
		return Linear, nil
	case "erf":
		return Erf, nil
	case "shiftedrelu":
		return ShiftedReLU(param), nil
	case "clippedrelu":
		if !(param > 0) {
			return Activation{}, fmt.Errorf("rep: activation clippedrelu: upper bound %g must be > 0", param)
		}
		return ClippedReLU(param), nil
	}
	return Activation{}, fmt.Errorf("rep: unknown activation %q (want relu, tanh, hardtanh, hardsigmoid, sigmoid, linear, erf, shiftedrelu, clippedrelu)", name)
}
