// Package rng is the one source of random numbers of repgeom: every draw of
// the library comes from a generator made here from a caller's seed, so that
// the same seed gives the same numbers on every machine and Go version that
// keeps math/rand/v2's PCG and its distributions.
//
// # Invariants
//
//   - New(seed) is a pure function of seed: two generators made from the
//     same seed produce the same sequence.
//   - Stream(seed, i) gives independent-looking generators for parallel work
//     (one per worker, null draw, restart…): the numbers drawn for item i do
//     not depend on how many goroutines run or in which order they finish.
//   - The constants below are part of the output: changing one changes every
//     seeded result of the library, so they never change within a version.
package rng

import "math/rand/v2"

// increment is PCG's stream selector for New (the golden-ratio constant
// used since the first version; part of every seeded result).
const increment = 0x9e3779b97f4a7c15

// New returns a PCG generator seeded by seed.
func New(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, increment))
}

// Stream returns the generator of item i of a parallel computation seeded
// by seed. Items get distinct PCG states derived by a SplitMix64 step, so
// item i's numbers are the same whichever goroutine draws them.
func Stream(seed, i uint64) *rand.Rand {
	return rand.New(rand.NewPCG(splitmix(seed^splitmix(i+1)), increment))
}

// splitmix is one SplitMix64 output step: a bijective mix of x.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
