package sweep

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"

	"github.com/repgeom/repgeom/rep"
)

// Spec is a sweep as data: a model, its base configuration, named axes of
// values and a number of seeds. It round-trips through JSON; Open rebuilds
// the sweep from it (the model must be registered), which is how a shard
// runs on a cluster node.
type Spec struct {
	Version string `json:"version"`
	// Name labels the sweep (job names, progress lines); optional.
	Name string `json:"name,omitempty"`
	// Model names the registered model that computes each point.
	Model string `json:"model"`
	// Seed is the sweep seed every point seed derives from.
	Seed uint64 `json:"seed"`
	// Seeds is the number of replicates of each grid point (≥ 1).
	Seeds int `json:"seeds"`
	// SeedPaths are the configuration fields that receive derived seeds;
	// empty means the model's default.
	SeedPaths []string `json:"seedPaths,omitempty"`
	// Axes are varied over their full Cartesian product, the first axis
	// slowest.
	Axes []Axis `json:"axes"`
	// Base is the model's configuration every point starts from.
	Base json.RawMessage `json:"base"`
}

// Axis is one named list of values. Its name is a path of JSON field names
// into the configuration ("task.perClass", "network.l2.0",
// "network.activation.name"); its values are JSON values of the field's
// type.
type Axis struct {
	Name   string            `json:"name"`
	Values []json.RawMessage `json:"values"`
}

// Builder configures a sweep; see New. It is a value: every setter returns
// a modified copy, so a builder forks safely.
type Builder struct {
	model Model
	spec  Spec
	errs  []error
}

// New starts a sweep of model m over the base configuration base (a value
// of the model's configuration type, or anything that encodes to the same
// JSON). Defaults: no axes, Seeds(1), Seed(1), the model's seed paths.
func New(m Model, base any) Builder {
	b := Builder{model: m, spec: Spec{Version: rep.Version, Seeds: 1, Seed: 1}}
	if m == nil {
		b.errs = append(b.errs, errors.New("sweep: New(nil, …): the model must not be nil"))
		return b
	}
	b.spec.Model = m.Name()
	raw, err := json.Marshal(base)
	if err != nil {
		b.errs = append(b.errs, fmt.Errorf("sweep: New(%q, …): the base configuration does not encode to JSON: %w", m.Name(), err))
	}
	b.spec.Base = raw
	return b
}

// Name sets the sweep's label.
func (b Builder) Name(name string) Builder {
	b.spec.Name = name
	return b
}

// Axis adds an axis: name is a path into the configuration, values a slice
// or array of values of that field's type (for instance []float64,
// []string, []rep.Activation, Linspace(0, 1, 21)). Values must be distinct.
func (b Builder) Axis(name string, values any) Builder {
	v := reflect.ValueOf(values)
	if !v.IsValid() || (v.Kind() != reflect.Slice && v.Kind() != reflect.Array) {
		b.errs = append(b.errs[:len(b.errs):len(b.errs)], fmt.Errorf("sweep: Builder.Axis(%q, %T): values must be a slice or an array", name, values))
		return b
	}
	ax := Axis{Name: name, Values: make([]json.RawMessage, 0, v.Len())}
	for i := 0; i < v.Len(); i++ {
		raw, err := json.Marshal(v.Index(i).Interface())
		if err != nil {
			b.errs = append(b.errs[:len(b.errs):len(b.errs)], fmt.Errorf("sweep: Builder.Axis(%q): value %d does not encode to JSON: %w", name, i, err))
			continue
		}
		ax.Values = append(ax.Values, raw)
	}
	b.spec.Axes = append(b.spec.Axes[:len(b.spec.Axes):len(b.spec.Axes)], ax)
	return b
}

// Seeds sets the number of replicates of every grid point (n ≥ 1), each
// with its own derived seeds.
func (b Builder) Seeds(n int) Builder {
	b.spec.Seeds = n
	return b
}

// Seed sets the sweep seed.
func (b Builder) Seed(s uint64) Builder {
	b.spec.Seed = s
	return b
}

// SeedPaths sets the integer configuration fields that receive derived
// seeds, replacing the model's default (for instance add "task.seed" to draw
// a new task for every replicate).
func (b Builder) SeedPaths(paths ...string) Builder {
	b.spec.SeedPaths = append([]string(nil), paths...)
	return b
}

