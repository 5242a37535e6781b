package rep

import "math"

// The training engine: one forward and backward pass over a flat
// parameter vector, allocation-free, single-threaded per network
// (parallelism is across networks).
//
// Speed. The dense products (forward X·W, weight gradient Xᵀ·∂Z, ∂A =
// ∂f·W_out, ∂W_out = ∂fᵀ·A) run through gemm: AVX-512 register-blocked
// micro-kernels (an 8×24 tile of C in 24 registers) over a packed A
// (gemm.go); products with a thin output (the readout, ∂A of a deeper
// layer) are vectorized dot products. ReLU, Tanh, the elementwise product
// ∂Z = ∂A ⊙ φ', column sums and the gradient-descent update are vector
// kernels (axpy_amd64.s, tanh_amd64.s). Noise-free full-batch inputs are
// packed once per run. A frozen readout gets no gradient.
//
// Determinism. Every product element is one fma chain in a fixed order,
// every dot product and vector kernel follows a fixed lane order, and the
// pure-Go twins of the kernels (used on processors without AVX-512 and on
// other architectures) perform the same IEEE operations with math.FMA and
// explicit roundings; the BCE gradient uses a portable exp (expNeg). So a
// network trained with ReLU, Tanh, HardTanh, HardSigmoid, ShiftedReLU,
// ClippedReLU or Linear, SquaredError or CrossEntropy, and any optimizer
// gives the same bits on every processor and architecture, whatever
// GOMAXPROCS (TestTrainingSameBitsWithoutSIMD). What may differ in the last
// bits across architectures (not across amd64 processors): Sigmoid, Erf
// and custom activations, which call the math package (math.Exp has an
// assembly version on amd64, and Go may fuse multiply-adds inside math on
// arm64, ppc64 and s390x), and the reported CrossEntropy loss value
// (math.Log1p), which does not feed back into training.

// workspace holds every buffer one forward and backward pass needs, for up
// to rows stimuli, so that a training epoch allocates nothing.
type workspace struct {
	n       *Network
	rows    int
	z, a, d [][]float64 // per hidden layer (or per time step): preactivation, activation, φ'
	f, gf   []float64   // outputs and ∂loss/∂outputs, rows×dY
	ga, gz  []float64   // scratch for ∂loss/∂activations and ∂loss/∂preactivations
	grad    []float64   // ∂(data loss)/∂θ, without the penalty
	pack    []float64   // gemm's packing buffer

	// With fixedX (set by a trainer whose inputs never change: noise-free
	// full-batch training), the packed forms of the inputs x, for the
	// forward product x·W and the gradient xᵀ·∂z, are made once.
	fixedX         bool
	xN, xT         []float64 // packed x and xᵀ
	xNFor, xTFor   *float64  // the x they were packed from, or nil
	xNRows, xTRows int
}

// fixInputs declares that the inputs passed to forward and backward never
// change, so that their packed forms are made once and kept.
func (w *workspace) fixInputs() {
	w.fixedX = true
	size := gemmPackSize(w.rows, w.n.task.DX())
	w.xN, w.xT = make([]float64, size), make([]float64, size)
}

// packedX returns x (rows×dX) packed as op(A) of gemm: xᵀ with trans. It
// packs into the shared buffer unless the inputs are fixed, in which case
// the packing is kept and reused.
func (w *workspace) packedX(x []float64, rows int, trans bool) []float64 {
	dX := w.n.task.DX()
	m, k := rows, dX
	if trans {
		m, k = dX, rows
	}
	if !w.fixedX {
		gemmPack(trans, m, k, x, dX, w.pack)
		return w.pack
	}
	buf, from, r := &w.xN, &w.xNFor, &w.xNRows
	if trans {
		buf, from, r = &w.xT, &w.xTFor, &w.xTRows
	}
	if *from != &x[0] || *r != rows {
		gemmPack(trans, m, k, x, dX, *buf)
		*from, *r = &x[0], rows
	}
	return *buf
}

