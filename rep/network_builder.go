package rep

import (
	"math"
)

// Loss selects the training loss of a network.
type Loss string

const (
	// SquaredError is paper A's summed squared error ‖Y − f(X)‖²_F: a sum
	// over stimuli and outputs, with no 1/P and no ½.
	SquaredError Loss = "sse"
	// CrossEntropy is paper B's sigmoid + binary cross-entropy with targets
	// (y+1)/2, summed over outputs and averaged over the samples of a batch.
	CrossEntropy Loss = "bce"
)

// ReadoutMode says whether and how the readout (output weights) trains.
type ReadoutMode string

const (
	// ReadoutTrained: the readout is initialized at random and trained.
	ReadoutTrained ReadoutMode = "trained"
	// ReadoutFrozen: the readout is random, N(0, 1/M), and never trained
	// (paper B App. B).
	ReadoutFrozen ReadoutMode = "frozen"
	// ReadoutBinary: the readout is frozen with entries ±1/M per output,
	// half of the neurons positive (paper B's balanced binary readout,
	// normalized by the number of nonzero weights).
	ReadoutBinary ReadoutMode = "binary"
)

// NetworkSpec is the data form of a network's architecture and
// initialization. It round-trips through JSON; BuildNetwork(task, spec)
// rebuilds the same network.
type NetworkSpec struct {
	Version     string      `json:"version"`
	Hidden      []int       `json:"hidden"`      // widths of the hidden layers
	Activation  Activation  `json:"activation"`  // φ of every hidden layer
	L2          []float64   `json:"l2"`          // λ of each hidden layer (weights and bias), then of the readout
	Loss        Loss        `json:"loss"`        // SquaredError or CrossEntropy
	Readout     ReadoutMode `json:"readout"`     // ReadoutTrained, ReadoutFrozen or ReadoutBinary
	Bias        bool        `json:"bias"`        // hidden layers have biases
	ReadoutBias bool        `json:"readoutBias"` // the readout has a (trained, unpenalized) bias
	InitScale   float64     `json:"initScale"`   // weights ~ N(0, InitScale²/fan_in)
	Steps       int         `json:"steps"`       // recurrent time steps; 0 for a feedforward network
	Seed        uint64      `json:"seed"`
}

// NetworkBuilder configures a network; see NewNetwork. It is a value: every
// setter returns a modified copy, so a builder forks safely.
type NetworkBuilder struct {
	task *Task
	spec NetworkSpec
	errs problems
}

// NewNetwork starts a network trained on task. Defaults: one hidden layer
// of 100 units, ReLU, no L2 penalty, SquaredError, a trained readout without
// bias, hidden biases, InitScale(1), Seed(1).
func NewNetwork(task *Task) NetworkBuilder {
	b := NetworkBuilder{task: task, spec: NetworkSpec{
		Version: Version, Hidden: []int{100}, Activation: ReLU, L2: []float64{0, 0},
		Loss: SquaredError, Readout: ReadoutTrained, Bias: true, InitScale: 1, Seed: 1,
	}}
	if task == nil {
		b.errs = b.errs.add("NewNetwork(nil): task must not be nil")
	}
	return b
}

// Hidden sets the widths of the hidden layers (at least one, each ≥ 1).
// The L2 penalty set by L2 applies to every hidden layer.
func (b NetworkBuilder) Hidden(widths ...int) NetworkBuilder {
	if len(widths) == 0 {
		b.errs = b.errs.add("NetworkBuilder.Hidden(): at least one width is needed")
	}
	for _, w := range widths {
		if w < 1 || w > 1<<20 {
			b.errs = b.errs.add("NetworkBuilder.Hidden(%v): widths must be in [1, 2^20]", widths)
			break
		}
	}
	old := b.spec.L2
	b.spec.Hidden = append([]int(nil), widths...)
	l2 := make([]float64, len(widths)+1)
	for i := range widths {
		l2[i] = old[0]
	}
	l2[len(widths)] = old[len(old)-1]
	b.spec.L2 = l2
	return b
}

