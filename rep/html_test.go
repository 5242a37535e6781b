package rep

import (
	"strings"
	"testing"
)

// TestWriteHTML: networks and histories render as HTML tables holding
// their numbers, with at most 12 history rows.
func TestWriteHTML(t *testing.T) {
	task := Must(NewTask(2).Build())
	net := Must(NewNetwork(task).Hidden(8).Activation(Tanh).Build())
	h := Must(net.Train(GD(0.01).Epochs(100).RecordEvery(1).Record("ps", PSOf(0))))
	var b strings.Builder
	if err := net.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	if s := b.String(); !strings.Contains(s, "4 → [8] → 2") || !strings.Contains(s, "tanh") {
		t.Errorf("network HTML lacks its architecture:\n%s", s)
	}
	b.Reset()
	if err := h.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	if rows := strings.Count(s, "<tr><td>"); rows != 12 {
		t.Errorf("history HTML has %d rows, want 12", rows)
	}
	if !strings.Contains(s, "<th>ps</th>") || !strings.Contains(s, "<td>100</td>") || !strings.Contains(s, "<td>0</td>") {
		t.Errorf("history HTML lacks the metric column or the first/last epoch:\n%s", s)
	}
}
