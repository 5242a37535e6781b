package sweep

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/repgeom/repgeom/rep"
	"gonum.org/v1/gonum/mat"
)

// RepConfig is the configuration of the "rep" model (RepModel): one run of
// package rep — a task, a network, a training — and what to measure on the
// trained network. Axis names are paths into its JSON form:
// "task.delta", "task.noiseTrain", "network.activation.name",
// "network.hidden.0", "network.l2.0", "training.lr", "training.epochs".
type RepConfig struct {
	Task     rep.TaskSpec     `json:"task"`
	Network  rep.NetworkSpec  `json:"network"`
	Training rep.TrainingSpec `json:"training"`
	// Metrics names the measurements taken after training (see RepMetrics).
	Metrics []string `json:"metrics"`
	// Record names the measurements recorded during training, every
	// training.recordEvery epochs, as series (loss and grad_norm always are).
	Record []string `json:"record,omitempty"`
	// Layer is the hidden layer measured, from 0; −1 means the last.
	Layer int `json:"layer"`
	// TestSamples is the number of noisy samples per stimulus the
	// representation is measured on when the task has test noise
	// (task.noiseTest > 0, paper B §5.2); without test noise it is measured
	// on the noise-free stimuli.
	TestSamples int `json:"testSamples"`
	// Seed is the seed of the noisy test samples.
	Seed uint64 `json:"seed"`
}

// NewRepConfig returns the configuration of a run with the measurements
// named (all of RepMetrics when none is). Defaults: the last hidden layer,
// 100 noisy test samples per stimulus, Seed 1.
func NewRepConfig(run rep.RunSpec, metrics ...string) RepConfig {
	if len(metrics) == 0 {
		metrics = RepMetrics()
	}
	return RepConfig{Task: run.Task, Network: run.Network, Training: run.Training,
		Metrics: append([]string(nil), metrics...), Layer: -1, TestSamples: 100, Seed: 1}
}

// measurement is what a metric sees: the trained network's representation
// h on the measurement inputs x, their targets y and latent labels.
type measurement struct {
	task      *rep.Task
	net       *rep.Network
	layer     int
	x, y, lat *mat.Dense
	h         *mat.Dense
	hist      *rep.History
	kernel    *mat.SymDense
}

func (m *measurement) hidden() *mat.Dense {
	if m.h == nil {
		m.h = m.net.HiddenOn(m.layer, m.x)
	}
	return m.h
}

func (m *measurement) hiddenKernel() *mat.SymDense {
	if m.kernel == nil {
		m.kernel = rep.KernelOf(m.hidden())
	}
	return m.kernel
}

// repMetric computes one named measurement, possibly with per-latent
// components (name_0, name_1, …) beside the mean.
type repMetric struct {
	doc       string
	perLatent bool
	final     bool // only after training (needs the history)
	f         func(m *measurement) []float64
}

func kernelOfRows(x *mat.Dense) *mat.SymDense { return rep.KernelOf(x) }

var repMetrics = map[string]repMetric{
	"loss":      {doc: "final training loss (data term plus L2 penalties)", final: true, f: func(m *measurement) []float64 { return []float64{last(m.hist.Losses)} }},
	"grad_norm": {doc: "final gradient norm", final: true, f: func(m *measurement) []float64 { return []float64{last(m.hist.GradNorms)} }},
	"epochs": {doc: "epochs trained (fewer than training.epochs when training.tol stopped the run)", final: true, f: func(m *measurement) []float64 {
		if len(m.hist.Epochs) == 0 {
			return []float64{0}
		}
		return []float64{float64(m.hist.Epochs[len(m.hist.Epochs)-1])}
	}},
	"ps":   {doc: "parallelism score per latent (rep.ParallelismScore); ps is their mean", perLatent: true, f: func(m *measurement) []float64 { return rep.ParallelismScore(m.hidden(), m.lat) }},
	"ccgp": {doc: "cross-condition generalization per latent (rep.CCGP); ccgp is their mean", perLatent: true, f: func(m *measurement) []float64 { return rep.CCGP(m.hidden(), m.lat) }},
	"target_alignment": {doc: "centered kernel alignment of the hidden kernel with the target kernel YYᵀ", f: func(m *measurement) []float64 {
		return []float64{rep.KernelAlignment(m.hiddenKernel(), kernelOfRows(m.y))}
	}},
	"input_alignment": {doc: "centered kernel alignment of the hidden kernel with the input kernel XXᵀ", f: func(m *measurement) []float64 {
		return []float64{rep.KernelAlignment(m.hiddenKernel(), kernelOfRows(m.x))}
	}},
	"io_alignment": {doc: "the task's input–output alignment C(XXᵀ, YYᵀ) on its noise-free stimuli (rep.Task.InputOutputAlignment)", f: func(m *measurement) []float64 {
		return []float64{m.task.InputOutputAlignment()}
	}},
	"pr": {doc: "participation ratio of the hidden representation (rep.ParticipationRatio)", f: func(m *measurement) []float64 { return []float64{rep.ParticipationRatio(m.hidden())} }},
	"accuracy": {doc: "fraction of outputs whose sign matches the target", f: func(m *measurement) []float64 {
		out := m.net.OutputOn(m.x)
		r, c := out.Dims()
		ok := 0
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				if (out.At(i, j) > 0) == (m.y.At(i, j) > 0) {
					ok++
				}
			}
		}
		return []float64{float64(ok) / float64(r*c)}
	}},
}

