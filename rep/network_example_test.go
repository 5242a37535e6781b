package rep_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/repgeom/repgeom/rep"
)

// Train a two-layer ReLU network on paper A's whitened task and look at
// what it learned.
func ExampleNetwork_Train() {
	task := rep.Must(rep.NewTask(2).Whitened().Seed(1).Build()) // P = 4 stimuli, 2 latents
	net := rep.Must(rep.NewNetwork(task).Hidden(64).Activation(rep.ReLU).L2(1e-2, 1e-2).InitScale(0.5).Seed(1).Build())
	hist, err := net.Train(rep.GD(0.02).Epochs(5000).RecordEvery(1000))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("records at", hist.Epochs)
	fmt.Printf("final loss %.2f (the optimum is 0.087)\n", hist.Losses[len(hist.Losses)-1])
	fmt.Println("accuracy per output", net.Accuracy())
	// Output:
	// records at [0 1000 2000 3000 4000 5000]
	// final loss 0.09 (the optimum is 0.087)
	// accuracy per output [1 1]
}

// Value builders fork: one base, two networks that differ only in their
// activation.
func ExampleNetworkBuilder() {
	task := rep.Must(rep.NewTask(2).Build())
	base := rep.NewNetwork(task).Hidden(32, 16).L2(1e-3, 1e-3).Seed(3)
	relu := rep.Must(base.Activation(rep.ReLU).Build())
	tanh := rep.Must(base.Activation(rep.Tanh).Build())
	fmt.Println(relu)
	fmt.Println(tanh)
	// Output:
	// Network{4→[32 16]→2, relu, feedforward, trained readout, 720 parameters}
	// Network{4→[32 16]→2, tanh, feedforward, trained readout, 720 parameters}
}

// Bad settings are reported together, each naming the setter and the
// valid range.
func ExampleNetworkBuilder_Build_errors() {
	task := rep.Must(rep.NewTask(2).Build())
	_, err := rep.NewNetwork(task).Hidden(0).L2(-1, 0).Build()
	fmt.Println(err)
	// Output:
	// rep: NetworkBuilder.Hidden([0]): widths must be in [1, 2^20]
	// rep: NetworkBuilder.L2(-1, 0): λ1 must be ≥ 0 and finite
}

// Record any metric while training: here the loss of a recurrent network
// and the accuracy at its last time step.
func ExampleTraining_Record() {
	task := rep.Must(rep.NewTask(2).Build())
	net := rep.Must(rep.NewNetwork(task).Hidden(16).Recurrent(3).Activation(rep.Tanh).L2(1e-3, 1e-3).Seed(2).Build())
	acc := func(n *rep.Network) float64 {
		a := n.Accuracy()
		return (a[0] + a[1]) / 2
	}
	hist := rep.Must(net.Train(rep.SGD(0.05, 2).Adam(0.9, 0.999).Epochs(300).RecordEvery(100).Record("accuracy", acc)))
	fmt.Println(hist.Metric("accuracy")[len(hist.Epochs)-1])
	// Output:
	// 1
}

// A run is data: save its spec as JSON, re-run it anywhere, get the same
// numbers.
func ExampleRunSpec() {
	task := rep.Must(rep.NewTask(1).Build())
	spec := rep.NewRunSpec(task, rep.NewNetwork(task).Hidden(8).Seed(4), rep.GD(0.01).Epochs(100))
	data, _ := json.Marshal(spec)
	again, _ := rep.ParseRunSpec(data)
	n1, _, _ := spec.Run(context.Background())
	n2, _, _ := again.Run(context.Background())
	fmt.Println(n1.Loss() == n2.Loss())
	// Output:
	// true
}
