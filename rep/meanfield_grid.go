package rep

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
)

// MeanFieldGrid is a sweep of mean-field solves over every combination of
// regularization, input–output alignment and activation. Points run in
// parallel; each has its own seed, derived from the base seed and the
// point's index, so the results do not depend on scheduling or on
// Workers.
type MeanFieldGrid struct {
	// Base holds the settings shared by every point (method, tolerance,
	// seed, …); its task is replaced by Task(alignment).
	Base MeanFieldBuilder
	// Task builds the task of one alignment value, e.g.
	// func(a float64) (*rep.Task, error) { return rep.NewTask(2).TargetAligned(a).Build() }.
	Task func(alignment float64) (*Task, error)
	// Lambdas are the (λ₁, λ₂) pairs; nil means Base's.
	Lambdas [][2]float64
	// Alignments are the values passed to Task; nil means {0}.
	Alignments []float64
	// Activations; nil means Base's.
	Activations []Activation
	// Workers is the number of concurrent solves (≤ 0: GOMAXPROCS).
	Workers int
}

// GridPoint is one solve of a grid: its coordinates and its solution (or
// the error that prevented it).
type GridPoint struct {
	Index      int
	L1, L2     float64
	Alignment  float64
	Activation Activation
	// InputOutputAlignment is the task's centered alignment C(XXᵀ, K_Y)
	// (Task.InputOutputAlignment), NaN if the task failed.
	InputOutputAlignment float64
	Solution             *Solution
	Err                  error
}

// Solve runs the grid. Points are ordered λ-major, then alignment, then
// activation. It returns an error only for a malformed grid (no Task
// function); the error of a single point is in its Err.
func (g MeanFieldGrid) Solve(ctx context.Context) ([]GridPoint, error) {
	if g.Task == nil {
		return nil, fmt.Errorf("rep: MeanFieldGrid.Solve: Task must be set")
	}
	lams := g.Lambdas
	if len(lams) == 0 {
		lams = [][2]float64{{g.Base.l1, g.Base.l2}}
	}
	aligns := g.Alignments
	if len(aligns) == 0 {
		aligns = []float64{0}
	}
	acts := g.Activations
	if len(acts) == 0 {
		acts = []Activation{g.Base.act}
	}
	var pts []GridPoint
	for _, l := range lams {
		for _, a := range aligns {
			for _, act := range acts {
				pts = append(pts, GridPoint{Index: len(pts), L1: l[0], L2: l[1], Alignment: a, Activation: act, InputOutputAlignment: math.NaN()})
			}
		}
	}
	workers := g.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				pt := &pts[i]
				task, err := g.Task(pt.Alignment)
				if err != nil {
					pt.Err = fmt.Errorf("rep: MeanFieldGrid: task for alignment %g: %w", pt.Alignment, err)
					continue
				}
				pt.InputOutputAlignment = task.InputOutputAlignment()
				b := g.Base
				b.task, b.fromTask, b.kx, b.ky = task, true, nil, nil
				b = b.Activation(pt.Activation).L2(pt.L1, pt.L2).Seed(mfSplitSeed(g.Base.seed, uint64(i)))
				pt.Solution, pt.Err = b.SolveContext(ctx)
			}
		}()
	}
	for i := range pts {
		if ctx.Err() != nil {
			pts[i].Err = ctx.Err()
			continue
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return pts, nil
}

// mfSplitSeed derives the seed of grid point i (SplitMix64 finalizer).
func mfSplitSeed(seed, i uint64) uint64 {
	z := seed + 0x9e3779b97f4a7c15*(i+1)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
