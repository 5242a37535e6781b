package rep

import "testing"

// fourClusters returns paper B's Fig. 1 task: 4 centred Gaussian cluster
// means in n dimensions, one binary output, noise σ = 1.
func fourClusters(n int, seed uint64) *Task {
	return Must(NewClusterTask().Dim(n).Noise(1, 1).Seed(seed).Build())
}

// BenchmarkTrainFig4 is paper A's Fig. 4 case (issue 2, acceptance 7):
// P = 8 whitened stimuli, M = 512 ReLU units, dY = 3, full-batch GD.
// One op is one epoch (one full-batch step).
func BenchmarkTrainFig4(b *testing.B) {
	task := Must(NewTask(3).Whitened().Seed(7).Build())
	net := Must(NewNetwork(task).Hidden(512).Activation(ReLU).L2(1e-2, 1e-2).InitScale(0.01).Seed(7).Build())
	tr := newTrainer(net, Must(NewTraining(GD(0.03).Spec())).spec)
	b.ReportAllocs()
	for b.Loop() {
		tr.epoch()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "epochs/s")
}

// BenchmarkTrainFig1B is paper B's Fig. 1 case: 4 noisy clusters in 200
// dimensions, 120 tanh units, BCE, frozen ±1 readout, SGD lr 0.1 with
// batch 200. One op is one epoch: 5000 fresh noisy samples, 25 steps.
func BenchmarkTrainFig1B(b *testing.B) {
	task := fourClusters(200, 0)
	net := Must(NewNetwork(task).Hidden(120).Activation(Tanh).Loss(CrossEntropy).Readout(ReadoutBinary).ReadoutBias(true).Seed(1).Build())
	tr := newTrainer(net, Must(NewTraining(SGD(0.1, 200).Samples(5000).Spec())).spec)
	b.ReportAllocs()
	for b.Loop() {
		tr.epoch()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "epochs/s")
}
