package datasets

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fileServer serves files and misbehaves on request: plan[name][k] is what
// the k-th request for name gets ("ok" when the plan runs out):
//
//	ok       the file (honouring Range, like any static server)
//	cut      headers for the whole file, half the body, then a dropped connection
//	corrupt  the whole file with one byte flipped
//	norange  the whole file with status 200, ignoring Range
//	404      not found
type fileServer struct {
	files map[string][]byte
	mu    sync.Mutex
	plan  map[string][]string
	log   []string // "name range" per request
}

func (s *fileServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/data/")
	s.mu.Lock()
	s.log = append(s.log, name+" "+r.Header.Get("Range"))
	act := "ok"
	if p := s.plan[name]; len(p) > 0 {
		act, s.plan[name] = p[0], p[1:]
	}
	s.mu.Unlock()
	body, ok := s.files[name]
	if !ok || act == "404" {
		http.NotFound(w, r)
		return
	}
	switch act {
	case "ok":
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
	case "cut":
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		w.Write(body[:len(body)/2])
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	case "corrupt":
		bad := slices.Clone(body)
		bad[len(bad)/3] ^= 0xff
		w.Write(bad)
	case "norange":
		w.Write(body)
	}
}

func (s *fileServer) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log)
}

// newFileServer serves two random files a.bin (100 kB) and b.bin (3 kB).
func newFileServer(t *testing.T, plan map[string][]string) (*fileServer, *httptest.Server, []RemoteFile) {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	fs := &fileServer{files: map[string][]byte{}, plan: plan}
	var files []RemoteFile
	for _, f := range []struct {
		name string
		size int
	}{{"a.bin", 100000}, {"b.bin", 3000}} {
		b := make([]byte, f.size)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		fs.files[f.name] = b
		sum := sha256.Sum256(b)
		files = append(files, RemoteFile{Name: f.name, SHA256: hex.EncodeToString(sum[:]), Size: int64(f.size)})
	}
	srv := httptest.NewServer(fs)
	t.Cleanup(srv.Close)
	return fs, srv, files
}

// dirNames lists a directory, hidden (temporary) files included.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func checkCached(t *testing.T, fs *fileServer, dir string, names ...string) {
	t.Helper()
	if got := dirNames(t, dir); !slices.Equal(got, names) {
		t.Errorf("cache holds %v, want exactly %v", got, names)
	}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil || !bytes.Equal(b, fs.files[n]) {
			t.Errorf("%s: wrong content (%v)", n, err)
		}
	}
}

