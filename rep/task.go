package rep

import (
	"fmt"
	"html/template"
	"io"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/rep/internal/rng"
)

// Task is a supervised task tied to binary latent variables. Rows of every
// matrix are stimuli: for P stimuli, X is P×dX (the noise-free inputs, the
// cluster centres of a noisy task), Y is P×dY (targets, entries ±1) and
// Latents is P×dL (latent labels, entries ±1; for paper A's tasks Latents
// and Y are equal). Class[i] is the class (condition) of stimulus i: the
// index of its latent pattern, Σₖ bitₖ·2ᵏ with bitₖ = (Latents[i,k]+1)/2.
//
// A task with NoiseTrain > 0 is trained on fresh noisy samples
// x = X[c] + NoiseTrain·ξ, ξ ~ N(0, I); NoiseTest is the noise of the
// samples used to analyse the representation (paper B §5.2). Both are
// standard deviations.
//
// Tasks are made by NewTask (paper A's binary latent tasks), NewClusterTask
// and NewDeltaXOR (paper B's four-cluster tasks), NewRandomKernelTask
// (paper B's random tasks of prescribed input–output alignment) and
// NewDataTask (user matrices); BuildTask rebuilds any of them from its Spec.
//
// A Task is immutable once built: its methods return new matrices.
type Task struct {
	X, Y, Latents *mat.Dense
	Class         []int
	NoiseTrain    float64
	NoiseTest     float64
	Spec          TaskSpec
}

// P returns the number of stimuli.
func (t *Task) P() int { r, _ := t.X.Dims(); return r }

// DX returns the input dimension.
func (t *Task) DX() int { _, c := t.X.Dims(); return c }

// DY returns the number of outputs.
func (t *Task) DY() int { _, c := t.Y.Dims(); return c }

// DL returns the number of latent variables (columns of Latents).
func (t *Task) DL() int { _, c := t.Latents.Dims(); return c }

// Classes returns the number of distinct classes (conditions) of the task.
func (t *Task) Classes() int {
	seen := make(map[int]bool)
	for _, c := range t.Class {
		seen[c] = true
	}
	return len(seen)
}

// KX returns the P×P input kernel with the bias as an extra constant input,
// K_X = XXᵀ + 11ᵀ, as in paper A's mean-field theory (DIGEST §A1).
func (t *Task) KX() *mat.SymDense {
	k := t.KData()
	p := t.P()
	for i := 0; i < p; i++ {
		for j := i; j < p; j++ {
			k.SetSym(i, j, k.At(i, j)+1)
		}
	}
	return k
}

// KData returns the P×P data kernel XXᵀ, without the bias: the Gram matrix
// of the stimuli. For a whitened task it is the identity.
func (t *Task) KData() *mat.SymDense {
	k := mat.NewSymDense(t.P(), nil)
	k.SymOuterK(1, t.X)
	return k
}

// KY returns the P×P output kernel K_Y = YYᵀ.
func (t *Task) KY() *mat.SymDense {
	k := mat.NewSymDense(t.P(), nil)
	k.SymOuterK(1, t.Y)
	return k
}

// InputOutputAlignment returns the centered kernel alignment
// KernelAlignment(XXᵀ, K_Y) of the data kernel (without the bias) with the
// output kernel: paper B's input–output alignment (§B3.1), the most likely
// reading of paper A's input–output alignment of Fig. 4C (DIGEST §A2.5).
// The whitened task with n = 1 has C = √(dY/(P−1)). It is NaN when the
// centered data kernel is zero (all stimuli identical).
func (t *Task) InputOutputAlignment() float64 {
	return KernelAlignment(t.KData(), t.KY())
}

// ClassGamma returns γ_c = 1ᵀ C_c⁺ 1 for every class c (indexed by class
// number, NaN for a class number without stimuli), where C_c is the block
// of the data kernel XXᵀ on the stimuli of class c and ⁺ the
// pseudo-inverse (DIGEST §A5.5: the coefficient of the mean-field solution
// for multi-element classes). For C = (1−ρ)I + ρ11ᵀ of size n,
// γ = n/(1+(n−1)ρ).
func (t *Task) ClassGamma() []float64 {
	maxc := 0
	for _, c := range t.Class {
		maxc = max(maxc, c)
	}
	members := make([][]int, maxc+1)
	for i, c := range t.Class {
		members[c] = append(members[c], i)
	}
	k := t.KData()
	out := make([]float64, maxc+1)
	for c, idx := range members {
		if len(idx) == 0 {
			out[c] = math.NaN()
			continue
		}
		block := mat.NewSymDense(len(idx), nil)
		for a, i := range idx {
			for b := a; b < len(idx); b++ {
				block.SetSym(a, b, k.At(i, idx[b]))
			}
		}
		out[c] = onesPinvOnes(block)
	}
	return out
}

