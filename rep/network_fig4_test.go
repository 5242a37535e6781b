package rep

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestFig4WhitenedReLUKernel is paper A Fig. 4A/B (issue 2, acceptance 2):
// on whitened inputs the trained hidden kernel is b*(dY·11ᵀ + K_Y).
func TestFig4WhitenedReLUKernel(t *testing.T) {
	const dY, l1, l2 = 3, 1e-2, 1e-2
	task := Must(NewTask(dY).PerClass(1).Whitened().Seed(7).Build())
	net := Must(NewNetwork(task).Hidden(512).Activation(ReLU).L2(l1, l2).InitScale(0.01).Seed(7).Build())
	hist, err := net.Train(GD(0.03).Epochs(20000))
	if err != nil {
		t.Fatal(err)
	}
	p := float64(task.P())
	bstar := math.Sqrt(l2/l1*(p+1)/(p*(p+2))) - l2/p
	h := net.Hidden(0)
	var k mat.Dense
	k.Mul(h, h.T())
	s := mat.NewDense(task.P(), task.P(), nil)
	ky := task.KY()
	for i := 0; i < task.P(); i++ {
		for j := 0; j < task.P(); j++ {
			s.Set(i, j, bstar*(dY+ky.At(i, j)))
		}
	}
	var prod mat.Dense
	prod.MulElem(&k, s)
	cos := mat.Sum(&prod) / (mat.Norm(&k, 2) * mat.Norm(s, 2))
	ratio := mat.Norm(&k, 2) / mat.Norm(s, 2)
	t.Logf("b* = %.5f, cosine %.6f, norm ratio %.4f, final loss %.6g", bstar, cos, ratio, hist.Losses[len(hist.Losses)-1])
	if cos < 0.995 {
		t.Errorf("cosine(HHᵀ, b*(dY11ᵀ+K_Y)) = %.5f, want ≥ 0.995", cos)
	}
	if math.Abs(ratio-1) > 0.1 {
		t.Errorf("‖HHᵀ‖/‖K_theory‖ = %.4f, want within 10%% of 1", ratio)
	}
}
