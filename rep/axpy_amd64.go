package rep

import "gonum.org/v1/gonum/floats"

// axpyAVX sets y[i] += a·x[i] for i < len(x) with 256-bit AVX
// instructions; len(y) must be ≥ len(x). Implemented in axpy_amd64.s.
//
//go:noescape
func axpyAVX(a float64, x, y []float64)

// cpuid executes CPUID for a leaf and sub-leaf.
func cpuid(leaf, sub uint32) (a, b, c, d uint32)

// xgetbv0 reads the extended control register XCR0.
func xgetbv0() (lo, hi uint32)

// hasAVX reports whether the processor and the OS support AVX: CPUID.1
// ECX bits 27 (OSXSAVE) and 28 (AVX), and XCR0 saving SSE and AVX state.
var hasAVX = func() bool {
	_, _, c, _ := cpuid(1, 0)
	if c&(1<<27) == 0 || c&(1<<28) == 0 {
		return false
	}
	lo, _ := xgetbv0()
	return lo&6 == 6
}()

// axpy sets y += a·x. It panics if the lengths differ. The AVX and SSE2
// paths round identically, so results do not depend on the processor.
func axpy(y []float64, a float64, x []float64) {
	if len(x) != len(y) {
		panic("rep: axpy: length mismatch")
	}
	if hasAVX {
		axpyAVX(a, x, y)
		return
	}
	floats.AddScaled(y, a, x)
}
