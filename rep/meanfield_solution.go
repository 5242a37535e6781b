package rep

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"
)

// Atom is one atom of a mean-field solution: a point mass of the measure ρ*
// on preactivation vectors. For positively homogeneous activations (ReLU,
// Linear) the scale folds into the mass, and every atom is given with mass 1:
// H is then the preactivation vector of one neuron of the equivalent
// network.
type Atom struct {
	// H is the preactivation vector h ∈ R^P (one entry per stimulus), nil
	// for a small-amplitude limit atom.
	H []float64 `json:"h,omitempty"`
	// Dir is the direction u = h/‖h‖, normalized by uᵀK_X†u = 1.
	Dir []float64 `json:"dir"`
	// Mass is the number of neurons the atom stands for (+Inf for a
	// small-amplitude limit atom, whose h → 0 as its mass → ∞).
	Mass float64 `json:"mass"`
	// Weight is mass·hᵀK_X†h, the atom's first-layer cost divided by λ₁;
	// its contribution to K[ρ] is Weight·ψψᵀ with ψ = φ(h)/‖h‖ (ψ = ψ₀(u)
	// for a limit atom).
	Weight float64 `json:"weight"`
	// Limit marks a small-amplitude limit atom (paper A's tanh optimum
	// sits at vanishing preactivations, DIGEST §A5.7).
	Limit bool `json:"limit,omitempty"`
	// Free marks the zero-cost atom h = 0 of an activation with φ(0) ≠ 0.
	Free bool `json:"free,omitempty"`
	// Ratio is φ(h)ᵀGφ(h)/(λ₁hᵀK_X†h) at the optimum: 1 on the support
	// (the KKT equality).
	Ratio float64 `json:"ratio"`
}

// Solution is the result of a mean-field solve: the optimal measure ρ*
// (its atoms), K[ρ*], E[ρ*], and the KKT certificate. It is immutable.
type Solution struct {
	act        Activation
	l1, l2     float64
	method     MeanFieldMethod
	p          int
	atoms      []Atom
	kernel     *mat.SymDense
	energy     float64
	costTerm   float64
	dataTerm   float64
	cert       float64
	residual   float64
	proof      bool
	iterations int
	elapsed    time.Duration
	status     Status
	warnings   []string
	faces      int64
	task       *Task
	pr         *mfProblem
}

// Kernel returns K[ρ*] = Σ atoms Weight·ψψᵀ (P×P), the representation
// kernel of the optimum, summed over neurons.
func (s *Solution) Kernel() mat.Matrix {
	k := mat.NewSymDense(s.p, nil)
	k.CopySym(s.kernel)
	return k
}

// Energy returns E[ρ*] = λ₁∫hᵀK_X†h dρ + tr(λ₂(λ₂I + K)⁻¹K_Y), which
// equals the network loss (summed squared error + L2 penalties) at the
// optimum.
func (s *Solution) Energy() float64 { return s.energy }

// EnergyTerms returns the two terms of the energy: the first-layer cost
// λ₁∫hᵀK_X†h dρ and the readout term tr(λ₂(λ₂I + K)⁻¹K_Y) (the ridge
// loss: squared error plus λ₂‖W₂‖²).
func (s *Solution) EnergyTerms() (cost, readout float64) { return s.costTerm, s.dataTerm }

// Certificate returns the largest KKT violation found, relative to λ₁:
//
//	max(0, max_h φ(h)ᵀGφ(h) / (λ₁ hᵀK_X†h) − 1),  G = λ₂(λ₂+K)⁻¹K_Y(λ₂+K)⁻¹,
//
// scale-free (it does not change when K_X, K_Y or λ are rescaled together).
// 0 means no preactivation vector can lower the energy. When IsProof is
// true the maximum was computed exactly, and (E − E*)/E ≤ Certificate() +
// the support residual (see GapBound); otherwise it is the best a
// multi-start search found.
func (s *Solution) Certificate() float64 { return s.cert }

// SupportResidual returns the largest |ratio − 1| over the atoms: the
// relative violation of the KKT equality on the support of ρ*.
func (s *Solution) SupportResidual() float64 { return s.residual }

// GapBound returns a bound on the relative energy gap (E − E*)/E, valid
// when IsProof is true: by convexity E* ≥ E − λ₁(F/λ₁−1)₊·μ*(Ω) −
// Σⱼ wⱼ|gⱼ|, with μ*(Ω) ≤ E/λ₁ the optimal total weight.
func (s *Solution) GapBound() float64 {
	w := 0.0
	for _, a := range s.atoms {
		if !a.Free && !math.IsInf(a.Weight, 0) {
			w += a.Weight * math.Abs(a.Ratio-1)
		}
	}
	return s.cert + s.l1*w/s.energy
}

// IsProof reports whether the certificate is a proof: pricing was exact
// (a positively homogeneous activation and P within the exact-pricing
// limit) and complete. Otherwise the certificate comes from a search and a
// violation may have been missed.
func (s *Solution) IsProof() bool { return s.proof }

