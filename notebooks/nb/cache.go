package nb

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
)

// CacheDirEnv is the environment variable naming the cache directory. When it
// is unset, Cached uses a folder inside GoNB's temporary directory for the
// kernel ($GONB_TMP_DIR): results last as long as the kernel, and restarting
// the kernel (after changing the library, say) recomputes them.
const CacheDirEnv = "REPGEOM_CACHE_DIR"

// CacheDir returns the directory Cached stores results in, or "" when there
// is none (outside a notebook, with REPGEOM_CACHE_DIR unset): Cached then
// just computes.
func CacheDir() string {
	if d := os.Getenv(CacheDirEnv); d != "" {
		return d
	}
	if d := os.Getenv("GONB_TMP_DIR"); d != "" {
		return filepath.Join(d, "repgeom-cache")
	}
	return ""
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// CacheKey returns the file name Cached uses for (name, spec): the name made
// file-safe, then a hash of the name and of the spec's JSON encoding. Two
// specs with the same JSON share a key.
func CacheKey(name string, spec any) (string, error) {
	js, err := json.Marshal(spec)
	if err != nil {
		return "", fmt.Errorf("nb: Cached(%q): spec cannot be JSON-encoded: %w", name, err)
	}
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte{0})
	h.Write(js)
	safe := unsafeName.ReplaceAllString(name, "_")
	if len(safe) > 64 {
		safe = safe[:64]
	}
	return safe + "-" + hex.EncodeToString(h.Sum(nil))[:24] + ".gob", nil
}

// Cached returns fn's result for the computation called name with settings
// spec, computing it only the first time: later calls with the same name and
// spec (in later cells, which GoNB runs as new programs) decode the stored
// result instead. spec must be JSON-encodable and describe everything the
// result depends on; T must be gob-encodable (exported fields). Errors from
// fn are returned and not cached. Outside a notebook (no cache directory,
// see CacheDir) Cached simply calls fn.
func Cached[T any](name string, spec any, fn func() (T, error)) (T, error) {
	var zero T
	key, err := CacheKey(name, spec)
	if err != nil {
		return zero, err
	}
	dir := CacheDir()
	if dir == "" {
		return fn()
	}
	path := filepath.Join(dir, key)
	if b, err := os.ReadFile(path); err == nil {
		var v T
		if gob.NewDecoder(bytes.NewReader(b)).Decode(&v) == nil {
			return v, nil
		}
		// Unreadable (a type that changed since): recompute below.
	}
	v, err := fn()
	if err != nil {
		return zero, err
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return zero, fmt.Errorf("nb: Cached(%q): result of type %T cannot be gob-encoded: %w", name, v, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return zero, fmt.Errorf("nb: Cached(%q): %w", name, err)
	}
	tmp, err := os.CreateTemp(dir, key+".tmp*")
	if err != nil {
		return zero, fmt.Errorf("nb: Cached(%q): %w", name, err)
	}
	_, werr := tmp.Write(buf.Bytes())
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return zero, fmt.Errorf("nb: Cached(%q): writing %s: %w", name, tmp.Name(), errors.Join(werr, cerr))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return zero, fmt.Errorf("nb: Cached(%q): %w", name, err)
	}
	return v, nil
}
