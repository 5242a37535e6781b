package rep

import "gonum.org/v1/gonum/floats"

// The dense kernels of the training engine. Matrices are row-major slices;
// every kernel works in place and allocates nothing. Products are built
// from assembly axpy and dot (gonum's floats), and skip zero multipliers,
// so inactive ReLU units cost no work.

// mulAddNN sets c += a·b for a m×k and b k×n.
func mulAddNN(c, a, b []float64, m, k, n int) {
	for i := 0; i < m; i++ {
		ci := c[i*n : i*n+n]
		ai := a[i*k : i*k+k]
		for l, v := range ai {
			if v != 0 {
				axpy(ci, v, b[l*n:l*n+n])
			}
		}
	}
}

// mulSetNN sets c = a·b for a m×k and b k×n.
func mulSetNN(c, a, b []float64, m, k, n int) {
	for i := 0; i < m; i++ {
		ci := c[i*n : i*n+n]
		ai := a[i*k : i*k+k]
		set := false
		for l, v := range ai {
			if v == 0 {
				continue
			}
			if set {
				axpy(ci, v, b[l*n:l*n+n])
			} else {
				floats.ScaleTo(ci, v, b[l*n:l*n+n])
				set = true
			}
		}
		if !set {
			fill(ci, 0)
		}
	}
}

// mulSetTN sets c = aᵀ·b for a m×k and b m×n (c is k×n, m ≥ 1).
func mulSetTN(c, a, b []float64, m, k, n int) {
	b0 := b[:n]
	for l, v := range a[:k] {
		floats.ScaleTo(c[l*n:l*n+n], v, b0)
	}
	mulAddTN(c, a[k:], b[n:], m-1, k, n)
}

// mulAddTN sets c += aᵀ·b for a m×k and b m×n (c is k×n).
func mulAddTN(c, a, b []float64, m, k, n int) {
	for i := 0; i < m; i++ {
		bi := b[i*n : i*n+n]
		ai := a[i*k : i*k+k]
		for l, v := range ai {
			if v != 0 {
				axpy(c[l*n:l*n+n], v, bi)
			}
		}
	}
}

// mulNT sets c = a·bᵀ for a m×k and b n×k (c is m×n).
func mulNT(c, a, b []float64, m, k, n int) {
	for i := 0; i < m; i++ {
		ai := a[i*k : i*k+k]
		ci := c[i*n : i*n+n]
		for j := range ci {
			ci[j] = floats.Dot(ai, b[j*k:j*k+k])
		}
	}
}

// addRows sets x[i,:] += v for every row of the m×len(v) matrix x.
func addRows(x, v []float64, m int) {
	n := len(v)
	for i := 0; i < m; i++ {
		floats.Add(x[i*n:i*n+n], v)
	}
}

// setColSums sets s = the column sums of the m×len(s) matrix x (m ≥ 1).
func setColSums(s, x []float64, m int) {
	copy(s, x[:len(s)])
	addColSums(s, x[len(s):], m-1)
}

// addColSums sets s += the column sums of the m×len(s) matrix x.
func addColSums(s, x []float64, m int) {
	n := len(s)
	for i := 0; i < m; i++ {
		floats.Add(s, x[i*n:i*n+n])
	}
}

// fill sets every element of x to v.
func fill(x []float64, v float64) {
	for i := range x {
		x[i] = v
	}
}