// Spec returns the builder's settings as data.
func (b Builder) Spec() Spec { return b.spec }

// Build validates the sweep — every axis, every value and every grid
// point's configuration — and returns it, or every problem found. No point
// is computed.
func (b Builder) Build() (*Sweep, error) {
	if len(b.errs) > 0 {
		return nil, errors.Join(b.errs...)
	}
	return plan(b.model, b.spec)
}

// Open validates a spec read from data; its model must be registered.
func Open(s Spec) (*Sweep, error) {
	m, ok := Lookup(s.Model)
	if !ok {
		return nil, fmt.Errorf("sweep: Spec.Model = %q: no such model (registered: %s)", s.Model, strings.Join(Models(), ", "))
	}
	return plan(m, s)
}

// Read decodes a JSON spec (unknown fields rejected) and opens it.
func Read(r io.Reader) (*Sweep, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("sweep: reading spec: %w", err)
	}
	var s Spec
	if err := decodeStrict(b, &s); err != nil {
		return nil, fmt.Errorf("sweep: decoding spec: %w", err)
	}
	return Open(s)
}

// ReadFile reads a JSON spec from a file and opens it.
func ReadFile(path string) (*Sweep, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	defer f.Close()
	sw, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, path)
	}
	return sw, nil
}

// maxPoints bounds the size of a sweep.
const maxPoints = 1 << 26

// maxCheckErrors bounds the number of failing grid points reported.
const maxCheckErrors = 8

// Sweep is a validated sweep: every point's configuration is known to build.
// Run it with Local or Slurm; read a result store with Load. A Sweep is
// immutable and safe for concurrent use.
type Sweep struct {
	spec      Spec
	model     Model
	base      []byte // canonical base configuration
	axes      []plannedAxis
	seedPaths []target
	grid      int
}

type plannedAxis struct {
	name   string
	target target
	values []json.RawMessage // canonical
	trees  []any
}

