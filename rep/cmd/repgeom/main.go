// Command repgeom runs repgeom sweeps from the command line: one shard of a
// sweep spec on this machine (which is what every task of a Slurm job array
// runs), a check of a spec, and the merge of a result store into a table.
//
// Usage:
//
//	repgeom sweep run   --spec sweep.json --out DIR [--shard i/N] [--workers K] [--retry-failed] [--quiet]
//	repgeom sweep check --spec sweep.json
//	repgeom sweep merge --spec sweep.json --out DIR [--csv FILE] [--json FILE] [--epochs] [--timing] [--allow-missing]
//	repgeom version
//
// sweep run computes the points of shard i of N (the points whose index is
// i modulo N; default 0/1, the whole sweep) that the result store DIR does
// not hold yet, with K workers (default $SLURM_CPUS_PER_TASK, else one per
// core). A point whose model fails is recorded as failed and does not fail
// the command. SIGINT or SIGTERM (Slurm's time limit) stops it cleanly:
// finished points are kept, and a new run resumes. Exit status: 0 when
// every point of the shard is recorded, 1 on an error, 2 on a usage error,
// 3 when interrupted.
//
// sweep check validates a spec without computing anything and prints the
// number of points. sweep merge reads the store (all shards) and writes the
// results table as CSV and/or JSON (CSV on standard output when no file is
// named); it exits 1 if points are missing unless --allow-missing.
//
// The sweep spec is the JSON form of sweep.Spec; its model must be one
// built into the command (the "rep" model of package sweep).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/repgeom/repgeom/rep"
	"github.com/repgeom/repgeom/rep/sweep"
)

