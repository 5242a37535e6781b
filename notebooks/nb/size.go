package nb

import (
	"fmt"
	"os"
)

// Size selects a notebook's settings: Quick (the default in CI) or Paper.
type Size string

// The two sizes of a figure notebook.
const (
	// Quick uses fewer seeds, epochs and grid points: under about two
	// minutes per notebook on two cores.
	Quick Size = "quick"
	// Paper uses the published settings.
	Paper Size = "paper"
)

// SizeEnv is the environment variable that overrides a notebook's size.
const SizeEnv = "REPGEOM_SIZE"

// ChooseSize returns the size given by the environment variable REPGEOM_SIZE
// when it is set, and def otherwise. It panics with a message naming the
// valid values when either is neither "quick" nor "paper": a notebook cell
// then fails at once instead of running the wrong settings.
func ChooseSize(def Size) Size {
	s, err := sizeFrom(os.Getenv(SizeEnv), def)
	if err != nil {
		panic(err)
	}
	return s
}

func sizeFrom(env string, def Size) (Size, error) {
	if env != "" {
		s := Size(env)
		if !s.valid() {
			return "", fmt.Errorf("nb: %s=%q: must be %q or %q", SizeEnv, env, Quick, Paper)
		}
		return s, nil
	}
	if !def.valid() {
		return "", fmt.Errorf("nb: ChooseSize(%q): must be %q or %q", def, Quick, Paper)
	}
	return def, nil
}

func (s Size) valid() bool { return s == Quick || s == Paper }

// Pick returns quick when s is Quick and paper otherwise.
func Pick[T any](s Size, quick, paper T) T {
	if s == Quick {
		return quick
	}
	return paper
}
