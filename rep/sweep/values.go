package sweep

import "math"

// Linspace returns n evenly spaced values from a to b inclusive (n ≥ 2; a
// single value a when n = 1; nil when n < 1), for an axis: paper B's δ grid
// is Linspace(0, 1, 21). The ends are exactly a and b.
func Linspace(a, b float64, n int) []float64 {
	if n < 1 {
		return nil
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = a + (b-a)*float64(i)/float64(max(n-1, 1))
	}
	out[n-1] = b
	if n == 1 {
		out[0] = a
	}
	return out
}

// Logspace returns n values from a to b inclusive evenly spaced on a log
// scale (a, b > 0; nil when n < 1 or a, b ≤ 0), e.g. Logspace(0.125, 8, 7)
// = 0.125, 0.25, …, 8. The ends are exactly a and b.
func Logspace(a, b float64, n int) []float64 {
	if n < 1 || !(a > 0) || !(b > 0) {
		return nil
	}
	out := Linspace(math.Log(a), math.Log(b), n)
	for i, v := range out {
		out[i] = math.Exp(v)
	}
	out[0] = a
	out[n-1] = b
	return out
}
