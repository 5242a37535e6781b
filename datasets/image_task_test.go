package datasets

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/rep"
)

func TestDigitTaskBalancedParityMagnitude(t *testing.T) {
	d := shippedDigits(t)
	b := NewDigitTask(d).PerClass(100).Dim(50).Seed(1)
	task, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if task.P() != 400 || task.DX() != 50 || task.DY() != 2 {
		t.Fatalf("P, dX, dY = %d, %d, %d; want 400, 50, 2", task.P(), task.DX(), task.DY())
	}
	smp, err := b.Sample()
	if err != nil {
		t.Fatal(err)
	}
	// 4 latent classes of 100, each class's digits the right ones, the
	// latents the parity and magnitude of the drawn digit.
	count := map[int]int{}
	for i, c := range task.Class {
		count[c]++
		label := smp.Labels[i]
		if d.Labels[smp.Index[i]] != label {
			t.Fatalf("stimulus %d: label %d, set says %d", i, label, d.Labels[smp.Index[i]])
		}
		wantPar, wantMag := -1.0, -1.0
		if label%2 == 1 {
			wantPar = 1
		}
		if label >= 5 {
			wantMag = 1
		}
		if task.Latents.At(i, 0) != wantPar || task.Latents.At(i, 1) != wantMag || task.Y.At(i, 0) != wantPar || task.Y.At(i, 1) != wantMag {
			t.Fatalf("stimulus %d (digit %d): latents %v, %v", i, label, task.Latents.RawRowView(i), task.Y.RawRowView(i))
		}
		if c != smp.Group[i] || c != int(wantPar+1)/2+(int(wantMag+1)/2)*2 {
			t.Fatalf("stimulus %d (digit %d): class %d, group %d", i, label, c, smp.Group[i])
		}
	}
	if len(count) != 4 || count[0] != 100 || count[1] != 100 || count[2] != 100 || count[3] != 100 {
		t.Errorf("class counts %v, want 100 each of 4", count)
	}
	seen := map[int]bool{}
	for _, i := range smp.Index {
		if seen[i] {
			t.Fatalf("image %d drawn twice", i)
		}
		seen[i] = true
	}
	// Inputs: the PCA scores, centred, mean squared norm 1.
	if got := meanSquaredNorm(task.X); math.Abs(got-1) > 1e-12 {
		t.Errorf("mean squared norm %v, want 1", got)
	}
	for j := 0; j < 50; j++ {
		if m := mat.Sum(task.X.ColView(j)) / 400; math.Abs(m) > 1e-12 {
			t.Errorf("component %d has mean %v, want 0", j, m)
		}
	}
	// Same seed, same task bit for bit; another seed, other images.
	again := rep.Must(NewDigitTask(d).PerClass(100).Dim(50).Seed(1).Build())
	if !mat.Equal(again.X, task.X) {
		t.Error("same seed, different inputs")
	}
	other := rep.Must(NewDigitTask(d).PerClass(100).Dim(50).Seed(2).Build())
	if mat.Equal(other.X, task.X) {
		t.Error("different seeds, same inputs")
	}
}

func meanSquaredNorm(x *mat.Dense) float64 {
	r, _ := x.Dims()
	return mat.Norm(x, 2) * mat.Norm(x, 2) / float64(r) // Frobenius norm of a matrix
}

func TestDigitTaskWhitenAndRawPixels(t *testing.T) {
	d := shippedDigits(t)
	task := rep.Must(NewDigitTask(d).PerClass(30).Dim(20).Whiten().Build())
	// Whitened PCA scores: XᵀX = (P/d)·I (uncorrelated components of equal
	// variance, mean squared norm 1). 1e-9: sums of 120 products.
	var g mat.Dense
	g.Mul(task.X.T(), task.X)
	for i := 0; i < 20; i++ {
		for j := 0; j < 20; j++ {
			want := 0.0
			if i == j {
				want = 120.0 / 20
			}
			if math.Abs(g.At(i, j)-want) > 1e-9 {
				t.Fatalf("XᵀX[%d,%d] = %v, want %v", i, j, g.At(i, j), want)
			}
		}
	}
	raw := rep.Must(NewDigitTask(d).PerClass(5).Build())
	if raw.DX() != 784 || raw.P() != 20 {
		t.Fatalf("raw pixels: dX %d, P %d", raw.DX(), raw.P())
	}
	lo, hi := mat.Min(raw.X), mat.Max(raw.X)
	if lo != 0 || hi != 1 {
		t.Errorf("raw intensities in [%v, %v], want [0, 1]", lo, hi)
	}
}

