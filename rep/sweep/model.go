package sweep

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"sync"
)

// Model is what a sweep computes at each point: it turns one configuration
// (the sweep's base with the point's axis values and seeds applied) into a
// Result. Make one with Define; the "rep" model (RepModel) trains a network
// of package rep and measures it.
//
// A configuration is a Go struct decoded from JSON with unknown fields
// rejected, so an axis name is a path of JSON field names into it
// ("network.l2.0", "train.epochs").
type Model interface {
	// Name returns the name a sweep spec refers to the model by.
	Name() string

	configType() reflect.Type
	check(cfg any) error
	run(ctx context.Context, cfg any) (Result, error)
	defaultSeedPaths() []string
}

// Func is a Model over configurations of type C (a struct); see Define.
// It is a value: every setter returns a modified copy.
type Func[C any] struct {
	name  string
	runF  func(context.Context, *C) (Result, error)
	chkF  func(*C) error
	seeds []string
}

// Define returns a model named name that computes a point by calling run on
// the point's configuration. run must be deterministic: the same
// configuration gives the same Result, bit for bit. An error from run (or a
// panic in it) records the point as failed; an error while ctx is canceled
// leaves it unfinished, to be computed again. Concurrent calls to run must
// be safe: points run in parallel.
func Define[C any](name string, run func(ctx context.Context, cfg *C) (Result, error)) Func[C] {
	return Func[C]{name: name, runF: run}
}

// Check sets the function that says whether a configuration builds, called
// for every grid point when a sweep is built, before any work. It must be
// cheap (build, do not train). Default: every configuration that decodes
// builds.
func (f Func[C]) Check(check func(cfg *C) error) Func[C] {
	f.chkF = check
	return f
}

// SeedPaths sets the configuration fields (JSON paths such as
// "network.seed") that receive a point's derived seeds when a sweep does not
// name its own. Each path gets its own seed, derived from the point seed and
// the path, so that two generators never share a stream.
func (f Func[C]) SeedPaths(paths ...string) Func[C] {
	f.seeds = append([]string(nil), paths...)
	return f
}

// Name returns the model's name.
func (f Func[C]) Name() string { return f.name }

func (f Func[C]) configType() reflect.Type { return reflect.TypeFor[C]() }

func (f Func[C]) check(cfg any) error {
	if f.chkF == nil {
		return nil
	}
	return f.chkF(cfg.(*C))
}

func (f Func[C]) run(ctx context.Context, cfg any) (Result, error) {
	if f.runF == nil {
		return Result{}, fmt.Errorf("sweep: model %q has no run function", f.name)
	}
	return f.runF(ctx, cfg.(*C))
}

func (f Func[C]) defaultSeedPaths() []string { return f.seeds }

// Result is what a model measured at one point.
type Result struct {
	// Metrics holds the final scalar measurements, by name. Names must not
	// clash with the table's fixed columns or the sweep's axis names.
	Metrics map[string]float64
	// Epochs holds the epochs at which Series were recorded, if any.
	Epochs []int
	// Series holds per-epoch measurements, each as long as Epochs.
	Series map[string][]float64
}

var registry = struct {
	sync.Mutex
	m map[string]Model
}{m: map[string]Model{}}

// Register makes m available by name to sweep specs read from JSON (Open,
// Read, ReadFile) and so to the repgeom command. It returns an error if the
// name is empty or taken.
func Register(m Model) error {
	if m == nil || m.Name() == "" {
		return fmt.Errorf("sweep: Register: a model needs a non-empty name")
	}
	if m.configType().Kind() != reflect.Struct {
		return fmt.Errorf("sweep: Register(%q): the configuration type %v must be a struct", m.Name(), m.configType())
	}
	registry.Lock()
	defer registry.Unlock()
	if _, ok := registry.m[m.Name()]; ok {
		return fmt.Errorf("sweep: Register(%q): a model of that name is already registered", m.Name())
	}
	registry.m[m.Name()] = m
	return nil
}

// Lookup returns the registered model of that name.
func Lookup(name string) (Model, bool) {
	registry.Lock()
	defer registry.Unlock()
	m, ok := registry.m[name]
	return m, ok
}

// Models returns the names of the registered models, sorted.
func Models() []string {
	registry.Lock()
	defer registry.Unlock()
	names := make([]string, 0, len(registry.m))
	for n := range registry.m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
