// Package sweep runs parameter sweeps — named axes of values × seeds over a
// base configuration — in parallel, deterministically and resumably, on
// this machine or as a Slurm job array, and collects the results as a
// tidy table.
//
// A sweep is data (Spec, JSON): a model name, the model's base
// configuration, axes whose names are paths of JSON field names into it,
// and a number of seeds. The "rep" model (RepModel, RepConfig) builds a
// task and a network of package rep, trains it and measures it (loss,
// parallelism score, CCGP, kernel alignments, participation ratio,
// accuracy); Define makes a model of any Go function.
//
//	cfg := sweep.NewRepConfig(rep.NewRunSpec(task, net, rep.GD(0.05).Epochs(2000)), "ps", "target_alignment")
//	sw, err := sweep.New(sweep.RepModel, cfg).
//		Axis("task.delta", sweep.Linspace(0, 1, 21)).
//		Axis("network.activation.name", []string{"tanh", "relu"}).
//		Seeds(20).Build()
//	res, err := sw.Local().Store("runs/fig2").Progress(bar).Run(ctx)
//	summary, err := res.Table().MeanSD("ps")
//
// # Determinism
//
// Points are enumerated with the first axis slowest and the replicate
// fastest. Each point's seed is a hash of the sweep seed, the point's axis
// names and values and its replicate — never of the schedule — and each
// seed path (by default the model's, e.g. network.seed) receives its own
// seed derived from it. Results are bit-identical whatever the number of
// workers, shards or restarts, and a point keeps its seed when values are
// added to an axis. Seeds are below 2⁵³, exact in JSON and pandas.
//
// # Builders
//
// New returns a value builder (Axis, Seeds, Seed, SeedPaths, Name) whose
// Build validates everything before any work: unknown or empty axes,
// values of the wrong type, duplicate values, and every grid point's
// configuration, which must decode and pass the model's check (for the rep
// model: the task and network build and the metrics exist). Sweep.Local and
// Sweep.Slurm return runner builders ending in Run.
//
// # Result store
//
// With Local.Store(dir) every finished point is written at once, to
// dir/points/<key>.json through a temporary file and a rename, with its
// configuration, result, status and timing; a run on an existing store
// skips the points it holds (checking they were computed with the same
// configuration), so an interrupted sweep — canceled, killed, timed out —
// resumes and no finished point is computed twice. Each process appends
// the points it starts and finishes to its own log (ReadLog). A point whose
// model fails (a diverging training, an error, a panic) is recorded as
// failed with its error, and the sweep goes on.
//
// # Slurm
//
// Sweep.Slurm writes the spec, builds the repgeom command of this module
// (rep/cmd/repgeom; or takes Slurm.Command), submits one sbatch job array
// whose task i runs `repgeom sweep run --spec … --shard i/N --out dir`,
// polls squeue, reads the tasks' exit codes with scontrol (no sacct: that
// needs slurmdbd), and merges the shards, which all write to the one
// store. Failed shards come back as a *SlurmError with their exit code and
// the end of their stderr; Slurm.Only resubmits them.
//
// # Tables
//
// Results.Table has one row per point (Results.EpochTable one per point
// and recorded epoch) with the columns point, the axes, replicate, seed,
// status, the metrics and error (see Table). Table.MeanSD and Summarize
// give mean ± sd over seeds; Floats and Strings feed plots; WriteCSV and
// WriteJSON export for pandas, floats bit-exact.
//
// # Errors
//
// Setters never panic: they record a bad setting and the terminal verb
// (Build, Run) returns every problem at once, each naming the setting and
// the valid range. A model's failure is data (a failed record), not an
// error of Run; Run fails on store I/O errors, a store written by another
// configuration, and cancellation (returning what finished).
//
// # Notebooks
//
// The progress callback (done, total) drives a notebook's progress bar;
// a cell that re-runs a sweep with the same store returns at once, reading
// the stored points. Tables implement String and WriteHTML.
//
// # Concurrency
//
// A Sweep is immutable and safe for concurrent use. Local runs points on a
// pool of goroutines (Workers, default GOMAXPROCS); a model's run function
// is called concurrently and must be safe for that (the rep model is).
// Several processes may share one store.
package sweep
