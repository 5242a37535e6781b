package rep

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
)

// RunSpec is a whole experiment as data: the task, the network and the
// training. It round-trips through JSON (the library version and every seed
// are recorded), so a run is saved beside its results and re-run from the
// file, on this machine or another.
type RunSpec struct {
	Version  string       `json:"version"`
	Task     TaskSpec     `json:"task"`
	Network  NetworkSpec  `json:"network"`
	Training TrainingSpec `json:"training"`
}

// NewRunSpec collects the specs of a task, a network builder and a
// training into one RunSpec.
func NewRunSpec(task *Task, net NetworkBuilder, t Training) RunSpec {
	return RunSpec{Version: Version, Task: task.Spec, Network: net.Spec(), Training: t.Spec()}
}

// Build builds the run's task and network and validates its training.
func (r RunSpec) Build() (*Task, *Network, Training, error) {
	task, err := BuildTask(r.Task)
	if err != nil {
		return nil, nil, Training{}, fmt.Errorf("rep: RunSpec.Task: %w", err)
	}
	net, err := BuildNetwork(task, r.Network)
	if err != nil {
		return nil, nil, Training{}, fmt.Errorf("rep: RunSpec.Network: %w", err)
	}
	t, err := NewTraining(r.Training)
	if err != nil {
		return nil, nil, Training{}, fmt.Errorf("rep: RunSpec.Training: %w", err)
	}
	return task, net, t, nil
}

// Run builds the run and trains it. Same spec, same numbers: the result is
// bit-identical on every run and machine with the same library version.
func (r RunSpec) Run(ctx context.Context) (*Network, *History, error) {
	_, net, t, err := r.Build()
	if err != nil {
		return nil, nil, err
	}
	h, err := net.TrainContext(ctx, t)
	return net, h, err
}

// ParseRunSpec decodes a RunSpec from JSON, rejecting unknown fields.
func ParseRunSpec(data []byte) (RunSpec, error) {
	var r RunSpec
	if err := strictUnmarshal(data, &r); err != nil {
		return RunSpec{}, fmt.Errorf("rep: ParseRunSpec: %w", err)
	}
	return r, nil
}

// strictUnmarshal is json.Unmarshal that rejects unknown fields.
func strictUnmarshal(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	return d.Decode(v)
}
