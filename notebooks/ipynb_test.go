package notebooks

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// wiringCell is the first cell of every notebook: it wires this checkout into
// GoNB's program (a go.work that uses the repository, turned into a replace
// line by %goworkfix, since `go get` ignores go.work), so the notebook runs
// against the code beside it and never a published version. The checkout is
// $REPGEOM_ROOT, or the parent of the notebook's folder ($GONB_DIR).
const wiringCell = `// Wire this checkout of repgeom into the notebook (keep this cell first).
!*set -e; root="$(cd "${REPGEOM_ROOT:-$GONB_DIR/..}" && pwd)"; grep -qs '^module github.com/repgeom/repgeom$' "$root/go.mod" || { echo "no repgeom checkout at $root: set REPGEOM_ROOT" >&2; exit 1; }; [ -f go.work ] || go work init; go work use . "$root"
%goworkfix`

// text is a notebook string field: nbformat stores it as a string or as a
// list of lines.
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*t = text(s)
		return nil
	}
	var lines []string
	if err := json.Unmarshal(b, &lines); err != nil {
		return err
	}
	*t = text(strings.Join(lines, ""))
	return nil
}

type notebook struct {
	Cells         []cell         `json:"cells"`
	Metadata      map[string]any `json:"metadata"`
	Nbformat      int            `json:"nbformat"`
	NbformatMinor int            `json:"nbformat_minor"`
}

type cell struct {
	ID             string          `json:"id"`
	CellType       string          `json:"cell_type"`
	Source         text            `json:"source"`
	Outputs        []output        `json:"outputs"`
	ExecutionCount *int            `json:"execution_count"`
	Metadata       json.RawMessage `json:"metadata"`
}

type output struct {
	OutputType string                     `json:"output_type"`
	Name       string                     `json:"name,omitempty"`
	Text       text                       `json:"text,omitempty"`
	Data       map[string]json.RawMessage `json:"data,omitempty"`
	Ename      string                     `json:"ename,omitempty"`
	Evalue     string                     `json:"evalue,omitempty"`
	Traceback  []string                   `json:"traceback,omitempty"`
	Metadata   json.RawMessage            `json:"metadata,omitempty"`
}

func (o output) dataText(mime string) string {
	raw, ok := o.Data[mime]
	if !ok {
		return ""
	}
	var t text
	if json.Unmarshal(raw, &t) != nil {
		return ""
	}
	return string(t)
}

func readNotebook(path string) (*notebook, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var nb notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		return nil, fmt.Errorf("%s: not a notebook: %w", path, err)
	}
	return &nb, nil
}

func (nb *notebook) codeCells() []cell {
	var cs []cell
	for _, c := range nb.Cells {
		if c.CellType == "code" {
			cs = append(cs, c)
		}
	}
	return cs
}

// committedNotebooks lists the notebooks in this folder, sorted by name.
func committedNotebooks(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob("*.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(paths)
	return paths
}

// isFigureNotebook reports whether name is one notebook per paper figure
// (wang2025-fig4.ipynb, alleman2024-fig2.ipynb): those need the size switch
// and the claim check.
func isFigureNotebook(path string) bool {
	base := filepath.Base(path)
	return strings.HasPrefix(base, "wang2025-fig") || strings.HasPrefix(base, "alleman2024-fig")
}

// TestNotebooksAreCommittedClean enforces the repository's choice: notebooks
// are committed WITHOUT outputs (the runner regenerates them into
// notebooks/.executed/), with the gonb kernel, the wiring cell first, and —
// for figure notebooks — the quick/paper switch at the top and the claim
// check in the last cell.
func TestNotebooksAreCommittedClean(t *testing.T) {
	paths := committedNotebooks(t)
	if len(paths) == 0 {
		t.Fatal("no notebooks in notebooks/")
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(path, ".ipynb"), func(t *testing.T) {
			nb, err := readNotebook(path)
			if err != nil {
				t.Fatal(err)
			}
			if nb.Nbformat != 4 {
				t.Errorf("nbformat %d, want 4", nb.Nbformat)
			}
			ks, _ := nb.Metadata["kernelspec"].(map[string]any)
			if ks["name"] != "gonb" {
				t.Errorf("kernelspec %v, want name gonb", nb.Metadata["kernelspec"])
			}
			code := nb.codeCells()
			if len(code) < 2 {
				t.Fatalf("%d code cells, want the wiring cell and at least one more", len(code))
			}
			for i, c := range code {
				if len(c.Outputs) != 0 || c.ExecutionCount != nil {
					t.Errorf("code cell %d (%s) has outputs or an execution count: clear outputs before committing", i, c.ID)
				}
			}
			if string(code[0].Source) != wiringCell {
				t.Errorf("first code cell is not the wiring cell:\n%s\nwant:\n%s", code[0].Source, wiringCell)
			}
			if !isFigureNotebook(path) {
				return
			}
			top := string(code[1].Source)
			if !strings.Contains(top, "nb.ChooseSize(nb.Quick)") {
				t.Errorf("second code cell must hold the size switch `var size = nb.ChooseSize(nb.Quick)`, got:\n%s", top)
			}
			last := string(code[len(code)-1].Source)
			if !strings.Contains(last, "nb.NewClaims(") || !strings.Contains(last, ".Done()") {
				t.Errorf("last code cell must check the paper's claims with nb.NewClaims(…) … .Done(), got:\n%s", last)
			}
		})
	}
}
