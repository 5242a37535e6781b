package datasets

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/rep"
)

// maxImageLatents bounds the number of latents (2^16 latent classes).
const maxImageLatents = 16

// ImageTaskBuilder turns a labelled image set into a rep.Task whose latent
// variables are binary functions of the labels; see NewDigitTask and
// NewImageTask. It is a value builder: every setter returns a modified
// copy, so a builder forks safely.
type ImageTaskBuilder struct {
	set        *ImageSet
	latents    []Latent
	perClass   int
	byLabel    bool
	dim        int
	whiten     bool
	seed       uint64
	noiseTrain float64
	noiseTest  float64
	errs       []error
}

// NewDigitTask starts a task on MNIST digits with the latents Parity and
// Magnitude (paper A Fig. 1): 4 latent classes (even < 5, odd < 5,
// even ≥ 5, odd ≥ 5). Defaults as NewImageTask.
func NewDigitTask(d *ImageSet) ImageTaskBuilder {
	return NewImageTask(d, Parity, Magnitude)
}

// NewImageTask starts a task on any labelled image set with the given
// latents (1 to 16). The latent classes are the sign patterns of the
// latents that occur in the set; the task has PerClass images of each,
// drawn at random without replacement. Targets equal the latents.
// Defaults: PerClass(100), raw pixel intensities in [0, 1] as inputs (no
// Dim), Seed(1), no noise.
func NewImageTask(set *ImageSet, latents ...Latent) ImageTaskBuilder {
	b := ImageTaskBuilder{set: set, perClass: 100, seed: 1}
	if set == nil {
		b.errs = addErr(b.errs, "datasets: NewImageTask(nil): need an image set")
	} else if err := set.check(); err != nil {
		b.errs = append(b.errs, err)
	}
	return b.Latents(latents...)
}

// Latents replaces the latent variables (1 to 16, each with a non-nil Of;
// an empty Name becomes "latentK").
func (b ImageTaskBuilder) Latents(ls ...Latent) ImageTaskBuilder {
	if len(ls) < 1 || len(ls) > maxImageLatents {
		b.errs = addErr(b.errs, "datasets: ImageTaskBuilder.Latents: %d latents: must be in [1, %d]", len(ls), maxImageLatents)
	}
	b.latents = make([]Latent, len(ls))
	for k, l := range ls {
		if l.Of == nil {
			b.errs = addErr(b.errs, "datasets: ImageTaskBuilder.Latents: latent %d (%q) has a nil Of function", k, l.Name)
		}
		if l.Name == "" {
			l.Name = fmt.Sprintf("latent%d", k)
		}
		b.latents[k] = l
	}
	return b
}

// PerClass sets the number of images drawn from each latent class (or each
// image class with BalanceClasses), n ≥ 1. Default 100.
func (b ImageTaskBuilder) PerClass(n int) ImageTaskBuilder {
	if n < 1 {
		b.errs = addErr(b.errs, "datasets: ImageTaskBuilder.PerClass(%d): n must be ≥ 1", n)
	}
	b.perClass = n
	return b
}

// BalanceClasses draws PerClass images of every image class (label)
// instead of every latent class: the CIFAR-10 pair grouping of paper B §8,
// where the 10 classes are the input clusters. The latent classes are then
// balanced only as far as their labels are.
func (b ImageTaskBuilder) BalanceClasses() ImageTaskBuilder {
	b.byLabel = true
	return b
}

// Dim projects the pixels of the drawn images onto their top d principal
// components (centred, rep.PCA), scaled so that the mean squared norm of a
// stimulus is 1. d must be in [1, min(P−1, pixels)]; 0 (the default) keeps
// the raw intensities in [0, 1].
func (b ImageTaskBuilder) Dim(d int) ImageTaskBuilder {
	if d < 0 {
		b.errs = addErr(b.errs, "datasets: ImageTaskBuilder.Dim(%d): d must be ≥ 0 (0 = raw pixels)", d)
	}
	b.dim = d
	return b
}

// Whiten makes the d principal components of Dim equally important: each
// gets the same variance, 1/d (so the mean squared norm of a stimulus is
// still 1). It needs Dim(d) with d ≥ 1.
func (b ImageTaskBuilder) Whiten() ImageTaskBuilder {
	b.whiten = true
	return b
}

// Seed sets the seed of the random draw of images. Default 1.
func (b ImageTaskBuilder) Seed(s uint64) ImageTaskBuilder {
	b.seed = s
	return b
}

// Noise sets the task's training and analysis noise σ (see rep.Task), both
// ≥ 0. Default 0.
func (b ImageTaskBuilder) Noise(train, test float64) ImageTaskBuilder {
	if !(train >= 0) || !(test >= 0) || math.IsInf(train, 0) || math.IsInf(test, 0) {
		b.errs = addErr(b.errs, "datasets: ImageTaskBuilder.Noise(%v, %v): σ must be finite and ≥ 0", train, test)
	}
	b.noiseTrain, b.noiseTest = train, test
	return b
}

// ImageSample is the draw behind an image task: which images, their
// labels, latents and inputs.
type ImageSample struct {
	Index   []int          // index of each stimulus in the image set
	Labels  []int          // its label
	Group   []int          // its latent class Σₖ [latent k = +1]·2ᵏ (its label with BalanceClasses)
	Names   []string       // latent names, one per column of Latents
	Latents *mat.Dense     // P×dL, entries ±1
	X       *mat.Dense     // P×dX: pixels in [0, 1], or the scaled principal components
	PCA     *rep.PCAResult // the PCA of the drawn pixels (nil without Dim)
}

