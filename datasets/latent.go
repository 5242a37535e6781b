package datasets

// Latent is a binary latent variable of an image's label: +1 for the
// labels where Of is true, −1 for the others (paper A Fig. 1: a digit's
// parity and magnitude).
type Latent struct {
	Name string
	Of   func(label int) bool
}

// Parity is +1 for odd digits, −1 for even ones.
var Parity = Latent{Name: "parity", Of: func(label int) bool { return label%2 == 1 }}

// Magnitude is +1 for digits ≥ 5, −1 for digits < 5.
var Magnitude = Latent{Name: "magnitude", Of: func(label int) bool { return label >= 5 }}
