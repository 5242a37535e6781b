package sweep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"sync"
	"time"
)

// Local runs a sweep on this machine with a pool of workers; see
// Sweep.Local. It is a value: every setter returns a modified copy.
type Local struct {
	sw       *Sweep
	workers  int
	dir      string
	shard    int
	shards   int
	progress func(done, total int)
	retry    bool
	errs     []error
}

// Local starts a local run of the sweep. Defaults: one worker per core
// (runtime.GOMAXPROCS), no store (results kept in memory only), the whole
// sweep (Shard(0, 1)), no progress callback.
func (s *Sweep) Local() Local { return Local{sw: s, shards: 1} }

func (l Local) bad(format string, args ...any) Local {
	l.errs = append(l.errs[:len(l.errs):len(l.errs)], fmt.Errorf("sweep: "+format, args...))
	return l
}

// Workers sets the number of points computed at once (n ≥ 1).
func (l Local) Workers(n int) Local {
	if n < 1 {
		return l.bad("Local.Workers(%d): the number of workers must be ≥ 1", n)
	}
	l.workers = n
	return l
}

// Store sets the result store directory (created if needed): every finished
// point is written there at once, and points already there are not computed
// again, so an interrupted run resumes where it stopped. Several shards,
// even on different machines sharing the directory, may use one store.
func (l Local) Store(dir string) Local {
	if dir == "" {
		return l.bad("Local.Store(\"\"): the directory must not be empty")
	}
	l.dir = dir
	return l
}

// Shard restricts the run to shard i of n (0 ≤ i < n): the points whose
// index is i modulo n, so that every shard gets a share of every part of
// the grid.
func (l Local) Shard(i, n int) Local {
	if n < 1 || i < 0 || i >= n {
		return l.bad("Local.Shard(%d, %d): need n ≥ 1 and 0 ≤ i < n", i, n)
	}
	l.shard, l.shards = i, n
	return l
}

// Progress sets a callback told the number of points done (including
// points found in the store) out of the total of the run, once at the start
// and after every point. It is called from Run's goroutine, one call at a
// time.
func (l Local) Progress(f func(done, total int)) Local {
	l.progress = f
	return l
}

// RetryFailed makes the run compute again the points the store holds as
// failed (by default a failed point is finished: a deterministic model fails
// again).
func (l Local) RetryFailed() Local {
	l.retry = true
	return l
}

// Run computes every point of the run not yet in the store and returns the
// results of the run's points, sorted by index. A point whose model fails
// (an error, a divergence, a panic) is recorded as failed and the run goes
// on. When ctx is canceled, Run stops starting points, waits for the points
// being computed, and returns what is finished with ctx's error; points cut
// short are not recorded.
func (l Local) Run(ctx context.Context) (*Results, error) {
	if len(l.errs) > 0 {
		return nil, errors.Join(l.errs...)
	}
	sw := l.sw
	var st *store
	existing := map[string]*Record{}
	if l.dir != "" {
		var err error
		if existing, err = readRecords(l.dir); err != nil {
			return nil, err
		}
	}

	res := &Results{sweep: sw}
	var todo []int
	for i := l.shard; i < sw.Len(); i += l.shards {
		res.want = append(res.want, i)
		key, _ := sw.identity(i)
		rec, ok := existing[key]
		if !ok || (l.retry && rec.Status == StatusFailed) {
			todo = append(todo, i)
			continue
		}
		if err := sw.matches(i, rec, l.dir); err != nil {
			return nil, err
		}
		res.Records = append(res.Records, *rec)
		res.Skipped++
	}
	if l.dir != "" {
		var err error
		if st, err = openStore(l.dir); err != nil {
			return nil, err
		}
		defer st.close()
		if err := st.writeSpec(sw); err != nil {
			return nil, fmt.Errorf("sweep: store: %w", err)
		}
	}
	total, done := len(res.want), res.Skipped
	if l.progress != nil {
		l.progress(done, total)
	}

	workers := l.workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(todo))

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	out := make(chan outcome)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				out <- l.compute(ctx, st, i)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, i := range todo {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(out) }()

	var fatal error
	for o := range out {
		switch {
		case o.err != nil:
			if fatal == nil {
				fatal = o.err
				cancel()
			}
		case o.rec != nil:
			res.Records = append(res.Records, *o.rec)
			res.Computed++
			done++
			if l.progress != nil {
				l.progress(done, total)
			}
		}
	}
	sort.Slice(res.Records, func(a, b int) bool { return res.Records[a].Index < res.Records[b].Index })
	if fatal != nil {
		return res, fatal
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	return res, nil
}

