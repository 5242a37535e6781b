package rep

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// run evaluates the network on x (rows×dX) and returns the workspace.
// It panics if x has the wrong number of columns.
func (n *Network) run(x mat.Matrix) (*workspace, int) {
	rows, cols := x.Dims()
	if cols != n.task.DX() {
		panic(fmt.Sprintf("rep: network input has %d columns, want %d", cols, n.task.DX()))
	}
	xd := mat.DenseCopyOf(x).RawMatrix().Data
	w := newWorkspace(n, rows)
	w.forward(xd, rows)
	return w, rows
}

// stage returns the workspace index of hidden layer l's values: the layer
// itself, or the last time step of a recurrent network.
func (n *Network) stage(l int) int {
	n.checkLayer(l)
	if n.spec.Steps > 0 {
		return n.spec.Steps - 1
	}
	return l
}

// Hidden returns the activations φ(h) of hidden layer l on the task's
// stimuli, P×M (for a recurrent network, at the last time step). It panics
// if l is out of range.
func (n *Network) Hidden(l int) *mat.Dense { return n.HiddenOn(l, n.task.X) }

// Preactivation returns the preactivations h of hidden layer l on the
// task's stimuli, P×M. It panics if l is out of range.
func (n *Network) Preactivation(l int) *mat.Dense { return n.PreactivationOn(l, n.task.X) }

// Output returns the network's outputs on the task's stimuli, P×dY
// (before the sigmoid, for CrossEntropy networks).
func (n *Network) Output() *mat.Dense { return n.OutputOn(n.task.X) }

// HiddenOn returns the activations of hidden layer l on the inputs x
// (rows are stimuli; any number of rows, dX columns). It panics if l is out
// of range or x has the wrong number of columns.
func (n *Network) HiddenOn(l int, x mat.Matrix) *mat.Dense {
	s := n.stage(l)
	w, rows := n.run(x)
	return mat.NewDense(rows, len(w.a[s])/rows, w.a[s])
}

// PreactivationOn returns the preactivations of hidden layer l on x.
// It panics like HiddenOn.
func (n *Network) PreactivationOn(l int, x mat.Matrix) *mat.Dense {
	s := n.stage(l)
	w, rows := n.run(x)
	return mat.NewDense(rows, len(w.z[s])/rows, w.z[s])
}

// OutputOn returns the network's outputs on x, rows×dY. It panics if x
// has the wrong number of columns.
func (n *Network) OutputOn(x mat.Matrix) *mat.Dense {
	w, rows := n.run(x)
	return mat.NewDense(rows, n.task.DY(), w.f)
}

// HiddenSteps returns the activations of a recurrent network at every
// time step on the task's stimuli (one P×M matrix per step), or nil for a
// feedforward network.
func (n *Network) HiddenSteps() []*mat.Dense {
	if n.spec.Steps == 0 {
		return nil
	}
	w, rows := n.run(n.task.X)
	out := make([]*mat.Dense, len(w.a))
	for t, a := range w.a {
		out[t] = mat.NewDense(rows, len(a)/rows, a)
	}
	return out
}

// Loss returns the total loss on the task's noise-free stimuli: the data
// term of the network's Loss plus every L2 penalty.
func (n *Network) Loss() float64 {
	w, rows := n.run(n.task.X)
	y := mat.DenseCopyOf(n.task.Y).RawMatrix().Data
	return w.lossGrad(y, rows) + n.penalty()
}

// Accuracy returns, per output, the fraction of the task's stimuli whose
// output has the sign of the target.
func (n *Network) Accuracy() []float64 {
	out := n.Output()
	p, dY := out.Dims()
	acc := make([]float64, dY)
	for k := 0; k < dY; k++ {
		ok := 0
		for i := 0; i < p; i++ {
			if (out.At(i, k) > 0) == (n.task.Y.At(i, k) > 0) {
				ok++
			}
		}
		acc[k] = float64(ok) / float64(p)
	}
	return acc
}
