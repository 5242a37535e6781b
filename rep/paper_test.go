package rep_test

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/rep"
)

// TestPaperAFig4 is paper A, Fig. 4A/B (issue 2, acceptance 2), through
// the public API exactly as a notebook would call it: whitened inputs,
// dY = 3, ReLU, M = 512, λ1 = λ2 = 1e-2, InitScale 0.01, GD lr 0.03 for
// 20,000 epochs. The trained kernel HHᵀ is b*(dY·11ᵀ + K_Y) and the hidden
// representation is abstract (PS → 1).
func TestPaperAFig4(t *testing.T) {
	const dY, l1, l2 = 3, 1e-2, 1e-2
	task := rep.Must(rep.NewTask(dY).PerClass(1).Whitened().Seed(7).Build())
	net := rep.Must(rep.NewNetwork(task).Hidden(512).Activation(rep.ReLU).L2(l1, l2).InitScale(0.01).Seed(7).Build())
	hist, err := net.Train(rep.GD(0.03).Epochs(20000))
	if err != nil {
		t.Fatal(err)
	}
	p := float64(task.P())
	bstar := math.Sqrt(l2/l1*(p+1)/(p*(p+2))) - l2/p // DIGEST §A5.3
	h := net.Hidden(0)
	var k mat.Dense
	k.Mul(h, h.T())
	ky := task.KY()
	theory := mat.NewDense(task.P(), task.P(), nil)
	theory.Apply(func(i, j int, _ float64) float64 { return bstar * (dY + ky.At(i, j)) }, theory)
	var prod mat.Dense
	prod.MulElem(&k, theory)
	cos := mat.Sum(&prod) / (mat.Norm(&k, 2) * mat.Norm(theory, 2))
	ratio := mat.Norm(&k, 2) / mat.Norm(theory, 2)
	ps := rep.ParallelismScore(h, task.Y)
	t.Logf("b* = %.5f; cosine %.6f; norm ratio %.4f; PS %.4f; loss %.5f", bstar, cos, ratio, ps, hist.Loss()[len(hist.Loss())-1])
	if cos < 0.995 {
		t.Errorf("cosine(HHᵀ, b*(dY·11ᵀ+K_Y)) = %.5f, want ≥ 0.995", cos)
	}
	if math.Abs(ratio-1) > 0.1 {
		t.Errorf("‖HHᵀ‖/‖b*(dY·11ᵀ+K_Y)‖ = %.4f, want within 10%% of 1", ratio)
	}
	for i, v := range ps {
		if !(v >= 0.95) {
			t.Errorf("PS of latent %d = %.4f, want ≥ 0.95", i, v)
		}
	}
}

// fig1Metrics are paper B's Fig. 1B measures of one trained network.
type fig1Metrics struct{ target, ps, trained, untrained float64 }

// TestPaperBFig1B is paper B, Fig. 1B (issue 2, acceptance 3): on four
// noisy random clusters with one binary output, over 10 seeds each, tanh
// networks reach a higher target alignment and PS than ReLU networks, and
// ReLU networks decode the untrained dichotomies better. Sizes are smaller
// than the paper's (N = 50 inputs, 48 units, 40 epochs of 500 samples at
// lr 1) so that the test takes seconds; the ordering is the paper's.
func TestPaperBFig1B(t *testing.T) {
	task := rep.Must(rep.NewClusterTask().Dim(50).Noise(1, 1).Seed(0).Build())
	// Classes 0…3 carry the latent bits; the trained output is latent 0.
	class := []int{0, 1, 2, 3}
	trained := []bool{false, true, false, true}
	untrained := [][]bool{{false, false, true, true}, {false, true, true, false}}
	run := func(act rep.Activation, seed uint64) fig1Metrics {
		net := rep.Must(rep.NewNetwork(task).Hidden(48).Activation(act).Loss(rep.CrossEntropy).
			Readout(rep.ReadoutBinary).ReadoutBias(true).Seed(seed).Build())
		rep.Must(net.Train(rep.SGD(1, 100).Samples(500).Epochs(40)))
		z := net.Hidden(0) // on the noise-free cluster centres
		x, _, _, cls := task.Samples(100, task.NoiseTest, seed)
		hz := net.HiddenOn(0, x)
		m := fig1Metrics{
			target:  rep.KernelAlignment(rep.KernelOf(z), task.KY()),
			ps:      rep.ParallelismScoreDichotomy(z, class, trained),
			trained: rep.DecodeAccuracy(hz, cls, trained, 5, 1),
		}
		for _, u := range untrained {
			m.untrained += rep.DecodeAccuracy(hz, cls, u, 5, 1) / float64(len(untrained))
		}
		return m
	}
	const seeds = 10
	mean := map[string]fig1Metrics{}
	for _, act := range []rep.Activation{rep.Tanh, rep.ReLU} {
		var s fig1Metrics
		for seed := uint64(1); seed <= seeds; seed++ {
			m := run(act, seed)
			s.target += m.target / seeds
			s.ps += m.ps / seeds
			s.trained += m.trained / seeds
			s.untrained += m.untrained / seeds
		}
		mean[act.Name()] = s
		t.Logf("%-4s: target alignment %.3f, PS %.3f, trained decoding %.3f, untrained decoding %.3f", act, s.target, s.ps, s.trained, s.untrained)
	}
	tanh, relu := mean["tanh"], mean["relu"]
	if !(tanh.target > relu.target) {
		t.Errorf("target alignment: tanh %.3f ≤ ReLU %.3f", tanh.target, relu.target)
	}
	if !(tanh.ps > relu.ps) {
		t.Errorf("PS: tanh %.3f ≤ ReLU %.3f", tanh.ps, relu.ps)
	}
	if !(relu.untrained > tanh.untrained) {
		t.Errorf("untrained decoding: ReLU %.3f ≤ tanh %.3f", relu.untrained, tanh.untrained)
	}
	if tanh.trained < 0.9 || relu.trained < 0.9 {
		t.Errorf("trained dichotomy decoded at %.3f (tanh), %.3f (ReLU); want ≥ 0.9 for both", tanh.trained, relu.trained)
	}
}
