package rep

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// Cross-checks against NumPy and scikit-learn, run with Debian's
// /usr/bin/python3 (docker/setup-python.sh installs python3-numpy and
// python3-sklearn). Without them the tests skip, unless
// REPGEOM_REQUIRE_PYTHON=1 (set in CI), which makes a missing Python a
// failure.

const metricsPythonBin = "/usr/bin/python3"

// metricsNeedPython skips (or fails, under REPGEOM_REQUIRE_PYTHON=1) unless
// /usr/bin/python3 imports the given modules.
func metricsNeedPython(t *testing.T, modules string) {
	t.Helper()
	out, err := exec.Command(metricsPythonBin, "-c", "import "+modules).CombinedOutput()
	if err == nil {
		return
	}
	lines := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	msg := fmt.Sprintf("%s cannot import %s (%v: %s); run docker/setup-python.sh", metricsPythonBin, modules, err, lines[len(lines)-1])
	if os.Getenv("REPGEOM_REQUIRE_PYTHON") == "1" {
		t.Fatal(msg + " (REPGEOM_REQUIRE_PYTHON=1)")
	}
	t.Skip(msg)
}

// metricsRunPython runs script with input as JSON on stdin and decodes its
// JSON stdout into output.
func metricsRunPython(t *testing.T, script string, input, output any) {
	t.Helper()
	in, err := json.Marshal(input)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(metricsPythonBin, "-c", script)
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), output); err != nil {
		t.Fatalf("python output %q: %v", stdout.String(), err)
	}
}

// metricsRows returns m as a slice of rows, for JSON.
func metricsRows(m mat.Matrix) [][]float64 {
	r, c := m.Dims()
	out := make([][]float64, r)
	for i := range out {
		out[i] = make([]float64, c)
		for j := range out[i] {
			out[i][j] = m.At(i, j)
		}
	}
	return out
}

const svmScript = `
import json, sys, warnings
import numpy as np
from sklearn.svm import LinearSVC
d = json.load(sys.stdin)
out = []
for p in d["problems"]:
    x, y = np.array(p["x"]), np.array(p["y"])
    kw = {}
    if p["tol"] > 0:
        kw = dict(tol=p["tol"], max_iter=p["max_iter"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf = LinearSVC(C=p["C"], dual=True, **kw).fit(x, y)
    xt = np.array(p["xt"])
    out.append(dict(coef=clf.coef_[0].tolist(), intercept=float(clf.intercept_[0]),
                    dec=clf.decision_function(x).tolist(),
                    train=float(clf.score(x, y)), test=float(clf.score(xt, np.array(p["yt"])))))
json.dump(out, sys.stdout)
`

