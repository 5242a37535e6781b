package rep

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/rep/internal/rng"
)

// smallTask returns a noise-free task with random inputs, for gradient
// checks that need no particular geometry.
func smallTask(t *testing.T, p, dx, dy int, seed uint64) *Task {
	t.Helper()
	rng := rng.New(seed)
	x := mat.NewDense(p, dx, nil)
	y := mat.NewDense(p, dy, nil)
	for i := 0; i < p; i++ {
		for j := 0; j < dx; j++ {
			x.Set(i, j, rng.NormFloat64())
		}
		for k := 0; k < dy; k++ {
			y.Set(i, k, float64(2*rng.IntN(2)-1))
		}
	}
	return &Task{X: x, Y: y, Latents: mat.DenseCopyOf(y), Class: make([]int, p)}
}

// TestGradientMatchesFiniteDifferences checks the hand-written backward
// pass against central differences of the data loss, for every
// architecture the engine has.
func TestGradientMatchesFiniteDifferences(t *testing.T) {
	cases := []struct {
		name string
		spec func(NetworkBuilder) NetworkBuilder
	}{
		{"tanh-sse", func(b NetworkBuilder) NetworkBuilder { return b.Activation(Tanh) }},
		{"sigmoid-bce-readoutbias", func(b NetworkBuilder) NetworkBuilder {
			return b.Activation(Sigmoid).Loss(CrossEntropy).ReadoutBias(true)
		}},
		{"erf-deep", func(b NetworkBuilder) NetworkBuilder { return b.Activation(Erf).Hidden(5, 4, 6) }},
		{"tanh-deep-nobias", func(b NetworkBuilder) NetworkBuilder { return b.Activation(Tanh).Hidden(4, 3).Bias(false) }},
		{"tanh-recurrent", func(b NetworkBuilder) NetworkBuilder { return b.Activation(Tanh).Hidden(5).Recurrent(3) }},
		{"custom-softplus", func(b NetworkBuilder) NetworkBuilder {
			sp := CustomActivation("softplus", func(x float64) float64 { return math.Log1p(math.Exp(x)) },
				func(x float64) float64 { return 1 / (1 + math.Exp(-x)) })
			return b.Activation(sp).Loss(CrossEntropy)
		}},
		{"relu-frozen", func(b NetworkBuilder) NetworkBuilder { return b.Activation(ReLU).Readout(ReadoutFrozen) }},
	}
	task := smallTask(t, 6, 4, 2, 3)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			net := Must(c.spec(NewNetwork(task).Hidden(5).Seed(11)).Build())
			x := task.X.RawMatrix().Data
			y := task.Y.RawMatrix().Data
			w := newWorkspace(net, task.P())
			lossAt := func() float64 {
				w.forward(x, task.P())
				return w.lossGrad(y, task.P())
			}
			lossAt()
			w.backward(x, task.P())
			grad := append([]float64(nil), w.grad...)
			const eps = 1e-6
			for i := range net.theta {
				old := net.theta[i]
				net.theta[i] = old + eps
				up := lossAt()
				net.theta[i] = old - eps
				down := lossAt()
				net.theta[i] = old
				fd := (up - down) / (2 * eps)
				trainable := false
				for _, g := range net.segs {
					if i >= g.off && i < g.off+g.n {
						trainable = g.train
					}
				}
				if !trainable {
					if grad[i] != 0 {
						t.Fatalf("θ[%d] is frozen but has gradient %g", i, grad[i])
					}
					continue
				}
				// 1e-6: central differences are accurate to O(eps²) plus
				// rounding of O(1e-16/eps); a kink (ReLU) would show far larger.
				if math.Abs(fd-grad[i]) > 1e-6*math.Max(1, math.Abs(fd)) {
					t.Fatalf("θ[%d]: backward %.9g, finite difference %.9g", i, grad[i], fd)
				}
			}
		})
	}
}

// TestPenaltyGradient checks that one GD step applies the L2 penalty's
// gradient 2λθ: with a zero data gradient (targets equal to outputs) the
// weights shrink by exactly (1 − 2·lr·λ).
func TestPenaltyGradient(t *testing.T) {
	task := smallTask(t, 4, 3, 1, 5)
	net := Must(NewNetwork(task).Hidden(3).Activation(Tanh).L2(0.1, 0.2).Build())
	task.Y = net.Output() // the data term now has zero gradient
	before := net.Params()
	tr := newTrainer(net, Must(NewTraining(GD(0.5).Epochs(1).Spec())).spec)
	tr.epoch()
	for _, g := range net.segs {
		for i := g.off; i < g.off+g.n; i++ {
			want := before[i] * (1 - 2*0.5*g.lambda)
			if math.Abs(net.theta[i]-want) > 1e-15 {
				t.Fatalf("θ[%d] = %g after one step, want %g", i, net.theta[i], want)
			}
		}
	}
}
