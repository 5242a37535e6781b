package datasets

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// CIFAR10Classes are the names of the CIFAR-10 classes; a label indexes it.
var CIFAR10Classes = []string{"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"}

// CIFAR10RecordSize is the size of one record of the CIFAR-10 binary
// format: a label byte, then 32×32 red, 32×32 green and 32×32 blue bytes,
// each plane row-major.
const CIFAR10RecordSize = 1 + 3*32*32

// ReadCIFAR10 reads a file of the CIFAR-10 binary format (e.g.
// data_batch_1.bin: 10,000 records of CIFAR10RecordSize bytes) into a set of
// 32×32×3 images. A label above 9, a truncated record or an empty stream is
// an error. Memory grows with the records actually read, never with a
// claimed size.
func ReadCIFAR10(r io.Reader) (*ImageSet, error) {
	set := &ImageSet{Name: "CIFAR-10", Rows: 32, Cols: 32, Channels: 3, Classes: CIFAR10Classes}
	if err := appendCIFAR10(set, r); err != nil {
		return nil, err
	}
	if set.Len() == 0 {
		return nil, errors.New("datasets: ReadCIFAR10: no records")
	}
	return set, nil
}

func appendCIFAR10(set *ImageSet, r io.Reader) error {
	br := bufio.NewReaderSize(r, 1<<16)
	var rec [CIFAR10RecordSize]byte
	for k := 0; ; k++ {
		n, err := io.ReadFull(br, rec[:])
		if err == io.EOF {
			return nil
		}
		if err == io.ErrUnexpectedEOF {
			return fmt.Errorf("datasets: ReadCIFAR10: record %d truncated: %d of %d bytes", k, n, CIFAR10RecordSize)
		}
		if err != nil {
			return fmt.Errorf("datasets: ReadCIFAR10: record %d: %w", k, err)
		}
		if rec[0] > 9 {
			return fmt.Errorf("datasets: ReadCIFAR10: record %d: label %d: must be in [0, 9]", k, rec[0])
		}
		set.Labels = append(set.Labels, int(rec[0]))
		set.Pixels = append(set.Pixels, rec[1:]...)
	}
}

// LoadCIFAR10 reads a split of CIFAR-10 from dir, the directory of the
// binary version (cifar-10-batches-bin): split "train" reads
// data_batch_1.bin … data_batch_5.bin (50,000 images), split "test" reads
// test_batch.bin.
func LoadCIFAR10(dir, split string) (*ImageSet, error) {
	var names []string
	switch split {
	case "train":
		for i := 1; i <= 5; i++ {
			names = append(names, "data_batch_"+strconv.Itoa(i)+".bin")
		}
	case "test":
		names = []string{"test_batch.bin"}
	default:
		return nil, fmt.Errorf("datasets: LoadCIFAR10(%q, %q): split must be \"train\" or \"test\"", dir, split)
	}
	set := &ImageSet{Name: "CIFAR-10 " + split + " (" + dir + ")", Rows: 32, Cols: 32, Channels: 3, Classes: CIFAR10Classes}
	for _, name := range names {
		path := filepath.Join(dir, name)
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("datasets: LoadCIFAR10: %w", err)
		}
		err = appendCIFAR10(set, f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%w (in %s)", err, path)
		}
	}
	if set.Len() == 0 {
		return nil, fmt.Errorf("datasets: LoadCIFAR10(%q, %q): no records", dir, split)
	}
	return set, nil
}

// PairGrouping assigns the 10 classes of CIFAR-10 to 5 labels, two classes
// each (paper B §8, DIGEST B1.7: "the 10 classes … were assigned to 5 labels,
// grouping together pairs of classes"; the paper does not say which pairs):
// label k groups the classes g[k][0] and g[k][1]. The 10 classes then act as
// the input clusters of PS and CCGP.
type PairGrouping [5][2]int

// DefaultCIFAR10Pairs groups neighbouring labels: {airplane, automobile},
// {bird, cat}, {deer, dog}, {frog, horse}, {ship, truck}. Our choice: the
// paper's pairing is unknown.
var DefaultCIFAR10Pairs = PairGrouping{{0, 1}, {2, 3}, {4, 5}, {6, 7}, {8, 9}}

// Check returns an error unless every class 0–9 appears exactly once.
func (g PairGrouping) Check() error {
	var seen [10]int
	for _, p := range g {
		for _, c := range p {
			if c < 0 || c > 9 {
				return fmt.Errorf("datasets: PairGrouping %v: class %d: must be in [0, 9]", g, c)
			}
			seen[c]++
		}
	}
	for c, n := range seen {
		if n != 1 {
			return fmt.Errorf("datasets: PairGrouping %v: class %d appears %d times: want once", g, c, n)
		}
	}
	return nil
}

// Label returns the label (0–4) of a class, or −1 if the grouping does not
// contain it.
func (g PairGrouping) Label(class int) int {
	for k, p := range g {
		if p[0] == class || p[1] == class {
			return k
		}
	}
	return -1
}

// Latents returns the 5 labels as one-hot binary latents for an image task
// ("pair0" … "pair4": +1 for the two classes of the label, −1 otherwise):
// NewImageTask(set, g.Latents()...).BalanceClasses() gives a task with 5
// outputs whose 10 input classes are balanced.
func (g PairGrouping) Latents() []Latent {
	out := make([]Latent, 5)
	for k := range out {
		p := g[k]
		out[k] = Latent{Name: "pair" + strconv.Itoa(k), Of: func(label int) bool { return label == p[0] || label == p[1] }}
	}
	return out
}