// newWorkspace allocates a workspace for n and up to rows stimuli.
func newWorkspace(n *Network, rows int) *workspace {
	w := &workspace{n: n, rows: rows}
	maxw := n.task.DX()
	stages := len(n.layers)
	if n.spec.Steps > 0 {
		stages = n.spec.Steps
	}
	for i := 0; i < stages; i++ {
		out := n.width()
		if n.spec.Steps == 0 {
			out = n.layers[i].out
		}
		maxw = max(maxw, out)
		w.z = append(w.z, make([]float64, rows*out))
		w.a = append(w.a, make([]float64, rows*out))
		w.d = append(w.d, make([]float64, rows*out))
	}
	dY := n.task.DY()
	w.f = make([]float64, rows*dY)
	w.gf = make([]float64, rows*dY)
	w.ga = make([]float64, rows*maxw)
	w.gz = make([]float64, rows*maxw)
	w.grad = make([]float64, len(n.theta))
	w.pack = make([]float64, gemmPackSize(rows, max(maxw, dY)))
	return w
}

// forward runs the network on the first rows rows of x (rows×dX) and
// fills z, a, d and f.
func (w *workspace) forward(x []float64, rows int) {
	n := w.n
	if n.spec.Steps > 0 {
		w.forwardRecurrent(x, rows)
	} else {
		in := x
		for i, l := range n.layers {
			z := w.z[i][:rows*l.out]
			if l.b != nil {
				for r := 0; r < rows; r++ {
					copy(z[r*l.out:(r+1)*l.out], l.b)
				}
			} else {
				fill(z, 0)
			}
			if i == 0 {
				gemmPacked(true, rows, l.out, l.in, w.packedX(x, rows, false), l.wt, l.out, z, l.out)
			} else {
				gemm(false, true, rows, l.out, l.in, in, l.in, l.wt, l.out, z, l.out, w.pack)
			}
			a := w.a[i][:rows*l.out]
			n.act.Apply(a, w.d[i][:rows*l.out], z)
			in = a
		}
	}
	m, dY := n.width(), n.task.DY()
	last := w.a[len(w.a)-1][:rows*m]
	f := w.f[:rows*dY]
	mulNT(f, last, n.wout, rows, m, dY)
	if n.bout != nil {
		addRows(f, n.bout, rows)
	}
}

// forwardRecurrent runs an Elman network for its steps with x held fixed.
func (w *workspace) forwardRecurrent(x []float64, rows int) {
	n := w.n
	win, wrec := n.layers[0], n.layers[1]
	m := win.out
	for t := 0; t < n.spec.Steps; t++ {
		z := w.z[t][:rows*m]
		if win.b != nil {
			for r := 0; r < rows; r++ {
				copy(z[r*m:(r+1)*m], win.b)
			}
		} else {
			fill(z, 0)
		}
		gemm(false, true, rows, m, win.in, x, win.in, win.wt, m, z, m, w.pack)
		if t > 0 {
			gemm(false, true, rows, m, m, w.a[t-1][:rows*m], m, wrec.wt, m, z, m, w.pack)
		}
		n.act.Apply(w.a[t][:rows*m], w.d[t][:rows*m], z)
	}
}

// lossGrad computes the data loss of the outputs against targets y
// (rows×dY) and sets gf = ∂loss/∂f.
func (w *workspace) lossGrad(y []float64, rows int) float64 {
	dY := w.n.task.DY()
	f, gf := w.f[:rows*dY], w.gf[:rows*dY]
	loss := 0.0
	switch w.n.spec.Loss {
	case CrossEntropy:
		inv := 1 / float64(rows)
		for i, v := range f {
			t := (y[i] + 1) / 2
			// −t·log σ(v) − (1−t)·log(1−σ(v)), written stably, with
			// e = e^(−|v|): σ(v) = 1/(1+e) for v ≥ 0, e/(1+e) for v < 0.
			// expNeg rounds the same on every architecture, so the
			// gradient does too (the reported loss uses math.Log1p).
			e := expNeg(v)
			loss += math.Max(v, 0) - t*v + math.Log1p(e)
			sig := 1 / (1 + e)
			if v < 0 {
				sig = e / (1 + e)
			}
			gf[i] = (sig - t) * inv
		}
		loss *= inv
	default:
		for i, v := range f {
			r := v - y[i]
			loss += r * r
			gf[i] = 2 * r
		}
	}
	return loss
}