// onesPinvOnes returns 1ᵀC⁺1 for a symmetric PSD matrix C, ignoring
// eigenvalues below 1e-10 of the largest (they are rounding noise).
func onesPinvOnes(c *mat.SymDense) float64 {
	var eig mat.EigenSym
	if !eig.Factorize(c, true) {
		return math.NaN()
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	top := 0.0
	for _, v := range vals {
		top = max(top, math.Abs(v))
	}
	n := len(vals)
	g := 0.0
	for j, v := range vals {
		if v <= 1e-10*top {
			continue
		}
		s := 0.0
		for i := 0; i < n; i++ {
			s += vecs.At(i, j)
		}
		g += s * s / v
	}
	return g
}

// maxSampleEntries bounds n·P·dX in Samples.
const maxSampleEntries = 1 << 28

// Samples returns n noisy samples of every stimulus (condition):
// x = X[i] + σξ with ξ ~ N(0, I), the targets, latents and class of the
// stimulus it was drawn from. Samples are balanced and ordered by
// repetition: sample r·P + i is repetition r of stimulus i. The draws are
// deterministic per seed. σ = 0 gives n copies of X.
//
// Samples panics (a programmer error) if n < 1, σ is negative or not
// finite, or n·P·dX exceeds 2²⁸.
func (t *Task) Samples(n int, sigma float64, seed uint64) (x, y, latents *mat.Dense, class []int) {
	if n < 1 {
		panic(fmt.Sprintf("rep: Task.Samples(%d, …): n must be ≥ 1", n))
	}
	if !(sigma >= 0) || math.IsInf(sigma, 1) {
		panic(fmt.Sprintf("rep: Task.Samples(%d, %g, …): σ must be finite and ≥ 0", n, sigma))
	}
	p, dx, dy, dl := t.P(), t.DX(), t.DY(), t.DL()
	if float64(n)*float64(p)*float64(max(dx, dy, dl)) > maxSampleEntries {
		panic(fmt.Sprintf("rep: Task.Samples(%d, …): n·P·dX = %d·%d·%d exceeds 2²⁸", n, n, p, dx))
	}
	rng := rng.New(seed)
	x = mat.NewDense(n*p, dx, nil)
	y = mat.NewDense(n*p, dy, nil)
	latents = mat.NewDense(n*p, dl, nil)
	class = make([]int, n*p)
	xd := x.RawMatrix()
	for r := 0; r < n; r++ {
		for i := 0; i < p; i++ {
			s := r*p + i
			row := xd.Data[s*xd.Stride : s*xd.Stride+dx]
			mat.Row(row, i, t.X)
			if sigma > 0 {
				for j := range row {
					row[j] += sigma * rng.NormFloat64()
				}
			}
			y.SetRow(s, t.Y.RawRowView(i))
			latents.SetRow(s, t.Latents.RawRowView(i))
			class[s] = t.Class[i]
		}
	}
	return x, y, latents, class
}

// String returns a one-line description of the task, e.g.
// "latent task (whitened): P=8 dX=8 dY=3 dL=3 seed=7".
func (t *Task) String() string {
	kind := t.Spec.Kind
	if kind == "" {
		kind = "unnamed"
	}
	geo := ""
	if t.Spec.Geometry != "" {
		geo = " (" + t.Spec.Geometry + ")"
	}
	s := fmt.Sprintf("%s task%s: P=%d dX=%d dY=%d dL=%d seed=%d", kind, geo, t.P(), t.DX(), t.DY(), t.DL(), t.Spec.Seed)
	if t.NoiseTrain != 0 || t.NoiseTest != 0 {
		s += fmt.Sprintf(" σ_train=%g σ_test=%g", t.NoiseTrain, t.NoiseTest)
	}
	return s
}

var taskHTML = template.Must(template.New("task").Parse(`<table class="repgeom-task">
<caption>{{.Kind}} task{{if .Geometry}} ({{.Geometry}}){{end}}</caption>
<tr><th>P (stimuli)</th><td>{{.P}}</td></tr>
<tr><th>classes</th><td>{{.Classes}}</td></tr>
<tr><th>d<sub>X</sub></th><td>{{.DX}}</td></tr>
<tr><th>d<sub>Y</sub></th><td>{{.DY}}</td></tr>
<tr><th>latents</th><td>{{.DL}}</td></tr>
<tr><th>input–output alignment</th><td>{{printf "%.4f" .Align}}</td></tr>
<tr><th>σ<sub>train</sub>, σ<sub>test</sub></th><td>{{.NoiseTrain}}, {{.NoiseTest}}</td></tr>
<tr><th>seed</th><td>{{.Seed}}</td></tr>
</table>
`))

// WriteHTML writes an HTML table describing the task (sizes, geometry,
// input–output alignment, noise and seed) for notebooks.
func (t *Task) WriteHTML(w io.Writer) error {
	return taskHTML.Execute(w, map[string]any{
		"Kind": t.Spec.Kind, "Geometry": t.Spec.Geometry, "P": t.P(), "Classes": t.Classes(),
		"DX": t.DX(), "DY": t.DY(), "DL": t.DL(), "Align": t.InputOutputAlignment(),
		"NoiseTrain": t.NoiseTrain, "NoiseTest": t.NoiseTest, "Seed": t.Spec.Seed,
	})
}
