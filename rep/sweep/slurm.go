package sweep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Slurm runs a sweep as a Slurm job array; see Sweep.Slurm. It is a value:
// every setter returns a modified copy.
//
// Run writes the spec into the directory, builds the repgeom command of
// this module into it (or uses Command), submits
//
//	sbatch --array=0-(N−1) … job.sh
//
// whose task i runs `repgeom sweep run --spec DIR/sweep.json --shard i/N
// --out DIR`, waits by polling squeue (no sacct: it needs slurmdbd), reads
// each task's state and exit code with scontrol (and the exit status the
// job script writes, for tasks scontrol has forgotten), and merges the
// shards by loading the store. DIR must be on a file system the compute
// nodes share. Shards that failed are reported in a *SlurmError; since
// the store keeps every finished point, resubmitting them (Only) computes
// only what is missing.
type Slurm struct {
	sw        *Sweep
	dir       string
	tasks     int
	partition string
	limit     string
	cpus      int
	flags     []string
	command   string
	poll      time.Duration
	only      []int
	progress  func(done, total int)
	errs      []error
}

// Slurm starts a Slurm run of the sweep with its store and job files in dir.
// Defaults: Tasks(1), CPUs(1), the cluster's default partition and time
// limit, polling every 2 s, the repgeom command built from this module.
func (s *Sweep) Slurm(dir string) Slurm {
	r := Slurm{sw: s, dir: dir, tasks: 1, cpus: 1, poll: 2 * time.Second}
	if dir == "" {
		r = r.bad("Sweep.Slurm(\"\"): the directory must not be empty")
	}
	return r
}

func (r Slurm) bad(format string, args ...any) Slurm {
	r.errs = append(r.errs[:len(r.errs):len(r.errs)], fmt.Errorf("sweep: "+format, args...))
	return r
}

// Tasks sets N, the number of array tasks (shards), 1 ≤ N ≤ the number of
// points. Shard i computes the points whose index is i modulo N.
func (r Slurm) Tasks(n int) Slurm {
	if n < 1 || n > r.sw.Len() {
		return r.bad("Slurm.Tasks(%d): the number of tasks must be in [1, %d] (the number of points)", n, r.sw.Len())
	}
	r.tasks = n
	return r
}

// Partition sets the partition (sbatch --partition).
func (r Slurm) Partition(p string) Slurm {
	r.partition = p
	return r
}

// Time sets the time limit of each task (sbatch --time, e.g. "01:30:00").
// A task that reaches it stops cleanly, keeping its finished points.
func (r Slurm) Time(limit string) Slurm {
	r.limit = limit
	return r
}

// CPUs sets the CPUs of each task (sbatch --cpus-per-task, n ≥ 1); each
// task computes that many points at once.
func (r Slurm) CPUs(n int) Slurm {
	if n < 1 {
		return r.bad("Slurm.CPUs(%d): the number of CPUs must be ≥ 1", n)
	}
	r.cpus = n
	return r
}

// Flags adds sbatch flags, e.g. "--mem=2G", "--account=lab", "--qos=short".
func (r Slurm) Flags(flags ...string) Slurm {
	r.flags = append(r.flags[:len(r.flags):len(r.flags)], flags...)
	return r
}

// Command sets the program each task runs instead of building repgeom: a
// repgeom binary (or a wrapper that executes one) reachable from the
// compute nodes. It must accept the arguments of `repgeom sweep run`.
func (r Slurm) Command(path string) Slurm {
	if path == "" {
		return r.bad("Slurm.Command(\"\"): the path must not be empty")
	}
	r.command = path
	return r
}

// Poll sets the interval between squeue polls (d ≥ 10 ms).
func (r Slurm) Poll(d time.Duration) Slurm {
	if d < 10*time.Millisecond {
		return r.bad("Slurm.Poll(%v): the interval must be ≥ 10ms", d)
	}
	r.poll = d
	return r
}