// Activation sets the activation φ of the hidden layers.
func (b NetworkBuilder) Activation(a Activation) NetworkBuilder {
	if !a.valid() {
		b.errs = b.errs.add("NetworkBuilder.Activation: zero Activation; use rep.ReLU, rep.Tanh, …")
	}
	b.spec.Activation = a
	return b
}

// L2 sets the penalties λ1·(‖W_l‖² + ‖b_l‖²) on every hidden layer l and
// λ2·‖W_out‖² on the readout (paper A's loss). Both must be ≥ 0 and finite.
func (b NetworkBuilder) L2(lambda1, lambda2 float64) NetworkBuilder {
	if !(lambda1 >= 0) || math.IsInf(lambda1, 0) {
		b.errs = b.errs.add("NetworkBuilder.L2(%g, %g): λ1 must be ≥ 0 and finite", lambda1, lambda2)
	}
	if !(lambda2 >= 0) || math.IsInf(lambda2, 0) {
		b.errs = b.errs.add("NetworkBuilder.L2(%g, %g): λ2 must be ≥ 0 and finite", lambda1, lambda2)
	}
	l2 := make([]float64, len(b.spec.Hidden)+1)
	for i := range b.spec.Hidden {
		l2[i] = lambda1
	}
	l2[len(l2)-1] = lambda2
	b.spec.L2 = l2
	return b
}

// L2Layers sets one penalty per hidden layer and then the readout's:
// len(lambdas) must be the number of hidden layers + 1. Call it after Hidden.
func (b NetworkBuilder) L2Layers(lambdas ...float64) NetworkBuilder {
	if len(lambdas) != len(b.spec.Hidden)+1 {
		b.errs = b.errs.add("NetworkBuilder.L2Layers(%v): want %d values (one per hidden layer, then the readout)", lambdas, len(b.spec.Hidden)+1)
		return b
	}
	for _, l := range lambdas {
		if !(l >= 0) || math.IsInf(l, 0) {
			b.errs = b.errs.add("NetworkBuilder.L2Layers(%v): every λ must be ≥ 0 and finite", lambdas)
			break
		}
	}
	b.spec.L2 = append([]float64(nil), lambdas...)
	return b
}

// Loss sets the training loss: SquaredError (default) or CrossEntropy.
func (b NetworkBuilder) Loss(l Loss) NetworkBuilder {
	if l != SquaredError && l != CrossEntropy {
		b.errs = b.errs.add("NetworkBuilder.Loss(%q): must be rep.SquaredError or rep.CrossEntropy", l)
	}
	b.spec.Loss = l
	return b
}

// Readout sets how the readout trains: ReadoutTrained (default),
// ReadoutFrozen or ReadoutBinary.
func (b NetworkBuilder) Readout(m ReadoutMode) NetworkBuilder {
	if m != ReadoutTrained && m != ReadoutFrozen && m != ReadoutBinary {
		b.errs = b.errs.add("NetworkBuilder.Readout(%q): must be rep.ReadoutTrained, rep.ReadoutFrozen or rep.ReadoutBinary", m)
	}
	b.spec.Readout = m
	return b
}

// Bias sets whether the hidden layers have biases (default true).
func (b NetworkBuilder) Bias(on bool) NetworkBuilder {
	b.spec.Bias = on
	return b
}

// ReadoutBias sets whether the readout has a trained, unpenalized bias
// (default false; paper B trains one).
func (b NetworkBuilder) ReadoutBias(on bool) NetworkBuilder {
	b.spec.ReadoutBias = on
	return b
}

// InitScale sets s > 0: weights and biases are drawn from
// N(0, s²/fan_in), the readout from N(0, s²/M) (default 1).
func (b NetworkBuilder) InitScale(s float64) NetworkBuilder {
	if !(s > 0) || math.IsInf(s, 0) {
		b.errs = b.errs.add("NetworkBuilder.InitScale(%g): must be > 0 and finite", s)
	}
	b.spec.InitScale = s
	return b
}

