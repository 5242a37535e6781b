package sweep

import (
	"testing"

	"github.com/repgeom/repgeom/rep/internal/doccheck"
)

// TestExportedNamesDocumented: every exported name of package sweep has a
// doc comment.
func TestExportedNamesDocumented(t *testing.T) { doccheck.Check(t, ".") }