// outcome is what a worker reports for one point: a record, nothing (the
// point was cut short by cancellation), or an error that stops the run.
type outcome struct {
	rec *Record
	err error
}

// matches checks that a stored record is the one point i would compute.
func (s *Sweep) matches(i int, rec *Record, dir string) error {
	_, canon, err := s.config(i)
	if err != nil {
		return fmt.Errorf("sweep: point %d %s: %w", i, s.coordString(i), err)
	}
	if !bytes.Equal(rec.Config, canon) {
		return fmt.Errorf("sweep: store %s: point %d %s was computed with another configuration (stored %s, now %s); use a new store directory",
			dir, i, s.coordString(i), rec.Config, canon)
	}
	rec.Index = i
	return nil
}

// compute runs the model on point i and records the outcome.
func (l Local) compute(ctx context.Context, st *store, i int) outcome {
	if ctx.Err() != nil {
		return outcome{}
	}
	sw := l.sw
	cfg, canon, err := sw.config(i)
	if err != nil {
		return outcome{err: fmt.Errorf("sweep: point %d %s: %w", i, sw.coordString(i), err)}
	}
	p := sw.point(i, canon)
	if st != nil {
		if err := st.logEvent("start", p.Key, i); err != nil {
			return outcome{err: fmt.Errorf("sweep: store log: %w", err)}
		}
	}
	host, _ := os.Hostname()
	start := time.Now()
	result, runErr := safeRun(ctx, sw.model, cfg)
	rec := &Record{
		Index: i, Key: p.Key, Coords: p.Coords, Replicate: p.Replicate, Seed: p.Seed, Config: p.Config,
		Status: StatusOK, Result: result,
		Started: start.UTC(), Seconds: time.Since(start).Seconds(), Host: host, PID: os.Getpid(),
	}
	if runErr != nil && ctx.Err() != nil {
		return outcome{} // cut short: not finished, not recorded
	}
	if runErr == nil {
		runErr = sw.checkResult(&result)
	}
	if runErr != nil {
		rec.Status, rec.Err = StatusFailed, runErr.Error()
	}
	if st != nil {
		if err := st.put(rec); err != nil {
			return outcome{err: err}
		}
		if err := st.logEvent("done", p.Key, i); err != nil {
			return outcome{err: fmt.Errorf("sweep: store log: %w", err)}
		}
	}
	return outcome{rec: rec}
}

// safeRun calls the model, turning a panic into an error.
func safeRun(ctx context.Context, m Model, cfg any) (res Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return m.run(ctx, cfg)
}

// checkResult rejects a result the table could not hold.
func (s *Sweep) checkResult(r *Result) error {
	for name := range r.Metrics {
		if err := s.checkColumnName(name); err != nil {
			return err
		}
	}
	for name, v := range r.Series {
		if err := s.checkColumnName(name); err != nil {
			return err
		}
		if len(v) != len(r.Epochs) {
			return fmt.Errorf("sweep: the model returned series %q of %d values for %d epochs", name, len(v), len(r.Epochs))
		}
	}
	return nil
}

func (s *Sweep) checkColumnName(name string) error {
	if name == "" {
		return fmt.Errorf("sweep: the model returned a metric with an empty name")
	}
	if fixedColumns[name] {
		return fmt.Errorf("sweep: the model returned metric %q, the name of a fixed table column", name)
	}
	for _, a := range s.axes {
		if a.name == name {
			return fmt.Errorf("sweep: the model returned metric %q, the name of an axis", name)
		}
	}
	return nil
}
