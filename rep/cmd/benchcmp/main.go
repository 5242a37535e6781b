// Command benchcmp times the training engine of package rep against PyTorch
// and NumPy on the two cases of issue 8, side by side in one run, and
// prints the ratios.
//
// Usage:
//
//	benchcmp [-cases fig4,sweep,dgemm] [-runs 3] [-nets 220] [-epochs 2000] [-workers 2] [-python /usr/bin/python3] [-benchfmt FILE]
//
// With -benchfmt, every timed run is also written to FILE in Go's benchmark
// format (BenchmarkFig4/impl=torch 1 2.58e+09 ns/op), for
// benchstat -col /impl FILE.
//
// The cases:
//
//   - fig4: paper A's Fig. 4 network through the public API
//     (rep.NewTask(3).Whitened(), 512 ReLU units, L2(1e-2, 1e-2),
//     InitScale(0.01), Train(rep.GD(0.03).Epochs(20000))), one thread,
//     against PyTorch autograd + optim.SGD and hand-written NumPy, float64.
//   - sweep: paper B's sweep case, 220 networks (20 seeds × 11 values of δ of
//     the δ-separable XOR), each on a fixed sample of 256 stimuli × 100
//     dimensions, 100 tanh units, BCE, frozen ±1/M readout with a trained
//     bias, 2,000 full-batch GD steps at lr 0.1; Go on -workers goroutines
//     (in a child process, whose peak RSS is reported), PyTorch and NumPy in
//     -workers processes of one thread each.
//   - dgemm: OpenBLAS's dgemm 1024³ through NumPy, one thread per process,
//     on 1 and 2 processes: the machine's measured peak.
//
// Every Python run trains exactly the networks the Go run trains (same data
// and initial weights, written to a temporary directory) and its final
// losses are compared with Go's: a timing of a different computation would
// mean nothing. Times are medians of -runs runs; each run of a case runs
// Go, PyTorch and NumPy one after the other. Python comes from Debian
// (docker/setup-bench.sh installs python3-torch, python3-numpy and
// libopenblas0-pthread); a missing one is reported and skipped.
// OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed from the Python
// processes' environment so that OpenBLAS picks its kernels for this
// processor; OPENBLAS_NUM_THREADS and OMP_NUM_THREADS are set to 1.
package main

import (
	_ "embed"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/repgeom/repgeom/rep"
	"gonum.org/v1/gonum/mat"
)

//go:embed bench.py
var benchPy []byte

// The sweep case's sizes.
const (
	sweepSeeds   = 20
	sweepDeltas  = 11
	sweepSamples = 256
	sweepDim     = 100
	sweepWidth   = 100
	sweepLR      = 0.1
)

func main() {
	cases := flag.String("cases", "fig4,sweep,dgemm", "comma-separated cases: fig4, sweep, dgemm")
	runs := flag.Int("runs", 3, "runs of each case (medians are reported)")
	nets := flag.Int("nets", sweepSeeds*sweepDeltas, "networks of the sweep case")
	epochs := flag.Int("epochs", 2000, "GD steps of each sweep network")
	workers := flag.Int("workers", 2, "goroutines (Go) and processes (Python) of the sweep case")
	python := flag.String("python", "/usr/bin/python3", "Python with numpy (and torch)")
	child := flag.Bool("child", false, "internal: run the Go sweep and print JSON")
	benchfmt := flag.String("benchfmt", "", "also write every run in Go benchmark format to this file")
	flag.Parse()
	if *child {
		runChild(*nets, *epochs, *workers)
		return
	}
	if *benchfmt != "" {
		f, err := os.Create(*benchfmt)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchcmp:", err)
			os.Exit(1)
		}
		defer f.Close()
		benchOut = f
	}
	if err := run(strings.Split(*cases, ","), *runs, *nets, *epochs, *workers, *python); err != nil {
		fmt.Fprintln(os.Stderr, "benchcmp:", err)
		os.Exit(1)
	}
}

// result is one timed run of one implementation.
type result struct {
	Seconds float64   `json:"seconds"`
	Loss    float64   `json:"loss"`
	Losses  []float64 `json:"losses"`
	PeakRSS int64     `json:"peakRSS"` // bytes, Go child only
	Torch   string    `json:"torch"`
	BLAS    any       `json:"blas"`
	GF1     float64   `json:"gflops_1proc"`
	GF2     float64   `json:"gflops_2proc"`
}