// Only submits just these shards (array indices in [0, Tasks)), to
// resubmit the shards a SlurmError reported. Tasks must be the same as in
// the first submission.
func (r Slurm) Only(shards ...int) Slurm {
	r.only = append([]int(nil), shards...)
	return r
}

// Progress sets a callback told, after every poll, the number of the
// submitted shards' points in the store out of their total.
func (r Slurm) Progress(f func(done, total int)) Slurm {
	r.progress = f
	return r
}

// ShardFailure describes one array task that did not complete.
type ShardFailure struct {
	Shard int
	// State is Slurm's job state (FAILED, TIMEOUT, CANCELLED, OUT_OF_MEMORY,
	// NODE_FAIL, …), or UNKNOWN when Slurm no longer knows the task and it
	// left no exit status.
	State string
	// ExitCode is the task's exit code, and Signal the signal that ended it
	// (0 if none).
	ExitCode, Signal int
	// StderrTail holds the end of the task's standard error, read from
	// StderrPath.
	StderrTail string
	StderrPath string
}

// SlurmError reports the shards of a job array that failed.
type SlurmError struct {
	JobID  string
	Tasks  int
	Failed []ShardFailure
}

// Error lists every failed shard with its state, exit code and the last
// lines of its standard error.
func (e *SlurmError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sweep: Slurm job %s: %d of %d shards failed (resubmit with Slurm.Only(%s))", e.JobID, len(e.Failed), e.Tasks, joinShards(e.Shards()))
	for _, f := range e.Failed {
		fmt.Fprintf(&b, "\n  shard %d: %s, exit code %d", f.Shard, f.State, f.ExitCode)
		if f.Signal != 0 {
			fmt.Fprintf(&b, ", signal %d", f.Signal)
		}
		if f.StderrTail != "" {
			fmt.Fprintf(&b, "; stderr (%s) ends:\n    %s", f.StderrPath, strings.ReplaceAll(strings.TrimRight(f.StderrTail, "\n"), "\n", "\n    "))
		}
	}
	return b.String()
}

// Shards returns the indices of the failed shards.
func (e *SlurmError) Shards() []int {
	out := make([]int, len(e.Failed))
	for i, f := range e.Failed {
		out[i] = f.Shard
	}
	return out
}

func joinShards(s []int) string {
	parts := make([]string, len(s))
	for i, v := range s {
		parts[i] = strconv.Itoa(v)
	}
	return strings.Join(parts, ", ")
}