// Exit statuses.
const (
	exitOK          = 0
	exitError       = 1
	exitUsage       = 2
	exitInterrupted = 3
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `usage:
  repgeom sweep run   --spec sweep.json --out DIR [--shard i/N] [--workers K] [--retry-failed] [--quiet]
  repgeom sweep check --spec sweep.json
  repgeom sweep merge --spec sweep.json --out DIR [--csv FILE] [--json FILE] [--epochs] [--timing] [--allow-missing]
  repgeom version
`

// run executes the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 1 && args[0] == "version" {
		fmt.Fprintln(stdout, rep.Version)
		return exitOK
	}
	if len(args) < 2 || args[0] != "sweep" {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[1] {
	case "run":
		return sweepRun(ctx, args[2:], stderr)
	case "check":
		return sweepCheck(args[2:], stdout, stderr)
	case "merge":
		return sweepMerge(args[2:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "repgeom: unknown command %q\n%s", "sweep "+args[1], usage)
	return exitUsage
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("repgeom sweep "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseShard parses "i/N" with 0 ≤ i < N.
func parseShard(s string) (i, n int, err error) {
	a, b, ok := strings.Cut(s, "/")
	if ok {
		i, err = strconv.Atoi(a)
		if err == nil {
			n, err = strconv.Atoi(b)
		}
	}
	if !ok || err != nil || n < 1 || i < 0 || i >= n {
		return 0, 0, fmt.Errorf("--shard %q: want i/N with N ≥ 1 and 0 ≤ i < N", s)
	}
	return i, n, nil
}

// defaultWorkers is $SLURM_CPUS_PER_TASK when set, else one per core.
func defaultWorkers() int {
	if v, err := strconv.Atoi(os.Getenv("SLURM_CPUS_PER_TASK")); err == nil && v >= 1 {
		return v
	}
	return runtime.GOMAXPROCS(0)
}

func sweepRun(ctx context.Context, args []string, stderr io.Writer) int {
	fs := newFlags("run", stderr)
	specPath := fs.String("spec", "", "sweep spec (JSON)")
	out := fs.String("out", "", "result store directory")
	shard := fs.String("shard", "0/1", "shard i/N to run")
	workers := fs.Int("workers", defaultWorkers(), "points computed at once")
	retry := fs.Bool("retry-failed", false, "compute again the points recorded as failed")
	quiet := fs.Bool("quiet", false, "no progress lines")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *specPath == "" || *out == "" || fs.NArg() > 0 {
		fmt.Fprintf(stderr, "repgeom sweep run: --spec and --out are required\n%s", usage)
		return exitUsage
	}
	i, n, err := parseShard(*shard)
	if err != nil {
		fmt.Fprintf(stderr, "repgeom sweep run: %v\n", err)
		return exitUsage
	}
	sw, err := sweep.ReadFile(*specPath)
	if err != nil {
		fmt.Fprintf(stderr, "repgeom sweep run: %v\n", err)
		return exitError
	}
	l := sw.Local().Store(*out).Shard(i, n).Workers(*workers)
	if *retry {
		l = l.RetryFailed()
	}
	if !*quiet {
		l = l.Progress(progressPrinter(stderr, fmt.Sprintf("shard %d/%d", i, n)))
	}
	start := time.Now()
	res, err := l.Run(ctx)
	if res != nil {
		fmt.Fprintf(stderr, "repgeom sweep run: shard %d/%d: %v in %.1fs\n", i, n, res, time.Since(start).Seconds())
		for _, f := range res.Failed() {
			fmt.Fprintf(stderr, "repgeom sweep run: point %d failed: %s\n", f.Index, firstLine(f.Err))
		}
	}
	switch {
	case err != nil && errors.Is(err, context.Canceled):
		fmt.Fprintf(stderr, "repgeom sweep run: interrupted; finished points are in %s, run again to resume\n", *out)
		return exitInterrupted
	case err != nil:
		fmt.Fprintf(stderr, "repgeom sweep run: %v\n", err)
		return exitError
	}
	return exitOK
}

// progressPrinter prints a progress line at most every 2 s, and the last.
func progressPrinter(w io.Writer, label string) func(done, total int) {
	var last time.Time
	return func(done, total int) {
		if done < total && time.Since(last) < 2*time.Second {
			return
		}
		last = time.Now()
		fmt.Fprintf(w, "repgeom sweep run: %s: %d/%d points\n", label, done, total)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func sweepCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", stderr)
	specPath := fs.String("spec", "", "sweep spec (JSON)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *specPath == "" || fs.NArg() > 0 {
		fmt.Fprintf(stderr, "repgeom sweep check: --spec is required\n%s", usage)
		return exitUsage
	}
	sw, err := sweep.ReadFile(*specPath)
	if err != nil {
		fmt.Fprintf(stderr, "repgeom sweep check: %v\n", err)
		return exitError
	}
	fmt.Fprintln(stdout, sw)
	return exitOK
}

func sweepMerge(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("merge", stderr)
	specPath := fs.String("spec", "", "sweep spec (JSON)")
	out := fs.String("out", "", "result store directory")
	csvPath := fs.String("csv", "", "write the table as CSV to this file")
	jsonPath := fs.String("json", "", "write the table as JSON records to this file")
	epochs := fs.Bool("epochs", false, "one row per point and recorded epoch")
	timing := fs.Bool("timing", false, "add the seconds column")
	allowMissing := fs.Bool("allow-missing", false, "do not fail when points are missing")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *specPath == "" || *out == "" || fs.NArg() > 0 {
		fmt.Fprintf(stderr, "repgeom sweep merge: --spec and --out are required\n%s", usage)
		return exitUsage
	}
	sw, err := sweep.ReadFile(*specPath)
	if err != nil {
		fmt.Fprintf(stderr, "repgeom sweep merge: %v\n", err)
		return exitError
	}
	res, err := sw.Load(*out)
	if err != nil {
		fmt.Fprintf(stderr, "repgeom sweep merge: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stderr, "repgeom sweep merge: %v\n", res)
	t := res.TableOf(sweep.TableOptions{Epochs: *epochs, Timing: *timing})
	write := func(path string, f func(io.Writer) error) error {
		file, err := os.Create(path)
		if err != nil {
			return err
		}
		if err := f(file); err != nil {
			file.Close()
			return err
		}
		return file.Close()
	}
	if *csvPath != "" {
		err = write(*csvPath, t.WriteCSV)
	}
	if err == nil && *jsonPath != "" {
		err = write(*jsonPath, t.WriteJSON)
	}
	if err == nil && *csvPath == "" && *jsonPath == "" {
		err = t.WriteCSV(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "repgeom sweep merge: %v\n", err)
		return exitError
	}
	if m := res.Missing(); len(m) > 0 && !*allowMissing {
		fmt.Fprintf(stderr, "repgeom sweep merge: %d points missing (first: %d)\n", len(m), m[0])
		return exitError
	}
	return exitOK
}
