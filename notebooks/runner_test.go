package notebooks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The notebook runner executes every notebook headlessly with the real GoNB
// kernel (Debian's `jupyter nbconvert --execute`), keeps the executed copies
// in notebooks/.executed/ (or $REPGEOM_NB_ARTIFACTS) and fails on any error
// output — a compile error, a panic, a claim that does not hold.
//
// Environment:
//
//	REPGEOM_REQUIRE_JUPYTER=1  fail (instead of skip) when Jupyter or the gonb
//	                           kernel (or, for the HTML export, chromium) is
//	                           missing; CI sets it after docker/setup-jupyter.sh
//	REPGEOM_SIZE               quick (default here) or paper
//	REPGEOM_NOTEBOOKS          a glob (e.g. "wang2025-*") to run only some
//	REPGEOM_NB_TIMEOUT         per-cell timeout in seconds (default 1200)
//	REPGEOM_NB_ARTIFACTS       where executed copies go

const requireEnv = "REPGEOM_REQUIRE_JUPYTER"

// jupyter is Debian's launcher: it runs /usr/bin/python3, which has the
// Debian Jupyter packages (a python3 earlier on PATH may not).
const jupyter = "/usr/bin/jupyter"

// needJupyter skips the test when Jupyter with the gonb kernel is not
// installed, or fails it when REPGEOM_REQUIRE_JUPYTER=1.
func needJupyter(t *testing.T) {
	t.Helper()
	if err := jupyterReady(); err != nil {
		if os.Getenv(requireEnv) == "1" {
			t.Fatalf("%v (%s=1; run docker/setup-jupyter.sh)", err, requireEnv)
		}
		t.Skipf("%v: run docker/setup-jupyter.sh (or set %s=1 to make this a failure)", err, requireEnv)
	}
}

func jupyterReady() error {
	if _, err := os.Stat(jupyter); err != nil {
		return fmt.Errorf("Debian Jupyter not installed: %w", err)
	}
	out, err := exec.Command(jupyter, "kernelspec", "list", "--json").Output()
	if err != nil {
		return fmt.Errorf("jupyter kernelspec list: %w", err)
	}
	var specs struct {
		Kernelspecs map[string]json.RawMessage `json:"kernelspecs"`
	}
	if err := json.Unmarshal(out, &specs); err != nil {
		return fmt.Errorf("jupyter kernelspec list --json: %w", err)
	}
	if _, ok := specs.Kernelspecs["gonb"]; !ok {
		return errors.New("the gonb kernel is not registered")
	}
	return nil
}

// repoRoot is the checkout this test runs in (the parent of notebooks/).
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// runResult is what one headless execution of a notebook produced.
type runResult struct {
	Executed string        // path of the executed copy
	Elapsed  time.Duration // wall time of nbconvert
	Problems []string      // error outputs, failed claims, missing executions
	Figures  int           // inline figure outputs (text/html, image/svg+xml, image/png)
	Charts   []output      // figure outputs that hold a 2-D echarts chart
}

func cellTimeout() int {
	if s := os.Getenv("REPGEOM_NB_TIMEOUT"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return n
		}
	}
	return 1200
}

// runNotebook executes src with nbconvert and the gonb kernel into outDir,
// and reports every problem it finds in the executed copy. Execution goes on
// after a failing cell (allow_errors), so the copy shows every failure; the
// copy is then read, never nbconvert's exit status alone.
func runNotebook(ctx context.Context, root, src, outDir string) (*runResult, error) {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	name := filepath.Base(src)
	absSrc, err := filepath.Abs(src)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, jupyter, "nbconvert", "--to", "notebook", "--execute",
		"--ExecutePreprocessor.kernel_name=gonb",
		"--ExecutePreprocessor.timeout="+strconv.Itoa(cellTimeout()),
		"--ExecutePreprocessor.allow_errors=True",
		"--output-dir", outDir, "--output", name, absSrc)
	cmd.Dir = filepath.Dir(absSrc)
	size := os.Getenv("REPGEOM_SIZE")
	if size == "" {
		size = "quick"
	}
	cmd.Env = append(os.Environ(), "REPGEOM_ROOT="+root, "REPGEOM_SIZE="+size, "PYDEVD_DISABLE_FILE_VALIDATION=1")
	// The kernel and the programs it runs are children of nbconvert: on a
	// timeout, kill the whole process group, not just nbconvert.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	var stderr bytes.Buffer
	cmd.Stdout = &stderr
	cmd.Stderr = &stderr
	start := time.Now()
	runErr := cmd.Run()
	res := &runResult{Executed: filepath.Join(outDir, name), Elapsed: time.Since(start)}
	if runErr != nil {
		res.Problems = append(res.Problems, fmt.Sprintf("nbconvert: %v\n%s", runErr, tail(stderr.String(), 3000)))
		if _, err := os.Stat(res.Executed); err != nil {
			return res, nil
		}
	}
	nb, err := readNotebook(res.Executed)
	if err != nil {
		return nil, err
	}
	res.inspect(nb)
	return res, nil
}

