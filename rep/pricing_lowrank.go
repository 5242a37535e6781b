package rep

import "math"

// Exact pricing for a rank-deficient input kernel (few input dimensions).
//
// With K = RRᵀ of rank r < P, the sign patterns of u = Ry are the faces of
// a central arrangement of P hyperplanes {y : rᵢᵀy = 0} in R^r, and most of
// the 3^P sign vectors are empty. Instead of enumerating sign vectors, this
// path enumerates the arrangement itself: every flat (a subspace
// L_Z = {y : R_Z y = 0}, visited once per closure of Z) and, inside it,
// every region of the restricted arrangement. A region of an essential
// central arrangement in R^d is a pointed cone, so its closure contains a
// ray (a 1-dimensional flat); the regions around a ray v are the sign
// patterns of v completed by every sign choice on the hyperplanes through
// v. Enumerating the rays (null vectors of d−1 normals) therefore yields a
// superset of the regions; a candidate that is not a region can never pass
// the feasibility test, so the enumeration stays exact. Each face is then
// evaluated as in the general path (top eigenvector of Γ̃ᵀ(K/Z)Γ̃ and its
// sign check). The cost is O(C(P, r−1)·2^r) per flat instead of 3^P.

// prUseLowRank reports whether the arrangement enumeration is expected to
// be cheaper than the sign-vector enumeration for rank r: its candidate
// count Σ_k C(P,k)·C(P−k, r−1−k)·2^(r−k) (flats of codimension k, rays and
// sign choices inside them, an overcount) against 4·3^P. Rank-deficient
// kernels fare badly in the sign-vector enumeration (10⁸–10⁹ faces at
// P = 16), whose empty faces cannot be pruned.
func prUseLowRank(p, r int) bool {
	if r >= p || p > 64 {
		return false
	}
	binom := func(n, k int) float64 {
		if k < 0 || k > n {
			return 0
		}
		c := 1.0
		for i := 0; i < k; i++ {
			c = c * float64(n-i) / float64(i+1)
		}
		return c
	}
	est := 0.0
	for k := 0; k < r; k++ {
		est += binom(p, k) * binom(p-k, r-1-k) * math.Pow(2, float64(r-k))
	}
	return est <= 4*math.Pow(3, float64(p))
}

// priceLowRank enumerates the faces of the arrangement.
func (e *prExact) priceLowRank() {
	r := e.r
	q0 := make([]float64, r*r)
	for i := 0; i < r; i++ {
		q0[i*r+i] = 1
	}
	m := append([]float64(nil), e.k...)
	seen := map[uint64]bool{}
	e.lrFlat(0, -1, q0, r, m, seen)
}

// lrFlat visits the flat of zero set z: basis q (r×d, orthonormal columns)
// of {y : R_z y = 0}, Schur complement m = K/z.
func (e *prExact) lrFlat(z uint64, last int, q []float64, d int, m []float64, seen map[uint64]bool) {
	if e.aborted || d == 0 {
		return
	}
	p, r := e.p, e.r
	// Restricted normals tᵢ = Qᵀrᵢ; the closure adds every i with tᵢ = 0.
	t := make([]float64, p*d)
	cl := z
	var w []int
	for i := 0; i < p; i++ {
		if z&(1<<uint(i)) != 0 {
			continue
		}
		n2, ri := 0.0, e.rf[i*r:i*r+r]
		rn := 0.0
		for _, v := range ri {
			rn += v * v
		}
		for c := 0; c < d; c++ {
			v := 0.0
			for k := 0; k < r; k++ {
				v += q[k*d+c] * ri[k]
			}
			t[i*d+c] = v
			n2 += v * v
		}
		if n2 <= 1e-20*math.Max(rn, 1e-300) {
			cl |= 1 << uint(i)
		} else {
			w = append(w, i)
		}
	}
	if !seen[cl] {
		seen[cl] = true
		e.lrRegions(cl, t, d, w, m)
	}
	if d == 1 {
		return
	}
	child := make([]float64, p*p)
	for j := last + 1; j < p && !e.aborted; j++ {
		if cl&(1<<uint(j)) != 0 {
			continue
		}
		// Child basis: Q·H, H an orthonormal basis of tⱼ^⊥ in R^d.
		h := prOrthComplement(t[j*d:j*d+d], d)
		qc := make([]float64, r*(d-1))
		for k := 0; k < r; k++ {
			for c := 0; c < d-1; c++ {
				v := 0.0
				for a := 0; a < d; a++ {
					v += q[k*d+a] * h[a*(d-1)+c]
				}
				qc[k*(d-1)+c] = v
			}
		}
		mjj := m[j*p+j]
		if mjj > 0 {
			for a := 0; a < p; a++ {
				fa := m[a*p+j] / mjj
				for b := 0; b < p; b++ {
					child[a*p+b] = m[a*p+b] - fa*m[j*p+b]
				}
			}
		} else {
			copy(child, m)
		}
		for a := 0; a < p; a++ {
			child[a*p+j] = 0
			child[j*p+a] = 0
		}
		e.lrFlat(z|1<<uint(j), j, qc, d-1, append([]float64(nil), child...), seen)
	}
}