func TestImageTaskUserLatents(t *testing.T) {
	d := shippedDigits(t)
	small := Latent{Name: "small", Of: func(l int) bool { return l < 3 }}
	round := Latent{Name: "round", Of: func(l int) bool { return l == 0 || l == 6 || l == 8 || l == 9 }}
	b := NewDigitTask(d).Latents(small, round, Parity).PerClass(40).Seed(3)
	smp, err := b.Sample()
	if err != nil {
		t.Fatal(err)
	}
	// Patterns that occur: small∧round {0}, small∧¬round {1, 2}, ¬small∧round
	// {6, 8, 9}, ¬small∧¬round {3, 4, 5, 7}, times parity: 0 even; 1 odd, 2
	// even; 6, 8 even, 9 odd; 4 even, 3, 5, 7 odd — 7 of the 8 patterns.
	groups := map[int]int{}
	for _, g := range smp.Group {
		groups[g]++
	}
	if len(groups) != 7 || len(smp.Index) != 280 {
		t.Errorf("groups %v (%d stimuli), want 7 groups of 40", groups, len(smp.Index))
	}
	if groups[1|4] != 40 { // small, ¬round, odd: the digit 1
		t.Errorf("pattern small∧¬round∧odd (digit 1): %d stimuli, want 40", groups[1|4])
	}
	if _, ok := groups[1|2|4]; ok {
		t.Errorf("pattern small∧round∧odd cannot occur: %v", groups)
	}
	if smp.Names[0] != "small" || smp.Names[2] != "parity" {
		t.Errorf("names %v", smp.Names)
	}

	// Balance per digit instead: 10 groups of 40.
	byDigit, err := NewDigitTask(d).PerClass(40).BalanceClasses().Sample()
	if err != nil {
		t.Fatal(err)
	}
	per := make([]int, 10)
	for _, l := range byDigit.Labels {
		per[l]++
	}
	for l, n := range per {
		if n != 40 {
			t.Errorf("digit %d: %d stimuli, want 40", l, n)
		}
	}
}

func TestImageTaskReportsEveryProblem(t *testing.T) {
	d := shippedDigits(t)
	constant := Latent{Name: "any", Of: func(int) bool { return true }}
	_, err := NewDigitTask(d).Latents(Parity, constant, Latent{Name: "nil"}).PerClass(0).Dim(-1).Noise(-1, math.NaN()).Build()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{`latent 2 ("nil") has a nil Of function`, "PerClass(0): n must be ≥ 1", "Dim(-1): d must be ≥ 0", "Noise(-1, NaN)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	for _, tc := range []struct {
		b    ImageTaskBuilder
		want string
	}{
		{NewDigitTask(d).Latents(Parity, constant), `latent "any" is +1 for all 10000 images`},
		{NewDigitTask(d).PerClass(3000), "PerClass(3000): latent class (parity -1, magnitude +1) has only 1958 images"},
		{NewDigitTask(d).PerClass(10).Dim(40), "Dim(40): d must be ≤ min(P−1, pixels) = 39"},
		{NewDigitTask(d).Whiten(), "Whiten(): needs Dim(d)"},
		{NewDigitTask(d).Latents(), "0 latents: must be in [1, 16]"},
		{NewDigitTask(nil), "NewImageTask(nil)"},
		{NewDigitTask(d).BalanceClasses().PerClass(900), "PerClass(900): image class 5 (5) has only 863 images"},
	} {
		if _, err := tc.b.Build(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want one containing %q", err, tc.want)
		}
	}
}

// Acceptance (issue 5): ReLU and tanh networks trained on the parity ×
// magnitude digits reach ≥ 95% training accuracy on both latents, and
// training makes the latents abstract in the hidden layer: CCGP, at chance
// in the PCA-projected pixels, rises well above it, and PS rises.
func TestDigitTaskTrainedNetworksAbstractLatents(t *testing.T) {
	d := shippedDigits(t)
	task := rep.Must(NewDigitTask(d).PerClass(100).Dim(50).Seed(1).Build())
	inPS := rep.ParallelismScore(task.X, task.Latents)
	inCCGP := rep.CCGP(task.X, task.Latents)
	t.Logf("inputs (50 PCs of pixels): PS parity %.3f magnitude %.3f; CCGP parity %.3f magnitude %.3f", inPS[0], inPS[1], inCCGP[0], inCCGP[1])
	for _, act := range []rep.Activation{rep.ReLU, rep.Tanh} {
		net := rep.Must(rep.NewNetwork(task).Hidden(200).Activation(act).Seed(1).Build())
		hist, err := net.Train(rep.GD(0.01).Adam(0.9, 0.999).Epochs(300))
		if err != nil {
			t.Fatal(err)
		}
		acc := net.Accuracy()
		h := net.Hidden(0)
		ps := rep.ParallelismScore(h, task.Latents)
		ccgp := rep.CCGP(h, task.Latents)
		t.Logf("%-4s M=200 Adam 300 epochs: loss %.4g, accuracy parity %.3f magnitude %.3f; hidden PS %.3f %.3f; CCGP %.3f %.3f",
			act.Name(), hist.Losses[len(hist.Losses)-1], acc[0], acc[1], ps[0], ps[1], ccgp[0], ccgp[1])
		for k, name := range []string{"parity", "magnitude"} {
			if acc[k] < 0.95 {
				t.Errorf("%s: training accuracy on %s %.3f < 0.95", act.Name(), name, acc[k])
			}
			if ccgp[k] < inCCGP[k]+0.2 {
				t.Errorf("%s: hidden CCGP of %s %.3f, input %.3f: want a rise of ≥ 0.2", act.Name(), name, ccgp[k], inCCGP[k])
			}
			if ps[k] <= inPS[k] {
				t.Errorf("%s: hidden PS of %s %.3f ≤ input %.3f", act.Name(), name, ps[k], inPS[k])
			}
		}
	}
}