// Atoms returns the atoms of ρ*, largest weight first.
func (s *Solution) Atoms() []Atom {
	out := make([]Atom, len(s.atoms))
	for i, a := range s.atoms {
		out[i] = a
		out[i].H = append([]float64(nil), a.H...)
		out[i].Dir = append([]float64(nil), a.Dir...)
	}
	return out
}

// Preactivations returns the P×A matrix whose columns are the atoms'
// preactivation vectors H (zero columns for limit atoms), rows = stimuli,
// like Network.Preactivation.
func (s *Solution) Preactivations() *mat.Dense {
	h := mat.NewDense(s.p, max(len(s.atoms), 1), nil)
	for j, a := range s.atoms {
		for i, v := range a.H {
			h.Set(i, j, v)
		}
	}
	return h
}

// Representation returns a P×r matrix R with RRᵀ = K[ρ*] (rows =
// stimuli), for metrics that need a representation rather than a kernel
// (ParallelismScore, PCA).
func (s *Solution) Representation() *mat.Dense { return mfFactor(s.kernel) }

// Iterations returns the number of column-generation rounds (or L-BFGS
// iterations for particle descent).
func (s *Solution) Iterations() int { return s.iterations }

// Elapsed returns the wall-clock time of the solve.
func (s *Solution) Elapsed() time.Duration { return s.elapsed }

// Status says how the solve ended: Converged (certificate ≤ Tol),
// IterationLimit, Canceled, or Diverged.
func (s *Solution) Status() Status { return s.status }

// Warnings returns the problems found with the solution (too few atoms,
// a search certificate, an approximate network realization, …).
func (s *Solution) Warnings() []string { return append([]string(nil), s.warnings...) }

// PricingFaces returns the number of faces the exact pricing evaluated,
// summed over the solve.
func (s *Solution) PricingFaces() int64 { return s.faces }

// Activation returns the activation solved for.
func (s *Solution) Activation() Activation { return s.act }

// L2 returns λ₁ and λ₂.
func (s *Solution) L2() (lambda1, lambda2 float64) { return s.l1, s.l2 }

// Method returns the algorithm used.
func (s *Solution) Method() MeanFieldMethod { return s.method }

// String summarizes the solution.
func (s *Solution) String() string {
	var b strings.Builder
	kind := "search"
	if s.proof {
		kind = "proof"
	}
	fmt.Fprintf(&b, "Solution{%s, λ=(%g, %g), P=%d, %d atoms, E=%.10g, certificate %.3g (%s), residual %.3g, %v after %d iterations, %v}",
		s.act, s.l1, s.l2, s.p, len(s.atoms), s.energy, s.cert, kind, s.residual, s.status, s.iterations, s.elapsed.Round(time.Millisecond))
	for _, w := range s.warnings {
		fmt.Fprintf(&b, "\n  warning: %s", w)
	}
	return b.String()
}

var mfSolutionTemplate = template.Must(template.New("solution").Parse(
	`<div class="repgeom-solution"><b>Mean-field solution</b> ({{.Act}}, λ₁={{.L1}}, λ₂={{.L2}}, P={{.P}})
<table><tr><td>energy</td><td>{{.E}}</td></tr>
<tr><td>certificate</td><td>{{.Cert}} ({{.Kind}})</td></tr>
<tr><td>support residual</td><td>{{.Res}}</td></tr>
<tr><td>atoms</td><td>{{.N}}</td></tr>
<tr><td>status</td><td>{{.Status}} after {{.Iter}} iterations, {{.Time}}</td></tr></table>
{{range .Warnings}}<div>warning: {{.}}</div>{{end}}</div>
`))

// WriteHTML writes the solution summary as an HTML fragment.
func (s *Solution) WriteHTML(w io.Writer) error {
	kind := "search"
	if s.proof {
		kind = "proof"
	}
	return mfSolutionTemplate.Execute(w, map[string]any{
		"Act": s.act.String(), "L1": s.l1, "L2": s.l2, "P": s.p,
		"E": fmt.Sprintf("%.10g", s.energy), "Cert": fmt.Sprintf("%.3g", s.cert), "Kind": kind,
		"Res": fmt.Sprintf("%.3g", s.residual), "N": len(s.atoms), "Status": s.status.String(),
		"Iter": s.iterations, "Time": s.elapsed.Round(time.Millisecond).String(), "Warnings": s.warnings,
	})
}

// mfFactor returns R (P×r) with RRᵀ = k, from the eigen-decomposition.
func mfFactor(k mat.Symmetric) *mat.Dense {
	e, ok := mfEigSym(k)
	p := k.SymmetricDim()
	if !ok {
		return mat.NewDense(p, 1, nil)
	}
	r := 0
	for _, v := range e.vals {
		if v > 1e-12*math.Max(e.vals[0], 1e-300) {
			r++
		}
	}
	out := mat.NewDense(p, max(r, 1), nil)
	for c := 0; c < r; c++ {
		s := math.Sqrt(e.vals[c])
		for i := 0; i < p; i++ {
			out.Set(i, c, e.vecs.At(i, c)*s)
		}
	}
	return out
}
