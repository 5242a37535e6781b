package datasets

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Array is an n-dimensional array of float64 in C (row-major) order, the
// form in which ReadNPY returns any .npy file. A 0-dimensional array (a
// scalar) has an empty Shape and one element.
type Array struct {
	Shape []int
	Data  []float64
}

// Dense returns the array as a matrix: a 2-D array as it is, a 1-D array of
// n values as an n×1 column, a scalar as 1×1. Other shapes, and arrays with
// no elements, are an error. The matrix shares Data.
func (a *Array) Dense() (*mat.Dense, error) {
	switch {
	case len(a.Data) == 0:
		return nil, fmt.Errorf("datasets: Array.Dense: shape %v has no elements", a.Shape)
	case len(a.Shape) == 0:
		return mat.NewDense(1, 1, a.Data), nil
	case len(a.Shape) == 1:
		return mat.NewDense(a.Shape[0], 1, a.Data), nil
	case len(a.Shape) == 2:
		return mat.NewDense(a.Shape[0], a.Shape[1], a.Data), nil
	}
	return nil, fmt.Errorf("datasets: Array.Dense: shape %v: want at most 2 dimensions", a.Shape)
}

// DefaultMaxNPYBytes is the largest payload ReadNPY accepts (1 GiB); a
// header claiming more is rejected before anything is allocated.
const DefaultMaxNPYBytes = 1 << 30

// maxNPYHeader bounds the header of a .npy file (NumPy's own default bound
// is 10,000 bytes).
const maxNPYHeader = 1 << 16

var npyMagic = []byte("\x93NUMPY")

// ReadNPY reads one array in NumPy's .npy format (versions 1.0, 2.0 and
// 3.0) and returns it as float64 in C order. Supported element types
// (descr), little- or big-endian: f8, f4, f2, i1, i2, i4, i8, u1, u2, u4,
// u8, b1; both C and Fortran order. 64-bit integers beyond 2⁵³ are
// rounded. It reads exactly the bytes of one array, so several arrays
// written one after another to a stream read back one call at a time.
func ReadNPY(r io.Reader) (*Array, error) {
	return ReadNPYLimit(r, DefaultMaxNPYBytes)
}

// ReadNPYLimit is ReadNPY with a bound of maxBytes on the payload.
func ReadNPYLimit(r io.Reader, maxBytes int64) (*Array, error) {
	var pre [8]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return nil, fmt.Errorf("datasets: ReadNPY: magic: %w", noEOF(err))
	}
	if !bytes.Equal(pre[:6], npyMagic) {
		return nil, fmt.Errorf("datasets: ReadNPY: bad magic %q: a .npy file starts with \\x93NUMPY", pre[:6])
	}
	var hlen int
	switch pre[6] {
	case 1:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, fmt.Errorf("datasets: ReadNPY: header length: %w", noEOF(err))
		}
		hlen = int(binary.LittleEndian.Uint16(b[:]))
	case 2, 3:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, fmt.Errorf("datasets: ReadNPY: header length: %w", noEOF(err))
		}
		n := binary.LittleEndian.Uint32(b[:])
		if n > maxNPYHeader {
			return nil, fmt.Errorf("datasets: ReadNPY: header of %d bytes: more than the limit of %d", n, maxNPYHeader)
		}
		hlen = int(n)
	default:
		return nil, fmt.Errorf("datasets: ReadNPY: format version %d.%d: want 1.0, 2.0 or 3.0", pre[6], pre[7])
	}
	head := make([]byte, hlen)
	if _, err := io.ReadFull(r, head); err != nil {
		return nil, fmt.Errorf("datasets: ReadNPY: header: %w", noEOF(err))
	}
	h, err := parseNPYHeader(string(head))
	if err != nil {
		return nil, fmt.Errorf("datasets: ReadNPY: header %q: %w", strings.TrimSpace(string(head)), err)
	}
	dt, err := parseDescr(h.descr)
	if err != nil {
		return nil, fmt.Errorf("datasets: ReadNPY: %w", err)
	}
	// As for IDX, the product of the non-zero dimensions is bounded even
	// when a zero dimension makes the array empty.
	n, empty := int64(1), false
	for _, d := range h.shape {
		switch {
		case d == 0:
			empty = true
		case n > maxBytes/int64(d):
			n = maxBytes + 1
		default:
			n *= int64(d)
		}
	}
	if n > maxBytes/int64(dt.size) {
		return nil, fmt.Errorf("datasets: ReadNPY: shape %v of %s: more than the limit of %d bytes", h.shape, h.descr, maxBytes)
	}
	if empty {
		n = 0
	}
	raw, err := readPayload(r, n*int64(dt.size))
	if err != nil {
		return nil, fmt.Errorf("datasets: ReadNPY: payload of shape %v of %s: %w", h.shape, h.descr, err)
	}
	data := make([]float64, n)
	for i := range data {
		data[i] = dt.decode(raw[i*dt.size:])
	}
	if h.fortran && len(h.shape) > 1 {
		data = fortranToC(data, h.shape)
	}
	return &Array{Shape: h.shape, Data: data}, nil
}

