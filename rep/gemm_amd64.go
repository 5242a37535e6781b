package rep

//go:generate go run gemm_gen.go

// hasAVX512 reports whether the processor and the OS support AVX-512F:
// CPUID.7 EBX bit 16, OSXSAVE, and XCR0 saving the SSE, AVX, opmask and
// ZMM state (bits 1, 2, 5, 6, 7).
var hasAVX512 = func() bool {
	_, _, c, _ := cpuid(1, 0)
	if c&(1<<27) == 0 {
		return false
	}
	if max, _, _, _ := cpuid(0, 0); max < 7 {
		return false
	}
	_, b, _, _ := cpuid(7, 0)
	if b&(1<<16) == 0 {
		return false
	}
	lo, _ := xgetbv0()
	return lo&0xe6 == 0xe6
}()

// simd selects the AVX-512 kernels; tests switch it off to compare them
// with the pure-Go kernels, which give the same bits.
var simd = hasAVX512

// gemmTile runs the micro-kernel for an r×w tile (r ∈ {1, 2, 4, 8},
// 1 ≤ w ≤ 24); see gemm.
func gemmTile(r, w, k int, ap, b []float64, ldb int, c []float64, ldc int, acc bool) {
	if !simd {
		gemmKernelGo(r, w, k, ap, b, ldb, c, ldc, acc)
		return
	}
	v := (w + 7) / 8
	rem := w - 8*(v-1)
	masked := 0
	if rem != 8 {
		masked = 1
	}
	load := uint64(0)
	if acc {
		load = 1
	}
	ri := [9]int{1: 0, 2: 1, 4: 2, 8: 3}[r]
	gemmKernels[ri][v-1][masked](k, &ap[0], &b[0], ldb, &c[0], ldc, 1<<rem-1, load)
}