// Run submits the job array, waits for it and returns the merged results
// of the whole sweep (Results.Missing lists what no shard finished). When
// shards fail, the error is a *SlurmError. Canceling ctx cancels the job
// (scancel).
func (r Slurm) Run(ctx context.Context) (*Results, error) {
	if len(r.errs) > 0 {
		return nil, errors.Join(r.errs...)
	}
	shards := r.only
	if len(shards) == 0 {
		for i := 0; i < r.tasks; i++ {
			shards = append(shards, i)
		}
	}
	for _, s := range shards {
		if s < 0 || s >= r.tasks {
			return nil, fmt.Errorf("sweep: Slurm.Only(%d): shards must be in [0, %d)", s, r.tasks)
		}
	}
	dir, err := filepath.Abs(r.dir)
	if err != nil {
		return nil, fmt.Errorf("sweep: Slurm: %w", err)
	}
	jobDir := filepath.Join(dir, "slurm")
	if err := os.MkdirAll(jobDir, 0o755); err != nil {
		return nil, fmt.Errorf("sweep: Slurm: %w", err)
	}
	if err := writeSpecFile(dir, r.sw); err != nil {
		return nil, fmt.Errorf("sweep: Slurm: writing the spec: %w", err)
	}
	specPath := filepath.Join(dir, specFile)

	command := r.command
	if command == "" {
		if command, err = BuildCommand(ctx, filepath.Join(dir, "repgeom")); err != nil {
			return nil, err
		}
	} else if command, err = filepath.Abs(command); err != nil {
		return nil, fmt.Errorf("sweep: Slurm: %w", err)
	}
	// The command must know the model and accept the spec.
	if out, err := exec.CommandContext(ctx, command, "sweep", "check", "--spec", specPath).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("sweep: Slurm: %s sweep check failed (%v): %s", command, err, strings.TrimSpace(string(out)))
	}

	script := filepath.Join(jobDir, "job.sh")
	if err := writeFileAtomic(script, []byte(jobScript(command, specPath, dir, jobDir, r.tasks, r.cpus))); err != nil {
		return nil, fmt.Errorf("sweep: Slurm: %w", err)
	}
	for _, s := range shards {
		os.Remove(rcPath(jobDir, s))
	}
	name := "repgeom"
	if r.sw.spec.Name != "" {
		name += "-" + r.sw.spec.Name
	}
	args := []string{"--parsable", "--array=" + arraySpec(shards, r.tasks), "--job-name=" + name,
		"--chdir=" + dir, "--output=" + filepath.Join(jobDir, "shard-%a.out"), "--error=" + filepath.Join(jobDir, "shard-%a.err"),
		"--cpus-per-task=" + strconv.Itoa(r.cpus)}
	if r.partition != "" {
		args = append(args, "--partition="+r.partition)
	}
	if r.limit != "" {
		args = append(args, "--time="+r.limit)
	}
	args = append(args, r.flags...)
	args = append(args, script)
	out, err := slurmCmd(ctx, "sbatch", args...)
	if err != nil {
		return nil, err
	}
	jobID, _, _ := strings.Cut(strings.TrimSpace(out), ";")
	if jobID == "" {
		return nil, fmt.Errorf("sweep: Slurm: sbatch printed no job id")
	}

	if err := r.wait(ctx, jobID, dir, shards); err != nil {
		return nil, err
	}
	failed, err := shardStates(ctx, jobID, jobDir, shards)
	if err != nil {
		return nil, err
	}
	res, err := r.sw.Load(dir)
	if err != nil {
		return nil, err
	}
	if len(failed) > 0 {
		return res, &SlurmError{JobID: jobID, Tasks: r.tasks, Failed: failed}
	}
	return res, nil
}

// BuildCommand builds the repgeom command of this module into path with
// the go tool, from the module's source (found beside this package's
// source file), and returns path. It is what Slurm.Run does unless
// Slurm.Command is set.
func BuildCommand(ctx context.Context, path string) (string, error) {
	_, file, _, ok := runtime.Caller(0)
	root := filepath.Dir(filepath.Dir(filepath.Dir(file)))
	if !ok || !isModuleRoot(root) {
		return "", fmt.Errorf("sweep: cannot find the source of module github.com/repgeom/repgeom to build repgeom (looked in %s); set Slurm.Command to a repgeom binary", root)
	}
	gotool, err := exec.LookPath("go")
	if err != nil {
		gotool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	cmd := exec.CommandContext(ctx, gotool, "build", "-o", path, "./rep/cmd/repgeom")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("sweep: building repgeom in %s: %v: %s", root, err, strings.TrimSpace(string(out)))
	}
	return path, nil
}