// npyHeader is what the header dictionary says.
type npyHeader struct {
	descr   string
	fortran bool
	shape   []int
}

// parseNPYHeader parses the Python literal NumPy writes, e.g.
// {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }.
func parseNPYHeader(s string) (npyHeader, error) {
	var h npyHeader
	p := pyScanner{s: s}
	if !p.eat('{') {
		return h, errors.New("want '{'")
	}
	seen := map[string]bool{}
	for {
		if p.eat('}') {
			break
		}
		key, err := p.str()
		if err != nil {
			return h, err
		}
		if seen[key] {
			return h, fmt.Errorf("key %q twice", key)
		}
		seen[key] = true
		if !p.eat(':') {
			return h, errors.New("want ':'")
		}
		switch key {
		case "descr":
			if h.descr, err = p.str(); err != nil {
				return h, fmt.Errorf("descr: %w (structured dtypes are not supported)", err)
			}
		case "fortran_order":
			switch {
			case p.word("True"):
				h.fortran = true
			case p.word("False"):
				h.fortran = false
			default:
				return h, errors.New("fortran_order: want True or False")
			}
		case "shape":
			if h.shape, err = p.tuple(); err != nil {
				return h, fmt.Errorf("shape: %w", err)
			}
		default:
			return h, fmt.Errorf("unknown key %q", key)
		}
		if !p.eat(',') {
			if !p.eat('}') {
				return h, errors.New("want ',' or '}'")
			}
			break
		}
	}
	if strings.TrimSpace(s[p.i:]) != "" {
		return h, errors.New("text after the dictionary")
	}
	for _, k := range []string{"descr", "fortran_order", "shape"} {
		if !seen[k] {
			return h, fmt.Errorf("missing key %q", k)
		}
	}
	return h, nil
}

// pyScanner reads the small Python literals of a .npy header.
type pyScanner struct {
	s string
	i int
}

func (p *pyScanner) skip() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\n' || p.s[p.i] == '\t' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *pyScanner) eat(c byte) bool {
	p.skip()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *pyScanner) word(w string) bool {
	p.skip()
	if strings.HasPrefix(p.s[p.i:], w) {
		p.i += len(w)
		return true
	}
	return false
}

// str reads a quoted string without escapes.
func (p *pyScanner) str() (string, error) {
	p.skip()
	if p.i >= len(p.s) || (p.s[p.i] != '\'' && p.s[p.i] != '"') {
		return "", errors.New("want a quoted string")
	}
	q := p.s[p.i]
	end := strings.IndexByte(p.s[p.i+1:], q)
	if end < 0 {
		return "", errors.New("unterminated string")
	}
	v := p.s[p.i+1 : p.i+1+end]
	if strings.ContainsRune(v, '\\') {
		return "", errors.New("escapes in a string")
	}
	p.i += end + 2
	return v, nil
}

