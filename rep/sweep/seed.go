package sweep

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
)

// seedMask keeps derived seeds below 2⁵³, so that they are exact in a
// float64, in JSON read by any language, and in a pandas column.
const seedMask = 1<<53 - 1

// hasher builds a SHA-256 over length-prefixed fields, so that no two
// different field lists hash the same input bytes.
type hasher struct{ buf []byte }

func newHasher(domain string) *hasher {
	h := &hasher{}
	h.str(domain)
	return h
}

func (h *hasher) str(s string) *hasher {
	h.buf = binary.BigEndian.AppendUint64(h.buf, uint64(len(s)))
	h.buf = append(h.buf, s...)
	return h
}

func (h *hasher) u64(v uint64) *hasher {
	h.buf = binary.BigEndian.AppendUint64(h.buf, v)
	return h
}

func (h *hasher) sum() [32]byte { return sha256.Sum256(h.buf) }

// seed returns the first 8 bytes of the hash, masked below 2⁵³.
func (h *hasher) seed() uint64 {
	s := h.sum()
	return binary.BigEndian.Uint64(s[:8]) & seedMask
}

// hex returns the first 8 bytes of the hash in hex (16 characters).
func (h *hasher) hex() string {
	s := h.sum()
	return hex.EncodeToString(s[:8])
}

// coordHasher starts a hash over a point's coordinates: the axis names and
// canonical values, then the replicate. Values, not indices: adding a value
// to an axis changes neither the keys nor the seeds of the other points.
func coordHasher(domain string, names []string, values [][]byte, replicate int) *hasher {
	h := newHasher(domain)
	h.u64(uint64(len(names)))
	for i, n := range names {
		h.str(n).str(string(values[i]))
	}
	return h.u64(uint64(replicate))
}

// pathSeed derives the seed of one configuration field from the point seed.
func pathSeed(pointSeed uint64, path string) uint64 {
	return newHasher("repgeom/sweep/path-seed/v1").u64(pointSeed).str(path).seed()
}
