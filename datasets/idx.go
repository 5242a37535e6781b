package datasets

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"gonum.org/v1/gonum/mat"
)

// IDXType is the element type of an IDX file, the third byte of its magic
// number.
type IDXType byte

// The IDX element types (big-endian on disk).
const (
	IDXUint8   IDXType = 0x08
	IDXInt8    IDXType = 0x09
	IDXInt16   IDXType = 0x0B
	IDXInt32   IDXType = 0x0C
	IDXFloat32 IDXType = 0x0D
	IDXFloat64 IDXType = 0x0E
)

// Size returns the size in bytes of one element, or 0 for an unknown type.
func (t IDXType) Size() int {
	switch t {
	case IDXUint8, IDXInt8:
		return 1
	case IDXInt16:
		return 2
	case IDXInt32, IDXFloat32:
		return 4
	case IDXFloat64:
		return 8
	}
	return 0
}

// String returns the type's name (uint8, int8, int16, int32, float32,
// float64).
func (t IDXType) String() string {
	switch t {
	case IDXUint8:
		return "uint8"
	case IDXInt8:
		return "int8"
	case IDXInt16:
		return "int16"
	case IDXInt32:
		return "int32"
	case IDXFloat32:
		return "float32"
	case IDXFloat64:
		return "float64"
	}
	return fmt.Sprintf("IDXType(0x%02x)", byte(t))
}

// DefaultMaxIDXBytes is the largest payload ReadIDX accepts: 1 GiB, twenty
// times the MNIST training images (47 MB). A header claiming more is
// rejected before anything is allocated; use ReadIDXLimit for larger files.
const DefaultMaxIDXBytes = 1 << 30

// maxIDXDims is the largest number of dimensions ReadIDX accepts.
const maxIDXDims = 32

// IDX is one IDX array (the format of the MNIST files): an element type,
// the dimensions, and the payload as stored on disk (row-major, big-endian
// for multi-byte types).
type IDX struct {
	Type IDXType
	Dims []int
	Data []byte // raw payload, len = Len()·Type.Size()
}

// Len returns the number of elements, the product of the dimensions.
func (m *IDX) Len() int {
	n := 1
	for _, d := range m.Dims {
		if d == 0 {
			return 0
		}
		n *= d
	}
	return n
}

// At returns element i (in row-major order) as a float64. It panics if i
// is out of range.
func (m *IDX) At(i int) float64 {
	switch m.Type {
	case IDXUint8:
		return float64(m.Data[i])
	case IDXInt8:
		return float64(int8(m.Data[i]))
	case IDXInt16:
		return float64(int16(binary.BigEndian.Uint16(m.Data[2*i:])))
	case IDXInt32:
		return float64(int32(binary.BigEndian.Uint32(m.Data[4*i:])))
	case IDXFloat32:
		return float64(math.Float32frombits(binary.BigEndian.Uint32(m.Data[4*i:])))
	case IDXFloat64:
		return math.Float64frombits(binary.BigEndian.Uint64(m.Data[8*i:]))
	}
	panic(fmt.Sprintf("datasets: IDX.At: unknown type %v", m.Type))
}

// Float64s returns every element as a float64, in row-major order.
func (m *IDX) Float64s() []float64 {
	out := make([]float64, m.Len())
	for i := range out {
		out[i] = m.At(i)
	}
	return out
}

// Dense returns the array as a matrix with Dims[0] rows and the product of
// the other dimensions as columns (a 1-D array is a column). It returns an
// error for an array with no elements.
func (m *IDX) Dense() (*mat.Dense, error) {
	if len(m.Dims) == 0 || m.Len() == 0 {
		return nil, fmt.Errorf("datasets: IDX.Dense: empty array (dims %v)", m.Dims)
	}
	r := m.Dims[0]
	return mat.NewDense(r, m.Len()/r, m.Float64s()), nil
}

// ReadIDX reads one IDX array from r, decompressing it first if it is
// gzipped (detected from the gzip magic bytes). It rejects an unknown
// element type, a header whose payload would exceed DefaultMaxIDXBytes
// (checked before allocating), a truncated payload and trailing bytes.
func ReadIDX(r io.Reader) (*IDX, error) {
	return ReadIDXLimit(r, DefaultMaxIDXBytes)
}

// ReadIDXLimit is ReadIDX with a bound of maxBytes on the payload.
func ReadIDXLimit(r io.Reader, maxBytes int64) (*IDX, error) {
	br := bufio.NewReader(r)
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("datasets: ReadIDX: gzip: %w", err)
		}
		defer zr.Close()
		m, err := readIDX(bufio.NewReader(zr), maxBytes)
		if err != nil {
			return nil, err
		}
		return m, nil
	}
	return readIDX(br, maxBytes)
}