func TestLinearSVMAgainstSklearn(t *testing.T) {
	metricsNeedPython(t, "numpy, sklearn")
	type problem struct {
		name    string
		x, xt   *mat.Dense
		y, yt   []bool
		C, Tol  float64
		MaxIter int
	}
	type result struct {
		Coef      []float64 `json:"coef"`
		Intercept float64   `json:"intercept"`
		Dec       []float64 `json:"dec"`
		Train     float64   `json:"train"`
		Test      float64   `json:"test"`
	}
	var probs []problem
	for _, tc := range []struct {
		name string
		n, d int
		flip float64
		c    float64
		tol  float64
	}{
		{"noisy tight", 80, 5, 0.15, 1, 1e-10},
		{"wide tight", 20, 50, 0, 1, 1e-10},
		{"C=0.1 tight", 80, 5, 0.15, 0.1, 1e-10},
		{"C=10 tight", 60, 3, 0.1, 10, 1e-10},
		{"noisy defaults", 200, 8, 0.1, 1, 0},
		{"wide defaults", 30, 100, 0, 1, 0},
	} {
		// Training and held-out samples of the same rule.
		all, ally := metricSVMProblem(uint64(len(probs))+100, tc.n+100, tc.d, tc.flip)
		x, xt := mat.DenseCopyOf(all.Slice(0, tc.n, 0, tc.d)), mat.DenseCopyOf(all.Slice(tc.n, tc.n+100, 0, tc.d))
		probs = append(probs, problem{name: tc.name, x: x, y: ally[:tc.n], xt: xt, yt: ally[tc.n:], C: tc.c, Tol: tc.tol, MaxIter: 1000000})
	}
	// JSON view.
	type jproblem struct {
		X       [][]float64 `json:"x"`
		Y       []int       `json:"y"`
		XT      [][]float64 `json:"xt"`
		YT      []int       `json:"yt"`
		C       float64     `json:"C"`
		Tol     float64     `json:"tol"`
		MaxIter int         `json:"max_iter"`
	}
	ints := func(b []bool) []int {
		out := make([]int, len(b))
		for i, v := range b {
			if v {
				out[i] = 1
			}
		}
		return out
	}
	var in struct {
		Problems []jproblem `json:"problems"`
	}
	for _, p := range probs {
		in.Problems = append(in.Problems, jproblem{metricsRows(p.x), ints(p.y), metricsRows(p.xt), ints(p.yt), p.C, p.Tol, p.MaxIter})
	}
	var out []result
	metricsRunPython(t, svmScript, in, &out)
	for i, p := range probs {
		svm := LinearSVM{C: p.C}
		if p.Tol > 0 {
			svm.Tol, svm.MaxIter = p.Tol, p.MaxIter
		}
		m, err := svm.Fit(p.x, p.y)
		if err != nil {
			t.Fatal(err)
		}
		sk := out[i]
		dec := m.Decision(p.x)
		worst := 0.0
		for j := range dec {
			worst = max(worst, math.Abs(dec[j]-sk.Dec[j])/(1+math.Abs(sk.Dec[j])))
		}
		// Tight tolerance: both solvers reach the unique optimum. Default
		// tolerance (1e-4 on the projected gradient): same problem, close
		// solutions, and the accuracies agree to a sample or two.
		limit := 1e-6
		if p.Tol == 0 {
			limit = 1e-3
		}
		if worst > limit {
			t.Errorf("%s: decision values differ from LinearSVC by %.3g (relative), limit %g", p.name, worst, limit)
		}
		if d := math.Abs(m.Intercept - sk.Intercept); d > limit*(1+math.Abs(sk.Intercept)) {
			t.Errorf("%s: intercept %v, LinearSVC %v", p.name, m.Intercept, sk.Intercept)
		}
		train, test := m.Score(p.x, p.y), m.Score(p.xt, p.yt)
		n, nt := float64(len(p.y)), float64(len(p.yt))
		if math.Abs(train-sk.Train)*n > 1.5 || math.Abs(test-sk.Test)*nt > 2.5 {
			t.Errorf("%s: accuracy train %v test %v, LinearSVC %v %v", p.name, train, test, sk.Train, sk.Test)
		}
		t.Logf("%s: max relative decision difference %.2g, accuracy train %.3f (sklearn %.3f) test %.3f (sklearn %.3f), %d passes",
			p.name, worst, train, sk.Train, test, sk.Test, m.Iterations)
	}
}

