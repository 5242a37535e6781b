// Package rep builds latent-variable tasks, trains neural networks on them,
// solves the mean-field problem of Wang, Johnston & Fusi (2025), and measures
// the geometry of the learned representations (parallelism score, CCGP,
// kernel alignment, participation ratio, decoding) as in Alleman, Lindsey &
// Fusi (2024).
//
// Matrices follow one convention everywhere: rows are stimuli. A task with P
// stimuli has an input matrix X (P×dX), a target matrix Y (P×dY, entries ±1)
// and a latent-label matrix (P×dL, entries ±1); a hidden layer of width M
// gives a P×M representation.
//
// # What is here
//
//   - Tasks: NewTask (paper A's binary latent tasks: whitened, target-aligned,
//     anisotropic, multi-element classes, random input kernels),
//     NewClusterTask and NewDeltaXOR (paper B's four-cluster tasks),
//     NewRandomKernelTask (paper B's tasks of prescribed input–output
//     alignment), NewDataTask (your own matrices).
//   - Networks: NewNetwork (any depth, any Activation, Elman recurrent,
//     squared error or cross-entropy, trained, frozen or ±1 readouts) and
//     their training, GD or SGD with momentum, RMSprop or Adam, recorded in
//     a History.
//   - Metrics, plain functions on matrices: ParallelismScore,
//     ParallelismScoreDichotomy, CCGP, CCGPDichotomy, DecodeAccuracy,
//     KernelAlignment, ParticipationRatio, PCA, Modularity, FitScale, and
//     the LinearSVM behind the decoders.
//   - Mean field: NewMeanField (or NewMeanFieldKernels for raw K_X, K_Y)
//     solves paper A's convex problem over the distribution of hidden
//     preactivations, E[ρ] = λ1∫hᵀK_X†h dρ + tr(λ2(λ2I + K[ρ])⁻¹K_Y), by
//     column generation with exact pricing (a certified global optimum for
//     ReLU and Linear up to P = 16) or multi-start pricing (a search,
//     reported as such) for other activations; the Solution carries its
//     kernel, energy, KKT certificate, atoms and the equivalent network.
//     The Theory… functions give the papers' closed forms (DIGEST §A5),
//     each with an error when its conditions do not hold.
//   - RunSpec: a whole run as JSON.
//
// # Builders
//
// Tasks, networks, trainings and mean-field solves are configured with value
// builders: chained setters ending in a terminal verb (Build, Train, Solve)
// that returns the result and an error. A value builder forks safely:
//
//	base := rep.NewNetwork(task).Hidden(512).L2(1e-2, 1e-2)
//	relu := base.Activation(rep.ReLU)
//	tanh := base.Activation(rep.Tanh) // relu is unchanged
//
// Every builder's settings round-trip through JSON as a spec, so a run can be
// saved beside its results and re-run from the file.
//
// # Errors
//
// Setters never panic. They record a bad setting, and the terminal verb
// returns every recorded problem at once (errors.Join), each naming the
// setter, the value and the valid range. Metric functions are plain
// functions on matrices; they panic only on programmer errors visible in the
// code (mismatched row counts), as documented on each.
//
// # Notebooks
//
// Must turns a (value, error) pair into the value, panicking on error; it is
// meant for notebook cells, examples and tests, never for library code.
//
// # Concurrency
//
// Results are deterministic per seed: every random draw comes from a
// generator seeded by the builder's seed, and training runs single-threaded
// so that GOMAXPROCS does not change a single bit. Independent networks may
// be trained concurrently from separate goroutines.
package rep
