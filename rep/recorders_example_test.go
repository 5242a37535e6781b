package rep_test

import (
	"fmt"

	"github.com/repgeom/repgeom/rep"
)

// Watch the hidden representation become abstract while training: the
// parallelism score and target alignment of hidden layer 0, recorded every
// 10,000 epochs.
func ExamplePSOf() {
	task := rep.Must(rep.NewTask(2).Whitened().Seed(1).Build())
	net := rep.Must(rep.NewNetwork(task).Hidden(64).L2(1e-2, 1e-2).InitScale(0.5).Seed(1).Build())
	hist := rep.Must(net.Train(rep.GD(0.02).Epochs(60000).RecordEvery(10000).
		Record("ps", rep.PSOf(0)).Record("target", rep.TargetAlignmentOf(0))))
	last := hist.Len() - 1
	fmt.Printf("PS %.2f, target alignment %.2f\n", hist.Metric("ps")[last], hist.Metric("target")[last])
	// Output:
	// PS 1.00, target alignment 1.00
}
