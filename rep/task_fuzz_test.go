package rep

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// fuzzInt keeps v when it lies in [lo, hi] (cheap, valid or just invalid
// sizes); otherwise it picks an absurd value that must be rejected before
// anything is allocated.
func fuzzInt(v, lo, hi int) int {
	if v >= lo && v <= hi {
		return v
	}
	absurd := []int{1 << 29, 1 << 30, -1 << 40, 1 << 62} // each rejected for any companion value
	return absurd[(v%4+4)%4]
}

// FuzzTaskBuilder drives every task builder with arbitrary parameters: it
// must never panic, and must return either a valid task (consistent sizes,
// finite inputs, ±1 labels, a spec that rebuilds the same task through
// JSON) or an error starting with "rep: ".
func FuzzTaskBuilder(f *testing.F) {
	f.Add(uint8(0), 3, 1, 0.0, 0.0, 0, uint64(1))
	f.Add(uint8(1), 2, 2, 0.5, 0.0, 9, uint64(2))
	f.Add(uint8(2), 2, 1, -0.1, 0.3, 0, uint64(3))
	f.Add(uint8(3), 2, 3, 0.4, 0.0, 0, uint64(4))
	f.Add(uint8(4), 2, 2, 0.2, 0.0, 0, uint64(5))
	f.Add(uint8(5), 2, 1, 1.0, 0.0, 0, uint64(6))
	f.Add(uint8(6), 3, 1, 0.3, 0.5, 0, uint64(7))
	f.Add(uint8(7), 2, 1, 1.0, 1.0, 10, uint64(8))
	f.Add(uint8(8), 0, 0, 0.5, 0.5, 30, uint64(9))
	f.Add(uint8(9), 8, 3, 0.4, 0.5, 20, uint64(10))
	f.Add(uint8(9), 16, 4, 0.0, 0.0, 5, uint64(11))
	f.Add(uint8(10), 4, 2, 1.0, 1.0, 3, uint64(12))
	f.Add(uint8(0), 16, 1, 0.0, 0.0, 0, uint64(13))
	f.Add(uint8(1), 99, -7, math.NaN(), math.Inf(1), -5, uint64(14))
	f.Add(uint8(9), 6, 0, -1.0, 2000.0, 1<<40, uint64(15))
	f.Add(uint8(10), 1, 1, math.NaN(), 0.5, 2, uint64(16))
	f.Add(uint8(4), 3, 2, 0.0, 0.0, 0, uint64(17))
	f.Fuzz(func(t *testing.T, kind uint8, a, b int, x, y float64, dim int, seed uint64) {
		task, err := fuzzBuild(kind%11, a, b, x, y, dim, seed)
		if (task == nil) == (err == nil) {
			t.Fatalf("task %v and error %v", task, err)
		}
		if err != nil {
			if !strings.HasPrefix(err.Error(), "rep: ") {
				t.Fatalf("error without rep: prefix: %v", err)
			}
			return
		}
		checkFuzzTask(t, task)
	})
}

