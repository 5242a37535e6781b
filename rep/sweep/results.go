package sweep

import (
	"fmt"
	"strings"
)

// Results are the records of a run or of a store, sorted by point index.
type Results struct {
	sweep *Sweep
	want  []int
	// Records holds the finished points, sorted by index.
	Records []Record
	// Computed and Skipped count the points computed by this run and the
	// points found finished in the store (zero for Load).
	Computed, Skipped int
}

// Load reads the result store at dir: the records of this sweep's points
// (records of other points are ignored), whichever process or shard wrote
// them. It is how shards are merged. Points not yet computed are listed by
// Missing. A record computed with another configuration than the sweep's
// is an error.
func (s *Sweep) Load(dir string) (*Results, error) {
	recs, err := readRecords(dir)
	if err != nil {
		return nil, err
	}
	res := &Results{sweep: s, want: make([]int, s.Len())}
	for i := range res.want {
		res.want[i] = i
		key, _ := s.identity(i)
		rec, ok := recs[key]
		if !ok {
			continue
		}
		if err := s.matches(i, rec, dir); err != nil {
			return nil, err
		}
		res.Records = append(res.Records, *rec)
	}
	return res, nil
}

// Sweep returns the sweep the results belong to.
func (r *Results) Sweep() *Sweep { return r.sweep }

// Missing returns the indices of the points of the run (or of the whole
// sweep, for Load) that have no record.
func (r *Results) Missing() []int {
	have := make(map[int]bool, len(r.Records))
	for _, rec := range r.Records {
		have[rec.Index] = true
	}
	var out []int
	for _, i := range r.want {
		if !have[i] {
			out = append(out, i)
		}
	}
	return out
}

// Failed returns the records of failed points.
func (r *Results) Failed() []Record {
	var out []Record
	for _, rec := range r.Records {
		if rec.Status == StatusFailed {
			out = append(out, rec)
		}
	}
	return out
}

// Complete reports whether every point of the run has a record.
func (r *Results) Complete() bool { return len(r.Records) == len(r.want) }

// String summarizes the results: points finished, failed, missing.
func (r *Results) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d points finished (%d computed, %d from the store), %d failed",
		len(r.Records), len(r.want), r.Computed, r.Skipped, len(r.Failed()))
	if m := len(r.want) - len(r.Records); m > 0 {
		fmt.Fprintf(&b, ", %d missing", m)
	}
	return b.String()
}
