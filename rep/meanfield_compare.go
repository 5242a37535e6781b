package rep

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// KernelCosine returns the uncentered Frobenius cosine ⟨A, B⟩_F/(‖A‖_F‖B‖_F)
// of two kernels (1 when one is a positive multiple of the other). It
// returns NaN when a kernel is zero and panics when the shapes differ.
func KernelCosine(a, b mat.Matrix) float64 {
	ra, ca := a.Dims()
	rb, cb := b.Dims()
	if ra != rb || ca != cb {
		panic(fmt.Sprintf("rep: KernelCosine: shapes %d×%d and %d×%d differ", ra, ca, rb, cb))
	}
	dot, na, nb := 0.0, 0.0, 0.0
	for i := 0; i < ra; i++ {
		for j := 0; j < ca; j++ {
			x, y := a.At(i, j), b.At(i, j)
			dot += x * y
			na += x * x
			nb += y * y
		}
	}
	if na == 0 || nb == 0 {
		return math.NaN()
	}
	return dot / math.Sqrt(na*nb)
}

// KernelRelErr returns ‖got − want‖_F/‖want‖_F. It returns NaN when want
// is zero and panics when the shapes differ.
func KernelRelErr(got, want mat.Matrix) float64 {
	ra, ca := got.Dims()
	rb, cb := want.Dims()
	if ra != rb || ca != cb {
		panic(fmt.Sprintf("rep: KernelRelErr: shapes %d×%d and %d×%d differ", ra, ca, rb, cb))
	}
	d, n := 0.0, 0.0
	for i := 0; i < ra; i++ {
		for j := 0; j < ca; j++ {
			x, y := got.At(i, j), want.At(i, j)
			d += (x - y) * (x - y)
			n += y * y
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return math.Sqrt(d / n)
}

// KernelPS returns the parallelism score of each latent for the
// representation of a kernel: PS depends on a representation only through
// its kernel (coding vectors are differences of class means, compared by
// cosines), so it is ParallelismScore of any R with RRᵀ = k (k is
// symmetrized; it panics if k is not square).
func KernelPS(k mat.Matrix, labels mat.Matrix) []float64 {
	return ParallelismScore(mfFactor(mfSymFrom(k)), labels)
}

// KernelComparison compares kernels of the same task, typically the
// closed form, the solver's optimum and a trained network's kernel
// (theory ↔ solve ↔ trained). Entry [i][j] of the matrices compares kernel
// i with kernel j; RelErr[i][j] = ‖Kᵢ − Kⱼ‖/‖Kⱼ‖.
type KernelComparison struct {
	Names     []string    `json:"names"`
	Cosine    [][]float64 `json:"cosine"`    // KernelCosine
	Alignment [][]float64 `json:"alignment"` // centered, KernelAlignment
	RelErr    [][]float64 `json:"relErr"`    // KernelRelErr
	// Scale[i] is the least-squares scale of kernel i onto kernel 0
	// (FitScale): b_fit/b* when kernel 0 is a closed form.
	Scale []float64 `json:"scale"`
	// PS[i] is the per-latent parallelism score of kernel i's
	// representation (NaN for dY = 1), MeanPS its mean.
	PS     [][]float64 `json:"ps"`
	MeanPS []float64   `json:"meanPS"`
}

// CompareKernels compares kernels (each P×P) of a task; names label them
// in the output (len(names) must equal the number of kernels). PS uses the
// task's latents. It returns an error for mismatched shapes or names.
func CompareKernels(task *Task, names []string, kernels ...mat.Matrix) (*KernelComparison, error) {
	if task == nil {
		return nil, fmt.Errorf("rep: CompareKernels: task must not be nil")
	}
	if len(names) != len(kernels) {
		return nil, fmt.Errorf("rep: CompareKernels: %d names for %d kernels", len(names), len(kernels))
	}
	p := task.P()
	for i, k := range kernels {
		if k == nil {
			return nil, fmt.Errorf("rep: CompareKernels: kernel %q is nil", names[i])
		}
		if r, c := k.Dims(); r != p || c != p {
			return nil, fmt.Errorf("rep: CompareKernels: kernel %q is %d×%d; want %d×%d", names[i], r, c, p, p)
		}
	}
	n := len(kernels)
	cmp := &KernelComparison{Names: append([]string(nil), names...)}
	grid := func() [][]float64 {
		g := make([][]float64, n)
		for i := range g {
			g[i] = make([]float64, n)
		}
		return g
	}
	cmp.Cosine, cmp.Alignment, cmp.RelErr = grid(), grid(), grid()
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			cmp.Cosine[i][j] = KernelCosine(kernels[i], kernels[j])
			cmp.Alignment[i][j] = KernelAlignment(kernels[i], kernels[j])
			cmp.RelErr[i][j] = KernelRelErr(kernels[i], kernels[j])
		}
		s, _ := FitScale(kernels[i], kernels[0])
		cmp.Scale = append(cmp.Scale, s)
		ps := KernelPS(kernels[i], task.Latents)
		cmp.PS = append(cmp.PS, ps)
		m, c := 0.0, 0
		for _, v := range ps {
			if !math.IsNaN(v) {
				m += v
				c++
			}
		}
		if c == 0 {
			cmp.MeanPS = append(cmp.MeanPS, math.NaN())
		} else {
			cmp.MeanPS = append(cmp.MeanPS, m/float64(c))
		}
	}
	return cmp, nil
}

// String prints the comparison as a small table.
func (c *KernelComparison) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-12s %10s %10s %10s %8s\n", "kernel", "cos(·,K₀)", "relerr", "scale", "PS")
	for i, n := range c.Names {
		fmt.Fprintf(&b, "%-12s %10.6f %10.3g %10.6f %8.4f\n", n, c.Cosine[i][0], c.RelErr[i][0], c.Scale[i], c.MeanPS[i])
	}
	return b.String()
}

var mfCompareTemplate = template.Must(template.New("cmp").Parse(
	`<table class="repgeom-kernel-comparison"><tr><th>kernel</th><th>cosine with {{index .Names 0}}</th><th>relative error</th><th>scale</th><th>PS</th></tr>
{{range .Rows}}<tr><td>{{.Name}}</td><td>{{.Cos}}</td><td>{{.Err}}</td><td>{{.Scale}}</td><td>{{.PS}}</td></tr>
{{end}}</table>
`))

// WriteHTML writes the comparison as an HTML table.
func (c *KernelComparison) WriteHTML(w io.Writer) error {
	type row struct{ Name, Cos, Err, Scale, PS string }
	var rows []row
	for i, n := range c.Names {
		rows = append(rows, row{n, fmt.Sprintf("%.6f", c.Cosine[i][0]), fmt.Sprintf("%.3g", c.RelErr[i][0]),
			fmt.Sprintf("%.6f", c.Scale[i]), fmt.Sprintf("%.4f", c.MeanPS[i])})
	}
	return mfCompareTemplate.Execute(w, map[string]any{"Names": c.Names, "Rows": rows})
}
