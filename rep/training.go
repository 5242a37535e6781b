package rep

import (
	"math"
)

// Optimizer names the update rule of a Training.
type Optimizer string

// Update rules.
const (
	OptGD       Optimizer = "gd"       // θ −= lr·g
	OptMomentum Optimizer = "momentum" // v = βv + g; θ −= lr·v
	OptRMSprop  Optimizer = "rmsprop"  // s = βs + (1−β)g²; θ −= lr·g/(√s + ε)
	OptAdam     Optimizer = "adam"     // Adam with bias correction
)

// TrainingSpec is the data form of a Training. It round-trips through JSON.
// Record functions and progress callbacks are code, not data: they are not
// part of the spec.
type TrainingSpec struct {
	Version     string    `json:"version"`
	Optimizer   Optimizer `json:"optimizer"`
	LR          float64   `json:"lr"`
	Epochs      int       `json:"epochs"`
	Batch       int       `json:"batch"`   // 0: full batch (one step per epoch)
	Samples     int       `json:"samples"` // noisy samples drawn per epoch when the task has training noise
	Beta1       float64   `json:"beta1,omitempty"`
	Beta2       float64   `json:"beta2,omitempty"`
	Eps         float64   `json:"eps,omitempty"`
	RecordEvery int       `json:"recordEvery"`
	Tol         float64   `json:"tol,omitempty"` // stop when the gradient norm falls to Tol
}

// MetricFunc computes a scalar from the network's current state; see
// Training.Record.
type MetricFunc func(n *Network) float64

// ProgressFunc receives progress reports: the epoch just finished, the
// number of epochs, and the current total loss.
type ProgressFunc func(epoch, epochs int, loss float64)

// Training configures a training run; start one with GD or SGD and pass it
// to Network.Train. It is a value: every setter returns a modified copy.
type Training struct {
	spec     TrainingSpec
	names    []string
	metrics  []MetricFunc
	progress ProgressFunc
	errs     problems
}

// GD returns full-batch gradient descent with learning rate lr > 0:
// one step per epoch on every stimulus (or on Samples fresh noisy samples
// when the task has training noise). Defaults: Epochs(1000), records every
// Epochs/100 epochs.
func GD(lr float64) Training {
	t := Training{spec: TrainingSpec{Version: Version, Optimizer: OptGD, LR: lr, Epochs: 1000, Samples: 1000}}
	if !(lr > 0) || math.IsInf(lr, 0) {
		t.errs = t.errs.add("GD(%g): lr must be > 0 and finite", lr)
	}
	return t
}

// SGD returns minibatch stochastic gradient descent with learning rate
// lr > 0 and batch size batch ≥ 1 (paper B: lr 0.1, batch 200): each epoch
// is one pass over the data in a fresh random order.
func SGD(lr float64, batch int) Training {
	t := GD(lr)
	t.errs = nil
	if !(lr > 0) || math.IsInf(lr, 0) {
		t.errs = t.errs.add("SGD(%g, %d): lr must be > 0 and finite", lr, batch)
	}
	if batch < 1 {
		t.errs = t.errs.add("SGD(%g, %d): batch must be ≥ 1", lr, batch)
	}
	t.spec.Batch = batch
	return t
}

// Epochs sets the number of epochs, n ≥ 1.
func (t Training) Epochs(n int) Training {
	if n < 1 {
		t.errs = t.errs.add("Training.Epochs(%d): must be ≥ 1", n)
	}
	t.spec.Epochs = n
	return t
}

// Samples sets how many noisy samples are drawn each epoch (n ≥ 1,
// default 1000) when the task has training noise; conditions are drawn
// uniformly. It has no effect on a noise-free task.
func (t Training) Samples(n int) Training {
	if n < 1 || n > 1<<24 {
		t.errs = t.errs.add("Training.Samples(%d): must be in [1, 2^24]", n)
	}
	t.spec.Samples = n
	return t
}

// Momentum switches to heavy-ball momentum with 0 ≤ β < 1.
func (t Training) Momentum(beta float64) Training {
	if !(beta >= 0 && beta < 1) {
		t.errs = t.errs.add("Training.Momentum(%g): β must be in [0, 1)", beta)
	}
	t.spec.Optimizer, t.spec.Beta1 = OptMomentum, beta
	return t
}

