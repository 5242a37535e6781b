package rep

import (
	"errors"
	"fmt"
)

// problems records the bad settings a value builder has seen. Appending
// never writes into a slice shared with a fork of the builder.
type problems []error

// add returns p with one more problem, formatted with the "rep: " prefix.
func (p problems) add(format string, args ...any) problems {
	out := make(problems, len(p), len(p)+1)
	copy(out, p)
	return append(out, fmt.Errorf("rep: "+format, args...))
}

// err joins the recorded problems, or returns nil when there are none.
func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return errors.Join(p...)
}
