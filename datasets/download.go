package datasets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// DefaultMNISTURL is where NewMNISTDownload fetches the MNIST files: the
// mirror TensorFlow uses (yann.lecun.com now often refuses downloads).
const DefaultMNISTURL = "https://storage.googleapis.com/cvdf-datasets/mnist/"

// mnistSHA256 are the official SHA-256 checksums of the four gzipped MNIST
// files (identical on every mirror; the same values appear in TensorFlow
// Datasets, torchvision's prototype datasets and many others).
var mnistSHA256 = map[string]string{
	"train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
	"train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
	"t10k-images-idx3-ubyte.gz":  "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
	"t10k-labels-idx1-ubyte.gz":  "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}

// RemoteFile is one file to download: its name (appended to the base URL
// and used as the file name in the cache), its SHA-256 (lowercase hex) and
// its size in bytes (0 when unknown; a known size also bounds what is
// read).
type RemoteFile struct {
	Name   string
	SHA256 string
	Size   int64
}

// MNISTFiles returns the four standard MNIST files with their official
// sizes and SHA-256 checksums.
func MNISTFiles() []RemoteFile {
	return []RemoteFile{
		{"train-images-idx3-ubyte.gz", mnistSHA256["train-images-idx3-ubyte.gz"], 9912422},
		{"train-labels-idx1-ubyte.gz", mnistSHA256["train-labels-idx1-ubyte.gz"], 28881},
		{"t10k-images-idx3-ubyte.gz", mnistSHA256["t10k-images-idx3-ubyte.gz"], 1648877},
		{"t10k-labels-idx1-ubyte.gz", mnistSHA256["t10k-labels-idx1-ubyte.gz"], 4542},
	}
}

// CacheDir returns repgeom's cache of downloaded data: $REPGEOM_CACHE, or
// repgeom/ in the user's cache directory (~/.cache/repgeom on Linux).
func CacheDir() string {
	if d := os.Getenv("REPGEOM_CACHE"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "repgeom")
	}
	return filepath.Join(os.TempDir(), "repgeom-cache")
}

// Progress reports a download's advance to a Download.Progress callback.
type Progress struct {
	File   string // the file's name
	Done   int64  // bytes in the cache so far
	Total  int64  // expected bytes, 0 when unknown
	Cached bool   // the file was already in the cache, verified
	Final  bool   // the file is complete and verified (or was cached)
}

// Download fetches files into a local cache, verifying the SHA-256 of every
// file it downloads and of every file it finds in the cache. It is a value
// builder: setters return modified copies. Create one with NewMNISTDownload
// or NewDownload.
//
// Guarantees: a file appears in the cache only complete and verified (it
// is written to a temporary file in the cache directory and renamed into
// place); after a failure no partially written file is left behind. A
// transfer cut short resumes where it stopped (an HTTP Range request); a
// file whose checksum does not match is downloaded again from scratch, and
// a cached file whose checksum does not match is deleted and downloaded
// again.
type Download struct {
	base     string
	files    []RemoteFile
	cache    string
	progress func(Progress)
	client   *http.Client
	retries  int
	backoff  time.Duration
	errs     []error
}

// NewMNISTDownload returns a download of the four MNIST files from
// DefaultMNISTURL into CacheDir()/mnist. Defaults: Retries(3),
// Backoff(time.Second), http.DefaultClient, no progress callback.
func NewMNISTDownload() Download {
	return NewDownload(DefaultMNISTURL, MNISTFiles()...).Cache(filepath.Join(CacheDir(), "mnist"))
}

