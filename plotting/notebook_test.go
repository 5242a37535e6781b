package plotting

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The notebook test: a GoNB notebook that calls Show, executed headlessly
// by Debian's Jupyter (`jupyter nbconvert --to notebook --execute`) with
// the gonb kernel, against this checkout (a go.work that uses it, turned
// into a replace line by %goworkfix). It skips when Jupyter or the gonb
// kernel is missing, unless REPGEOM_REQUIRE_JUPYTER=1 (CI, after
// docker/setup-jupyter.sh), when it fails.

const jupyterBin = "/usr/bin/jupyter"

func needJupyter(t *testing.T) {
	t.Helper()
	err := func() error {
		if _, err := os.Stat(jupyterBin); err != nil {
			return fmt.Errorf("Debian Jupyter not installed: %w", err)
		}
		out, err := exec.Command(jupyterBin, "kernelspec", "list", "--json").Output()
		if err != nil {
			return fmt.Errorf("jupyter kernelspec list: %w", err)
		}
		var specs struct {
			Kernelspecs map[string]json.RawMessage `json:"kernelspecs"`
		}
		if err := json.Unmarshal(out, &specs); err != nil {
			return err
		}
		if _, ok := specs.Kernelspecs["gonb"]; !ok {
			return errors.New("the gonb kernel is not registered")
		}
		return nil
	}()
	if err != nil {
		if os.Getenv("REPGEOM_REQUIRE_JUPYTER") == "1" {
			t.Fatalf("%v (REPGEOM_REQUIRE_JUPYTER=1): run docker/setup-jupyter.sh", err)
		}
		t.Skipf("%v: run docker/setup-jupyter.sh (REPGEOM_REQUIRE_JUPYTER=1 makes this a failure)", err)
	}
}

// nbCells are the notebook's code cells: wiring, an interactive figure, a
// static one, a progress bar.
func nbCells(root string) []string {
	return []string{
		fmt.Sprintf(`!*set -e; [ -f go.work ] || go work init; go work use . %q
%%goworkfix`, root),
		`import (
	"github.com/repgeom/repgeom/plotting"
	"github.com/repgeom/repgeom/rep"
)

%%
h := &rep.History{Epochs: []int{0, 10, 20}, Losses: []float64{1, 0.1, 0.01}}
if err := plotting.Show(h); err != nil {
	panic(err)
}`,
		`%%
p := plotting.NewPlot("static").Line("a", nil, []float64{1, 3, 2})
if err := plotting.Show(p, plotting.Static()); err != nil {
	panic(err)
}`,
		`%%
pr := plotting.NewProgress("notebook run")
for i := 0; i <= 40; i++ {
	pr.Update(i, 40, "")
}`,
	}
}

type nbOutput struct {
	OutputType string                     `json:"output_type"`
	Name       string                     `json:"name"`
	Text       any                        `json:"text"`
	Data       map[string]json.RawMessage `json:"data"`
	Ename      string                     `json:"ename"`
	Evalue     string                     `json:"evalue"`
}

func (o nbOutput) data(mime string) string {
	raw, ok := o.Data[mime]
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var lines []string
	_ = json.Unmarshal(raw, &lines)
	return strings.Join(lines, "")
}

func TestNotebookShow(t *testing.T) {
	needJupyter(t)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	type cell struct {
		CellType       string         `json:"cell_type"`
		Metadata       map[string]any `json:"metadata"`
		Source         string         `json:"source"`
		Outputs        []any          `json:"outputs"`
		ExecutionCount *int           `json:"execution_count"`
	}
	nb := map[string]any{
		"nbformat": 4, "nbformat_minor": 4,
		"metadata": map[string]any{"kernelspec": map[string]any{"name": "gonb", "display_name": "Go (gonb)", "language": "go"}},
	}
	var cells []cell
	for _, src := range nbCells(root) {
		cells = append(cells, cell{CellType: "code", Metadata: map[string]any{}, Source: src, Outputs: []any{}})
	}
	nb["cells"] = cells
	b, _ := json.MarshalIndent(nb, "", " ")
	src := filepath.Join(dir, "show.ipynb")
	if err := os.WriteFile(src, b, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, jupyterBin, "nbconvert", "--to", "notebook", "--execute",
		"--ExecutePreprocessor.kernel_name=gonb", "--ExecutePreprocessor.timeout=240",
		"--output", "executed.ipynb", src)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PYDEVD_DISABLE_FILE_VALIDATION=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("nbconvert: %v\n%s", err, tail(string(out), 3000))
	}
	t.Logf("notebook executed in %.1f s", time.Since(start).Seconds())
	b, err = os.ReadFile(filepath.Join(dir, "executed.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	var executed struct {
		Cells []struct {
			Outputs []nbOutput `json:"outputs"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(b, &executed); err != nil {
		t.Fatal(err)
	}
	if len(executed.Cells) != 4 {
		t.Fatalf("%d cells in the executed notebook, want 4", len(executed.Cells))
	}
	for i, c := range executed.Cells {
		for _, o := range c.Outputs {
			if o.OutputType == "error" {
				t.Errorf("cell %d: %s: %s", i, o.Ename, o.Evalue)
			}
		}
	}
	// find returns the display outputs of cell i holding want.
	find := func(i int, want string) (mime string, found bool) {
		for _, o := range executed.Cells[i].Outputs {
			if o.OutputType != "display_data" && o.OutputType != "execute_result" && o.OutputType != "update_display_data" {
				continue
			}
			for _, m := range []string{"text/html", "image/svg+xml"} {
				if strings.Contains(o.data(m), want) {
					return m, true
				}
			}
		}
		return "", false
	}
	// Cell 1: the interactive chart, with ECharts inlined.
	if _, ok := find(1, `data-repgeom-chart="repgeom-`); !ok {
		t.Errorf("cell 1: no ECharts figure among its outputs: %s", summarize(executed.Cells[1].Outputs))
	} else if _, ok := find(1, "ECharts "+EChartsVersion+" (Apache-2.0), inlined"); !ok {
		t.Error("cell 1: the figure does not inline ECharts")
	}
	// Cell 2: the static SVG.
	if _, ok := find(2, "<svg"); !ok {
		t.Errorf("cell 2: no SVG among its outputs: %s", summarize(executed.Cells[2].Outputs))
	}
	// Cell 3: the progress bar, finished.
	if _, ok := find(3, "100% (40/40)"); !ok {
		t.Errorf("cell 3: no finished progress bar: %s", summarize(executed.Cells[3].Outputs))
	}
}

func summarize(outs []nbOutput) string {
	var s []string
	for _, o := range outs {
		var keys []string
		for k := range o.Data {
			keys = append(keys, k)
		}
		s = append(s, fmt.Sprintf("%s%v %s", o.OutputType, keys, tail(fmt.Sprint(o.Text), 300)))
	}
	return "[" + strings.Join(s, "; ") + "]"
}
