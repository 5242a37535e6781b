package rep

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/rep/internal/rng"
)

// The paper-B sweep case of issue 8: 220 networks (20 seeds × 11 values of
// δ), each trained on a fixed sample of 256 noisy stimuli of the
// δ-separable XOR in 100 dimensions (paper B Fig. 2), 100 tanh units, BCE,
// paper B's frozen balanced ±1/M readout with a trained bias, 2,000
// full-batch GD steps at lr 0.1. rep/cmd/benchcmp runs the same case in
// PyTorch and NumPy.
const (
	sweepBSeeds   = 20
	sweepBDeltas  = 11
	sweepBSamples = 256
	sweepBDim     = 100
	sweepBWidth   = 100
	sweepBEpochs  = 2000
	sweepBLR      = 0.1
)

// sweepBTask returns the fixed training sample of one sweep point: 256
// draws x = X[c] + ξ (σ = 1) from NewDeltaXOR(δ).Dim(100).Seed(seed),
// conditions c = i mod 4.
func sweepBTask(delta float64, seed uint64) *Task {
	base := Must(NewDeltaXOR(delta).Dim(sweepBDim).Seed(seed).Build())
	rng := rng.New(seed ^ 0x5eed)
	x := mat.NewDense(sweepBSamples, sweepBDim, nil)
	y := mat.NewDense(sweepBSamples, 1, nil)
	l := mat.NewDense(sweepBSamples, 2, nil)
	for i := 0; i < sweepBSamples; i++ {
		c := i % 4
		for j := 0; j < sweepBDim; j++ {
			x.Set(i, j, base.X.At(c, j)+rng.NormFloat64())
		}
		y.Set(i, 0, base.Y.At(c, 0))
		l.SetRow(i, base.Latents.RawRowView(c))
	}
	return Must(NewDataTask(x, y).Latents(l).Build())
}

// sweepBNetwork returns the network of one sweep point.
func sweepBNetwork(task *Task, seed uint64) *Network {
	return Must(NewNetwork(task).Hidden(sweepBWidth).Activation(Tanh).Loss(CrossEntropy).
		Readout(ReadoutBinary).ReadoutBias(true).Seed(seed).Build())
}

// runSweepB trains the first nets points of the sweep case for epochs
// epochs each on workers goroutines and returns every network's final
// parameters, in point order. Point k is δ = (k mod 11)/10, seed k/11 + 1.
func runSweepB(nets, epochs, workers int) [][]float64 {
	out := make([][]float64, nets)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				delta := float64(k%sweepBDeltas) / float64(sweepBDeltas-1)
				seed := uint64(k/sweepBDeltas + 1)
				net := sweepBNetwork(sweepBTask(delta, seed), seed)
				if _, err := net.Train(GD(sweepBLR).Epochs(epochs)); err != nil {
					panic(err)
				}
				out[k] = net.Params()
			}
		}()
	}
	for k := 0; k < nets; k++ {
		next <- k
	}
	close(next)
	wg.Wait()
	return out
}

// BenchmarkTrainSweepBStep is one full-batch step (one epoch) of one
// network of the sweep case: 256×100 inputs, 100 tanh units, BCE.
func BenchmarkTrainSweepBStep(b *testing.B) {
	net := sweepBNetwork(sweepBTask(0.5, 1), 1)
	tr := newTrainer(net, Must(NewTraining(GD(sweepBLR).Spec())).spec)
	b.ReportAllocs()
	for b.Loop() {
		tr.epoch()
	}
	// 2·256·100·100 flops forward and 2·256·100·100 for ∂W.
	b.ReportMetric(4*sweepBSamples*sweepBDim*sweepBWidth*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkSweepB is the whole sweep case (220 networks × 2,000 steps) on
// GOMAXPROCS workers. One op takes tens of seconds: run it with
// -benchtime 1x.
func BenchmarkSweepB(b *testing.B) {
	workers := runtime.GOMAXPROCS(0)
	b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			runSweepB(sweepBSeeds*sweepBDeltas, sweepBEpochs, workers)
		}
	})
}

// TestSweepBSameBitsAnyWorkers: the sweep case gives bit-identical networks
// on 1 and 2 workers (each network is trained on one goroutine from its
// own seed; nothing is shared).
func TestSweepBSameBitsAnyWorkers(t *testing.T) {
	one := runSweepB(6, 5, 1)
	two := runSweepB(6, 5, 2)
	for k := range one {
		for i := range one[k] {
			if math.Float64bits(one[k][i]) != math.Float64bits(two[k][i]) {
				t.Fatalf("network %d θ[%d]: %v on 1 worker, %v on 2", k, i, one[k][i], two[k][i])
			}
		}
	}
}