// NewDownload returns a download of files from baseURL (each file's URL is
// baseURL + "/" + name) into CacheDir(), with the defaults of
// NewMNISTDownload.
func NewDownload(baseURL string, files ...RemoteFile) Download {
	d := Download{files: append([]RemoteFile(nil), files...), cache: CacheDir(), client: http.DefaultClient, retries: 3, backoff: time.Second}
	d = d.URL(baseURL)
	if len(files) == 0 {
		d.errs = addErr(d.errs, "datasets: NewDownload(%q): no files", baseURL)
	}
	for _, f := range files {
		if f.Name == "" || f.Name != filepath.Base(f.Name) || strings.HasPrefix(f.Name, ".") {
			d.errs = addErr(d.errs, "datasets: NewDownload: file name %q: must be a plain name not starting with '.'", f.Name)
		}
		if !isSHA256(f.SHA256) {
			d.errs = addErr(d.errs, "datasets: NewDownload: %s: SHA256 %q: must be 64 lowercase hex digits", f.Name, f.SHA256)
		}
		if f.Size < 0 {
			d.errs = addErr(d.errs, "datasets: NewDownload: %s: Size %d: must be ≥ 0 (0 = unknown)", f.Name, f.Size)
		}
	}
	return d
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

func isSHA256(s string) bool { return sha256Hex.MatchString(s) }

// URL sets the base URL the files are fetched from (http or https).
func (d Download) URL(base string) Download {
	if !strings.HasPrefix(base, "http://") && !strings.HasPrefix(base, "https://") {
		d.errs = addErr(d.errs, "datasets: Download.URL(%q): must start with http:// or https://", base)
	}
	d.base = strings.TrimSuffix(base, "/")
	return d
}

// Cache sets the cache directory (created if needed).
func (d Download) Cache(dir string) Download {
	if dir == "" {
		d.errs = addErr(d.errs, "datasets: Download.Cache(\"\"): need a directory")
	}
	d.cache = dir
	return d
}

// Progress sets a callback called as bytes arrive and when each file is
// final; ProgressLine(os.Stderr) prints a progress line. nil = none.
func (d Download) Progress(f func(Progress)) Download {
	d.progress = f
	return d
}

// Client sets the HTTP client (for timeouts, proxies, tests).
func (d Download) Client(c *http.Client) Download {
	if c == nil {
		d.errs = addErr(d.errs, "datasets: Download.Client(nil): need a client")
	}
	d.client = c
	return d
}

// Retries sets how many times a failed transfer or a checksum mismatch is
// retried per file (n ≥ 0).
func (d Download) Retries(n int) Download {
	if n < 0 {
		d.errs = addErr(d.errs, "datasets: Download.Retries(%d): must be ≥ 0", n)
	}
	d.retries = n
	return d
}

// Backoff sets the wait before retry k, k·t (t ≥ 0).
func (d Download) Backoff(t time.Duration) Download {
	if t < 0 {
		d.errs = addErr(d.errs, "datasets: Download.Backoff(%v): must be ≥ 0", t)
	}
	d.backoff = t
	return d
}

// Fetch makes sure every file is in the cache and verified, downloading what
// is missing or corrupt, and returns the cache directory.
func (d Download) Fetch(ctx context.Context) (string, error) {
	if len(d.errs) > 0 {
		return "", errors.Join(d.errs...)
	}
	if err := os.MkdirAll(d.cache, 0o755); err != nil {
		return "", fmt.Errorf("datasets: Download.Fetch: cache: %w", err)
	}
	for _, f := range d.files {
		if err := d.fetchOne(ctx, f); err != nil {
			return "", err
		}
	}
	return d.cache, nil
}

// report calls the progress callback, if any.
func (d Download) report(p Progress) {
	if d.progress != nil {
		d.progress(p)
	}
}

func (d Download) fetchOne(ctx context.Context, f RemoteFile) error {
	final := filepath.Join(d.cache, f.Name)
	switch sum, size, err := fileSHA256(final); {
	case err == nil && sum == f.SHA256:
		d.report(Progress{File: f.Name, Done: size, Total: size, Cached: true, Final: true})
		return nil
	case err == nil:
		// A corrupt or stale cached file: useless, so it goes now.
		if err := os.Remove(final); err != nil {
			return fmt.Errorf("datasets: Download: removing %s (SHA-256 %s, want %s): %w", final, sum, f.SHA256, err)
		}
	case !errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("datasets: Download: %w", err)
	}

	tmp, err := os.CreateTemp(d.cache, "."+f.Name+".*.part")
	if err != nil {
		return fmt.Errorf("datasets: Download: %w", err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()

	t := transfer{d: d, f: f, url: d.base + "/" + f.Name, file: tmp, hash: sha256.New()}
	var last error
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			if err := sleep(ctx, time.Duration(attempt)*d.backoff); err != nil {
				return fmt.Errorf("datasets: Download %s: %w (after: %v)", t.url, err, last)
			}
		}
		err := t.get(ctx)
		if err == nil {
			sum := hex.EncodeToString(t.hash.Sum(nil))
			if sum == f.SHA256 {
				break
			}
			err = fmt.Errorf("checksum mismatch: got SHA-256 %s for %d bytes, want %s", sum, t.written, f.SHA256)
			if rerr := t.reset(); rerr != nil {
				return fmt.Errorf("datasets: Download %s: %w", t.url, rerr)
			}
		}
		last = err
		var perm permanent
		if errors.As(err, &perm) || ctx.Err() != nil || attempt >= d.retries {
			return fmt.Errorf("datasets: Download %s (attempt %d of %d): %w", t.url, attempt+1, d.retries+1, err)
		}
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("datasets: Download: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("datasets: Download: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil { // CreateTemp made it 0600
		return fmt.Errorf("datasets: Download: %w", err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return fmt.Errorf("datasets: Download: %w", err)
	}
	done = true
	d.report(Progress{File: f.Name, Done: t.written, Total: t.written, Final: true})
	return nil
}

// permanent marks an error that retrying cannot fix.
type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// transfer is the state of one file's download: what is in the temporary
// file so far and the running hash of it.
type transfer struct {
	d       Download
	f       RemoteFile
	url     string
	file    *os.File
	hash    hash.Hash
	written int64
	total   int64
}

// reset empties the temporary file: the next request starts from byte 0.
func (t *transfer) reset() error {
	t.written = 0
	t.hash.Reset()
	if err := t.file.Truncate(0); err != nil {
		return err
	}
	_, err := t.file.Seek(0, io.SeekStart)
	return err
}

var contentRange = regexp.MustCompile(`^bytes (\d+)-(\d+)/(\d+|\*)$`)

// get makes one request, resuming after the bytes already written, and
// appends the body to the temporary file. It returns nil once the body is
// complete.
func (t *transfer) get(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.url, nil)
	if err != nil {
		return permanent{err}
	}
	if t.written > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(t.written, 10)+"-")
	}
	resp, err := t.d.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		if t.written > 0 { // the server ignored the range: start over
			if err := t.reset(); err != nil {
				return permanent{err}
			}
		}
		t.total = resp.ContentLength
	case http.StatusPartialContent:
		m := contentRange.FindStringSubmatch(resp.Header.Get("Content-Range"))
		if m == nil || m[1] != strconv.FormatInt(t.written, 10) {
			if err := t.reset(); err != nil {
				return permanent{err}
			}
			return fmt.Errorf("HTTP 206 with Content-Range %q for a request from byte %d: starting over", resp.Header.Get("Content-Range"), t.written)
		}
		t.total = -1
		if m[3] != "*" {
			t.total, _ = strconv.ParseInt(m[3], 10, 64)
		}
	case http.StatusRequestedRangeNotSatisfiable:
		if err := t.reset(); err != nil {
			return permanent{err}
		}
		return fmt.Errorf("HTTP %s for a request from byte %d: starting over", resp.Status, t.written)
	default:
		err := fmt.Errorf("HTTP %s", resp.Status)
		if resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != http.StatusRequestTimeout && resp.StatusCode != http.StatusTooManyRequests {
			return permanent{err}
		}
		return err
	}
	if t.f.Size > 0 && t.total > 0 && t.total != t.f.Size {
		return fmt.Errorf("the server announces %d bytes, want %d", t.total, t.f.Size)
	}
	if t.total <= 0 {
		t.total = t.f.Size
	}
	body := io.Reader(resp.Body)
	if t.f.Size > 0 { // never store more than the known size (+1 to notice)
		body = io.LimitReader(body, t.f.Size-t.written+1)
	}
	w := progressWriter{t: t}
	if _, err := io.Copy(io.MultiWriter(t.file, t.hash, &w), body); err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return permanent{err} // the cache cannot be written
		}
		return fmt.Errorf("after %d bytes: %w", t.written, err)
	}
	if t.f.Size > 0 && t.written > t.f.Size {
		if err := t.reset(); err != nil {
			return permanent{err}
		}
		return fmt.Errorf("the body is longer than the expected %d bytes: starting over", t.f.Size)
	}
	if t.total > 0 && t.written != t.total {
		return fmt.Errorf("body ended after %d bytes, want %d", t.written, t.total)
	}
	return nil
}