// tuple reads a tuple of non-negative integers: (), (3,), (3, 4).
func (p *pyScanner) tuple() ([]int, error) {
	if !p.eat('(') {
		return nil, errors.New("want '('")
	}
	dims := []int{}
	for {
		if p.eat(')') {
			return dims, nil
		}
		if len(dims) == maxIDXDims {
			return nil, fmt.Errorf("more than %d dimensions", maxIDXDims)
		}
		p.skip()
		j := p.i
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
		d, err := strconv.ParseInt(p.s[p.i:j], 10, 64)
		if err != nil || d > math.MaxInt32 {
			return nil, fmt.Errorf("bad dimension %q", p.s[p.i:j])
		}
		p.i = j
		dims = append(dims, int(d))
		if !p.eat(',') {
			if !p.eat(')') {
				return nil, errors.New("want ',' or ')'")
			}
			if len(dims) == 1 {
				return nil, errors.New("a 1-tuple needs a trailing comma")
			}
			return dims, nil
		}
	}
}

// npyType decodes one element type.
type npyType struct {
	size   int
	decode func(b []byte) float64
}

// parseDescr maps a NumPy type string ('<f8', '|u1', …) to a decoder.
func parseDescr(d string) (npyType, error) {
	if len(d) < 3 {
		return npyType{}, fmt.Errorf("descr %q: unsupported (want e.g. <f8, <f4, <i8, |u1)", d)
	}
	var bo binary.ByteOrder
	switch d[0] {
	case '<', '|':
		bo = binary.LittleEndian
	case '>':
		bo = binary.BigEndian
	case '=':
		bo = binary.NativeEndian
	default:
		return npyType{}, fmt.Errorf("descr %q: byte order %q: want <, >, = or |", d, d[0])
	}
	switch d[1:] {
	case "f8":
		return npyType{8, func(b []byte) float64 { return math.Float64frombits(bo.Uint64(b)) }}, nil
	case "f4":
		return npyType{4, func(b []byte) float64 { return float64(math.Float32frombits(bo.Uint32(b))) }}, nil
	case "f2":
		return npyType{2, func(b []byte) float64 { return halfToFloat(bo.Uint16(b)) }}, nil
	case "i1":
		return npyType{1, func(b []byte) float64 { return float64(int8(b[0])) }}, nil
	case "u1":
		return npyType{1, func(b []byte) float64 { return float64(b[0]) }}, nil
	case "b1":
		return npyType{1, func(b []byte) float64 {
			if b[0] != 0 {
				return 1
			}
			return 0
		}}, nil
	case "i2":
		return npyType{2, func(b []byte) float64 { return float64(int16(bo.Uint16(b))) }}, nil
	case "u2":
		return npyType{2, func(b []byte) float64 { return float64(bo.Uint16(b)) }}, nil
	case "i4":
		return npyType{4, func(b []byte) float64 { return float64(int32(bo.Uint32(b))) }}, nil
	case "u4":
		return npyType{4, func(b []byte) float64 { return float64(bo.Uint32(b)) }}, nil
	case "i8":
		return npyType{8, func(b []byte) float64 { return float64(int64(bo.Uint64(b))) }}, nil
	case "u8":
		return npyType{8, func(b []byte) float64 { return float64(bo.Uint64(b)) }}, nil
	}
	return npyType{}, fmt.Errorf("descr %q: unsupported (want f8, f4, f2, i1, i2, i4, i8, u1, u2, u4, u8 or b1)", d)
}

// halfToFloat converts an IEEE 754 binary16 value.
func halfToFloat(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp := int(h>>10) & 0x1f
	frac := float64(h & 0x3ff)
	switch exp {
	case 0:
		return sign * math.Ldexp(frac, -24)
	case 0x1f:
		if frac != 0 {
			return math.NaN()
		}
		return math.Inf(int(sign))
	}
	return sign * math.Ldexp(1024+frac, exp-25)
}

// fortranToC reorders column-major data of a shape into row-major order.
func fortranToC(src []float64, shape []int) []float64 {
	dst := make([]float64, len(src))
	forEachFortranOffset(shape, len(src), func(i, off int) { dst[i] = src[off] })
	return dst
}