// Sample draws the images and computes the inputs, without building the
// task.
func (b ImageTaskBuilder) Sample() (*ImageSample, error) {
	errs := slices.Clone(b.errs)
	if b.whiten && b.dim == 0 {
		errs = addErr(errs, "datasets: ImageTaskBuilder.Whiten(): needs Dim(d) with d ≥ 1")
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	s := b.set
	dl := len(b.latents)
	// Latent pattern of every image, and its group.
	pos := make([]int, dl)
	group := make([]int, s.Len())
	members := map[int][]int{}
	for i, label := range s.Labels {
		g := label
		pat := 0
		for k, l := range b.latents {
			if l.Of(label) {
				pat |= 1 << k
				pos[k]++
			}
		}
		if !b.byLabel {
			g = pat
		}
		group[i] = g
		members[g] = append(members[g], i)
	}
	for k, l := range b.latents {
		if pos[k] == 0 || pos[k] == s.Len() {
			errs = addErr(errs, "datasets: ImageTaskBuilder: latent %q is %+d for all %d images of %s: not a binary latent of this set", l.Name, 2*min(pos[k], 1)-1, s.Len(), s.Name)
		}
	}
	groups := make([]int, 0, len(members))
	for g := range members {
		groups = append(groups, g)
	}
	slices.Sort(groups)
	for _, g := range groups {
		if n := len(members[g]); n < b.perClass {
			errs = addErr(errs, "datasets: ImageTaskBuilder.PerClass(%d): %s has only %d images", b.perClass, b.describe(g), n)
		}
	}
	p := b.perClass * len(groups)
	if b.dim > 0 && b.dim > min(p-1, s.Dim()) {
		errs = addErr(errs, "datasets: ImageTaskBuilder.Dim(%d): d must be ≤ min(P−1, pixels) = %d (P = %d stimuli, %d pixels)", b.dim, min(p-1, s.Dim()), p, s.Dim())
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	// Balanced draw, group by group, in increasing group order.
	rng := rand.New(rand.NewPCG(b.seed, 0x9e3779b97f4a7c15))
	out := &ImageSample{Index: make([]int, 0, p), Labels: make([]int, 0, p), Group: make([]int, 0, p)}
	for _, g := range groups {
		idx := slices.Clone(members[g])
		for i := 0; i < b.perClass; i++ { // partial Fisher–Yates
			j := i + rng.IntN(len(idx)-i)
			idx[i], idx[j] = idx[j], idx[i]
		}
		chosen := idx[:b.perClass]
		slices.Sort(chosen)
		for _, i := range chosen {
			out.Index = append(out.Index, i)
			out.Labels = append(out.Labels, s.Labels[i])
			out.Group = append(out.Group, g)
		}
	}
	out.Latents = mat.NewDense(p, dl, nil)
	for r, label := range out.Labels {
		row := out.Latents.RawRowView(r)
		for k, l := range b.latents {
			row[k] = -1
			if l.Of(label) {
				row[k] = 1
			}
		}
	}
	for _, l := range b.latents {
		out.Names = append(out.Names, l.Name)
	}

	pixels := s.Dense(out.Index)
	if b.dim == 0 {
		out.X = pixels
		return out, nil
	}
	out.PCA = rep.PCA(pixels, b.dim)
	x := mat.DenseCopyOf(out.PCA.Scores)
	if b.whiten {
		for j, v := range out.PCA.Variance {
			if !(v > 1e-12*out.PCA.Variance[0]) {
				return nil, fmt.Errorf("datasets: ImageTaskBuilder.Whiten(): component %d of Dim(%d) has variance %.3g: the drawn images span fewer than %d dimensions", j+1, b.dim, v, b.dim)
			}
			f := 1 / math.Sqrt(v)
			for i := 0; i < p; i++ {
				x.Set(i, j, x.At(i, j)*f)
			}
		}
	}
	// Scale: mean squared row norm 1.
	raw := x.RawMatrix().Data
	ss := 0.0
	for _, v := range raw {
		ss += v * v
	}
	if !(ss > 0) {
		return nil, fmt.Errorf("datasets: ImageTaskBuilder.Dim(%d): the drawn images are all identical", b.dim)
	}
	f := math.Sqrt(float64(p) / ss)
	for i := range raw {
		raw[i] *= f
	}
	out.X = x
	return out, nil
}

// describe names a group in error messages.
func (b ImageTaskBuilder) describe(g int) string {
	if b.byLabel {
		name := fmt.Sprint(g)
		if g < len(b.set.Classes) {
			name = b.set.Classes[g]
		}
		return fmt.Sprintf("image class %d (%s)", g, name)
	}
	var parts []string
	for k, l := range b.latents {
		parts = append(parts, fmt.Sprintf("%s %+d", l.Name, 2*((g>>k)&1)-1))
	}
	return "latent class (" + strings.Join(parts, ", ") + ")"
}

// Build draws the images (see Sample) and returns the task: inputs X,
// targets and latents equal (P×dL, ±1), stimuli ordered by latent class
// (by image class with BalanceClasses).
func (b ImageTaskBuilder) Build() (*rep.Task, error) {
	smp, err := b.Sample()
	if err != nil {
		return nil, err
	}
	return rep.NewDataTask(smp.X, smp.Latents).Latents(smp.Latents).Noise(b.noiseTrain, b.noiseTest).Build()
}