func run(cases []string, runs, nets, epochs, workers int, python string) error {
	dir, err := os.MkdirTemp("", "benchcmp")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "bench.py")
	if err := os.WriteFile(script, benchPy, 0o644); err != nil {
		return err
	}
	hasNumpy := exec.Command(python, "-c", "import numpy").Run() == nil
	hasTorch := exec.Command(python, "-c", "import torch").Run() == nil
	fmt.Printf("benchcmp: %s, %d cores, GOMAXPROCS %d; %s numpy: %v, torch: %v; medians of %d runs\n\n",
		runtime.Version(), runtime.NumCPU(), runtime.GOMAXPROCS(0), python, hasNumpy, hasTorch, runs)
	py := func(mode, d string) (result, error) {
		cmd := exec.Command(python, script, mode, d)
		cmd.Env = pythonEnv()
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			return result{}, fmt.Errorf("%s: %w", mode, err)
		}
		var r result
		return r, json.Unmarshal(out, &r)
	}
	for _, c := range cases {
		switch c {
		case "fig4":
			d := filepath.Join(dir, "fig4")
			if err := writeFig4(d); err != nil {
				return err
			}
			impls := []impl{{"Go (rep)", func() (result, error) { return runFig4() }}}
			if hasTorch {
				impls = append(impls, impl{"PyTorch autograd+SGD", func() (result, error) { return py("fig4-torch", d) }})
			}
			if hasNumpy {
				impls = append(impls, impl{"NumPy (OpenBLAS)", func() (result, error) { return py("fig4-numpy", d) }})
			}
			if err := compare("fig4: paper A Fig. 4, P=8, dX=8, M=512, dY=3, 20,000 full-batch GD steps, one thread", impls, runs); err != nil {
				return err
			}
		case "sweep":
			d := filepath.Join(dir, "sweep")
			if err := writeSweep(d, nets, epochs, workers); err != nil {
				return err
			}
			self, err := os.Executable()
			if err != nil {
				return err
			}
			impls := []impl{{fmt.Sprintf("Go (rep), %d goroutines", workers), func() (result, error) {
				cmd := exec.Command(self, "-child", "-nets", fmt.Sprint(nets), "-epochs", fmt.Sprint(epochs), "-workers", fmt.Sprint(workers))
				cmd.Stderr = os.Stderr
				out, err := cmd.Output()
				if err != nil {
					return result{}, err
				}
				var r result
				return r, json.Unmarshal(out, &r)
			}}}
			if hasTorch {
				impls = append(impls, impl{fmt.Sprintf("PyTorch autograd+SGD, %d processes", workers), func() (result, error) { return py("sweep-torch", d) }})
			}
			if hasNumpy {
				impls = append(impls, impl{fmt.Sprintf("NumPy (OpenBLAS), %d processes", workers), func() (result, error) { return py("sweep-numpy", d) }})
			}
			title := fmt.Sprintf("sweep: paper B, %d networks, %d×%d inputs, M=%d, tanh, BCE, %d full-batch GD steps", nets, sweepSamples, sweepDim, sweepWidth, epochs)
			if err := compare(title, impls, runs); err != nil {
				return err
			}
		case "dgemm":
			if !hasNumpy {
				fmt.Println("dgemm: NumPy is not installed; skipped")
				continue
			}
			r, err := py("dgemm", dir)
			if err != nil {
				return err
			}
			b, _ := json.Marshal(r.BLAS)
			fmt.Printf("dgemm 1024³ (OpenBLAS via NumPy, one thread per process): %.1f GFLOP/s on 1 process, %.1f GFLOP/s on 2\n  BLAS: %s\n\n", r.GF1, r.GF2, b)
			// The sweep's GEMM work per step: X·W₁ᵀ and ∂W₁ = ∂Zᵀ·X.
			fmt.Printf("sweep GEMM work: %.2f TFLOP (4·%d·%d·%d flops per step)\n\n",
				4*sweepSamples*sweepDim*sweepWidth*float64(epochs)*float64(nets)/1e12, sweepSamples, sweepDim, sweepWidth)
		default:
			return fmt.Errorf("unknown case %q (want fig4, sweep, dgemm)", c)
		}
	}
	return nil
}

// pythonEnv is the environment of the Python runs: one BLAS thread per
// process, and OpenBLAS free to pick its kernels for this processor.
func pythonEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "OPENBLAS_NUM_THREADS=1", "OMP_NUM_THREADS=1", "MKL_NUM_THREADS=1")
}

// impl is one implementation of a case.
type impl struct {
	name string
	run  func() (result, error)
}

