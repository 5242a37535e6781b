package rep

import (
	"gonum.org/v1/gonum/mat"
)

// DataTaskBuilder configures a task from user matrices; see NewDataTask.
// It is a value builder: setters return a modified copy.
type DataTaskBuilder struct {
	spec TaskSpec
	errs problems
}

// NewDataTask starts a task from user matrices, rows = stimuli: inputs X
// (P×dX, finite) and targets Y (P×dY, entries −1 or +1), P ≥ 2. The
// matrices are copied into the task's Spec, so the task round-trips
// through JSON (the spec holds every entry). Without Latents, the latent
// labels are the targets. Class[i] is the index of stimulus i's latent
// pattern, Σₖ bitₖ·2ᵏ with bitₖ = (Lᵢₖ+1)/2, when there are at most 30
// latent columns, and otherwise the order of first appearance of the
// pattern. Defaults: noise-free (Noise(0, 0)).
func NewDataTask(x, y *mat.Dense) DataTaskBuilder {
	b := DataTaskBuilder{spec: TaskSpec{Version: Version, Kind: KindData}}
	b.spec.X, b.errs = matrixRows(b.errs, "NewDataTask(X, Y): X", x)
	b.spec.Y, b.errs = matrixRows(b.errs, "NewDataTask(X, Y): Y", y)
	return b
}

// matrixRows copies m into rows, recording a problem if it is nil or
// empty.
func matrixRows(errs problems, name string, m *mat.Dense) ([][]float64, problems) {
	if m == nil {
		return nil, errs.add("%s is nil", name)
	}
	if m.IsEmpty() {
		return nil, errs.add("%s is empty", name)
	}
	return denseRows(m), errs
}

// Latents sets the latent labels L (P×dL, entries −1 or +1) used by the
// metrics per latent and to number the classes.
func (b DataTaskBuilder) Latents(l *mat.Dense) DataTaskBuilder {
	b.spec.L, b.errs = matrixRows(b.errs, "DataTaskBuilder.Latents(L): L", l)
	return b
}

// Noise sets σ_train and σ_test, the standard deviations of the training
// and analysis noise (default 0, 0). Both must be finite and ≥ 0.
func (b DataTaskBuilder) Noise(train, test float64) DataTaskBuilder {
	b.errs = checkNoise(b.errs, "DataTaskBuilder", train, test)
	b.spec.NoiseTrain, b.spec.NoiseTest = train, test
	return b
}

// Spec returns the builder's settings as data (including copies of the
// matrices).
func (b DataTaskBuilder) Spec() TaskSpec { return b.spec.clone() }

// Build validates the matrices (finite, ±1 labels, same row counts, P ≥ 2)
// and returns the task, or every problem found.
func (b DataTaskBuilder) Build() (*Task, error) {
	if len(b.errs) > 0 {
		// Report the problems of the matrices that are there too.
		errs := append(problems(nil), b.errs...)
		return nil, append(errs, validateDataSpec(b.spec, true)...).err()
	}
	return BuildTask(b.spec)
}

// validateDataSpec returns every problem of a data task spec. With
// present, missing matrices (already reported by the builder) and the noise
// (checked by its setter) are not reported.
func validateDataSpec(s TaskSpec, present bool) problems {
	var errs problems
	if !present {
		errs = checkNoise(errs, "TaskSpec", s.NoiseTrain, s.NoiseTest)
	}
	p := len(s.X)
	check := func(name string, m [][]float64, labels, optional bool) {
		if m == nil {
			if !optional && !present {
				errs = errs.add("TaskSpec.%s: missing", name)
			}
			return
		}
		if len(m) != p && s.X != nil {
			errs = errs.add("TaskSpec.%s: %d rows, X has %d: row counts must match", name, len(m), p)
		}
		if len(m) == 0 || len(m[0]) == 0 {
			errs = errs.add("TaskSpec.%s: has no columns", name)
			return
		}
		cols := len(m[0])
		for i, r := range m {
			if len(r) != cols {
				errs = errs.add("TaskSpec.%s: row %d has %d entries, row 0 has %d", name, i, len(r), cols)
				return
			}
		}
		for i, r := range m {
			for j, v := range r {
				if !finite(v) {
					errs = errs.add("TaskSpec.%s[%d][%d] = %g: entries must be finite (no NaN or Inf)", name, i, j, v)
					return
				}
				if labels && v != 1 && v != -1 {
					errs = errs.add("TaskSpec.%s[%d][%d] = %g: labels must be −1 or +1", name, i, j, v)
					return
				}
			}
		}
	}
	if p < 2 && !(present && s.X == nil) {
		errs = errs.add("TaskSpec.X: %d rows, need P ≥ 2 stimuli", p)
	}
	check("X", s.X, false, false)
	check("Y", s.Y, true, false)
	check("L", s.L, true, true)
	return errs
}

func buildDataTask(s TaskSpec) (*Task, error) {
	if err := validateDataSpec(s, false).err(); err != nil {
		return nil, err
	}
	x, y := rowsDense(s.X), rowsDense(s.Y)
	lat := y
	if s.L != nil {
		lat = rowsDense(s.L)
	}
	lat = mat.DenseCopyOf(lat)
	return &Task{X: x, Y: y, Latents: lat, Class: patternClasses(lat), NoiseTrain: s.NoiseTrain, NoiseTest: s.NoiseTest, Spec: s}, nil
}

// rowsDense returns a new Dense holding a copy of rectangular rows.
func rowsDense(rows [][]float64) *mat.Dense {
	m := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		m.SetRow(i, r)
	}
	return m
}

// patternClasses numbers the ±1 patterns of the rows of l: Σₖ bitₖ·2ᵏ for
// at most 30 columns, otherwise the order of first appearance.
func patternClasses(l *mat.Dense) []int {
	p, d := l.Dims()
	class := make([]int, p)
	if d <= 30 {
		for i := range class {
			c := 0
			for k, v := range l.RawRowView(i) {
				if v > 0 {
					c |= 1 << k
				}
			}
			class[i] = c
		}
		return class
	}
	seen := make(map[string]int)
	key := make([]byte, d)
	for i := range class {
		for k, v := range l.RawRowView(i) {
			key[k] = '0'
			if v > 0 {
				key[k] = '1'
			}
		}
		c, ok := seen[string(key)]
		if !ok {
			c = len(seen)
			seen[string(key)] = c
		}
		class[i] = c
	}
	return class
}
