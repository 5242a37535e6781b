package rep

import (
	"testing"

	"github.com/repgeom/repgeom/rep/internal/doccheck"
)

// TestExportedNamesDocumented: every exported name of package rep has a
// doc comment (issue 2, acceptance 1).
func TestExportedNamesDocumented(t *testing.T) { doccheck.Check(t, ".") }
