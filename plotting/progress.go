package plotting

import (
	"fmt"
	"html"
	"io"
	"math"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
)

// Progress reports the progress of a long run (training, a sweep): in a
// GoNB notebook as a bar that updates in place (one transient display,
// gonbui.UpdateHTML), elsewhere as a progress line on standard error
// (rewritten in place on a terminal, one line per 10% otherwise). It
// redraws only when the whole percentage changes, so it costs nothing
// measurable when called every epoch. It is safe for concurrent use.
type Progress struct {
	mu       sync.Mutex
	title    string
	w        io.Writer
	tty      bool
	notebook bool
	id       string
	start    time.Time
	now      func() time.Time
	last     int // last percentage drawn, -1 before the first
	lastLine int // last 10% step printed (non-terminal)
	finished bool
}

// NewProgress returns a progress reporter with the given title, writing to
// standard error outside a notebook.
func NewProgress(title string) *Progress {
	p := &Progress{title: title, w: os.Stderr, now: time.Now, last: -1, lastLine: -1}
	if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		p.tty = true
	}
	p.notebook = gonbui.IsNotebook
	if p.notebook {
		p.id = gonbui.UniqueId()
	}
	p.start = p.now()
	return p
}

// To makes p write its progress lines to w (not a terminal: one line per
// 10%) instead of standard error, and never to a notebook. For tests and
// logs.
func (p *Progress) To(w io.Writer) *Progress {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.w, p.tty, p.notebook = w, false, false
	return p
}

// Clock makes p read the time from now (for reproducible logs and tests;
// default time.Now) and restarts its elapsed time.
func (p *Progress) Clock(now func() time.Time) *Progress {
	p.mu.Lock()
	defer p.mu.Unlock()
	if now != nil {
		p.now = now
		p.start = now()
	}
	return p
}

// Update reports that done of total steps are done, with an optional note
// (for example the current loss). total ≤ 0 is ignored.
func (p *Progress) Update(done, total int, note string) {
	if total <= 0 {
		return
	}
	done = max(0, min(done, total))
	pct := done * 100 / total
	p.mu.Lock()
	defer p.mu.Unlock()
	if pct == p.last || p.finished {
		return
	}
	p.last = pct
	final := done == total
	elapsed := p.now().Sub(p.start)
	switch {
	case p.notebook:
		gonbui.UpdateHTML(p.id, ProgressHTML(p.title, done, total, note, elapsed))
		if final {
			gonbui.Sync()
		}
	case p.tty:
		fmt.Fprintf(p.w, "\r%s", progressLine(p.title, done, total, note, elapsed))
		if final {
			fmt.Fprintln(p.w)
		}
	default:
		if step := pct / 10; step > p.lastLine {
			p.lastLine = step
			fmt.Fprintln(p.w, progressLine(p.title, done, total, note, elapsed))
		}
	}
	p.finished = final
}

// Training returns a callback for rep's Training.Progress: it reports the
// epoch out of epochs, with the loss as the note.
func (p *Progress) Training() func(epoch, epochs int, loss float64) {
	return func(epoch, epochs int, loss float64) {
		p.Update(epoch, epochs, fmt.Sprintf("loss %.4g", loss))
	}
}

// Sweep returns a generic done-of-total callback (rep/sweep's Progress).
func (p *Progress) Sweep() func(done, total int) {
	return func(done, total int) { p.Update(done, total, "") }
}

// TrainingProgress is NewProgress(title).Training().
func TrainingProgress(title string) func(epoch, epochs int, loss float64) {
	return NewProgress(title).Training()
}

// SweepProgress is NewProgress(title).Sweep().
func SweepProgress(title string) func(done, total int) {
	return NewProgress(title).Sweep()
}

// progressLine is the terminal form: title, a 30-character bar, the
// percentage, counts, note and elapsed time.
func progressLine(title string, done, total int, note string, elapsed time.Duration) string {
	const width = 30
	fill := done * width / total
	var b strings.Builder
	if title != "" {
		b.WriteString(title)
		b.WriteString(" ")
	}
	fmt.Fprintf(&b, "[%s%s] %3d%% %d/%d", strings.Repeat("#", fill), strings.Repeat(".", width-fill), done*100/total, done, total)
	if note != "" {
		b.WriteString(" ")
		b.WriteString(note)
	}
	fmt.Fprintf(&b, " (%s)", roundDuration(elapsed))
	return b.String()
}

func roundDuration(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(100 * time.Millisecond)
}

// ProgressHTML is the notebook form of a progress report: the HTML that
// Progress displays (and updates in place) in a GoNB cell.
func ProgressHTML(title string, done, total int, note string, elapsed time.Duration) string {
	pct := 0.0
	if total > 0 {
		pct = 100 * float64(max(0, min(done, total))) / float64(total)
	}
	var eta string
	if done > 0 && done < total {
		left := time.Duration(float64(elapsed) * float64(total-done) / float64(done))
		eta = fmt.Sprintf(", about %s left", roundDuration(left))
	}
	var b strings.Builder
	b.WriteString(`<div class="repgeom-progress" style="font-family:sans-serif;font-size:13px;margin:4px 0;">`)
	if title != "" {
		fmt.Fprintf(&b, `<span style="font-weight:bold;">%s</span> `, html.EscapeString(title))
	}
	fmt.Fprintf(&b, `<span style="display:inline-block;vertical-align:middle;width:240px;height:12px;background:#e6e6e6;border-radius:3px;overflow:hidden;">`+
		`<span style="display:block;width:%.1f%%;height:100%%;background:#4e79a7;"></span></span> `, math.Floor(pct*10)/10)
	fmt.Fprintf(&b, `%d%% (%d/%d)`, int(pct), done, total)
	if note != "" {
		fmt.Fprintf(&b, ` %s`, html.EscapeString(note))
	}
	fmt.Fprintf(&b, ` <span style="color:#777;">%s%s</span></div>`, roundDuration(elapsed), eta)
	return b.String()
}