func readIDX(r *bufio.Reader, maxBytes int64) (*IDX, error) {
	var head [4]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return nil, fmt.Errorf("datasets: ReadIDX: header: %w", noEOF(err))
	}
	if head[0] != 0 || head[1] != 0 {
		return nil, fmt.Errorf("datasets: ReadIDX: bad magic % x: an IDX file starts with two zero bytes", head[:2])
	}
	t := IDXType(head[2])
	size := t.Size()
	if size == 0 {
		return nil, fmt.Errorf("datasets: ReadIDX: unknown element type 0x%02x (valid: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64)", head[2])
	}
	nd := int(head[3])
	if nd < 1 || nd > maxIDXDims {
		return nil, fmt.Errorf("datasets: ReadIDX: %d dimensions: must be in [1, %d]", nd, maxIDXDims)
	}
	// The product of the non-zero dimensions is bounded even when a zero
	// dimension makes the array empty: such a header is as absurd.
	dims := make([]int, nd)
	bound, empty := int64(size), false
	var dimBuf [4]byte
	for i := range dims {
		if _, err := io.ReadFull(r, dimBuf[:]); err != nil {
			return nil, fmt.Errorf("datasets: ReadIDX: dimension %d: %w", i, noEOF(err))
		}
		d := int64(binary.BigEndian.Uint32(dimBuf[:]))
		dims[i] = int(d)
		switch {
		case d == 0:
			empty = true
		case bound > maxBytes/d:
			bound = maxBytes + 1 // overflow-safe: already beyond the limit
		default:
			bound *= d
		}
	}
	if bound > maxBytes {
		return nil, fmt.Errorf("datasets: ReadIDX: header claims dims %v of %v: more than the limit of %d bytes", dims, t, maxBytes)
	}
	total := bound
	if empty {
		total = 0
	}
	data, err := readPayload(r, total)
	if err != nil {
		return nil, fmt.Errorf("datasets: ReadIDX: payload of %d bytes (dims %v of %v): %w", total, dims, t, err)
	}
	if _, err := r.ReadByte(); err == nil {
		return nil, fmt.Errorf("datasets: ReadIDX: trailing bytes after the %d-byte payload (dims %v of %v)", total, dims, t)
	} else if err != io.EOF {
		return nil, fmt.Errorf("datasets: ReadIDX: after the payload: %w", err)
	}
	return &IDX{Type: t, Dims: dims, Data: data}, nil
}

// readPayload reads exactly n bytes, allocating as the data arrives rather
// than trusting n: a short stream that claims a large payload costs only
// what it holds.
func readPayload(r io.Reader, n int64) ([]byte, error) {
	const chunk = 1 << 20
	if n <= chunk {
		buf := make([]byte, n)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, noEOF(err)
		}
		return buf, nil
	}
	var buf bytes.Buffer
	buf.Grow(chunk)
	got, err := io.CopyN(&buf, r, n)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("truncated after %d bytes: %w", got, io.ErrUnexpectedEOF)
		}
		return nil, err
	}
	return buf.Bytes(), nil
}

// noEOF turns a bare io.EOF (nothing read) into io.ErrUnexpectedEOF: inside
// a header, running out of bytes is always a truncation.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// WriteIDX writes m to w in the IDX format (uncompressed). It returns an
// error if the type is unknown, a dimension is negative or exceeds 2³²−1,
// or Data does not hold Len()·Type.Size() bytes.
func WriteIDX(w io.Writer, m *IDX) error {
	size := m.Type.Size()
	if size == 0 {
		return fmt.Errorf("datasets: WriteIDX: unknown element type %v", m.Type)
	}
	if len(m.Dims) < 1 || len(m.Dims) > maxIDXDims {
		return fmt.Errorf("datasets: WriteIDX: %d dimensions: must be in [1, %d]", len(m.Dims), maxIDXDims)
	}
	head := []byte{0, 0, byte(m.Type), byte(len(m.Dims))}
	n := int64(size)
	for _, d := range m.Dims {
		if d < 0 || int64(d) > math.MaxUint32 {
			return fmt.Errorf("datasets: WriteIDX: dimension %d: must be in [0, 2³²−1]", d)
		}
		head = binary.BigEndian.AppendUint32(head, uint32(d))
		if d == 0 {
			continue
		}
		if n > math.MaxInt64/int64(d) {
			return fmt.Errorf("datasets: WriteIDX: dims %v of %v overflow int64 bytes", m.Dims, m.Type)
		}
		n *= int64(d)
	}
	if m.Len() == 0 {
		n = 0
	}
	if int64(len(m.Data)) != n {
		return fmt.Errorf("datasets: WriteIDX: %d data bytes for dims %v of %v: want %d", len(m.Data), m.Dims, m.Type, n)
	}
	if _, err := w.Write(head); err != nil {
		return err
	}
	_, err := w.Write(m.Data)
	return err
}