const geometryScript = `
import json, sys, itertools
import numpy as np
from sklearn.decomposition import PCA
d = json.load(sys.stdin)
out = []
for c in d["cases"]:
    h = np.array(c["h"]); lab = np.array(c["labels"]) > 0
    P, dl = lab.shape
    # PS: class means per pattern, pairs differing only in latent k.
    pats = sorted(set(map(tuple, lab.astype(int))))
    mean = {p: h[(lab.astype(int) == p).all(1)].mean(0) for p in pats}
    ps = []
    for k in range(dl):
        vs = []
        for p in pats:
            if p[k] == 1:
                q = list(p); q[k] = 0; q = tuple(q)
                if q in mean:
                    vs.append(mean[p] - mean[q])
        cs = [a @ b / np.linalg.norm(a) / np.linalg.norm(b) for a, b in itertools.combinations(vs, 2)]
        ps.append(float(np.mean(cs)))
    # Bernardi PS of latent 0: max over bijections (up to 8 conditions).
    pos = [p for p in pats if p[0] == 1]; neg = [p for p in pats if p[0] == 0]
    best = -np.inf
    for perm in (itertools.permutations(neg) if len(neg) <= 4 else []):
        vs = [mean[a] - mean[b] for a, b in zip(pos, perm)]
        best = max(best, np.mean([a @ b / np.linalg.norm(a) / np.linalg.norm(b) for a, b in itertools.combinations(vs, 2)]))
    # CKA of HHᵀ and the label kernel, with explicitly centered features.
    hc = h - h.mean(0); y = lab * 2.0 - 1; yc = y - y.mean(0)
    k1, k2 = hc @ hc.T, yc @ yc.T
    cka = (k1 * k2).sum() / np.sqrt((k1 * k1).sum() * (k2 * k2).sum())
    # Participation ratio from the covariance eigenvalues.
    ev = np.linalg.eigvalsh(np.cov(h, rowvar=False))
    pr = ev.sum() ** 2 / (ev ** 2).sum()
    pca = PCA(n_components=3, svd_solver="full").fit(h)
    out.append(dict(ps=ps, bernardi=float(best) if np.isfinite(best) else None, cka=float(cka), pr=float(pr),
                    ratio=pca.explained_variance_ratio_.tolist(), var=pca.explained_variance_.tolist(),
                    scores=pca.transform(h).tolist()))
json.dump(out, sys.stdout)
`

func TestGeometryAgainstNumpy(t *testing.T) {
	metricsNeedPython(t, "numpy, sklearn")
	rng := rand.New(rand.NewPCG(91, 92))
	type gcase struct {
		H      [][]float64 `json:"h"`
		Labels [][]float64 `json:"labels"`
	}
	var in struct {
		Cases []gcase `json:"cases"`
	}
	var hs, labs []*mat.Dense
	for _, tc := range []struct{ dl, n, m int }{{2, 1, 5}, {2, 10, 30}, {3, 1, 512}, {3, 5, 20}, {4, 2, 40}} {
		lab, _ := metricCubeLabels(rng, tc.dl, tc.n)
		p, _ := lab.Dims()
		h := metricsRandDense(rng, p, tc.m)
		hs, labs = append(hs, h), append(labs, lab)
		in.Cases = append(in.Cases, gcase{metricsRows(h), metricsRows(lab)})
	}
	var out []struct {
		PS       []float64   `json:"ps"`
		Bernardi float64     `json:"bernardi"`
		CKA      float64     `json:"cka"`
		PR       float64     `json:"pr"`
		Ratio    []float64   `json:"ratio"`
		Var      []float64   `json:"var"`
		Scores   [][]float64 `json:"scores"`
	}
	metricsRunPython(t, geometryScript, in, &out)
	const tol = 1e-9
	near := func(what string, i int, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > tol*max(1, math.Abs(want)) {
			t.Errorf("case %d: %s = %.15g, NumPy %.15g", i, what, got, want)
		}
	}
	for i, h := range hs {
		np := out[i]
		for k, v := range ParallelismScore(h, labs[i]) {
			near(fmt.Sprintf("PS_%d", k), i, v, np.PS[k])
		}
		class, latent := Conditions(labs[i])
		if len(latent[0]) <= 8 {
			near("Bernardi PS of latent 0", i, ParallelismScoreDichotomy(h, class, latent[0]), np.Bernardi)
		}
		near("CKA", i, KernelAlignment(KernelOf(h), KernelOf(labs[i])), np.CKA)
		near("PR", i, ParticipationRatio(h), np.PR)
		r := PCA(h, 3)
		for j := 0; j < 3; j++ {
			near(fmt.Sprintf("PCA ratio %d", j), i, r.ExplainedRatio[j], np.Ratio[j])
			near(fmt.Sprintf("PCA variance %d", j), i, r.Variance[j], np.Var[j])
			// Scores agree up to the sign of each component (scikit-learn
			// flips signs by its own rule, version-dependent).
			sign := math.Copysign(1, r.Scores.At(0, j)*np.Scores[0][j])
			for row := range np.Scores {
				near(fmt.Sprintf("PCA score (%d,%d)", row, j), i, r.Scores.At(row, j), sign*np.Scores[row][j])
			}
		}
	}
}