func last(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	return v[len(v)-1]
}

// RepMetrics returns the names of the measurements the rep model offers,
// sorted: accuracy, ccgp, epochs, grad_norm, input_alignment, io_alignment,
// loss, pr, ps, target_alignment. ps and ccgp also give one column per
// latent (ps_0, ps_1, …) beside their mean.
func RepMetrics() []string {
	names := make([]string, 0, len(repMetrics))
	for n := range repMetrics {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// RepMetricDoc returns the description of a rep model measurement, or "".
func RepMetricDoc(name string) string { return repMetrics[name].doc }

// RepModel is the "rep" model: it builds the task and network of a
// RepConfig, trains the network (rep.Network.TrainContext), and measures
// it. A diverging training fails the point with rep's error (wrapping
// rep.ErrDiverged), keeping the loss history up to the divergence as
// series. Default seed paths: network.seed (initialization and minibatch
// order) and seed (noisy test samples); add task.seed to draw a new task per
// replicate.
var RepModel = Define("rep", runRep).Check(checkRep).SeedPaths("network.seed", "seed")

func init() {
	if err := Register(RepModel); err != nil {
		panic(err)
	}
}

func (c *RepConfig) runSpec() rep.RunSpec {
	return rep.RunSpec{Version: rep.Version, Task: c.Task, Network: c.Network, Training: c.Training}
}

// checkRep builds the task and the network and validates the training and
// the measurements, without training.
func checkRep(c *RepConfig) error {
	task, net, _, err := c.runSpec().Build()
	if err != nil {
		return err
	}
	var errs []error
	for _, n := range c.Metrics {
		if _, ok := repMetrics[n]; !ok {
			errs = append(errs, fmt.Errorf("sweep: RepConfig.Metrics: unknown metric %q (known: %s)", n, strings.Join(RepMetrics(), ", ")))
		}
	}
	for _, n := range c.Record {
		m, ok := repMetrics[n]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("sweep: RepConfig.Record: unknown metric %q (known: %s)", n, strings.Join(RepMetrics(), ", ")))
		case m.final:
			errs = append(errs, fmt.Errorf("sweep: RepConfig.Record: %q is recorded anyway or only known after training", n))
		case m.perLatent:
			errs = append(errs, fmt.Errorf("sweep: RepConfig.Record: %q has one value per latent; record it after training with Metrics", n))
		}
	}
	if c.Layer < -1 || c.Layer >= net.Layers() {
		errs = append(errs, fmt.Errorf("sweep: RepConfig.Layer = %d: must be −1 (last) or in [0, %d)", c.Layer, net.Layers()))
	}
	if task.NoiseTest > 0 && c.TestSamples < 1 {
		errs = append(errs, fmt.Errorf("sweep: RepConfig.TestSamples = %d: must be ≥ 1 when the task has test noise", c.TestSamples))
	}
	return errors.Join(errs...)
}

// runRep trains and measures one configuration.
func runRep(ctx context.Context, c *RepConfig) (Result, error) {
	task, net, training, err := c.runSpec().Build()
	if err != nil {
		return Result{}, err
	}
	m := &measurement{task: task, net: net, layer: c.Layer}
	if m.layer < 0 {
		m.layer = net.Layers() - 1
	}
	if task.NoiseTest > 0 {
		m.x, m.y, m.lat, _ = task.Samples(c.TestSamples, task.NoiseTest, c.Seed)
	} else {
		m.x, m.y, m.lat = task.X, task.Y, task.Latents
	}
	for _, name := range c.Record {
		f := repMetrics[name].f
		training = training.Record(name, func(*rep.Network) float64 {
			step := &measurement{task: task, net: net, layer: m.layer, x: m.x, y: m.y, lat: m.lat}
			return f(step)[0]
		})
	}
	hist, err := net.TrainContext(ctx, training)
	var res Result
	if hist != nil {
		res.Epochs = append([]int(nil), hist.Epochs...)
		res.Series = map[string][]float64{
			"loss":      append([]float64(nil), hist.Losses...),
			"grad_norm": append([]float64(nil), hist.GradNorms...),
		}
		for k, v := range hist.Metrics {
			res.Series[k] = append([]float64(nil), v...)
		}
	}
	if err != nil {
		return res, err
	}
	m.hist = hist
	res.Metrics = map[string]float64{}
	for _, name := range c.Metrics {
		spec := repMetrics[name]
		v := spec.f(m)
		if !spec.perLatent {
			res.Metrics[name] = v[0]
			continue
		}
		sum := 0.0
		for k, x := range v {
			res.Metrics[name+"_"+strconv.Itoa(k)] = x
			sum += x
		}
		res.Metrics[name] = sum / float64(len(v))
	}
	return res, nil
}