// RMSprop switches to RMSprop with decay 0 ≤ β < 1 (paper B: 0.99) and
// ε = 1e-8.
func (t Training) RMSprop(beta float64) Training {
	if !(beta >= 0 && beta < 1) {
		t.errs = t.errs.add("Training.RMSprop(%g): β must be in [0, 1)", beta)
	}
	t.spec.Optimizer, t.spec.Beta2, t.spec.Eps = OptRMSprop, beta, 1e-8
	return t
}

// Adam switches to Adam with decays 0 ≤ β1, β2 < 1 (usually 0.9, 0.999)
// and ε = 1e-8.
func (t Training) Adam(beta1, beta2 float64) Training {
	if !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) {
		t.errs = t.errs.add("Training.Adam(%g, %g): β1 and β2 must be in [0, 1)", beta1, beta2)
	}
	t.spec.Optimizer, t.spec.Beta1, t.spec.Beta2, t.spec.Eps = OptAdam, beta1, beta2, 1e-8
	return t
}

// RecordEvery records the history every k ≥ 1 epochs (and always at
// epoch 0 and at the last epoch). The default, 0, means Epochs/100.
func (t Training) RecordEvery(k int) Training {
	if k < 1 {
		t.errs = t.errs.add("Training.RecordEvery(%d): must be ≥ 1", k)
	}
	t.spec.RecordEvery = k
	return t
}

// Tol stops the run, with Status Converged, once the norm of the full
// gradient (penalties included) is ≤ tol (tol ≥ 0; 0 never stops early).
func (t Training) Tol(tol float64) Training {
	if !(tol >= 0) {
		t.errs = t.errs.add("Training.Tol(%g): must be ≥ 0", tol)
	}
	t.spec.Tol = tol
	return t
}

// Record adds a metric computed at every record: f receives the network in
// its current state, and the values land in History.Metrics[name].
func (t Training) Record(name string, f MetricFunc) Training {
	if name == "" || f == nil {
		t.errs = t.errs.add("Training.Record(%q): name must be non-empty and f non-nil", name)
		return t
	}
	t.names = append(t.names[:len(t.names):len(t.names)], name)
	t.metrics = append(t.metrics[:len(t.metrics):len(t.metrics)], f)
	return t
}

// Progress sets a callback called at every record.
func (t Training) Progress(f ProgressFunc) Training {
	t.progress = f
	return t
}

// Spec returns the training's settings as data.
func (t Training) Spec() TrainingSpec { return t.spec }

// NewTraining returns the Training a spec describes, validated.
func NewTraining(s TrainingSpec) (Training, error) {
	t := Training{spec: s}
	return t, t.spec.validate()
}

// validate checks a training spec.
func (s TrainingSpec) validate() error {
	var errs problems
	if !(s.LR > 0) || math.IsInf(s.LR, 0) {
		errs = errs.add("TrainingSpec.LR = %g: must be > 0 and finite", s.LR)
	}
	if s.Epochs < 1 {
		errs = errs.add("TrainingSpec.Epochs = %d: must be ≥ 1", s.Epochs)
	}
	if s.Batch < 0 {
		errs = errs.add("TrainingSpec.Batch = %d: must be ≥ 0 (0 = full batch)", s.Batch)
	}
	if s.Samples < 1 || s.Samples > 1<<24 {
		errs = errs.add("TrainingSpec.Samples = %d: must be in [1, 2^24]", s.Samples)
	}
	if s.RecordEvery < 0 {
		errs = errs.add("TrainingSpec.RecordEvery = %d: must be ≥ 0", s.RecordEvery)
	}
	if !(s.Tol >= 0) {
		errs = errs.add("TrainingSpec.Tol = %g: must be ≥ 0", s.Tol)
	}
	switch s.Optimizer {
	case OptGD:
	case OptMomentum, OptRMSprop, OptAdam:
		if !(s.Beta1 >= 0 && s.Beta1 < 1) || !(s.Beta2 >= 0 && s.Beta2 < 1) {
			errs = errs.add("TrainingSpec betas (%g, %g): must be in [0, 1)", s.Beta1, s.Beta2)
		}
		if s.Optimizer != OptMomentum && !(s.Eps > 0) {
			errs = errs.add("TrainingSpec.Eps = %g: must be > 0", s.Eps)
		}
	default:
		errs = errs.add("TrainingSpec.Optimizer = %q: must be gd, momentum, rmsprop or adam", s.Optimizer)
	}
	return errs.err()
}
