package rep

// tanhAVX512 sets dst[i] = tanh(src[i]) and, when withDeriv is 1,
// deriv[i] = 1 − dst[i]² for i < n, n a multiple of 8, with the constants
// c = &tanhConsts. Implemented in tanh_amd64.s; same bits as tanhGo.
//
//go:noescape
func tanhAVX512(dst, deriv, src *float64, n int, c *float64, withDeriv uint64)

// tanhApply sets dst = tanh(src) and deriv = 1 − tanh²(src) (deriv may be
// nil); lengths are checked by the caller.
func tanhApply(dst, deriv, src []float64) {
	n := len(src)
	if simd && n >= 8 {
		m := n &^ 7
		var dp *float64
		with := uint64(0)
		if deriv != nil {
			dp, with = &deriv[0], 1
		}
		tanhAVX512(&dst[0], dp, &src[0], m, &tanhConsts[0], with)
		if m == n {
			return
		}
		if deriv != nil {
			deriv = deriv[m:]
		}
		dst, src = dst[m:], src[m:]
	}
	tanhApplyGo(dst, deriv, src)
}
