//go:build !amd64

package rep

// tanhApply sets dst = tanh(src) and deriv = 1 − tanh²(src) (deriv may be
// nil), with tanhGo.
func tanhApply(dst, deriv, src []float64) { tanhApplyGo(dst, deriv, src) }