// progressWriter counts what reaches the file and reports it.
type progressWriter struct{ t *transfer }

func (w *progressWriter) Write(p []byte) (int, error) {
	w.t.written += int64(len(p))
	w.t.d.report(Progress{File: w.t.f.Name, Done: w.t.written, Total: max(w.t.total, 0)})
	return len(p), nil
}

// fileSHA256 returns the SHA-256 and size of a file.
func fileSHA256(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// sleep waits for t or until ctx is done.
func sleep(ctx context.Context, t time.Duration) error {
	if t <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(t)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ProgressLine returns a Download.Progress callback that prints one
// updating line per file to w ("\r" between updates, a newline when the file
// is final), at most once per percent.
func ProgressLine(w io.Writer) func(Progress) {
	lastFile, lastPct := "", -1
	return func(p Progress) {
		switch {
		case p.Cached:
			fmt.Fprintf(w, "%s: cached, %s, SHA-256 verified\n", p.File, megabytes(p.Done))
			lastFile, lastPct = "", -1
			return
		case p.Final:
			fmt.Fprintf(w, "\r%s: %s, SHA-256 verified\n", p.File, megabytes(p.Done))
			lastFile, lastPct = "", -1
			return
		}
		pct := -1 - int(p.Done/1e6) // unknown size: one update per megabyte
		if p.Total > 0 {
			pct = int(100 * p.Done / p.Total)
		}
		if p.File == lastFile && pct == lastPct {
			return
		}
		lastFile, lastPct = p.File, pct
		if pct >= 0 {
			fmt.Fprintf(w, "\r%s: %s of %s (%d%%)", p.File, megabytes(p.Done), megabytes(p.Total), pct)
		} else {
			fmt.Fprintf(w, "\r%s: %s", p.File, megabytes(p.Done))
		}
	}
}

func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

// addErr returns errs with one more formatted error, never writing into a
// slice shared with a fork of the builder.
func addErr(errs []error, format string, args ...any) []error {
	out := make([]error, len(errs), len(errs)+1)
	copy(out, errs)
	return append(out, fmt.Errorf(format, args...))
}
