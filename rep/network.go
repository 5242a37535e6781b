package rep

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/rep/internal/rng"
)

// Network is a feedforward network of one or more hidden layers, or an Elman
// recurrent network, trained on a Task. Its parameters live in one flat
// vector; the accessors return copies in the conventional shapes (rows are
// neurons for weights, rows are stimuli for representations).
type Network struct {
	task *Task
	spec NetworkSpec
	act  Activation

	theta  []float64  // every parameter
	layers []layerRef // hidden layers (feedforward), or [W_in, W_rec] (recurrent)
	wout   []float64  // readout, dY×M (rows are outputs)
	bout   []float64  // readout bias, dY, or nil
	segs   []segment  // parameter groups with their penalty
}

// layerRef views one hidden layer's parameters inside theta.
type layerRef struct {
	in, out int
	wt      []float64 // in×out: column j holds neuron j's input weights
	b       []float64 // out, or nil without bias
}

// segment is a group of parameters sharing a penalty λ‖θ‖² and a
// trainable flag.
type segment struct {
	off, n int
	lambda float64
	train  bool
}

// BuildNetwork builds and initializes the network a spec describes, for a
// task. Weights and biases are drawn from N(0, InitScale²/fan_in), in a
// fixed order from the spec's seed.
func BuildNetwork(task *Task, s NetworkSpec) (*Network, error) {
	if err := s.validate(task); err != nil {
		return nil, err
	}
	n := newNetworkShell(task, s)
	rng := rng.New(s.Seed)
	sc := s.InitScale
	for _, l := range n.layers {
		std := sc / math.Sqrt(float64(l.in))
		for i := range l.wt {
			l.wt[i] = std * rng.NormFloat64()
		}
	}
	// Biases are drawn after all weights, with the fan-in of their layer
	// (the stimulus dimension for a recurrent network's single bias).
	for _, l := range n.layers {
		std := sc / math.Sqrt(float64(l.in))
		for j := range l.b {
			l.b[j] = std * rng.NormFloat64()
		}
	}
	m := n.width()
	switch s.Readout {
	case ReadoutTrained:
		std := sc / math.Sqrt(float64(m))
		for i := range n.wout {
			n.wout[i] = std * rng.NormFloat64()
		}
	case ReadoutFrozen:
		std := 1 / math.Sqrt(float64(m))
		for i := range n.wout {
			n.wout[i] = std * rng.NormFloat64()
		}
	case ReadoutBinary:
		for k := 0; k < task.DY(); k++ {
			row := n.wout[k*m : k*m+m]
			perm := rng.Perm(m)
			for j, p := range perm {
				if j < m/2 {
					row[p] = 1 / float64(m)
				} else {
					row[p] = -1 / float64(m)
				}
			}
		}
	}
	return n, nil
}

// newNetworkShell allocates a network's parameters (all zero) and views.
func newNetworkShell(task *Task, s NetworkSpec) *Network {
	n := &Network{task: task, spec: s, act: s.Activation}
	dY := task.DY()
	type shape struct{ in, out int }
	var shapes []shape
	if s.Steps > 0 {
		m := s.Hidden[0]
		shapes = []shape{{task.DX(), m}, {m, m}}
	} else {
		in := task.DX()
		for _, w := range s.Hidden {
			shapes = append(shapes, shape{in, w})
			in = w
		}
	}
	size := 0
	for i, sh := range shapes {
		size += sh.in * sh.out
		if s.Bias && (s.Steps == 0 || i == 0) {
			size += sh.out
		}
	}
	m := shapes[len(shapes)-1].out
	size += dY * m
	if s.ReadoutBias {
		size += dY
	}
	n.theta = make([]float64, size)
	off := 0
	take := func(k int, lambda float64, train bool) []float64 {
		n.segs = append(n.segs, segment{off: off, n: k, lambda: lambda, train: train})
		v := n.theta[off : off+k] // cap(v) locates v in theta: see workspace.gradOf
		off += k
		return v
	}
	for i, sh := range shapes {
		lambda := s.L2[0]
		if s.Steps == 0 {
			lambda = s.L2[i]
		}
		l := layerRef{in: sh.in, out: sh.out}
		l.wt = take(sh.in*sh.out, lambda, true)
		if s.Bias && (s.Steps == 0 || i == 0) {
			l.b = take(sh.out, lambda, true)
		}
		n.layers = append(n.layers, l)
	}
	n.wout = take(dY*m, s.L2[len(s.L2)-1], s.Readout == ReadoutTrained)
	if s.ReadoutBias {
		n.bout = take(dY, 0, true)
	}
	return n
}

