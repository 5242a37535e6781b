package sweep

import (
	"fmt"
	"math"
	"strings"
)

// Summarize groups the rows by the columns in by and returns, per group and
// metric m, the columns m_mean, m_sd and m_n: the mean, the sample standard
// deviation (n − 1 in the denominator, as pandas' std; NaN when n < 2) and
// the count n of the values used. NaN values and the rows of failed points
// (status "failed") are left out. Groups appear in the order of their first
// row; sums run in row order, so the result is deterministic. With no
// metrics, every metric column is summarized.
func (t *Table) Summarize(by []string, metrics ...string) (*Table, error) {
	keys := make([]*column, len(by))
	for k, name := range by {
		c, err := t.col(name)
		if err != nil {
			return nil, err
		}
		keys[k] = c
	}
	if len(metrics) == 0 {
		metrics = t.metrics
	}
	vals := make([][]float64, len(metrics))
	for k, m := range metrics {
		v, err := t.Floats(m)
		if err != nil {
			return nil, err
		}
		vals[k] = v
	}
	var status []string
	if c, ok := t.index[ColStatus]; ok && t.cols[c].kind == StringColumn {
		status = t.cols[c].s
	}

	// Groups in order of first appearance.
	groupOf := map[string]int{}
	var first []int
	var members [][]int
	var sb strings.Builder
	for r := 0; r < t.n; r++ {
		sb.Reset()
		for _, c := range keys {
			sb.WriteString(c.text(r))
			sb.WriteByte(0)
		}
		g, ok := groupOf[sb.String()]
		if !ok {
			g = len(first)
			groupOf[sb.String()] = g
			first = append(first, r)
			members = append(members, nil)
		}
		if status == nil || status[r] != StatusFailed {
			members[g] = append(members[g], r)
		}
	}

	out := newTable()
	out.n = len(first)
	for k, name := range by {
		c := &column{kind: keys[k].kind}
		for _, r := range first {
			c.appendFrom(keys[k], r)
		}
		out.add(name, c)
		for _, a := range t.axes {
			if a == name {
				out.axes = append(out.axes, name)
			}
		}
	}
	for k, m := range metrics {
		mean, sd, n := &column{kind: FloatColumn}, &column{kind: FloatColumn}, &column{kind: IntColumn}
		for g := range first {
			mu, s, cnt := meanSD(vals[k], members[g])
			mean.f = append(mean.f, mu)
			sd.f = append(sd.f, s)
			n.i = append(n.i, int64(cnt))
		}
		for _, c := range []struct {
			name string
			col  *column
		}{{m + "_mean", mean}, {m + "_sd", sd}, {m + "_n", n}} {
			if _, dup := out.index[c.name]; dup {
				return nil, fmt.Errorf("sweep: Summarize: column %q would appear twice", c.name)
			}
			out.add(c.name, c.col)
		}
		out.metrics = append(out.metrics, m+"_mean", m+"_sd")
	}
	return out, nil
}

// meanSD returns the mean, sample standard deviation and count of the
// non-NaN values among rows.
func meanSD(v []float64, rows []int) (mean, sd float64, n int) {
	var sum float64
	for _, r := range rows {
		if !math.IsNaN(v[r]) {
			sum += v[r]
			n++
		}
	}
	if n == 0 {
		return math.NaN(), math.NaN(), 0
	}
	mean = sum / float64(n)
	if n < 2 {
		return mean, math.NaN(), n
	}
	var ss float64
	for _, r := range rows {
		if !math.IsNaN(v[r]) {
			d := v[r] - mean
			ss += d * d
		}
	}
	return mean, math.Sqrt(ss / float64(n-1)), n
}

// MeanSD summarizes over seeds: it groups by every axis column (and by
// epoch in a per-epoch table) and returns the mean ± sd of each metric
// named (all metrics when none is), as Summarize does.
func (t *Table) MeanSD(metrics ...string) (*Table, error) {
	by := t.Axes()
	if _, ok := t.index[ColEpoch]; ok {
		by = append(by, ColEpoch)
	}
	return t.Summarize(by, metrics...)
}
