package rep

import (
	"errors"
	"fmt"
	"sort"
)

// Status says how an iterative run (training, a mean-field solve) ended.
type Status int

const (
	// IterationLimit: the run did all its epochs or iterations.
	IterationLimit Status = iota
	// Converged: the run met its tolerance before the limit.
	Converged
	// Diverged: the loss became NaN or ±Inf.
	Diverged
	// Canceled: the context was canceled.
	Canceled
)

// String returns the status's name.
func (s Status) String() string {
	switch s {
	case IterationLimit:
		return "IterationLimit"
	case Converged:
		return "Converged"
	case Diverged:
		return "Diverged"
	case Canceled:
		return "Canceled"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// ErrDiverged is wrapped by the error of a run whose loss became NaN or Inf.
var ErrDiverged = errors.New("rep: diverged")

// History is what a training run recorded, every RecordEvery epochs and at
// the last epoch: the epoch number, the total loss (data term plus L2
// penalties), the gradient norm, and any metric asked for with
// Training.Record. All fields are exported and JSON/gob-encodable, so a
// history can be cached and saved beside its spec.
type History struct {
	Epochs    []int                `json:"epochs"`
	Losses    []float64            `json:"losses"`
	GradNorms []float64            `json:"gradNorms"`
	Metrics   map[string][]float64 `json:"metrics,omitempty"`
	Status    Status               `json:"status"`
	Err       string               `json:"err,omitempty"` // the error that ended the run, if any
}

// Loss returns the recorded total losses, one per entry of Epochs.
func (h *History) Loss() []float64 { return h.Losses }

// Metric returns the recorded values of a metric, or nil if it was not
// recorded.
func (h *History) Metric(name string) []float64 { return h.Metrics[name] }

// MetricNames returns the names of the recorded metrics, sorted.
func (h *History) MetricNames() []string {
	names := make([]string, 0, len(h.Metrics))
	for n := range h.Metrics {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Len returns the number of records.
func (h *History) Len() int { return len(h.Epochs) }

// String summarizes the run: records, last epoch and loss, status.
func (h *History) String() string {
	if len(h.Epochs) == 0 {
		return fmt.Sprintf("History{no records, %v}", h.Status)
	}
	last := len(h.Epochs) - 1
	return fmt.Sprintf("History{%d records, epoch %d, loss %.6g, %v}", len(h.Epochs), h.Epochs[last], h.Losses[last], h.Status)
}