// benchOut receives the runs in Go benchmark format, when -benchfmt is set.
var benchOut *os.File

// benchName is the benchmark name of a case and an implementation.
func benchName(title, impl string) string {
	c, _, _ := strings.Cut(title, ":")
	word, _, _ := strings.Cut(impl, " ")
	return fmt.Sprintf("Benchmark%s/impl=%s", strings.ToUpper(c[:1])+c[1:], strings.ToLower(word))
}

// compare runs every implementation runs times, interleaved, and prints
// median times, ratios to Go and the agreement of the final losses.
func compare(title string, impls []impl, runs int) error {
	fmt.Println(title)
	times := make([][]float64, len(impls))
	last := make([]result, len(impls))
	for r := 0; r < runs; r++ {
		for i, im := range impls {
			res, err := im.run()
			if err != nil {
				return fmt.Errorf("%s: %w", im.name, err)
			}
			times[i] = append(times[i], res.Seconds)
			last[i] = res
			fmt.Fprintf(os.Stderr, "  run %d/%d %s: %.3f s\n", r+1, runs, im.name, res.Seconds)
			if benchOut != nil {
				fmt.Fprintf(benchOut, "%s 1 %.0f ns/op\n", benchName(title, im.name), res.Seconds*1e9)
			}
		}
	}
	goMed := median(times[0])
	for i, im := range impls {
		med := median(times[i])
		line := fmt.Sprintf("  %-40s %9.3f s  (runs %s)", im.name, med, fmtTimes(times[i]))
		if i > 0 {
			line += fmt.Sprintf("  %6.1f× Go's time; final loss rel. diff. %.1e", med/goMed, lossDiff(last[0], last[i]))
		} else if last[0].PeakRSS > 0 {
			line += fmt.Sprintf("  peak RSS %.1f MiB", float64(last[0].PeakRSS)/(1<<20))
		}
		fmt.Println(line)
		if last[i].Torch != "" {
			fmt.Printf("    torch %s\n", last[i].Torch)
		}
		if last[i].BLAS != nil {
			b, _ := json.Marshal(last[i].BLAS)
			fmt.Printf("    BLAS %s\n", b)
		}
	}
	fmt.Println()
	return nil
}

func median(x []float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	return s[len(s)/2]
}

func fmtTimes(x []float64) string {
	var parts []string
	for _, v := range x {
		parts = append(parts, fmt.Sprintf("%.3f", v))
	}
	return strings.Join(parts, ", ")
}

// lossDiff returns the largest relative difference of the final losses.
func lossDiff(a, b result) float64 {
	if a.Losses == nil {
		return math.Abs(a.Loss-b.Loss) / math.Abs(a.Loss)
	}
	d := 0.0
	for i := range a.Losses {
		d = max(d, math.Abs(a.Losses[i]-b.Losses[i])/math.Abs(a.Losses[i]))
	}
	return d
}

// ---------------------------------------------------------------- fig 4 ---

func fig4Network() (*rep.Network, error) {
	task, err := rep.NewTask(3).Whitened().Seed(7).Build()
	if err != nil {
		return nil, err
	}
	return rep.NewNetwork(task).Hidden(512).Activation(rep.ReLU).L2(1e-2, 1e-2).InitScale(0.01).Seed(7).Build()
}

func runFig4() (result, error) {
	net, err := fig4Network()
	if err != nil {
		return result{}, err
	}
	t0 := time.Now()
	h, err := net.Train(rep.GD(0.03).Epochs(20000))
	if err != nil {
		return result{}, err
	}
	return result{Seconds: time.Since(t0).Seconds(), Loss: h.Losses[len(h.Losses)-1]}, nil
}

func writeFig4(d string) error {
	net, err := fig4Network()
	if err != nil {
		return err
	}
	t := net.Task()
	m := map[string]any{"P": t.P(), "dX": t.DX(), "M": 512, "dY": t.DY(), "l1": 1e-2, "l2": 1e-2, "lr": 0.03, "epochs": 20000}
	return writeFiles(d, m, map[string][]float64{
		"X": dense(t.X), "Y": dense(t.Y), "W1": dense(net.Weights(0)), "b1": net.Bias(0), "W2": dense(net.Readout()),
	})
}

// ---------------------------------------------------------------- sweep ---

