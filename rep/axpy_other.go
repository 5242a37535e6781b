//go:build !amd64

package rep

import "gonum.org/v1/gonum/floats"

// axpy sets y += a·x. It panics if the lengths differ.
func axpy(y []float64, a float64, x []float64) { floats.AddScaled(y, a, x) }
