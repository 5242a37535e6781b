package rep

import (
	"fmt"
	"math"
	"testing"

	"github.com/repgeom/repgeom/rep/internal/rng"
)

// naiveGemm is the arithmetic contract written out: each element of C is
// the fma chain over k in order, from C (acc) or +0.
func naiveGemm(transA, acc bool, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			s := 0.0
			if acc {
				s = c[i*ldc+j]
			}
			for kk := 0; kk < k; kk++ {
				av := a[i*lda+kk]
				if transA {
					av = a[kk*lda+i]
				}
				s = math.FMA(av, b[kk*ldb+j], s)
			}
			c[i*ldc+j] = s
		}
	}
}

// withSIMD runs f with the assembly kernels on or off.
// Off, it runs the pure-Go kernels (fma256 off too).
func withSIMD(on bool, f func()) {
	old, old256 := simd, fma256
	simd = on && hasAVX512
	if !on {
		fma256 = false
	}
	defer func() { simd, fma256 = old, old256 }()
	f()
}

// withAVX2 runs f on the path of processors with FMA3 but no AVX-512.
func withAVX2(f func()) {
	old, old256 := simd, fma256
	simd, fma256 = false, true
	defer func() { simd, fma256 = old, old256 }()
	f()
}

// TestGemmMatchesContract: the blocked product, with the AVX-512 kernels
// and with the pure-Go kernel, gives bit for bit the fma chain of the
// contract, for shapes around every tile and panel boundary, transposed or
// not, set or accumulated, with padded strides.
func TestGemmMatchesContract(t *testing.T) {
	rng := rng.New(5)
	sizes := []int{1, 2, 3, 5, 7, 8, 9, 12, 17, 23, 24, 25, 31, 40, 49}
	for _, m := range sizes {
		for _, n := range sizes {
			for _, k := range []int{0, 1, 3, 8, 13} {
				for _, transA := range []bool{false, true} {
					for _, acc := range []bool{false, true} {
						lda, ldb, ldc := k+1, n+3, n+2
						if transA {
							lda = m + 1
						}
						a := make([]float64, (max(m, k)+1)*(max(m, k)+1)+lda)
						b := make([]float64, (k+1)*ldb)
						c0 := make([]float64, m*ldc)
						for i := range a {
							a[i] = rng.NormFloat64() * math.Exp(4*rng.NormFloat64())
						}
						for i := range b {
							b[i] = rng.NormFloat64()
						}
						for i := range c0 {
							c0[i] = rng.NormFloat64()
						}
						want := append([]float64(nil), c0...)
						naiveGemm(transA, acc, m, n, k, a, lda, b, ldb, want, ldc)
						pack := make([]float64, gemmPackSize(m, k))
						for _, on := range []bool{false, true} {
							loop := append([]float64(nil), c0...)
							withSIMD(on, func() { gemmLoop(transA, acc, m, n, k, a, lda, b, ldb, loop, ldc) })
							for i := range loop {
								if math.Float64bits(loop[i]) != math.Float64bits(want[i]) {
									t.Fatalf("gemmLoop m=%d n=%d k=%d transA=%v acc=%v simd=%v: c[%d] = %v, want %v",
										m, n, k, transA, acc, on && hasAVX512, i, loop[i], want[i])
								}
							}
							got := append([]float64(nil), c0...)
							withSIMD(on, func() { gemm(transA, acc, m, n, k, a, lda, b, ldb, got, ldc, pack) })
							if on && hasAVXFMA {
								avx2 := append([]float64(nil), c0...)
								withAVX2(func() { gemm(transA, acc, m, n, k, a, lda, b, ldb, avx2, ldc, pack) })
								for i := range avx2 {
									if math.Float64bits(avx2[i]) != math.Float64bits(want[i]) {
										t.Fatalf("AVX2 path m=%d n=%d k=%d: c[%d] = %v, want %v", m, n, k, i, avx2[i], want[i])
									}
								}
							}
							for i := range got {
								if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
									t.Fatalf("m=%d n=%d k=%d transA=%v acc=%v simd=%v: c[%d] = %v, want %v",
										m, n, k, transA, acc, on && hasAVX512, i, got[i], want[i])
								}
							}
						}
					}
				}
			}
		}
	}
}