// plan validates a spec against its model.
func plan(m Model, s Spec) (*Sweep, error) {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf("sweep: "+format, args...)) }

	if s.Seeds < 1 {
		bad("Seeds(%d): the number of seeds must be ≥ 1", s.Seeds)
	}
	// The canonical base: decoded into the configuration type and encoded
	// again, so every field the type has is present.
	ct := m.configType()
	cfg := reflect.New(ct)
	var base []byte
	var baseTree any
	if len(s.Base) == 0 {
		bad("the base configuration is missing")
	} else if err := decodeStrict(s.Base, cfg.Interface()); err != nil {
		bad("the base configuration does not decode into %v: %v", ct, err)
	} else if base, err = json.Marshal(cfg.Interface()); err != nil {
		bad("the base configuration does not encode: %v", err)
	} else if baseTree, err = decodeTree(base); err != nil {
		bad("the base configuration does not decode: %v", err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	sw := &Sweep{spec: s, model: m, base: base, grid: 1}
	sw.spec.Axes = make([]Axis, 0, len(s.Axes))
	seen := map[string]bool{}
	for _, ax := range s.Axes {
		if ax.Name == "" {
			bad("an axis has an empty name")
			continue
		}
		if seen[ax.Name] {
			bad("axis %q appears twice", ax.Name)
			continue
		}
		seen[ax.Name] = true
		if fixedColumns[ax.Name] {
			bad("axis %q: the name is taken by a fixed table column; address the field by a longer path", ax.Name)
			continue
		}
		if len(ax.Values) == 0 {
			bad("axis %q has no values", ax.Name)
			continue
		}
		t, err := resolve(ct, baseTree, ax.Name)
		if err != nil {
			bad("axis %q: unknown field: %v", ax.Name, err)
			continue
		}
		pa := plannedAxis{name: ax.Name, target: t}
		dup := map[string]bool{}
		ok := true
		for i, raw := range ax.Values {
			c, err := t.canonicalValue(raw)
			if err != nil {
				bad("axis %q value %d: wrong type: %v", ax.Name, i, err)
				ok = false
				continue
			}
			if dup[string(c)] {
				bad("axis %q: value %s appears twice", ax.Name, c)
				ok = false
				continue
			}
			dup[string(c)] = true
			tree, err := decodeTree(c)
			if err != nil {
				bad("axis %q value %d: %v", ax.Name, i, err)
				ok = false
				continue
			}
			pa.values = append(pa.values, c)
			pa.trees = append(pa.trees, tree)
		}
		if !ok {
			continue
		}
		sw.axes = append(sw.axes, pa)
		sw.spec.Axes = append(sw.spec.Axes, Axis{Name: ax.Name, Values: pa.values})
		if sw.grid > maxPoints/len(pa.values) {
			bad("the sweep has more than %d grid points", maxPoints)
			return nil, errors.Join(errs...)
		}
		sw.grid *= len(pa.values)
	}

	paths := s.SeedPaths
	if len(paths) == 0 {
		paths = m.defaultSeedPaths()
	}
	sw.spec.SeedPaths = append([]string(nil), s.SeedPaths...)
	seenSeed := map[string]bool{}
	for _, p := range paths {
		t, err := resolve(ct, baseTree, p)
		switch {
		case err != nil:
			bad("seed path %q: unknown field: %v", p, err)
		case t.typ == nil || !isIntegerType(t.typ):
			bad("seed path %q: the field must be an integer (int, int64, uint, uint64), not %v", p, t.typ)
		case seen[p]:
			bad("seed path %q is also an axis", p)
		case seenSeed[p]:
			bad("seed path %q appears twice", p)
		default:
			seenSeed[p] = true
			sw.seedPaths = append(sw.seedPaths, t)
		}
	}
	if s.Seeds > 1 && len(paths) == 0 {
		bad("Seeds(%d): replicates need seed paths, and model %q has none by default", s.Seeds, m.Name())
	}
	if s.Seeds >= 1 && sw.grid > maxPoints/s.Seeds {
		bad("the sweep has more than %d points", maxPoints)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	// Every grid point must build: decode its configuration and ask the
	// model. Replicates differ only in their seeds.
	failed := 0
	for g := 0; g < sw.grid; g++ {
		cfg, _, err := sw.config(g * s.Seeds)
		if err == nil {
			err = safeCheck(m, cfg)
		}
		if err != nil {
			failed++
			if failed <= maxCheckErrors && len(sw.axes) == 0 {
				bad("the base configuration does not build: %v", err)
			} else if failed <= maxCheckErrors {
				bad("point %s does not build: %v", sw.coordString(g*s.Seeds), err)
			}
		}
	}
	if failed > maxCheckErrors {
		bad("… and %d more grid points do not build", failed-maxCheckErrors)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return sw, nil
}

// safeCheck calls the model's check, turning a panic into an error.
func safeCheck(m Model, cfg any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return m.check(cfg)
}

// Spec returns the sweep as data, with values in canonical form.
func (s *Sweep) Spec() Spec {
	out := s.spec
	out.Axes = append([]Axis(nil), s.spec.Axes...)
	return out
}

// Model returns the sweep's model.
func (s *Sweep) Model() Model { return s.model }

// Len returns the number of points: grid points × seeds.
func (s *Sweep) Len() int { return s.grid * s.spec.Seeds }

// Grid returns the number of grid points (the product of the axis lengths).
func (s *Sweep) Grid() int { return s.grid }

// Axes returns the axis names, in order.
func (s *Sweep) Axes() []string {
	names := make([]string, len(s.axes))
	for i, a := range s.axes {
		names[i] = a.name
	}
	return names
}

// MarshalJSON encodes the sweep's spec.
func (s *Sweep) MarshalJSON() ([]byte, error) { return json.Marshal(s.Spec()) }

// Coord is a point's value on one axis.
type Coord struct {
	Axis  string          `json:"axis"`
	Value json.RawMessage `json:"value"`
}

// Point is one point of a sweep.
type Point struct {
	// Index is the point's position in the enumeration: axes in order, the
	// first slowest, then the replicate fastest.
	Index int
	// Key identifies the point in a result store. It depends on the axis
	// names, values and the replicate only, not on the grid's shape.
	Key string
	// Coords holds the point's value on each axis, in axis order.
	Coords []Coord
	// Replicate is the seed index, in [0, Seeds).
	Replicate int
	// Seed is the point seed (< 2⁵³), derived from the sweep seed, the
	// coordinates and the replicate; each seed path receives a seed derived
	// from it and the path.
	Seed uint64
	// Config is the point's configuration, canonical JSON.
	Config json.RawMessage
}

// indices returns the value index on each axis and the replicate of point i.
func (s *Sweep) indices(i int) ([]int, int) {
	r := i % s.spec.Seeds
	g := i / s.spec.Seeds
	idx := make([]int, len(s.axes))
	for k := len(s.axes) - 1; k >= 0; k-- {
		n := len(s.axes[k].values)
		idx[k] = g % n
		g /= n
	}
	return idx, r
}

// identity returns the key and point seed of point i.
func (s *Sweep) identity(i int) (key string, seed uint64) {
	idx, r := s.indices(i)
	names := make([]string, len(s.axes))
	vals := make([][]byte, len(s.axes))
	for k, a := range s.axes {
		names[k] = a.name
		vals[k] = a.values[idx[k]]
	}
	key = coordHasher("repgeom/sweep/key/v1", names, vals, r).hex()
	seed = coordHasher("repgeom/sweep/point-seed/v1", names, vals, r).u64(s.spec.Seed).seed()
	return key, seed
}

// coordString formats the coordinates of point i for messages.
func (s *Sweep) coordString(i int) string {
	idx, r := s.indices(i)
	parts := make([]string, 0, len(s.axes)+1)
	for k, a := range s.axes {
		parts = append(parts, a.name+"="+string(a.values[idx[k]]))
	}
	if s.spec.Seeds > 1 {
		parts = append(parts, "replicate="+strconv.Itoa(r))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// config builds the configuration of point i: the decoded value (a pointer
// to the model's configuration type) and its canonical JSON.
func (s *Sweep) config(i int) (any, []byte, error) {
	tree, err := decodeTree(s.base)
	if err != nil {
		return nil, nil, err
	}
	idx, _ := s.indices(i)
	for k, a := range s.axes {
		v, err := decodeTree(a.values[idx[k]])
		if err != nil {
			return nil, nil, err
		}
		if tree, err = setPath(tree, a.target.path, v); err != nil {
			return nil, nil, fmt.Errorf("axis %q: %w", a.name, err)
		}
	}
	_, seed := s.identity(i)
	for _, t := range s.seedPaths {
		p := strings.Join(t.path, ".")
		v := json.Number(strconv.FormatUint(pathSeed(seed, p), 10))
		if tree, err = setPath(tree, t.path, v); err != nil {
			return nil, nil, fmt.Errorf("seed path %q: %w", p, err)
		}
	}
	b, err := json.Marshal(tree)
	if err != nil {
		return nil, nil, err
	}
	cfg := reflect.New(s.model.configType())
	if err := decodeStrict(b, cfg.Interface()); err != nil {
		return nil, nil, err
	}
	canon, err := json.Marshal(cfg.Interface())
	if err != nil {
		return nil, nil, err
	}
	return cfg.Interface(), canon, nil
}

// Point returns point i, 0 ≤ i < Len().
func (s *Sweep) Point(i int) (Point, error) {
	if i < 0 || i >= s.Len() {
		return Point{}, fmt.Errorf("sweep: Point(%d): the index must be in [0, %d)", i, s.Len())
	}
	_, canon, err := s.config(i)
	if err != nil {
		return Point{}, fmt.Errorf("sweep: point %d %s: %w", i, s.coordString(i), err)
	}
	return s.point(i, canon), nil
}

func (s *Sweep) point(i int, canon []byte) Point {
	idx, r := s.indices(i)
	key, seed := s.identity(i)
	p := Point{Index: i, Key: key, Replicate: r, Seed: seed, Config: canon}
	for k, a := range s.axes {
		p.Coords = append(p.Coords, Coord{Axis: a.name, Value: a.values[idx[k]]})
	}
	return p
}

// String summarizes the sweep.
func (s *Sweep) String() string {
	var b strings.Builder
	name := s.spec.Name
	if name == "" {
		name = "sweep"
	}
	fmt.Fprintf(&b, "%s: model %q, %d points = ", name, s.spec.Model, s.Len())
	for _, a := range s.axes {
		fmt.Fprintf(&b, "%d %s × ", len(a.values), a.name)
	}
	fmt.Fprintf(&b, "%d seeds", s.spec.Seeds)
	return b.String()
}
