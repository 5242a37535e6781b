package rep

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/rep/internal/rng"
)

// Defaults of LinearSVM, those of scikit-learn's LinearSVC.
const (
	DefaultSVMC       = 1.0
	DefaultSVMTol     = 1e-4
	DefaultSVMMaxIter = 1000
)

// LinearSVM configures a linear support-vector classifier: the same problem
// and algorithm as scikit-learn's LinearSVC with its default settings, i.e.
// LIBLINEAR's L2-regularized squared-hinge-loss SVM solved in the dual by
// coordinate descent with shrinking (Hsieh et al. 2008, LIBLINEAR solver 1),
// with an intercept fitted as the weight of an extra constant feature of
// value 1 (LIBLINEAR's bias, intercept_scaling = 1, so the intercept is
// regularized too):
//
//	min_w,b  ½(‖w‖² + b²) + C Σ_i max(0, 1 − y_i(w·x_i + b))²
//
// The zero value is ready to use and means C = 1, Tol = 1e-4, MaxIter =
// 1000, Seed = 0. C is not tuned by cross-validation anywhere in rep: every
// decoder-based metric (CCGP, CCGPDichotomy, DecodeAccuracy) uses the C of
// the LinearSVM it is called on, 1 for the package-level functions, as
// paper B's code did with LinearSVC() (DIGEST §B3.3). Features are not
// standardized, as in LinearSVC.
//
// The order in which coordinates are visited is a permutation drawn from a
// generator seeded with Seed, so a fit is deterministic. The solution is
// unique (the objective is strictly convex), so the seed only changes the
// result within the tolerance.
type LinearSVM struct {
	// C weighs the loss against the regularizer; 0 means DefaultSVMC.
	// Larger C fits the training data harder.
	C float64
	// Tol stops the solver when the spread of the projected gradient,
	// max − min over the dual variables, falls to Tol (LIBLINEAR's eps);
	// 0 means DefaultSVMTol.
	Tol float64
	// MaxIter bounds the outer passes over the data; 0 means
	// DefaultSVMMaxIter.
	MaxIter int
	// Seed seeds the permutation of the coordinates.
	Seed uint64
}

// LinearSVMModel is a fitted linear SVM: the decision value of a sample x is
// Weights·x + Intercept, positive for the positive class.
type LinearSVMModel struct {
	Weights   []float64 `json:"weights"`
	Intercept float64   `json:"intercept"`
	// Iterations is the number of passes the solver made.
	Iterations int `json:"iterations"`
	// Status is Converged when the tolerance was met, IterationLimit when
	// MaxIter passes ended first (scikit-learn warns in that case).
	Status Status `json:"status"`
}

// settings returns s with the defaults filled in and an error naming each
// invalid field.
func (s LinearSVM) settings() (LinearSVM, error) {
	var p problems
	if s.C == 0 {
		s.C = DefaultSVMC
	}
	if s.Tol == 0 {
		s.Tol = DefaultSVMTol
	}
	if s.MaxIter == 0 {
		s.MaxIter = DefaultSVMMaxIter
	}
	if !(s.C > 0) || math.IsInf(s.C, 0) {
		p = p.add("LinearSVM.C = %v: must be finite and > 0 (0 means %v)", s.C, DefaultSVMC)
	}
	if !(s.Tol > 0) || math.IsInf(s.Tol, 0) {
		p = p.add("LinearSVM.Tol = %v: must be finite and > 0 (0 means %v)", s.Tol, DefaultSVMTol)
	}
	if s.MaxIter < 0 {
		p = p.add("LinearSVM.MaxIter = %d: must be ≥ 0 (0 means %d)", s.MaxIter, DefaultSVMMaxIter)
	}
	return s, p.err()
}

// mustSettings is settings for the metric methods, which panic on an
// invalid configuration (a programmer error: the struct literal is in the
// calling code).
func (s LinearSVM) mustSettings() LinearSVM {
	s, err := s.settings()
	if err != nil {
		panic(err)
	}
	return s
}