func isModuleRoot(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	return err == nil && bytes.Contains(b, []byte("module github.com/repgeom/repgeom\n"))
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func rcPath(jobDir string, shard int) string {
	return filepath.Join(jobDir, fmt.Sprintf("shard-%d.rc", shard))
}

// jobScript is the batch script of every array task: run the shard, then
// record its exit status (scontrol forgets finished jobs after MinJobAge).
func jobScript(command, spec, dir, jobDir string, tasks, cpus int) string {
	return fmt.Sprintf(`#!/bin/sh
# One shard of a repgeom sweep; written by package sweep (Slurm.Run).
shard="${SLURM_ARRAY_TASK_ID:?not run as a Slurm array task}"
%s sweep run --spec %s --out %s --shard "$shard/%d" --workers %d
rc=$?
echo "$rc" > %s/shard-"$shard".rc
exit "$rc"
`, shellQuote(command), shellQuote(spec), shellQuote(dir), tasks, cpus, shellQuote(jobDir))
}

// arraySpec is the --array value: 0-(N−1), or the listed shards.
func arraySpec(shards []int, tasks int) string {
	if len(shards) == tasks {
		return fmt.Sprintf("0-%d", tasks-1)
	}
	return joinShards(shards)
}

// slurmCmd runs a Slurm client and returns its standard output.
func slurmCmd(ctx context.Context, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("sweep: %s %s: %v: %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// wait polls squeue until no task of the job is pending or running.
func (r Slurm) wait(ctx context.Context, jobID, dir string, shards []int) error {
	keys := map[string]bool{}
	for _, s := range shards {
		for i := s; i < r.sw.Len(); i += r.tasks {
			k, _ := r.sw.identity(i)
			keys[k+".json"] = true
		}
	}
	failures := 0
	tick := time.NewTicker(r.poll)
	defer tick.Stop()
	for {
		if r.progress != nil {
			entries, _ := os.ReadDir(filepath.Join(dir, pointsDir))
			done := 0
			for _, e := range entries {
				if keys[e.Name()] {
					done++
				}
			}
			r.progress(done, len(keys))
		}
		select {
		case <-ctx.Done():
			slurmCmd(context.Background(), "scancel", jobID)
			return ctx.Err()
		case <-tick.C:
		}
		out, err := slurmCmd(ctx, "squeue", "-h", "-r", "-j", jobID, "-o", "%i %T")
		if err != nil {
			if strings.Contains(err.Error(), "Invalid job id") {
				return nil // purged: finished
			}
			if ctx.Err() != nil {
				continue
			}
			if failures++; failures >= 10 {
				return err
			}
			continue
		}
		failures = 0
		if strings.TrimSpace(out) == "" {
			return nil
		}
	}
}

var scontrolField = regexp.MustCompile(`(\w+)=(\S*)`)

// shardStates reads every task's final state: from scontrol while Slurm
// remembers the job, else from the exit status the job script wrote.
func shardStates(ctx context.Context, jobID, jobDir string, shards []int) ([]ShardFailure, error) {
	type state struct {
		name     string
		code, sg int
	}
	known := map[int]state{}
	if out, err := slurmCmd(ctx, "scontrol", "show", "job", "-o", jobID); err == nil {
		for _, line := range strings.Split(out, "\n") {
			f := map[string]string{}
			for _, m := range scontrolField.FindAllStringSubmatch(line, -1) {
				if _, dup := f[m[1]]; !dup {
					f[m[1]] = m[2]
				}
			}
			task, err := strconv.Atoi(f["ArrayTaskId"])
			if err != nil {
				continue
			}
			st := state{name: f["JobState"]}
			c, s, _ := strings.Cut(f["ExitCode"], ":")
			st.code, _ = strconv.Atoi(c)
			st.sg, _ = strconv.Atoi(s)
			known[task] = st
		}
	}
	var failed []ShardFailure
	for _, s := range shards {
		st, ok := known[s]
		if !ok {
			st = state{name: "UNKNOWN", code: -1}
			if b, err := os.ReadFile(rcPath(jobDir, s)); err == nil {
				if c, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
					st = state{name: "COMPLETED", code: c}
					if c != 0 {
						st.name = "FAILED"
					}
				}
			}
		}
		if st.name == "COMPLETED" && st.code == 0 && st.sg == 0 {
			continue
		}
		errPath := filepath.Join(jobDir, fmt.Sprintf("shard-%d.err", s))
		failed = append(failed, ShardFailure{Shard: s, State: st.name, ExitCode: st.code, Signal: st.sg,
			StderrTail: tail(errPath, 10, 2000), StderrPath: errPath})
	}
	return failed, nil
}

// tail returns the last lines (at most n, and at most max bytes) of a file.
func tail(path string, n, max int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	if len(b) > max {
		b = b[len(b)-max:]
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