// backward sets grad = ∂(data loss)/∂θ from gf, after forward on x.
func (w *workspace) backward(x []float64, rows int) {
	n := w.n
	m, dY := n.width(), n.task.DY()
	gf := w.gf[:rows*dY]
	last := w.a[len(w.a)-1][:rows*m]
	// Every gradient below is set, not accumulated, so grad needs no
	// zeroing; a frozen readout's part stays zero from allocation.
	if n.spec.Readout == ReadoutTrained {
		gemm(true, false, dY, m, rows, gf, dY, last, m, w.gradOf(n.wout), m, w.pack)
	}
	if n.bout != nil {
		setColSums(w.gradOf(n.bout), gf, rows)
	}
	gemm(false, false, rows, m, dY, gf, dY, n.wout, m, w.ga[:rows*m], m, w.pack)
	if n.spec.Steps > 0 {
		w.backwardRecurrent(x, rows)
		return
	}
	for i := len(n.layers) - 1; i >= 0; i-- {
		l := n.layers[i]
		gz := w.gz[:rows*l.out]
		d := w.d[i][:rows*l.out]
		ga := w.ga[:rows*l.out]
		mulVec(gz, ga, d)
		in := x
		if i > 0 {
			in = w.a[i-1][:rows*l.in]
		}
		if i == 0 {
			gemmPacked(false, l.in, l.out, rows, w.packedX(x, rows, true), gz, l.out, w.gradOf(l.wt), l.out)
		} else {
			gemm(true, false, l.in, l.out, rows, in, l.in, gz, l.out, w.gradOf(l.wt), l.out, w.pack)
		}
		if l.b != nil {
			setColSums(w.gradOf(l.b), gz, rows)
		}
		if i > 0 {
			mulNT(w.ga[:rows*l.in], gz, l.wt, rows, l.out, l.in)
		}
	}
}

// backwardRecurrent back-propagates through time.
func (w *workspace) backwardRecurrent(x []float64, rows int) {
	n := w.n
	win, wrec := n.layers[0], n.layers[1]
	m := win.out
	gWin, gWrec := w.gradOf(win.wt), w.gradOf(wrec.wt)
	fill(gWin, 0)
	fill(gWrec, 0)
	var gb []float64
	if win.b != nil {
		gb = w.gradOf(win.b)
		fill(gb, 0)
	}
	ga, gz := w.ga[:rows*m], w.gz[:rows*m]
	for t := n.spec.Steps - 1; t >= 0; t-- {
		d := w.d[t][:rows*m]
		mulVec(gz, ga, d)
		gemm(true, true, win.in, m, rows, x, win.in, gz, m, gWin, m, w.pack)
		if gb != nil {
			addColSums(gb, gz, rows)
		}
		if t > 0 {
			gemm(true, true, m, m, rows, w.a[t-1][:rows*m], m, gz, m, gWrec, m, w.pack)
			mulNT(ga, gz, wrec.wt, rows, m, m)
		}
	}
}

// gradOf returns the part of grad that matches the parameter view p, a
// subslice of the network's theta.
func (w *workspace) gradOf(p []float64) []float64 {
	off := cap(w.n.theta) - cap(p)
	return w.grad[off : off+len(p)]
}

// penalty returns Σ λ‖θ‖² over the network's parameter groups.
func (n *Network) penalty() float64 {
	s := 0.0
	for _, g := range n.segs {
		if g.lambda == 0 {
			continue
		}
		ss := 0.0
		for _, v := range n.theta[g.off : g.off+g.n] {
			ss += v * v
		}
		s += g.lambda * ss
	}
	return s
}
