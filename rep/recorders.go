package rep

// Ready-made MetricFuncs for Training.Record: the geometry of hidden layer
// l on the task's noise-free stimuli, measured while training runs.

// PSOf returns a MetricFunc: the mean over latents of the parallelism
// score of hidden layer l's activations (NaN for a single latent, where PS
// is undefined).
func PSOf(l int) MetricFunc {
	return func(n *Network) float64 {
		ps := ParallelismScore(n.Hidden(l), n.task.Latents)
		s := 0.0
		for _, v := range ps {
			s += v
		}
		return s / float64(len(ps))
	}
}

// TargetAlignmentOf returns a MetricFunc: the centered kernel alignment of
// hidden layer l's kernel with the target kernel K_Y (paper B §3).
func TargetAlignmentOf(l int) MetricFunc {
	return func(n *Network) float64 {
		return KernelAlignment(KernelOf(n.Hidden(l)), n.task.KY())
	}
}

// InputAlignmentOf returns a MetricFunc: the centered kernel alignment of
// hidden layer l's kernel with the input kernel XXᵀ (paper B §3).
func InputAlignmentOf(l int) MetricFunc {
	return func(n *Network) float64 {
		return KernelAlignment(KernelOf(n.Hidden(l)), n.task.KData())
	}
}