// inspect collects problems and figures from an executed notebook.
func (r *runResult) inspect(nb *notebook) {
	for i, c := range nb.codeCells() {
		where := fmt.Sprintf("cell %d (%s)", i, firstLine(string(c.Source)))
		if c.ExecutionCount == nil {
			r.Problems = append(r.Problems, where+": not executed")
		}
		for _, o := range c.Outputs {
			switch o.OutputType {
			case "error":
				r.Problems = append(r.Problems, fmt.Sprintf("%s: %s: %s\n%s", where, o.Ename, o.Evalue, tail(strings.Join(o.Traceback, "\n"), 2000)))
			case "stream":
				if o.Name == "stderr" && (strings.Contains(string(o.Text), "CLAIM FAILED") || strings.Contains(string(o.Text), "panic:")) {
					r.Problems = append(r.Problems, fmt.Sprintf("%s: stderr:\n%s", where, tail(string(o.Text), 2000)))
				}
			case "display_data", "execute_result", "update_display_data":
				html := o.dataText("text/html")
				if strings.Contains(html, "gonb-err") || strings.Contains(html, "application/vnd.jupyter.stderr") {
					// GoNB's rendering of a compile or `go get` error: report
					// its text (the error output beside it only says "exit
					// status 1").
					r.Problems = append(r.Problems, fmt.Sprintf("%s: %s", where, tail(htmlText(html), 3000)))
					continue
				}
				if html != "" || o.dataText("image/svg+xml") != "" || len(o.Data["image/png"]) > 0 {
					r.Figures++
				}
				// 2-D echarts charts (not ECharts-GL's sparse 3-D scenes)
				// are the ones the HTML export check measures.
				if strings.Contains(html, "echarts") && !strings.Contains(html, "echarts-gl") && !strings.Contains(html, "ECharts-GL") {
					r.Charts = append(r.Charts, o)
				}
			}
		}
	}
}

var (
	styleBlock = regexp.MustCompile(`(?is)<style\b.*?</style>`)
	htmlTag    = regexp.MustCompile(`<[^>]*>`)
	blankLines = regexp.MustCompile(`\n\s*\n+`)
)