// Fit trains the classifier on the rows of x (n×d) with labels y (true =
// positive class). It returns an error when the settings are invalid, len(y)
// differs from the number of rows, x holds NaN or ±Inf, or y holds a
// single class. Non-convergence within MaxIter is not an error: it is the
// model's Status.
func (s LinearSVM) Fit(x mat.Matrix, y []bool) (*LinearSVMModel, error) {
	s, err := s.settings()
	xr := rowsOf(x)
	var p problems
	if err != nil {
		p = append(p, err)
	}
	if len(y) != xr.n {
		p = p.add("LinearSVM.Fit: len(y) = %d, x has %d rows", len(y), xr.n)
	}
	if !xr.finite() {
		p = p.add("LinearSVM.Fit: x holds NaN or ±Inf")
	}
	npos := 0
	for _, v := range y {
		if v {
			npos++
		}
	}
	if len(y) == xr.n && (npos == 0 || npos == len(y)) {
		p = p.add("LinearSVM.Fit: y holds a single class (%d of %d positive), need both", npos, len(y))
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	idx := make([]int, xr.n)
	for i := range idx {
		idx[i] = i
	}
	return s.fit(xr, idx, func(i int) bool { return y[i] }), nil
}

// fit solves the dual problem on the rows idx of x, with label(i) the class
// of row i. s must hold valid settings and both classes must be present.
//
// Dual (LIBLINEAR, L2-loss SVC): min_α ½αᵀQ̄α − 1ᵀα, α ≥ 0, with
// Q̄_ij = y_i y_j x̃_i·x̃_j + δ_ij/(2C) and x̃ = (x, 1); w̃ = Σ_i α_i y_i x̃_i.
func (s LinearSVM) fit(x rowView, idx []int, label func(i int) bool) *LinearSVMModel {
	n, d := len(idx), x.cols
	w := make([]float64, d+1) // w[d] is the intercept (bias feature = 1)
	alpha := make([]float64, n)
	qd := make([]float64, n)
	y := make([]float64, n)
	order := make([]int, n)
	diag := 0.5 / s.C
	for i, r := range idx {
		xi := x.row(r)
		qd[i] = vdot(xi, xi) + 1 + diag
		y[i] = -1
		if label(r) {
			y[i] = 1
		}
		order[i] = i
	}
	rng := rng.New(s.Seed)
	// LIBLINEAR's shrinking threshold; its lower twin is unused by the
	// L2-loss solver, whose dual variables have no upper bound.
	pgMaxOld := math.Inf(1)
	active := n
	model := &LinearSVMModel{Status: IterationLimit}
	iter := 0
	for iter < s.MaxIter {
		pgMax, pgMin := math.Inf(-1), math.Inf(1)
		for i := 0; i < active; i++ {
			j := i + rng.IntN(active-i)
			order[i], order[j] = order[j], order[i]
		}
		for t := 0; t < active; t++ {
			i := order[t]
			xi := x.row(idx[i])
			g := y[i]*(vdot(w[:d], xi)+w[d]) - 1 + diag*alpha[i]
			pg := 0.0
			if alpha[i] == 0 {
				if g > pgMaxOld {
					// Shrink: this variable will stay at its bound.
					active--
					order[t], order[active] = order[active], order[t]
					t--
					continue
				}
				if g < 0 {
					pg = g
				}
			} else {
				pg = g
			}
			pgMax = max(pgMax, pg)
			pgMin = min(pgMin, pg)
			if math.Abs(pg) > 1e-12 {
				old := alpha[i]
				alpha[i] = max(alpha[i]-g/qd[i], 0)
				step := (alpha[i] - old) * y[i]
				for f, v := range xi {
					w[f] += step * v
				}
				w[d] += step
			}
		}
		iter++
		if pgMax-pgMin <= s.Tol {
			if active == n {
				model.Status = Converged
				break
			}
			// Converged on the shrunk problem: check all variables again.
			active = n
			pgMaxOld = math.Inf(1)
			continue
		}
		pgMaxOld = pgMax
		if pgMaxOld <= 0 {
			pgMaxOld = math.Inf(1)
		}
	}
	model.Weights = w[:d:d]
	model.Intercept = w[d]
	model.Iterations = iter
	return model
}

// decision returns the decision value of one sample.
func (m *LinearSVMModel) decision(x []float64) float64 {
	return vdot(m.Weights, x) + m.Intercept
}

// Decision returns the decision value Weights·x + Intercept of every row of
// x. It panics when x's column count differs from len(Weights).
func (m *LinearSVMModel) Decision(x mat.Matrix) []float64 {
	xr := m.check("Decision", x)
	out := make([]float64, xr.n)
	for i := range out {
		out[i] = m.decision(xr.row(i))
	}
	return out
}

// Predict returns the predicted class of every row of x: true when the
// decision value is > 0 (a tie goes to the negative class, as in
// scikit-learn). It panics when x's column count differs from len(Weights).
func (m *LinearSVMModel) Predict(x mat.Matrix) []bool {
	xr := m.check("Predict", x)
	out := make([]bool, xr.n)
	for i := range out {
		out[i] = m.decision(xr.row(i)) > 0
	}
	return out
}

// Score returns the fraction of rows of x whose predicted class equals y,
// NaN when x has no rows. It panics when x's column count differs from
// len(Weights) or len(y) from x's row count.
func (m *LinearSVMModel) Score(x mat.Matrix, y []bool) float64 {
	xr := m.check("Score", x)
	if len(y) != xr.n {
		panic(fmt.Sprintf("rep: LinearSVMModel.Score: len(y) = %d, x has %d rows", len(y), xr.n))
	}
	if xr.n == 0 {
		return math.NaN()
	}
	ok := 0
	for i, v := range y {
		if (m.decision(xr.row(i)) > 0) == v {
			ok++
		}
	}
	return float64(ok) / float64(xr.n)
}

// check panics on a column mismatch and returns x's rows.
func (m *LinearSVMModel) check(fn string, x mat.Matrix) rowView {
	xr := rowsOf(x)
	if xr.cols != len(m.Weights) {
		panic(fmt.Sprintf("rep: LinearSVMModel.%s: x has %d columns, the model %d weights", fn, xr.cols, len(m.Weights)))
	}
	return xr
}