// lrRegions evaluates the candidate regions of the restricted arrangement
// (normals t of the coordinates w in R^d) on the flat with zero set cl.
func (e *prExact) lrRegions(cl uint64, t []float64, d int, w []int, m []float64) {
	if len(w) == 0 {
		return
	}
	cands := map[uint64]bool{}
	add := func(s uint64) {
		if !cands[s] {
			cands[s] = true
			if e.tick() {
				e.evalGeneral(m, s, cl)
			}
		}
	}
	if d == 1 {
		var pos, neg uint64
		for _, i := range w {
			if t[i*d] > 0 {
				pos |= 1 << uint(i)
			} else {
				neg |= 1 << uint(i)
			}
		}
		add(pos)
		add(neg)
		return
	}
	rows := make([]float64, len(w)*d)
	for a, i := range w {
		copy(rows[a*d:a*d+d], t[i*d:i*d+d])
	}
	sub := make([]int, d-1)
	basis := make([]float64, (d-1)*d)
	v := make([]float64, d)
	var rec func(start, depth int)
	rec = func(start, depth int) {
		if e.aborted {
			return
		}
		if depth == d-1 {
			if !prNullVector(rows, sub, d, basis, v) {
				return
			}
			for _, sg := range []float64{1, -1} {
				var s uint64
				var zero []int
				for a, i := range w {
					x := 0.0
					nn := 0.0
					for c := 0; c < d; c++ {
						x += rows[a*d+c] * v[c]
						nn += rows[a*d+c] * rows[a*d+c]
					}
					x *= sg
					switch {
					case math.Abs(x) <= 1e-10*math.Sqrt(nn):
						zero = append(zero, i)
					case x > 0:
						s |= 1 << uint(i)
					}
				}
				if len(zero) > 20 {
					zero = zero[:20] // degenerate beyond reason: cap the local enumeration
				}
				for mask := 0; mask < 1<<uint(len(zero)); mask++ {
					ss := s
					for b, i := range zero {
						if mask&(1<<uint(b)) != 0 {
							ss |= 1 << uint(i)
						}
					}
					add(ss)
				}
			}
			return
		}
		for a := start; a <= len(w)-(d-1-depth); a++ {
			sub[depth] = a
			rec(a+1, depth+1)
		}
	}
	rec(0, 0)
}

// prOrthComplement returns an orthonormal basis (d×(d−1), row-major) of the
// complement of the nonzero vector t in R^d.
func prOrthComplement(t []float64, d int) []float64 {
	n := 0.0
	for _, v := range t {
		n += v * v
	}
	n = math.Sqrt(n)
	u := make([]float64, d)
	for i, v := range t {
		u[i] = v / n
	}
	var cols [][]float64
	for k := 0; k < d && len(cols) < d-1; k++ {
		x := make([]float64, d)
		x[k] = 1
		for _, b := range append([][]float64{u}, cols...) {
			dot := 0.0
			for i := range x {
				dot += x[i] * b[i]
			}
			for i := range x {
				x[i] -= dot * b[i]
			}
		}
		nn := 0.0
		for _, v := range x {
			nn += v * v
		}
		if nn < 1e-12 {
			continue
		}
		nn = math.Sqrt(nn)
		for i := range x {
			x[i] /= nn
		}
		cols = append(cols, x)
	}
	h := make([]float64, d*(d-1))
	for c, col := range cols {
		for i, v := range col {
			h[i*(d-1)+c] = v
		}
	}
	return h
}
