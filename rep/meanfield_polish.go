package rep

import (
	"math"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// Polishing: conditional gradient alone converges slowly (it adds the
// most violating direction at the current G, not the optimal atoms).
// For piecewise-linear ψ (homogeneous activations and small-amplitude
// limits) each support atom lies on a face (S, N, Z) of the sign
// arrangement, where ψ(h) = D h with D = diag(d₊ on S, d₋ on N, 0 on Z).
// With the faces fixed, moving the atoms inside their faces is a smooth
// problem: with yⱼ = Bⱼcⱼ (Bⱼ an orthonormal basis of {y : R_Z y = 0}),
// ψⱼ = Qⱼcⱼ, Qⱼ = DⱼRBⱼ, and
//
//	E(c) = λ₁Σ‖cⱼ‖² + λ₂ tr((λ₂I + Σ QⱼcⱼcⱼᵀQⱼᵀ)⁻¹K_Y),
//
// minimized by L-BFGS (gradient 2λ₁cⱼ − 2QⱼᵀGQⱼcⱼ). The polished atoms
// whose signs still match their faces join the master problem, which keeps
// whatever lowers the energy: polishing never raises E.

type mfPolishAtom struct {
	q []float64 // P×d, Qⱼ
	d int
	t []float64 // P×d, R·Bⱼ (preactivations per unit c)
	s []int8    // sign pattern: 1, −1, 0
}

// polish moves the support atoms inside their faces and adds the results
// as new atoms. The face of an atom is read off the signs of its direction
// with three rules (|uᵢ| ≤ 1e-9·max|u| is zero; ≤ 1e-3·max|u| is zero;
// for d₋ = 0 also every negative entry is zero), each a separate polish
// problem, since an approximate atom often has tiny entries where the
// optimum has exact zeros. It reports whether any atom was added.
func (s *mfSolver) polish() bool {
	pr := s.pr
	if !pr.info.limit {
		return false
	}
	type rule struct {
		thr  float64
		zneg bool
	}
	rules := []rule{{1e-9, false}, {1e-3, false}, {3e-2, false}}
	if pr.info.dm == 0 {
		rules = append(rules, rule{1e-3, true}, rule{3e-2, true})
	}
	maxW := 0.0
	for _, a := range s.atoms {
		if a.kind == atomHomog || a.kind == atomLimit {
			maxW = math.Max(maxW, a.w)
		}
	}
	added := false
	seen := map[string]bool{}
	for _, ru := range rules {
		var faces []mfFace
		byKey := map[string]int{}
		for _, a := range s.atoms {
			if !(a.w > 1e-9*maxW) || (a.kind != atomHomog && a.kind != atomLimit) {
				continue
			}
			thr := ru.thr * mfMaxAbs(a.u)
			sg := make([]int8, pr.p)
			key := make([]byte, pr.p)
			for i, v := range a.u {
				key[i] = '0'
				switch {
				case v > thr:
					sg[i], key[i] = 1, '+'
				case v < -thr && !ru.zneg:
					sg[i], key[i] = -1, '-'
				}
			}
			// One atom per face: the heaviest.
			if j, ok := byKey[string(key)]; ok {
				if a.w > faces[j].a.w {
					faces[j] = mfFace{a: a, sg: sg}
				}
				continue
			}
			byKey[string(key)] = len(faces)
			faces = append(faces, mfFace{a: a, sg: sg})
		}
		// Skip a rule that gives the same faces as an earlier one.
		keys := make([]string, 0, len(byKey))
		for k := range byKey {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		all := strings.Join(keys, "|")
		if seen[all] || len(faces) == 0 {
			continue
		}
		seen[all] = true
		if s.polishFaces(faces) {
			added = true
		}
	}
	return added
}

// mfFace is a support atom with the face it is polished on.
type mfFace struct {
	a  *mfAtom
	sg []int8 // 1 on S, −1 on N, 0 on Z
}

// polishFaces solves the smooth face problem for the given atoms and adds
// the polished atoms whose signs match their faces.
func (s *mfSolver) polishFaces(faces []mfFace) bool {
	pr := s.pr
	p, r, q := pr.p, pr.r, pr.q
	var pa []mfPolishAtom
	var x0 []float64
	for _, f := range faces {
		a, sg := f.a, f.sg
		var zrows []int
		for i, v := range sg {
			if v == 0 {
				zrows = append(zrows, i)
			}
		}
		basis := mfNullBasis(pr.rfac, r, zrows)
		d := basis.RawMatrix().Cols
		if d == 0 {
			continue
		}
		at := mfPolishAtom{q: make([]float64, p*d), t: make([]float64, p*d), d: d, s: sg}
		for i := 0; i < p; i++ {
			for c := 0; c < d; c++ {
				v := 0.0
				for k := 0; k < r; k++ {
					v += pr.rfac[i*r+k] * basis.At(k, c)
				}
				at.t[i*d+c] = v
				switch sg[i] {
				case 1:
					at.q[i*d+c] = pr.info.dp * v
				case -1:
					at.q[i*d+c] = pr.info.dm * v
				}
			}
		}
		// c₀ = √w·Bᵀ R⁺u.
		y := make([]float64, r)
		pr.toY(a.u, y)
		sw := math.Sqrt(a.w)
		for c := 0; c < d; c++ {
			v := 0.0
			for k := 0; k < r; k++ {
				v += basis.At(k, c) * y[k]
			}
			x0 = append(x0, sw*v)
		}
		pa = append(pa, at)
	}
	if len(pa) == 0 {
		return false
	}
	psi := make([]float64, p*len(pa))
	kk := make([]float64, p*p)
	chol := make([]float64, p*p)
	tmp := make([]float64, p*q)
	gz := make([]float64, q)
	gpsi := make([]float64, p)
	eval := func(x, grad []float64) float64 {
		off := 0
		for j, at := range pa {
			for i := 0; i < p; i++ {
				v := 0.0
				for c := 0; c < at.d; c++ {
					v += at.q[i*at.d+c] * x[off+c]
				}
				psi[j*p+i] = v
			}
			off += at.d
		}
		for i := range kk {
			kk[i] = 0
		}
		for j := range pa {
			ps := psi[j*p : j*p+p]
			for i, a := range ps {
				if a == 0 {
					continue
				}
				row := kk[i*p : i*p+p]
				for l, b := range ps {
					row[l] += a * b
				}
			}
		}
		copy(chol, kk)
		for i := 0; i < p; i++ {
			chol[i*p+i] += pr.l2
		}
		if !mfCholesky(chol, p) {
			return math.Inf(1)
		}
		copy(tmp, pr.fy)
		for c := 0; c < q; c++ {
			for i := 0; i < p; i++ {
				v := tmp[i*q+c]
				for k := 0; k < i; k++ {
					v -= chol[i*p+k] * tmp[k*q+c]
				}
				tmp[i*q+c] = v / chol[i*p+i]
			}
		}
		data := 0.0
		for _, v := range tmp {
			data += v * v
		}
		cost := 0.0
		for _, v := range x {
			cost += v * v
		}
		e := pr.l1*cost + pr.l2*data
		if grad == nil {
			return e
		}
		for c := 0; c < q; c++ {
			for i := p - 1; i >= 0; i-- {
				v := tmp[i*q+c]
				for k := i + 1; k < p; k++ {
					v -= chol[k*p+i] * tmp[k*q+c]
				}
				tmp[i*q+c] = v / chol[i*p+i]
			}
		}
		// tmp = A F; G = λ₂ (AF)(AF)ᵀ.
		off = 0
		for j, at := range pa {
			ps := psi[j*p : j*p+p]
			for c := 0; c < q; c++ {
				v := 0.0
				for i := 0; i < p; i++ {
					v += tmp[i*q+c] * ps[i]
				}
				gz[c] = pr.l2 * v
			}
			for i := 0; i < p; i++ {
				w := 0.0
				for cc := 0; cc < q; cc++ {
					w += tmp[i*q+cc] * gz[cc]
				}
				gpsi[i] = w
			}
			for c := 0; c < at.d; c++ {
				v := 0.0
				for i := 0; i < p; i++ {
					v += at.q[i*at.d+c] * gpsi[i]
				}
				grad[off+c] = 2*pr.l1*x[off+c] - 2*v
			}
			off += at.d
		}
		return e
	}
	e0 := eval(x0, nil)
	problem := optimize.Problem{Func: func(x []float64) float64 { return eval(x, nil) }, Grad: func(g, x []float64) { eval(x, g) }}
	settings := &optimize.Settings{MajorIterations: 400, GradientThreshold: 1e-15 * pr.l1,
		Converger: &optimize.FunctionConverge{Relative: 1e-16, Iterations: 50}}
	res, _ := optimize.Minimize(problem, x0, settings, &optimize.LBFGS{Store: 20})
	if res == nil || !(res.F < e0) {
		return false
	}
	x := res.X
	added := false
	off := 0
	for _, at := range pa {
		h := make([]float64, p)
		for i := 0; i < p; i++ {
			v := 0.0
			for c := 0; c < at.d; c++ {
				v += at.t[i*at.d+c] * x[off+c]
			}
			h[i] = v
		}
		off += at.d
		scale := mfMaxAbs(h)
		okSign := scale > 0
		for i, v := range h {
			if (at.s[i] == 1 && v < -1e-9*scale) || (at.s[i] == -1 && v > 1e-9*scale) {
				okSign = false
			}
			if at.s[i] == 1 {
				h[i] = math.Max(v, 0)
			} else if at.s[i] == -1 {
				h[i] = math.Min(v, 0)
			} else {
				h[i] = 0
			}
		}
		if !okSign {
			continue
		}
		kind := atomLimit
		if pr.info.homogeneous {
			kind = atomHomog
		}
		before := len(s.atoms)
		cs := s.dedup([]mfCand{{kind: kind, u: h}}, 1)
		if len(cs) == 1 {
			s.addCand(cs[0])
			if len(s.atoms) > before {
				added = true
			}
		}
	}
	return added
}

// mfNullBasis returns an orthonormal basis (r×d) of {y ∈ R^r : R_Z y = 0},
// where R_Z are the rows zrows of the P×r matrix rfac.
func mfNullBasis(rfac []float64, r int, zrows []int) *mat.Dense {
	if len(zrows) == 0 {
		b := mat.NewDense(r, r, nil)
		for i := 0; i < r; i++ {
			b.Set(i, i, 1)
		}
		return b
	}
	rz := mat.NewDense(len(zrows), r, nil)
	for a, i := range zrows {
		for c := 0; c < r; c++ {
			rz.Set(a, c, rfac[i*r+c])
		}
	}
	var svd mat.SVD
	if !svd.Factorize(rz, mat.SVDFull) {
		return mat.NewDense(r, 1, nil)
	}
	vals := svd.Values(nil)
	var v mat.Dense
	svd.VTo(&v)
	rank := 0
	for _, sv := range vals {
		if sv > 1e-10*vals[0] {
			rank++
		}
	}
	d := r - rank
	if d == 0 {
		return &mat.Dense{}
	}
	out := mat.NewDense(r, d, nil)
	for c := 0; c < d; c++ {
		for k := 0; k < r; k++ {
			out.Set(k, c, v.At(k, rank+c))
		}
	}
	return out
}
