package plotting

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"
	"gonum.org/v1/gonum/mat"

	"github.com/repgeom/repgeom/rep"
)

// Content is what Show displays: its MIME type ("text/html",
// "image/svg+xml" or "image/png"), the data, and the plain-text summary
// printed outside a notebook.
type Content struct {
	MIME string
	Data []byte
	Text string
}

// HTMLWriter is implemented by values that render themselves as an HTML
// fragment (rep's result types).
type HTMLWriter interface {
	WriteHTML(w io.Writer) error
}

// drawable says whether v converts to a figure.
func drawable(v any) bool {
	switch v.(type) {
	case Figure, *Figure, Plot, *Plot, *rep.History, rep.History, []*rep.History, mat.Matrix:
		return true
	}
	return false
}

// ShowContent returns what Show would display for v, without displaying
// it: the twin of Show for tests and for composing pages.
//
//   - a Figure, Plot, *rep.History, []*rep.History or mat.Matrix: the
//     interactive ECharts HTML (the static SVG with the Static option);
//   - an HTMLWriter: its HTML;
//   - an image.Image: a PNG;
//   - an error, a fmt.Stringer or a string: the text, in a <pre>.
func ShowContent(v any, opts ...Option) (Content, error) {
	if drawable(v) {
		text := summary(v)
		cfg, err := newConfig(opts)
		if err != nil {
			return Content{}, err
		}
		if cfg.static {
			svg, err := SVG(v, opts...)
			if err != nil {
				return Content{}, err
			}
			return Content{MIME: "image/svg+xml", Data: svg, Text: text}, nil
		}
		frag, err := HTML(v, opts...)
		if err != nil {
			return Content{}, err
		}
		return Content{MIME: "text/html", Data: []byte(frag), Text: text}, nil
	}
	switch v := v.(type) {
	case HTMLWriter:
		var b bytes.Buffer
		if err := v.WriteHTML(&b); err != nil {
			return Content{}, fmt.Errorf("plotting: %T.WriteHTML: %w", v, err)
		}
		text := fmt.Sprintf("%T", v)
		if s, ok := v.(fmt.Stringer); ok {
			text = s.String()
		}
		return Content{MIME: "text/html", Data: b.Bytes(), Text: text}, nil
	case image.Image:
		var b bytes.Buffer
		if err := png.Encode(&b, v); err != nil {
			return Content{}, fmt.Errorf("plotting: encoding the image: %w", err)
		}
		r := v.Bounds()
		return Content{MIME: "image/png", Data: b.Bytes(), Text: fmt.Sprintf("image %d×%d", r.Dx(), r.Dy())}, nil
	case error:
		return textContent(v.Error()), nil
	case fmt.Stringer:
		return textContent(v.String()), nil
	case string:
		return textContent(v), nil
	case nil:
		return Content{}, errors.New("plotting: nothing to show (nil)")
	}
	return Content{}, fmt.Errorf("plotting: cannot show a %T", v)
}

func textContent(s string) Content {
	return Content{MIME: "text/html", Data: []byte("<pre>" + html.EscapeString(s) + "</pre>"), Text: s}
}

// summary is the text printed for a drawable value outside a notebook.
func summary(v any) string {
	switch v := v.(type) {
	case mat.Matrix:
		r, c := v.Dims()
		return fmt.Sprintf("%d×%d matrix\n%v", r, c, mat.Formatted(v, mat.Squeeze(), mat.Excerpt(3)))
	case fmt.Stringer:
		return v.String()
	}
	f, err := toFigure(v)
	if err != nil {
		return err.Error()
	}
	return f.String()
}

// Show displays v in the current GoNB notebook cell: figures (Figure,
// Plot, *rep.History, []*rep.History, mat.Matrix) as interactive ECharts
// HTML (static SVG with the Static option), HTMLWriters as their HTML,
// images as PNG, anything else as text. It waits until GoNB has received
// the display (gonbui.Sync), so a display right before the program ends
// is not lost. Outside a notebook it prints the text summary to standard
// output and displays nothing.
func Show(v any, opts ...Option) error {
	if !gonbui.IsNotebook {
		c, err := textOnly(v, opts)
		if err != nil {
			return err
		}
		fmt.Println(c)
		return nil
	}
	c, err := ShowContent(v, opts...)
	if err != nil {
		return err
	}
	switch c.MIME {
	case "image/svg+xml":
		gonbui.DisplaySVG(stripXMLProlog(string(c.Data)))
	case "image/png":
		gonbui.DisplayPNG(c.Data)
	default:
		gonbui.DisplayHTML(string(c.Data))
	}
	gonbui.Sync()
	return nil
}

// textOnly returns the summary Show prints outside a notebook, after
// checking that v could be drawn (so errors surface in tests and scripts
// too) without rendering it.
func textOnly(v any, opts []Option) (string, error) {
	if drawable(v) {
		if _, _, err := prepare(v, opts); err != nil {
			return "", err
		}
		return summary(v), nil
	}
	c, err := ShowContent(v, opts...)
	return c.Text, err
}

// stripXMLProlog removes "<?xml …?>" so an SVG can sit inside HTML.
func stripXMLProlog(s string) string {
	if strings.HasPrefix(s, "<?xml") {
		if i := strings.Index(s, "?>"); i >= 0 {
			return strings.TrimLeft(s[i+2:], "\n")
		}
	}
	return s
}

// Save writes v (a Figure, Plot, *rep.History, []*rep.History or any
// mat.Matrix) to path, in the format its extension names: .html
// (interactive ECharts page, self-contained and offline by default), .svg,
// .png or .pdf (static, gonum/plot). Parent directories must exist.
func Save(v any, path string, opts ...Option) error {
	var (
		data []byte
		err  error
	)
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".html", ".htm":
		data, err = HTMLPage(v, opts...)
	case ".svg":
		data, err = SVG(v, opts...)
	case ".png":
		data, err = PNG(v, opts...)
	case ".pdf":
		data, err = PDF(v, opts...)
	default:
		return fmt.Errorf("plotting: Save(%q): unknown extension %q: use .html, .svg, .png or .pdf", path, ext)
	}
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("plotting: Save: %w", err)
	}
	return nil
}