func fuzzBuild(kind uint8, a, b int, x, y float64, dim int, seed uint64) (*Task, error) {
	dY := fuzzInt(a, -3, 6)
	n := fuzzInt(b, -2, 4)
	d := fuzzInt(dim, -1, 300)
	base := NewTask(dY).PerClass(n).Seed(seed)
	if d != 0 {
		base = base.Dim(d)
	}
	switch kind {
	case 0:
		return base.Whitened().Noise(x, y).Build()
	case 1:
		return base.TargetAligned(x).Build()
	case 2:
		as := make([]float64, max(0, min(dY, 6)))
		for k := range as {
			as[k] = x + float64(k)*y
		}
		return base.Anisotropic(as...).Build()
	case 3:
		return base.WithinClassCorrelation(x).Build()
	case 4:
		m := max(1, min(n, 4))
		c := mat.NewDense(m, m, nil)
		for i := 0; i < m; i++ {
			for j := 0; j < m; j++ {
				c.Set(i, j, x)
			}
			c.Set(i, i, 1+y)
		}
		return base.ClassCorrelations(c).Build()
	case 5:
		return base.XORVariance(x).Build()
	case 6:
		return base.RandomKernel(x).Build()
	case 7:
		cb := NewClusterTask().Outputs(fuzzInt(a, -1, 3)).Noise(x, y).Seed(seed)
		if d != 0 {
			cb = cb.Dim(d)
		}
		return cb.Build()
	case 8:
		cb := NewDeltaXOR(x).Noise(y, y).Seed(seed)
		if d != 0 {
			cb = cb.Dim(d)
		}
		return cb.Build()
	case 9:
		rb := NewRandomKernelTask(fuzzInt(a, -1, 64), fuzzInt(b, -1, 70)).Alignment(x).Scale(y).Seed(seed)
		if d != 0 {
			rb = rb.Dim(d)
		}
		if dim%3 == 0 {
			rb = rb.Rank(fuzzInt(dim/3, -1, 70))
		}
		return rb.Build()
	default:
		rows, cols := fuzzInt(a, 0, 8), fuzzInt(b, 0, 4)
		if rows > 8 || cols > 4 || rows < 0 || cols < 0 {
			rows, cols = 3, 2
		}
		var xm, ym *mat.Dense
		if rows > 0 && cols > 0 {
			xm = mat.NewDense(rows, cols, nil)
			ym = mat.NewDense(rows, 1, nil)
			for i := 0; i < rows; i++ {
				for j := 0; j < cols; j++ {
					xm.Set(i, j, float64(i*cols+j)*0.1)
				}
				ym.Set(i, 0, float64(2*(i%2)-1))
			}
			xm.Set(0, 0, x)
			if d%2 == 1 {
				ym.Set(0, 0, y)
			}
		}
		return NewDataTask(xm, ym).Noise(math.Abs(y), 0).Build()
	}
}

func checkFuzzTask(t *testing.T, task *Task) {
	p := task.P()
	if p < 2 || len(task.Class) != p {
		t.Fatalf("P = %d, len(Class) = %d", p, len(task.Class))
	}
	if r, _ := task.Y.Dims(); r != p {
		t.Fatalf("Y has %d rows, P = %d", r, p)
	}
	if r, _ := task.Latents.Dims(); r != p {
		t.Fatalf("Latents has %d rows, P = %d", r, p)
	}
	for i := 0; i < p; i++ {
		for _, v := range task.X.RawRowView(i) {
			if !finite(v) {
				t.Fatalf("X holds %g", v)
			}
		}
		for _, m := range []*mat.Dense{task.Y, task.Latents} {
			for _, v := range m.RawRowView(i) {
				if v != 1 && v != -1 {
					t.Fatalf("label %g", v)
				}
			}
		}
	}
	if !(task.NoiseTrain >= 0) || !(task.NoiseTest >= 0) {
		t.Fatalf("noise %g %g", task.NoiseTrain, task.NoiseTest)
	}
	data, err := json.Marshal(task.Spec)
	if err != nil {
		t.Fatalf("spec does not marshal: %v", err)
	}
	var back TaskSpec
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	again, err := BuildTask(back)
	if err != nil {
		t.Fatalf("spec does not rebuild: %v", err)
	}
	assertSameTask(t, task, again)
}

// FuzzBuildTaskJSON feeds arbitrary JSON to BuildTask: a spec read from a
// file must give a task or an error, never a panic. Specs whose sizes are
// valid but expensive are skipped (they are legal, only slow to fuzz).
func FuzzBuildTaskJSON(f *testing.F) {
	for _, b := range buildersForRoundTrip() {
		data, err := json.Marshal(b.Spec())
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"kind":"latent","latents":2,"perClass":2,"geometry":"class-correlations","correlations":[[[1,0],[0]]]}`))
	f.Add([]byte(`{"kind":"data","x":[[1],[2]],"y":[[1],[]]}`))
	f.Add([]byte(`{"kind":"random-kernel","clusters":8,"targets":7,"alignment":0.1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s TaskSpec
		if json.Unmarshal(data, &s) != nil {
			return
		}
		if s.Latents > 8 || s.PerClass > 8 || s.Dim > 512 || s.Clusters > 64 {
			return
		}
		task, err := BuildTask(s)
		if (task == nil) == (err == nil) {
			t.Fatalf("task %v and error %v", task, err)
		}
		if err != nil {
			if !strings.HasPrefix(err.Error(), "rep: ") {
				t.Fatalf("error without rep: prefix: %v", err)
			}
			return
		}
		checkFuzzTask(t, task)
	})
}