// htmlText is the readable text of an HTML fragment (GoNB's error display).
func htmlText(h string) string {
	h = styleBlock.ReplaceAllString(h, "")
	h = htmlTag.ReplaceAllString(h, "")
	h = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&#34;", "\"", "&quot;", "\"", "&#39;", "'").Replace(h)
	return strings.TrimSpace(blankLines.ReplaceAllString(h, "\n"))
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return s
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

func artifactsDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("REPGEOM_NB_ARTIFACTS"); d != "" {
		return d
	}
	d, err := filepath.Abs(".executed")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestNotebooks executes every notebook (quick size unless REPGEOM_SIZE says
// otherwise) and fails on any error output or failed claim; each executed
// notebook must hold at least one inline figure. The HTML export of the
// first 2-D echarts chart is then opened in headless Chromium.
func TestNotebooks(t *testing.T) {
	needJupyter(t)
	root := repoRoot(t)
	out := artifactsDir(t)
	pattern := os.Getenv("REPGEOM_NOTEBOOKS")
	var total time.Duration
	var chart *output
	ran := 0
	for _, path := range committedNotebooks(t) {
		name := strings.TrimSuffix(path, ".ipynb")
		if pattern != "" {
			if ok, _ := filepath.Match(pattern, name); !ok {
				continue
			}
		}
		ran++
		t.Run(name, func(t *testing.T) {
			res, err := runNotebook(context.Background(), root, path, out)
			if err != nil {
				t.Fatal(err)
			}
			total += res.Elapsed
			t.Logf("%s: %.1f s, %d figures, executed copy %s", name, res.Elapsed.Seconds(), res.Figures, res.Executed)
			for _, p := range res.Problems {
				t.Error(p)
			}
			if res.Figures == 0 {
				t.Error("no inline figure (text/html, image/svg+xml or image/png output)")
			}
			if chart == nil && len(res.Charts) > 0 && len(res.Problems) == 0 {
				chart = &res.Charts[0]
			}
		})
	}
	t.Logf("%d notebooks in %.1f s", ran, total.Seconds())
	t.Run("html-export", func(t *testing.T) {
		if chart == nil {
			if pattern == "" {
				t.Fatal("no executed notebook displayed an echarts chart to export")
			}
			t.Skip("no echarts chart among the selected notebooks")
		}
		checkHTMLExport(t, *chart)
	})
}

// brokenClaimNotebook is a two-claim notebook; claimOK chooses whether the
// second claim holds.
func brokenClaimNotebook(claimOK bool) notebook {
	src := func(s string) text { return text(s) }
	second := "0.5 > 0.9"
	if claimOK {
		second = "0.95 > 0.9"
	}
	return notebook{
		Nbformat: 4, NbformatMinor: 5,
		Metadata: map[string]any{
			"kernelspec":    map[string]any{"name": "gonb", "display_name": "Go (gonb)", "language": "go"},
			"language_info": map[string]any{"name": "go"},
		},
		Cells: []cell{
			{ID: "wire", CellType: "code", Source: src(wiringCell), Outputs: []output{}, Metadata: json.RawMessage("{}")},
			{ID: "claims", CellType: "code", Outputs: []output{}, Metadata: json.RawMessage("{}"), Source: src(
				"import \"github.com/repgeom/repgeom/notebooks/nb\"\n\n%%\n" +
					"c := nb.NewClaims(\"runner self-test\")\n" +
					"c.Check(1 > 0, \"one is positive\")\n" +
					"c.Check(" + second + ", \"PS %.2f above 0.9\", " + strings.Fields(second)[0] + ")\n" +
					"c.Done()\n")},
		},
	}
}

// TestRunnerCatchesBrokenClaim shows the runner fails a notebook whose last
// cell checks a claim that does not hold, and passes the same notebook when
// the claim holds (so the failure is the claim's, not the set-up's).
func TestRunnerCatchesBrokenClaim(t *testing.T) {
	needJupyter(t)
	root := repoRoot(t)
	dir := t.TempDir()
	for _, ok := range []bool{false, true} {
		name := map[bool]string{false: "broken-claim", true: "good-claim"}[ok]
		t.Run(name, func(t *testing.T) {
			b, err := json.MarshalIndent(brokenClaimNotebook(ok), "", " ")
			if err != nil {
				t.Fatal(err)
			}
			src := filepath.Join(dir, name+".ipynb")
			if err := os.WriteFile(src, b, 0o644); err != nil {
				t.Fatal(err)
			}
			res, err := runNotebook(context.Background(), root, src, filepath.Join(dir, "out"))
			if err != nil {
				t.Fatal(err)
			}
			all := strings.Join(res.Problems, "\n")
			if ok {
				if len(res.Problems) > 0 {
					t.Fatalf("a notebook whose claims hold was failed:\n%s", all)
				}
				return
			}
			if len(res.Problems) == 0 {
				t.Fatal("the runner passed a notebook with a failed claim")
			}
			t.Logf("the runner reports, as it should:\n%s", all)
			if !strings.Contains(all, "CLAIM FAILED") || !strings.Contains(all, "PS 0.50 above 0.9") {
				t.Errorf("the failure does not name the broken claim:\n%s", all)
			}
		})
	}
}
