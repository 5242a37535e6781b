//go:build !amd64

package rep

// simd is false: other architectures use the pure-Go kernels.
var simd = false

// gemmTile runs the pure-Go micro-kernel for an r×w tile; see gemm.
func gemmTile(r, w, k int, ap, b []float64, ldb int, c []float64, ldc int, acc bool) {
	gemmKernelGo(r, w, k, ap, b, ldb, c, ldc, acc)
}

// hasAVX512 is false off amd64.
const hasAVX512 = false