// NetworkFromWeights returns a two-layer network with the given weights:
// w1 is M×dX (rows are neurons), b has M entries (nil for no bias), w2 is
// dY×M. The network's spec records act, no penalty and a trained readout;
// use it to inspect a set of weights (for example a mean-field solution)
// with the same metrics as a trained network, or to train on from them.
func NetworkFromWeights(task *Task, act Activation, w1 *mat.Dense, b []float64, w2 *mat.Dense) (*Network, error) {
	var errs problems
	if task == nil {
		return nil, errs.add("NetworkFromWeights: task must not be nil").err()
	}
	if w1 == nil || w2 == nil {
		return nil, errs.add("NetworkFromWeights: w1 and w2 must not be nil").err()
	}
	m, dx := w1.Dims()
	r2, c2 := w2.Dims()
	if dx != task.DX() {
		errs = errs.add("NetworkFromWeights: w1 is %d×%d; want M×%d (the task's input dimension)", m, dx, task.DX())
	}
	if r2 != task.DY() || c2 != m {
		errs = errs.add("NetworkFromWeights: w2 is %d×%d; want %d×%d (outputs × M)", r2, c2, task.DY(), m)
	}
	if b != nil && len(b) != m {
		errs = errs.add("NetworkFromWeights: len(b) = %d; want M = %d", len(b), m)
	}
	if !act.valid() {
		errs = errs.add("NetworkFromWeights: zero Activation")
	}
	for _, v := range append(append(append([]float64(nil), w1.RawMatrix().Data...), w2.RawMatrix().Data...), b...) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			errs = errs.add("NetworkFromWeights: weights must be finite")
			break
		}
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	s := NetworkSpec{Version: Version, Hidden: []int{m}, Activation: act, L2: []float64{0, 0},
		Loss: SquaredError, Readout: ReadoutTrained, Bias: b != nil, InitScale: 1}
	n := newNetworkShell(task, s)
	l := n.layers[0]
	for j := 0; j < m; j++ {
		for i := 0; i < dx; i++ {
			l.wt[i*m+j] = w1.At(j, i)
		}
	}
	copy(l.b, b)
	for k := 0; k < r2; k++ {
		for j := 0; j < m; j++ {
			n.wout[k*m+j] = w2.At(k, j)
		}
	}
	return n, nil
}

// width returns the width of the last hidden layer.
func (n *Network) width() int { return n.layers[len(n.layers)-1].out }

// Task returns the task the network was built for.
func (n *Network) Task() *Task { return n.task }

// Spec returns the network's spec.
func (n *Network) Spec() NetworkSpec {
	s := n.spec
	s.Hidden = append([]int(nil), s.Hidden...)
	s.L2 = append([]float64(nil), s.L2...)
	return s
}

// Layers returns the number of hidden layers (1 for a recurrent network).
func (n *Network) Layers() int {
	if n.spec.Steps > 0 {
		return 1
	}
	return len(n.layers)
}

// NumParams returns the number of parameters, trained or not.
func (n *Network) NumParams() int { return len(n.theta) }

// String describes the architecture.
func (n *Network) String() string {
	kind := "feedforward"
	if n.spec.Steps > 0 {
		kind = fmt.Sprintf("recurrent, %d steps", n.spec.Steps)
	}
	return fmt.Sprintf("Network{%d→%v→%d, %v, %s, %s readout, %d parameters}",
		n.task.DX(), n.spec.Hidden, n.task.DY(), n.act, kind, n.spec.Readout, len(n.theta))
}

// checkLayer panics if l is not a hidden layer index.
func (n *Network) checkLayer(l int) {
	if l < 0 || l >= n.Layers() {
		panic(fmt.Sprintf("rep: hidden layer %d out of range [0, %d)", l, n.Layers()))
	}
}

// Weights returns the input weights of hidden layer l as a fan_out×fan_in
// matrix (rows are neurons); for a recurrent network, W_in. It panics if l
// is out of range.
func (n *Network) Weights(l int) *mat.Dense {
	n.checkLayer(l)
	return transposed(n.layers[l])
}

// RecurrentWeights returns W_rec (M×M, rows are receiving neurons) of a
// recurrent network, or nil for a feedforward one.
func (n *Network) RecurrentWeights() *mat.Dense {
	if n.spec.Steps == 0 {
		return nil
	}
	return transposed(n.layers[1])
}

// transposed returns the out×in matrix of a layer stored in×out.
func transposed(l layerRef) *mat.Dense {
	w := mat.NewDense(l.out, l.in, nil)
	for i := 0; i < l.in; i++ {
		for j := 0; j < l.out; j++ {
			w.Set(j, i, l.wt[i*l.out+j])
		}
	}
	return w
}

// Bias returns a copy of hidden layer l's biases, or nil without biases.
// It panics if l is out of range.
func (n *Network) Bias(l int) []float64 {
	n.checkLayer(l)
	return append([]float64(nil), n.layers[l].b...)
}

// Readout returns a copy of the readout weights, dY×M.
func (n *Network) Readout() *mat.Dense {
	return mat.NewDense(n.task.DY(), n.width(), append([]float64(nil), n.wout...))
}

// ReadoutBias returns a copy of the readout bias, or nil without one.
func (n *Network) ReadoutBias() []float64 { return append([]float64(nil), n.bout...) }

// Params returns a copy of every parameter as one vector, in a fixed
// order; two networks with bit-identical Params compute identical outputs.
func (n *Network) Params() []float64 { return append([]float64(nil), n.theta...) }

// Clone returns an independent copy of the network, parameters included:
// training the copy leaves n unchanged (a checkpoint).
func (n *Network) Clone() *Network {
	c := newNetworkShell(n.task, n.Spec())
	copy(c.theta, n.theta)
	return c
}
