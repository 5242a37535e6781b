package sweep

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Record is one finished point in a result store: what was computed (the
// point and its configuration), what came out (status, error, result) and
// how long it took. A store holds one JSON file per record.
type Record struct {
	// Index is the point's index in the sweep that wrote the record; Load
	// sets it to the index in the sweep being loaded.
	Index int `json:"index"`
	// Key, Coords, Replicate, Seed and Config are those of the Point.
	Key       string          `json:"key"`
	Coords    []Coord         `json:"coords"`
	Replicate int             `json:"replicate"`
	Seed      uint64          `json:"seed"`
	Config    json.RawMessage `json:"config"`
	// Status is StatusOK or StatusFailed.
	Status string `json:"status"`
	// Err is the error of a failed point.
	Err string `json:"error,omitempty"`
	// Result is what the model returned (possibly partial for a failed
	// point, e.g. the history up to a divergence).
	Result Result `json:"result"`
	// Started is when the computation began; Seconds its wall time.
	Started time.Time `json:"started"`
	Seconds float64   `json:"seconds"`
	// Host and PID name the process that computed the point.
	Host string `json:"host"`
	PID  int    `json:"pid"`
}

// Point statuses.
const (
	StatusOK     = "ok"
	StatusFailed = "failed"
)

// Store layout under its directory:
//
//	sweep.json          the sweep's spec (informational)
//	points/<key>.json   one record per finished point, written atomically
//	log/<host>-<pid>-<t>.jsonl   one line per point started and finished by a process
const (
	pointsDir = "points"
	logDir    = "log"
	specFile  = "sweep.json"
)

// store is a result store on disk. Several processes (shards) may write to
// one store: each point is its own file, created by rename, and each
// process writes its own log.
type store struct {
	dir  string
	mu   sync.Mutex
	log  *os.File
	host string
}

// openStore creates the store's directories and this process's log.
func openStore(dir string) (*store, error) {
	for _, d := range []string{filepath.Join(dir, pointsDir), filepath.Join(dir, logDir)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("sweep: store: %w", err)
		}
	}
	host, _ := os.Hostname()
	name := fmt.Sprintf("%s-%d-%d.jsonl", host, os.Getpid(), time.Now().UnixNano())
	f, err := os.OpenFile(filepath.Join(dir, logDir, name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("sweep: store: %w", err)
	}
	return &store{dir: dir, log: f, host: host}, nil
}

func (s *store) close() error { return s.log.Close() }

// writeFileAtomic writes data to path through a temporary file in the same
// directory, synced, then renamed: a reader sees the whole file or nothing.
func writeFileAtomic(path string, data []byte) error {
	dir, base := filepath.Split(path)
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp, path)
	}
	if werr != nil {
		os.Remove(tmp)
	}
	return werr
}

// writeSpec writes the sweep's spec into the store.
func (s *store) writeSpec(sw *Sweep) error { return writeSpecFile(s.dir, sw) }

// writeSpecFile writes the sweep's spec to dir/sweep.json, atomically.
func writeSpecFile(dir string, sw *Sweep) error {
	b, err := json.MarshalIndent(sw.Spec(), "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, specFile), append(b, '\n'))
}

// put writes a record atomically.
func (s *store) put(r *Record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("sweep: store: encoding point %d: %w", r.Index, err)
	}
	if err := writeFileAtomic(filepath.Join(s.dir, pointsDir, r.Key+".json"), append(b, '\n')); err != nil {
		return fmt.Errorf("sweep: store: %w", err)
	}
	return nil
}

// LogEvent is one line of a store's log: a point started or finished by a
// process.
type LogEvent struct {
	Event string    `json:"event"` // "start" or "done"
	Key   string    `json:"key"`
	Index int       `json:"index"`
	Host  string    `json:"host"`
	PID   int       `json:"pid"`
	Time  time.Time `json:"time"`
}

// logEvent appends one line to this process's log (a single write).
func (s *store) logEvent(event, key string, index int) error {
	b, err := json.Marshal(LogEvent{Event: event, Key: key, Index: index, Host: s.host, PID: os.Getpid(), Time: time.Now().UTC()})
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err = s.log.Write(append(b, '\n'))
	return err
}

// readRecords reads every record of the store at dir, by key. A store that
// does not exist holds no records.
func readRecords(dir string) (map[string]*Record, error) {
	out := map[string]*Record{}
	entries, err := os.ReadDir(filepath.Join(dir, pointsDir))
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sweep: store: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".json") {
			continue // temporary files of writes cut short
		}
		path := filepath.Join(dir, pointsDir, name)
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("sweep: store: %w", err)
		}
		var r Record
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("sweep: store: %s: %w", path, err)
		}
		if r.Key+".json" != name {
			return nil, fmt.Errorf("sweep: store: %s holds the record of key %q", path, r.Key)
		}
		out[r.Key] = &r
	}
	return out, nil
}

// ReadLog returns every event in the logs of the store at dir, ordered by
// time. A line cut short by a killed process is skipped.
func ReadLog(dir string) ([]LogEvent, error) {
	entries, err := os.ReadDir(filepath.Join(dir, logDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sweep: store: %w", err)
	}
	var out []LogEvent
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".jsonl") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, logDir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("sweep: store: %w", err)
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			var ev LogEvent
			if json.Unmarshal(sc.Bytes(), &ev) == nil {
				out = append(out, ev)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out, nil
}
