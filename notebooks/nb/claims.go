package nb

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// Claims checks a paper's claims on a notebook's own numbers. Each Check
// prints one line, "✓ claim" or "✗ claim", with the numbers it was judged on;
// Done fails the cell when any claim failed. The zero value is not usable:
// use NewClaims.
type Claims struct {
	figure string
	w      io.Writer
	n      int
	failed []string
}

// NewClaims returns an empty set of claims about figure (e.g. "wang2025 fig
// 4"), printing to standard output.
func NewClaims(figure string) *Claims {
	return &Claims{figure: figure, w: os.Stdout}
}

// Check records the claim described by format and args (write the numbers
// into it: "PS = %.4f ≥ 0.999") and whether it holds, and prints it.
func (c *Claims) Check(ok bool, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	c.n++
	mark := "✓"
	if !ok {
		mark = "✗"
		c.failed = append(c.failed, msg)
	}
	fmt.Fprintf(c.w, "%s %s\n", mark, msg)
}

// Err returns nil when every claim held (and at least one was checked), and
// otherwise an error listing the failed claims.
func (c *Claims) Err() error {
	if c.n == 0 {
		return fmt.Errorf("nb: %s: no claim was checked", c.figure)
	}
	if len(c.failed) == 0 {
		return nil
	}
	return fmt.Errorf("CLAIM FAILED: %s: %d of %d claims do not hold:\n  %s",
		c.figure, len(c.failed), c.n, strings.Join(c.failed, "\n  "))
}

// Done prints a summary. When a claim failed (or none was checked) it writes
// the failures to standard error and exits the program with status 1, which
// fails the notebook cell and so the headless run of the notebook.
func (c *Claims) Done() {
	if err := c.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Fprintf(c.w, "%s: all %d claims hold\n", c.figure, c.n)
}

// Must panics if err is not nil. It is for notebook cells calling functions
// that return only an error, like plotting.Show: nb.Must(plotting.Show(fig)).
func Must(err error) {
	if err != nil {
		panic(err)
	}
}
