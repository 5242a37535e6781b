package rep

import "math"

// The vectorized hyperbolic tangent of the training engine.
//
// tanh(x) = sign(x)·E/(E+2) with E = expm1(2|x|), |x| clamped to 22 (where
// the quotient rounds to 1). expm1(y) = 2ⁿ·p + (2ⁿ − 1) with
// n = round(y/ln 2), r = y − n·ln 2 in two fused steps (|r| ≤ ln2/2), and
// p = expm1(r) from its Taylor series through r¹³ (truncation below 0.1
// ulp) evaluated by Horner's rule with fused multiply-adds. The AVX-512
// kernel (tanh_amd64.s) and tanhGo perform the same IEEE operations in the
// same order, so they agree bit for bit; TestTanhULP bounds the distance
// to math.Tanh (≤ 2 ulp, measured below 1.5) and the odd symmetry, the
// saturation to ±1 and tanh(±0) = ±0 hold exactly. NaN gives NaN.

// tanhConsts holds the kernel's constants, in the order tanh_amd64.s
// broadcasts them: clamp, 1/ln 2, rounding magic, −ln2hi, −ln2lo, 1, 2,
// then the Taylor coefficients 1/13!, 1/12!, …, 1/2!.
var tanhConsts = [...]float64{
	22, 1 / math.Ln2, 0x1.8p52, -6.93147180369123816490e-01, -1.90821492927058770002e-10, 1, 2,
	1.0 / 6227020800, 1.0 / 479001600, 1.0 / 39916800, 1.0 / 3628800, 1.0 / 362880, 1.0 / 40320,
	1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 1.0 / 2,
}

// tanhGo returns tanh(x) computed exactly as the AVX-512 kernel does.
// Explicit float64 conversions keep compilers from fusing a product into
// a following add (Go may fuse x*y + z on some architectures).
func tanhGo(x float64) float64 {
	k := &tanhConsts
	a := math.Abs(x)
	if a > k[0] {
		a = k[0]
	}
	y := a + a
	s, p := expParts(y)
	e := math.FMA(s, p, s-k[5])
	t := e / (e + k[6])
	return math.Copysign(t, x)
}

// expParts returns s = 2ⁿ and p = expm1(r) with y = n·ln 2 + r, n =
// round(y/ln 2), so that eʸ = fma(s, p, s) and eʸ − 1 = fma(s, p, s − 1).
// y must lie in [−700, 700].
func expParts(y float64) (s, p float64) {
	k := &tanhConsts
	kfm := math.FMA(y, k[1], k[2])
	kf := kfm - k[2]
	r := math.FMA(kf, k[3], y)
	r = math.FMA(kf, k[4], r)
	q := k[7]
	for _, c := range k[8:] {
		q = math.FMA(q, r, c)
	}
	r2 := float64(r * r)
	p = math.FMA(r2, q, r)
	// The low bits of kfm hold n (two's complement); n + 1023 in the
	// exponent field is 2ⁿ.
	s = math.Float64frombits(math.Float64bits(kfm)<<52 + 1023<<52)
	return s, p
}

// expNeg returns e^(−|v|), for v clamped to |v| ≤ 700, with the same
// arithmetic on every architecture (math.Exp has an assembly version on
// amd64 and may round differently elsewhere), within 2 ulp of math.Exp.
func expNeg(v float64) float64 {
	a := math.Abs(v)
	if a > 700 {
		a = 700
	}
	s, p := expParts(-a)
	return math.FMA(s, p, s)
}

// tanhApplyGo sets dst[i] = tanh(src[i]) and, unless deriv is nil,
// deriv[i] = 1 − tanh²(src[i]), with tanhGo.
func tanhApplyGo(dst, deriv, src []float64) {
	for i, x := range src {
		t := tanhGo(x)
		dst[i] = t
		if deriv != nil {
			deriv[i] = 1 - float64(t*t)
		}
	}
}
