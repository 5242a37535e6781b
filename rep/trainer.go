package rep

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Train trains the network in place with t and returns what it recorded.
// A diverging run (loss NaN or ±Inf) returns the history so far, with
// Status Diverged, and an error wrapping ErrDiverged that names the epoch.
func (n *Network) Train(t Training) (*History, error) {
	return n.TrainContext(context.Background(), t)
}

// MustTrain is Train for notebooks: it panics on error.
func (n *Network) MustTrain(t Training) *History { return Must(n.Train(t)) }

// TrainContext is Train with a context: a canceled context stops the run
// at the end of the current epoch, with Status Canceled and ctx.Err().
func (n *Network) TrainContext(ctx context.Context, t Training) (*History, error) {
	if err := t.errs.err(); err != nil {
		return nil, err
	}
	if err := t.spec.validate(); err != nil {
		return nil, err
	}
	tr := newTrainer(n, t.spec)
	h := &History{}
	if len(t.names) > 0 {
		h.Metrics = make(map[string][]float64, len(t.names))
	}
	every := t.spec.RecordEvery
	if every == 0 {
		every = max(1, t.spec.Epochs/100)
	}
	record := func(epoch int) (gradNorm float64) {
		loss, g := tr.evaluate()
		h.Epochs = append(h.Epochs, epoch)
		h.Losses = append(h.Losses, loss)
		h.GradNorms = append(h.GradNorms, g)
		for i, f := range t.metrics {
			h.Metrics[t.names[i]] = append(h.Metrics[t.names[i]], f(n))
		}
		if t.progress != nil {
			t.progress(epoch, t.spec.Epochs, loss)
		}
		return g
	}
	record(0)
	for epoch := 1; epoch <= t.spec.Epochs; epoch++ {
		loss := tr.epoch()
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			h.Status = Diverged
			err := fmt.Errorf("%w: training loss is %v at epoch %d (lower the learning rate)", ErrDiverged, loss, epoch)
			h.Err = err.Error()
			return h, err
		}
		if err := ctx.Err(); err != nil {
			record(epoch)
			h.Status = Canceled
			h.Err = err.Error()
			return h, err
		}
		if epoch%every == 0 || epoch == t.spec.Epochs {
			g := record(epoch)
			if t.spec.Tol > 0 && g <= t.spec.Tol {
				h.Status = Converged
				return h, nil
			}
		}
	}
	h.Status = IterationLimit
	return h, nil
}

// trainer is the state of one training run: data, workspaces and optimizer
// state, all allocated once.
type trainer struct {
	n    *Network
	spec TrainingSpec
	rng  *rand.Rand

	noisy  bool
	rows   int       // rows of training data per epoch
	x, y   []float64 // training data, rows×dX and rows×dY
	batch  int       // rows per step
	perm   []int     // minibatch order
	xb, yb []float64 // minibatch buffers
	ws     *workspace
	eval   *workspace // full-data workspace for records (ws when full batch)

	v, s         []float64 // optimizer state
	step         int
	pow1, pow2   float64 // β1^step, β2^step for Adam's bias correction
	sigma        float64
	px, py       []float64 // the task's noise-free stimuli and targets
	dX, dY, nCls int
}

// newTrainer prepares a run of spec on n.
func newTrainer(n *Network, spec TrainingSpec) *trainer {
	task := n.task
	tr := &trainer{n: n, spec: spec, pow1: 1, pow2: 1,
		rng: rand.New(rand.NewPCG(n.spec.Seed, 0x7261696e696e6721)),
		dX:  task.DX(), dY: task.DY(), nCls: task.P(),
		px: task.X.RawMatrix().Data, py: task.Y.RawMatrix().Data}
	if task.X.RawMatrix().Stride != tr.dX || task.Y.RawMatrix().Stride != tr.dY {
		tr.px = mat.DenseCopyOf(task.X).RawMatrix().Data
		tr.py = mat.DenseCopyOf(task.Y).RawMatrix().Data
	}
	tr.sigma = task.NoiseTrain
	tr.noisy = tr.sigma > 0
	if tr.noisy {
		tr.rows = spec.Samples
		tr.x = make([]float64, tr.rows*tr.dX)
		tr.y = make([]float64, tr.rows*tr.dY)
		tr.sample()
	} else {
		tr.rows = task.P()
		tr.x, tr.y = tr.px, tr.py
	}
	tr.batch = tr.rows
	if spec.Batch > 0 && spec.Batch < tr.rows {
		tr.batch = spec.Batch
		tr.perm = make([]int, tr.rows)
		for i := range tr.perm {
			tr.perm[i] = i
		}
		tr.xb = make([]float64, tr.batch*tr.dX)
		tr.yb = make([]float64, tr.batch*tr.dY)
	}
	tr.ws = newWorkspace(n, tr.batch)
	// Noise-free full-batch inputs never change: pack them once.
	if !tr.noisy && tr.batch == tr.rows {
		tr.ws.fixInputs()
	}
	tr.eval = tr.ws
	if tr.batch < tr.rows {
		tr.eval = newWorkspace(n, tr.rows)
	}
	if spec.Optimizer != OptGD {
		tr.v = make([]float64, len(n.theta))
	}
	if spec.Optimizer == OptAdam {
		tr.s = make([]float64, len(n.theta))
	}
	return tr
}

