package sweep_test

import (
	"context"
	"fmt"
	"math"
	"os"

	"github.com/repgeom/repgeom/rep"
	"github.com/repgeom/repgeom/rep/sweep"
)

// A sweep of the rep model: two activations × two widths × 3 seeds of
// paper A's whitened task, trained and measured at every point, then
// summarized over seeds.
func ExampleNew() {
	task := rep.Must(rep.NewTask(2).Seed(1).Build())
	net := rep.NewNetwork(task).Hidden(32).L2(1e-3, 1e-3).InitScale(0.5)
	cfg := sweep.NewRepConfig(rep.NewRunSpec(task, net, rep.GD(0.05).Epochs(300)), "accuracy", "ps")

	sw, err := sweep.New(sweep.RepModel, cfg).
		Axis("network.activation.name", []string{"tanh", "relu"}).
		Axis("network.hidden.0", []int{16, 32}).
		Seeds(3).Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sw)

	res, err := sw.Local().Workers(2).Run(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res)
	summary, _ := res.Table().MeanSD("accuracy")
	act, _ := summary.Strings("network.activation.name")
	width, _ := summary.Floats("network.hidden.0")
	acc, _ := summary.Floats("accuracy_mean")
	n, _ := summary.Ints("accuracy_n")
	for g := range act {
		fmt.Printf("%s M=%g: accuracy %.3f over %d seeds\n", act[g], width[g], acc[g], n[g])
	}
	// Output:
	// sweep: model "rep", 12 points = 2 network.activation.name × 2 network.hidden.0 × 3 seeds
	// 12 of 12 points finished (12 computed, 0 from the store), 0 failed
	// tanh M=16: accuracy 1.000 over 3 seeds
	// tanh M=32: accuracy 1.000 over 3 seeds
	// relu M=16: accuracy 1.000 over 3 seeds
	// relu M=32: accuracy 1.000 over 3 seeds
}

// A model of any Go function: configurations are a struct, axes address
// its JSON fields, a seed path receives each point's derived seed. The
// results table exports to CSV for pandas.
func ExampleDefine() {
	type circle struct {
		Radius float64 `json:"radius"`
		Scale  int     `json:"scale"`
		Seed   uint64  `json:"seed"`
	}
	area := sweep.Define("area", func(ctx context.Context, c *circle) (sweep.Result, error) {
		return sweep.Result{Metrics: map[string]float64{"area": float64(c.Scale) * math.Pi * c.Radius * c.Radius}}, nil
	}).Check(func(c *circle) error {
		if c.Radius < 0 {
			return fmt.Errorf("radius %g: must be ≥ 0", c.Radius)
		}
		return nil
	}).SeedPaths("seed")

	sw, err := sweep.New(area, circle{Scale: 1}).
		Axis("radius", []float64{1, 2}).
		Axis("scale", []int{1, 10}).Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	res, _ := sw.Local().Run(context.Background())
	t, _ := res.Table().Summarize([]string{"radius", "scale"}, "area")
	t.WriteCSV(os.Stdout)

	_, err = sweep.New(area, circle{}).Axis("radius", []float64{1, -1}).Build()
	fmt.Println(err)
	// Output:
	// radius,scale,area_mean,area_sd,area_n
	// 1,1,3.141592653589793,,1
	// 1,10,31.41592653589793,,1
	// 2,1,12.566370614359172,,1
	// 2,10,125.66370614359172,,1
	// sweep: point {radius=-1} does not build: radius -1: must be ≥ 0
}

// Even and log-spaced axis values, with exact ends.
func ExampleLinspace() {
	fmt.Println(sweep.Linspace(0, 1, 5))
	fmt.Printf("%.4g\n", sweep.Logspace(0.125, 8, 7))
	// Output:
	// [0 0.25 0.5 0.75 1]
	// [0.125 0.25 0.5 1 2 4 8]
}