// sweepTask returns the fixed training sample of sweep point k: 256 draws
// x = X[c] + ξ from NewDeltaXOR(δ).Dim(100), conditions c = i mod 4, with
// δ = (k mod 11)/10 and seed k/11 + 1.
func sweepTask(k int) (*rep.Task, uint64, error) {
	delta := float64(k%sweepDeltas) / float64(sweepDeltas-1)
	seed := uint64(k/sweepDeltas + 1)
	base, err := rep.NewDeltaXOR(delta).Dim(sweepDim).Seed(seed).Build()
	if err != nil {
		return nil, 0, err
	}
	rng := rand.New(rand.NewPCG(seed, uint64(k)))
	x := mat.NewDense(sweepSamples, sweepDim, nil)
	y := mat.NewDense(sweepSamples, 1, nil)
	l := mat.NewDense(sweepSamples, 2, nil)
	for i := 0; i < sweepSamples; i++ {
		c := i % 4
		for j := 0; j < sweepDim; j++ {
			x.Set(i, j, base.X.At(c, j)+rng.NormFloat64())
		}
		y.Set(i, 0, base.Y.At(c, 0))
		l.SetRow(i, base.Latents.RawRowView(c))
	}
	task, err := rep.NewDataTask(x, y).Latents(l).Build()
	return task, seed, err
}

func sweepNetwork(task *rep.Task, seed uint64) (*rep.Network, error) {
	return rep.NewNetwork(task).Hidden(sweepWidth).Activation(rep.Tanh).Loss(rep.CrossEntropy).
		Readout(rep.ReadoutBinary).ReadoutBias(true).Seed(seed).Build()
}

func writeSweep(d string, nets, epochs, procs int) error {
	m := map[string]any{"P": sweepSamples, "dX": sweepDim, "M": sweepWidth, "lr": sweepLR, "epochs": epochs, "nets": nets, "procs": procs}
	files := map[string][]float64{}
	for k := 0; k < nets; k++ {
		task, seed, err := sweepTask(k)
		if err != nil {
			return err
		}
		net, err := sweepNetwork(task, seed)
		if err != nil {
			return err
		}
		t := make([]float64, sweepSamples)
		for i := range t {
			t[i] = (task.Y.At(i, 0) + 1) / 2
		}
		pre := fmt.Sprintf("net%03d_", k)
		files[pre+"X"] = dense(task.X)
		files[pre+"T"] = t
		files[pre+"W1"] = dense(net.Weights(0))
		files[pre+"b1"] = net.Bias(0)
		files[pre+"w2"] = dense(net.Readout())
		files[pre+"b2"] = net.ReadoutBias()
	}
	return writeFiles(d, m, files)
}

// runChild trains the sweep on workers goroutines, building each point's
// task and network inside its worker, and prints the time, the final
// losses and the process's peak resident memory as JSON.
func runChild(nets, epochs, workers int) {
	losses := make([]float64, nets)
	next := make(chan int)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	t0 := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				task, seed, err := sweepTask(k)
				if err == nil {
					var net *rep.Network
					if net, err = sweepNetwork(task, seed); err == nil {
						var h *rep.History
						if h, err = net.Train(rep.GD(sweepLR).Epochs(epochs).RecordEvery(epochs)); err == nil {
							losses[k] = h.Losses[len(h.Losses)-1]
						}
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for k := 0; k < nets; k++ {
		next <- k
	}
	close(next)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		fmt.Fprintln(os.Stderr, "benchcmp child:", err)
		os.Exit(1)
	}
	json.NewEncoder(os.Stdout).Encode(result{Seconds: time.Since(t0).Seconds(), Losses: losses, PeakRSS: peakRSS()})
}

// peakRSS returns the process's peak resident set size (VmHWM), or 0.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(v), " kB"), &kb)
			return kb << 10
		}
	}
	return 0
}

// ---------------------------------------------------------------- files ---

func dense(m *mat.Dense) []float64 {
	r, c := m.Dims()
	out := make([]float64, 0, r*c)
	for i := 0; i < r; i++ {
		out = append(out, m.RawRowView(i)...)
	}
	return out
}

func writeFiles(d string, meta map[string]any, files map[string][]float64) error {
	if err := os.MkdirAll(d, 0o755); err != nil {
		return err
	}
	b, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(d, "meta.json"), b, 0o644); err != nil {
		return err
	}
	for name, v := range files {
		buf := make([]byte, 8*len(v))
		for i, x := range v {
			binary.LittleEndian.PutUint64(buf[8*i:], math.Float64bits(x))
		}
		if err := os.WriteFile(filepath.Join(d, name), buf, 0o644); err != nil {
			return err
		}
	}
	return nil
}