// Recurrent makes the network an Elman recurrent network run for steps
// time steps (1 ≤ steps ≤ 1000) with the input held constant:
// h_t = W_rec φ(h_{t−1}) + W_in x + b with φ(h_0) = 0, and the readout at
// the last step, f = W_out φ(h_T) (paper A's recurrent extension). It needs
// exactly one hidden width; λ1 penalizes W_in, W_rec and b.
func (b NetworkBuilder) Recurrent(steps int) NetworkBuilder {
	if steps < 1 || steps > 1000 {
		b.errs = b.errs.add("NetworkBuilder.Recurrent(%d): steps must be in [1, 1000]", steps)
	}
	b.spec.Steps = steps
	return b
}

// Seed sets the seed of the initialization and of every random draw of
// training (noise samples, minibatch order).
func (b NetworkBuilder) Seed(s uint64) NetworkBuilder {
	b.spec.Seed = s
	return b
}

// Spec returns the builder's settings as data.
func (b NetworkBuilder) Spec() NetworkSpec {
	s := b.spec
	s.Hidden = append([]int(nil), s.Hidden...)
	s.L2 = append([]float64(nil), s.L2...)
	return s
}

// Build returns the initialized network, or every problem recorded by the
// setters.
func (b NetworkBuilder) Build() (*Network, error) {
	if err := b.errs.err(); err != nil {
		return nil, err
	}
	return BuildNetwork(b.task, b.Spec())
}

// MustBuild is Build for notebooks: it panics on error.
func (b NetworkBuilder) MustBuild() *Network { return Must(b.Build()) }

// validate checks a spec against a task.
func (s NetworkSpec) validate(task *Task) error {
	var errs problems
	if task == nil {
		return errs.add("BuildNetwork: task must not be nil").err()
	}
	if len(s.Hidden) == 0 {
		errs = errs.add("NetworkSpec.Hidden is empty: at least one hidden layer is needed")
	}
	total := 0
	fanIn := task.DX()
	for i, w := range s.Hidden {
		if w < 1 || w > 1<<20 {
			errs = errs.add("NetworkSpec.Hidden[%d] = %d: must be in [1, 2^20]", i, w)
			continue
		}
		total += fanIn*w + w
		fanIn = w
	}
	if total > 1<<28 {
		errs = errs.add("NetworkSpec.Hidden = %v: %d parameters is more than 2^28", s.Hidden, total)
	}
	if len(s.L2) != len(s.Hidden)+1 {
		errs = errs.add("NetworkSpec.L2 has %d values: want %d (one per hidden layer, then the readout)", len(s.L2), len(s.Hidden)+1)
	}
	for i, l := range s.L2 {
		if !(l >= 0) || math.IsInf(l, 0) {
			errs = errs.add("NetworkSpec.L2[%d] = %g: must be ≥ 0 and finite", i, l)
		}
	}
	if !s.Activation.valid() {
		errs = errs.add("NetworkSpec.Activation is the zero Activation")
	}
	if s.Loss != SquaredError && s.Loss != CrossEntropy {
		errs = errs.add("NetworkSpec.Loss = %q: must be %q or %q", s.Loss, SquaredError, CrossEntropy)
	}
	if s.Readout != ReadoutTrained && s.Readout != ReadoutFrozen && s.Readout != ReadoutBinary {
		errs = errs.add("NetworkSpec.Readout = %q: must be %q, %q or %q", s.Readout, ReadoutTrained, ReadoutFrozen, ReadoutBinary)
	}
	if !(s.InitScale > 0) || math.IsInf(s.InitScale, 0) {
		errs = errs.add("NetworkSpec.InitScale = %g: must be > 0 and finite", s.InitScale)
	}
	if s.Steps < 0 || s.Steps > 1000 {
		errs = errs.add("NetworkSpec.Steps = %d: must be in [0, 1000]", s.Steps)
	}
	if s.Steps > 0 && len(s.Hidden) != 1 {
		errs = errs.add("NetworkSpec.Steps = %d with Hidden = %v: a recurrent network has exactly one hidden width", s.Steps, s.Hidden)
	}
	return errs.err()
}