// forEachFortranOffset calls f(i, off) for every element in row-major (C)
// order, i being its row-major index and off its column-major (Fortran)
// offset.
func forEachFortranOffset(shape []int, n int, f func(i, off int)) {
	nd := len(shape)
	// stride of each axis in the Fortran layout
	stride := make([]int, nd)
	s := 1
	for k := 0; k < nd; k++ {
		stride[k] = s
		s *= shape[k]
	}
	idx := make([]int, nd)
	off := 0
	for i := 0; i < n; i++ {
		f(i, off)
		// advance the C-order multi-index (last axis fastest)
		for k := nd - 1; k >= 0; k-- {
			idx[k]++
			off += stride[k]
			if idx[k] < shape[k] {
				break
			}
			off -= stride[k] * shape[k]
			idx[k] = 0
		}
	}
}

// WriteNPY writes m to w as a 2-D .npy array of little-endian float64
// ('<f8') in C order, which numpy.load reads bit for bit.
func WriteNPY(w io.Writer, m mat.Matrix) error {
	r, c := m.Dims()
	data := make([]float64, 0, r*c)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			data = append(data, m.At(i, j))
		}
	}
	return WriteNPYArray(w, &Array{Shape: []int{r, c}, Data: data}, false)
}

// WriteNPYArray writes a (C-order) array as .npy, little-endian float64,
// in Fortran (column-major) order on disk when fortran is true. It returns
// an error if Data does not hold the product of Shape values.
func WriteNPYArray(w io.Writer, a *Array, fortran bool) error {
	n := 1
	for _, d := range a.Shape {
		if d < 0 {
			return fmt.Errorf("datasets: WriteNPYArray: shape %v: dimensions must be ≥ 0", a.Shape)
		}
		n *= d
	}
	if n != len(a.Data) {
		return fmt.Errorf("datasets: WriteNPYArray: %d values for shape %v: want %d", len(a.Data), a.Shape, n)
	}
	var shape strings.Builder
	shape.WriteByte('(')
	for i, d := range a.Shape {
		if i > 0 {
			shape.WriteString(", ")
		}
		shape.WriteString(strconv.Itoa(d))
	}
	if len(a.Shape) == 1 {
		shape.WriteByte(',')
	}
	shape.WriteByte(')')
	order := "False"
	if fortran {
		order = "True"
	}
	dict := "{'descr': '<f8', 'fortran_order': " + order + ", 'shape': " + shape.String() + ", }"
	// NumPy pads with spaces and ends with '\n' so that the data start on a
	// multiple of 64 bytes.
	total := len(npyMagic) + 2 + 2 + len(dict) + 1
	pad := (64 - total%64) % 64
	if len(dict)+pad+1 > math.MaxUint16 {
		return fmt.Errorf("datasets: WriteNPYArray: header too long for shape %v", a.Shape)
	}
	buf := make([]byte, 0, total+pad+8*n)
	buf = append(buf, npyMagic...)
	buf = append(buf, 1, 0)
	buf = binary.LittleEndian.AppendUint16(buf, uint16(len(dict)+pad+1))
	buf = append(buf, dict...)
	buf = append(buf, bytes.Repeat([]byte{' '}, pad)...)
	buf = append(buf, '\n')
	data := a.Data
	if fortran && len(a.Shape) > 1 {
		data = cToFortran(a.Data, a.Shape)
	}
	for _, v := range data {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
	}
	_, err := w.Write(buf)
	return err
}

// cToFortran reorders row-major data into column-major order.
func cToFortran(src []float64, shape []int) []float64 {
	dst := make([]float64, len(src))
	forEachFortranOffset(shape, len(src), func(i, off int) { dst[off] = src[i] })
	return dst
}

// SaveNPY writes m to path as .npy (see WriteNPY), atomically: the file
// appears complete or not at all.
func SaveNPY(path string, m mat.Matrix) error {
	return writeFileAtomic(path, func(w io.Writer) error { return WriteNPY(w, m) })
}

// LoadNPY reads a .npy file holding a 0-, 1- or 2-D array (see ReadNPY and
// Array.Dense). Bytes after the array are an error.
func LoadNPY(path string) (*mat.Dense, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("datasets: LoadNPY: %w", err)
	}
	defer f.Close()
	a, err := ReadNPY(f)
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, path)
	}
	if n, _ := f.Read(make([]byte, 1)); n > 0 {
		return nil, fmt.Errorf("datasets: LoadNPY: %s: bytes after the array", path)
	}
	return a.Dense()
}
