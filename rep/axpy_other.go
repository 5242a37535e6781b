//go:build !amd64

package rep

// mulVec sets dst[i] = x[i]·y[i]; see mulVecGo.
func mulVec(dst, x, y []float64) { mulVecGo(dst, x, y) }

// addVec sets dst[i] += x[i]; see addVecGo.
func addVec(dst, x []float64) { addVecGo(dst, x) }

// gdStep sets th[i] −= lr·(g[i] + l2·th[i]); see gdStepGo.
func gdStep(th, g []float64, lr, l2 float64) { gdStepGo(th, g, lr, l2) }

// relu applies ReLU and its derivative; see reluGo.
func relu(dst, deriv, src []float64) { reluGo(dst, deriv, src) }

// dots sets out[r·ldo] = a[r·lda:]·b for r < rows; see dotsGo.
func dots(out []float64, ldo int, a []float64, lda, rows int, b []float64) {
	dotsGo(out, ldo, a, lda, rows, b)
}

// axpyFMA sets y[i] = fma(a, x[i], y[i]); see axpyFMAGo.
func axpyFMA(y []float64, a float64, x []float64) { axpyFMAGo(y, a, x) }

// gemmByLoop is false: gemm packs and runs the pure-Go micro-kernel.
func gemmByLoop() bool { return false }

// fma256 and hasAVXFMA are false off amd64 (tests switch fma256).
var fma256 = false

const hasAVXFMA = false