func TestDownloadFetchesVerifiesAndCaches(t *testing.T) {
	fs, srv, files := newFileServer(t, nil)
	dir := filepath.Join(t.TempDir(), "cache")
	var line bytes.Buffer
	var reports []Progress
	progress := ProgressLine(&line)
	dl := NewDownload(srv.URL+"/data/", files...).Cache(dir).Backoff(0).Progress(func(p Progress) {
		reports = append(reports, p)
		progress(p)
	})
	got, err := dl.Fetch(context.Background())
	if err != nil || got != dir {
		t.Fatalf("Fetch = %q, %v", got, err)
	}
	checkCached(t, fs, dir, "a.bin", "b.bin")
	if n := len(fs.requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
	last := reports[len(reports)-1]
	if !last.Final || last.File != "b.bin" || last.Done != 3000 {
		t.Errorf("last report %+v", last)
	}
	for _, want := range []string{"a.bin: 0.1 MB, SHA-256 verified\n", "(100%)", "b.bin: 0.0 MB, SHA-256 verified\n"} {
		if !strings.Contains(line.String(), want) {
			t.Errorf("progress line %q lacks %q", line.String(), want)
		}
	}

	// Second fetch: everything cached and verified, no request.
	reports = nil
	if _, err := dl.Fetch(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(fs.requests()); n != 2 {
		t.Errorf("%d requests after a cached fetch, want still 2", n)
	}
	if len(reports) != 2 || !reports[0].Cached || !reports[1].Cached {
		t.Errorf("cached reports %+v", reports)
	}
}

func TestDownloadResumesACutTransfer(t *testing.T) {
	fs, srv, files := newFileServer(t, map[string][]string{"a.bin": {"cut", "ok"}})
	dir := t.TempDir()
	if _, err := NewDownload(srv.URL+"/data", files...).Cache(dir).Backoff(0).Fetch(context.Background()); err != nil {
		t.Fatal(err)
	}
	checkCached(t, fs, dir, "a.bin", "b.bin")
	want := []string{"a.bin ", "a.bin bytes=50000-", "b.bin "}
	if got := fs.requests(); !slices.Equal(got, want) {
		t.Errorf("requests %q, want %q (the second resumes after the 50,000 bytes received)", got, want)
	}
}

func TestDownloadRestartsWhenRangeIgnored(t *testing.T) {
	fs, srv, files := newFileServer(t, map[string][]string{"a.bin": {"cut", "norange"}})
	dir := t.TempDir()
	if _, err := NewDownload(srv.URL+"/data", files...).Cache(dir).Backoff(0).Fetch(context.Background()); err != nil {
		t.Fatal(err)
	}
	checkCached(t, fs, dir, "a.bin", "b.bin")
}

func TestDownloadRedownloadsOnChecksumMismatch(t *testing.T) {
	fs, srv, files := newFileServer(t, map[string][]string{"b.bin": {"corrupt", "ok"}})
	dir := t.TempDir()
	if _, err := NewDownload(srv.URL+"/data", files...).Cache(dir).Backoff(0).Fetch(context.Background()); err != nil {
		t.Fatal(err)
	}
	checkCached(t, fs, dir, "a.bin", "b.bin")
	want := []string{"a.bin ", "b.bin ", "b.bin "}
	if got := fs.requests(); !slices.Equal(got, want) {
		t.Errorf("requests %q, want %q (a fresh download after the mismatch)", got, want)
	}
}

func TestDownloadReplacesACorruptCachedFile(t *testing.T) {
	fs, srv, files := newFileServer(t, nil)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.bin"), []byte("not the file"))
	if _, err := NewDownload(srv.URL+"/data", files...).Cache(dir).Backoff(0).Fetch(context.Background()); err != nil {
		t.Fatal(err)
	}
	checkCached(t, fs, dir, "a.bin", "b.bin")
}

func TestDownloadFailureLeavesNoPartialFile(t *testing.T) {
	for _, tc := range []struct {
		name string
		plan []string
		err  string
		reqs int
	}{
		{"always corrupt", []string{"corrupt", "corrupt", "corrupt"}, "checksum mismatch: got SHA-256", 3},
		{"always cut", []string{"cut", "cut", "cut"}, "attempt 3 of 3", 3},
		{"not found", []string{"404"}, "404 Not Found", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs, srv, files := newFileServer(t, map[string][]string{"b.bin": tc.plan})
			dir := t.TempDir()
			_, err := NewDownload(srv.URL+"/data", files...).Cache(dir).Retries(2).Backoff(0).Fetch(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("error %v, want one containing %q", err, tc.err)
			}
			// a.bin came first and is complete; of b.bin nothing remains.
			checkCached(t, fs, dir, "a.bin")
			if n := len(fs.requests()) - 1; n != tc.reqs {
				t.Errorf("%d requests for b.bin, want %d", n, tc.reqs)
			}
		})
	}
}

func TestDownloadCanceled(t *testing.T) {
	_, srv, files := newFileServer(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	_, err := NewDownload(srv.URL, files...).Cache(dir).Fetch(ctx)
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Fatalf("error %v, want context canceled", err)
	}
	if got := dirNames(t, dir); len(got) != 0 {
		t.Errorf("cache holds %v after a canceled fetch", got)
	}
}

// The MNIST download checks the official checksums: a server handing out
// other bytes under the MNIST names is refused, and nothing is cached.
func TestMNISTDownloadEnforcesOfficialChecksums(t *testing.T) {
	files := MNISTFiles()
	if len(files) != 4 {
		t.Fatalf("%d MNIST files", len(files))
	}
	fs := &fileServer{files: map[string][]byte{}}
	for _, f := range files {
		if !isSHA256(f.SHA256) || mnistSHA256[f.Name] != f.SHA256 || f.Size <= 0 {
			t.Errorf("%+v: bad entry", f)
		}
		fs.files[f.Name] = make([]byte, f.Size) // right size, wrong bytes
	}
	srv := httptest.NewServer(fs)
	defer srv.Close()
	dir := t.TempDir()
	_, err := NewMNISTDownload().URL(srv.URL + "/data/").Cache(dir).Retries(0).Fetch(context.Background())
	if err == nil || !strings.Contains(err.Error(), "checksum mismatch") || !strings.Contains(err.Error(), files[0].SHA256) {
		t.Fatalf("error %v, want a checksum mismatch naming %s", err, files[0].SHA256)
	}
	if got := dirNames(t, dir); len(got) != 0 {
		t.Errorf("cache holds %v", got)
	}
}

func TestDownloadSettersReportEveryProblem(t *testing.T) {
	_, err := NewDownload("ftp://x", RemoteFile{Name: "../x", SHA256: "abc", Size: -1}).
		Cache("").Retries(-1).Backoff(-time.Second).Client(nil).Fetch(context.Background())
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`URL("ftp://x"): must start with http:// or https://`,
		`file name "../x"`, `SHA256 "abc": must be 64 lowercase hex digits`, "Size -1",
		`Cache(""): need a directory`, "Retries(-1): must be ≥ 0", "Backoff(-1s): must be ≥ 0", "Client(nil)",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