// sample draws the epoch's noisy samples: a uniform condition c, then
// x = X[c] + σξ and y = Y[c].
func (tr *trainer) sample() {
	for r := 0; r < tr.rows; r++ {
		c := tr.rng.IntN(tr.nCls)
		xr := tr.x[r*tr.dX : (r+1)*tr.dX]
		for j, v := range tr.px[c*tr.dX : (c+1)*tr.dX] {
			xr[j] = v + tr.sigma*tr.rng.NormFloat64()
		}
		copy(tr.y[r*tr.dY:(r+1)*tr.dY], tr.py[c*tr.dY:(c+1)*tr.dY])
	}
}

// epoch runs one epoch and returns the mean data loss of its steps.
func (tr *trainer) epoch() float64 {
	if tr.noisy {
		tr.sample()
	}
	if tr.batch == tr.rows {
		tr.ws.forward(tr.x, tr.rows)
		loss := tr.ws.lossGrad(tr.y, tr.rows)
		tr.ws.backward(tr.x, tr.rows)
		tr.update(tr.ws.grad)
		return loss
	}
	// Fisher–Yates, by hand: rand.Shuffle's closure would allocate.
	for i := len(tr.perm) - 1; i > 0; i-- {
		j := tr.rng.IntN(i + 1)
		tr.perm[i], tr.perm[j] = tr.perm[j], tr.perm[i]
	}
	total, steps := 0.0, 0
	for start := 0; start < tr.rows; start += tr.batch {
		rows := min(tr.batch, tr.rows-start)
		for k, r := range tr.perm[start : start+rows] {
			copy(tr.xb[k*tr.dX:(k+1)*tr.dX], tr.x[r*tr.dX:(r+1)*tr.dX])
			copy(tr.yb[k*tr.dY:(k+1)*tr.dY], tr.y[r*tr.dY:(r+1)*tr.dY])
		}
		tr.ws.forward(tr.xb, rows)
		total += tr.ws.lossGrad(tr.yb, rows)
		tr.ws.backward(tr.xb, rows)
		tr.update(tr.ws.grad)
		steps++
	}
	return total / float64(steps)
}

// update applies one optimizer step with the data gradient grad plus the
// penalties' gradient 2λθ, to every trainable parameter group. Explicit
// float64 conversions keep compilers from fusing a product into an add
// (Go may on arm64, ppc64, s390x), so updates round the same everywhere.
func (tr *trainer) update(grad []float64) {
	n, sp := tr.n, tr.spec
	lr := sp.LR
	tr.step++
	if sp.Optimizer == OptAdam {
		tr.pow1 *= sp.Beta1
		tr.pow2 *= sp.Beta2
	}
	for _, g := range n.segs {
		if !g.train {
			continue
		}
		th := n.theta[g.off : g.off+g.n]
		gr := grad[g.off : g.off+g.n]
		l2 := 2 * g.lambda
		switch sp.Optimizer {
		case OptGD:
			gdStep(th, gr, lr, l2) // θ −= lr·(g + 2λθ), vectorized
		case OptMomentum:
			v := tr.v[g.off : g.off+g.n]
			for i, w := range th {
				v[i] = float64(sp.Beta1*v[i]) + gr[i] + float64(l2*w)
				th[i] = w - float64(lr*v[i])
			}
		case OptRMSprop:
			s := tr.v[g.off : g.off+g.n]
			for i, w := range th {
				gi := gr[i] + float64(l2*w)
				s[i] = float64(sp.Beta2*s[i]) + float64((1-sp.Beta2)*gi*gi)
				th[i] = w - lr*gi/(math.Sqrt(s[i])+sp.Eps)
			}
		case OptAdam:
			m, v := tr.v[g.off:g.off+g.n], tr.s[g.off:g.off+g.n]
			c1, c2 := 1/(1-tr.pow1), 1/(1-tr.pow2)
			for i, w := range th {
				gi := gr[i] + float64(l2*w)
				m[i] = float64(sp.Beta1*m[i]) + float64((1-sp.Beta1)*gi)
				v[i] = float64(sp.Beta2*v[i]) + float64((1-sp.Beta2)*gi*gi)
				th[i] = w - lr*(m[i]*c1)/(math.Sqrt(v[i]*c2)+sp.Eps)
			}
		}
	}
}

// evaluate returns the total loss (data + penalties) on the epoch's full
// training data and the norm of its full gradient over trainable
// parameters.
func (tr *trainer) evaluate() (loss, gradNorm float64) {
	w := tr.eval
	w.forward(tr.x, tr.rows)
	loss = w.lossGrad(tr.y, tr.rows) + tr.n.penalty()
	w.backward(tr.x, tr.rows)
	ss := 0.0
	for _, g := range tr.n.segs {
		if !g.train {
			continue
		}
		l2 := 2 * g.lambda
		th := tr.n.theta[g.off : g.off+g.n]
		for i, v := range w.grad[g.off : g.off+g.n] {
			gi := v + l2*th[i]
			ss += gi * gi
		}
	}
	return loss, math.Sqrt(ss)
}
