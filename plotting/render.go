package plotting

import (
	"bytes"
	"fmt"

	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// SVG returns the static SVG of v (any value Save accepts), drawn with
// gonum/plot. The output is deterministic: the same figure gives the same
// bytes.
func SVG(v any, opts ...Option) ([]byte, error) {
	L, _, err := prepare(v, opts)
	if err != nil {
		return nil, err
	}
	w, h := L.size()
	c := vgsvg.New(pt(w), pt(h))
	if err := drawStatic(L, c); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plotting: writing SVG: %w", err)
	}
	return buf.Bytes(), nil
}

// PNG returns v rendered as a PNG image at the DPI option's resolution
// (default 192: twice the screen size).
func PNG(v any, opts ...Option) ([]byte, error) {
	L, cfg, err := prepare(v, opts)
	if err != nil {
		return nil, err
	}
	w, h := L.size()
	c := vgimg.NewWith(vgimg.UseWH(pt(w), pt(h)), vgimg.UseDPI(cfg.dpi))
	if err := drawStatic(L, c); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plotting: writing PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// PDF returns v as a one-page PDF with embedded fonts. (PDF files carry a
// creation date, so unlike SVG they differ from run to run.)
func PDF(v any, opts ...Option) ([]byte, error) {
	L, _, err := prepare(v, opts)
	if err != nil {
		return nil, err
	}
	w, h := L.size()
	c := vgpdf.New(pt(w), pt(h))
	if err := drawStatic(L, c); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plotting: writing PDF: %w", err)
	}
	return buf.Bytes(), nil
}