// BenchmarkGemm measures the product at the engine's shapes: the paper-B
// sweep case's forward X·W (256×100·100×100) and weight gradient Xᵀ·G
// (100×256ᵀ·256×100), and paper A's Fig. 4 forward (8×8·8×512).
func BenchmarkGemm(b *testing.B) {
	cases := []struct {
		name    string
		transA  bool
		m, n, k int
	}{
		{"sweepB-XW", false, 256, 100, 100},
		{"sweepB-XtG", true, 100, 100, 256},
		{"fig4-XW", false, 8, 512, 8},
		{"square-192", false, 192, 192, 192},
	}
	for _, c := range cases {
		for _, on := range []bool{true, false} {
			if on && !hasAVX512 {
				continue
			}
			b.Run(fmt.Sprintf("%s/simd=%v", c.name, on), func(b *testing.B) {
				lda := c.k
				if c.transA {
					lda = c.m
				}
				a := make([]float64, c.m*c.k)
				bb := make([]float64, c.k*c.n)
				cc := make([]float64, c.m*c.n)
				for i := range a {
					a[i] = 1e-3 * float64(i%7)
				}
				for i := range bb {
					bb[i] = 1e-3 * float64(i%5)
				}
				pack := make([]float64, gemmPackSize(c.m, c.k))
				withSIMD(on, func() {
					b.ReportAllocs()
					for b.Loop() {
						gemm(c.transA, false, c.m, c.n, c.k, a, lda, bb, c.n, cc, c.n, pack)
					}
				})
				b.ReportMetric(2*float64(c.m*c.n*c.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// TestTrainingSameBitsWithoutSIMD: training with the AVX-512 kernels, the
// AVX2 fused loops and
// with the pure-Go kernels (what every other processor runs) ends with
// bit-identical parameters, for the paper-A (ReLU, SSE, trained readout)
// and paper-B (tanh, BCE, frozen readout) engines and a deep network.
func TestTrainingSameBitsWithoutSIMD(t *testing.T) {
	if !hasAVX512 {
		t.Skip("no AVX-512: only the pure-Go kernels run on this processor")
	}
	a := Must(NewTask(3).Whitened().Seed(7).Build())
	b := sweepBTask(0.5, 3)
	cases := []struct {
		name string
		net  func() *Network
		tr   Training
	}{
		{"paperA-relu", func() *Network {
			return Must(NewNetwork(a).Hidden(100).Activation(ReLU).L2(1e-2, 1e-2).InitScale(0.01).Seed(7).Build())
		}, GD(0.03).Epochs(200)},
		{"paperB-tanh", func() *Network { return sweepBNetwork(b, 3) }, GD(0.1).Epochs(20)},
		{"deep-tanh-sgd", func() *Network {
			return Must(NewNetwork(b).Hidden(37, 19).Activation(Tanh).Loss(CrossEntropy).Seed(2).Build())
		}, SGD(0.05, 50).Epochs(3)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var params [3][]float64
			train := func() []float64 {
				n := c.net()
				Must(n.Train(c.tr))
				return n.Params()
			}
			withSIMD(true, func() { params[0] = train() })
			withSIMD(false, func() { params[1] = train() })
			withAVX2(func() { params[2] = train() })
			for _, p := range params[1:] {
				for i := range params[0] {
					if math.Float64bits(params[0][i]) != math.Float64bits(p[i]) {
						t.Fatalf("θ[%d]: %v with AVX-512, %v with pure Go or AVX2", i, params[0][i], p[i])
					}
				}
			}
		})
	}
}

// BenchmarkGemmCrossover times the packed, register-blocked product (gemm)
// against the fused row loop (gemmLoop: an fma-axpy per row and k, no
// packing), which give the same bits, at the small and thin shapes the
// engine meets: where the loop wins, gemm should use it.
func BenchmarkGemmCrossover(b *testing.B) {
	cases := []struct {
		name    string
		transA  bool
		m, n, k int
	}{
		{"sweepB-gA-k1", false, 256, 100, 1}, // ∂A = ∂f·w, dY = 1
		{"fig4-gA-k3", false, 8, 512, 3},     // ∂A = ∂f·W₂, dY = 3
		{"fig4-gW2-m3", true, 3, 512, 8},     // ∂W₂ = ∂fᵀ·A
		{"trainedB-gW2-m1", true, 1, 100, 256},
		{"fig4-XW", false, 8, 512, 8},
		{"sq2", false, 2, 2, 2}, {"sq4", false, 4, 4, 4}, {"sq8", false, 8, 8, 8},
		{"sq16", false, 16, 16, 16}, {"sq32", false, 32, 32, 32}, {"sq64", false, 64, 64, 64},
	}
	for _, c := range cases {
		lda := c.k
		if c.transA {
			lda = c.m
		}
		a := make([]float64, c.m*c.k)
		bb := make([]float64, c.k*c.n)
		cc := make([]float64, c.m*c.n)
		for i := range a {
			a[i] = 1e-3 * float64(i%7)
		}
		for i := range bb {
			bb[i] = 1e-3 * float64(i%5)
		}
		pack := make([]float64, gemmPackSize(c.m, c.k))
		b.Run(c.name+"/gemm", func(b *testing.B) {
			for b.Loop() {
				gemm(c.transA, false, c.m, c.n, c.k, a, lda, bb, c.n, cc, c.n, pack)
			}
		})
		b.Run(c.name+"/loop", func(b *testing.B) {
			for b.Loop() {
				gemmLoop(c.transA, false, c.m, c.n, c.k, a, lda, bb, c.n, cc, c.n)
			}
		})
	}
}
