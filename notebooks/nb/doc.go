// Package nb holds the three small helpers every repgeom notebook uses, so
// that the notebooks stay thin:
//
//   - the size switch at the top of each figure notebook: ChooseSize and Pick
//     select the "quick" settings (CI: fewer seeds, epochs and grid points)
//     or the "paper" ones (the published settings); the environment variable
//     REPGEOM_SIZE overrides the notebook's choice, so CI and headless runs
//     can pick a size without editing the notebook;
//   - Cached, a cache of expensive results keyed by their spec: GoNB re-runs
//     the whole program for every cell, so a plot cell after a training cell
//     would retrain without it;
//   - Claims, the check in the last cell of each figure notebook: it prints
//     every claim with its numbers and makes the cell (and so the headless
//     run) fail when one does not hold.
//
// # Notebooks
//
// A figure notebook starts with
//
//	var size = nb.ChooseSize(nb.Quick) // nb.Paper for the published settings
//
// reads its settings with nb.Pick(size, quick, paper), computes through
// nb.Cached, and ends with
//
//	%%
//	c := nb.NewClaims("wang2025 fig 4")
//	c.Check(ps >= 0.999, "PS after training = %.4f ≥ 0.999", ps)
//	c.Done()
//
// # Errors
//
// Cached returns an error when the computation fails or its result cannot be
// gob-encoded; a cache file that cannot be read is recomputed. Claims.Done
// exits the program with status 1 when a claim failed: that is how a cell
// fails in GoNB.
//
// # Concurrency
//
// Cached may be called from several goroutines for different keys; two
// concurrent calls with the same key both compute, and the last write wins
// (the files are written atomically).
package nb
