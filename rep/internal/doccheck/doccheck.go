// Package doccheck checks that every exported name of a package has a doc
// comment; the packages of this module call it from a test.
package doccheck

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Check reports, as test errors, every exported name of the Go package in
// dir (test files excluded) that has no doc comment.
func Check(t testing.TB, dir string) {
	t.Helper()
	fset := token.NewFileSet()
	files := map[string]*ast.File{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = f
	}
	pkg, err := doc.NewFromFiles(fset, mapValues(files), "pkg")
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	check := func(kind, name, d string) {
		if ast.IsExported(name) && strings.TrimSpace(d) == "" {
			missing = append(missing, kind+" "+name)
		}
	}
	for _, f := range pkg.Funcs {
		check("func", f.Name, f.Doc)
	}
	for _, v := range append(pkg.Vars, pkg.Consts...) {
		for _, n := range v.Names {
			if v.Doc == "" && !specDocumented(v.Decl, n) {
				check("var/const", n, "")
			}
		}
	}
	for _, ty := range pkg.Types {
		check("type", ty.Name, ty.Doc)
		for _, f := range append(ty.Funcs, ty.Methods...) {
			check("func", ty.Name+"."+f.Name, f.Doc)
		}
		for _, v := range append(ty.Vars, ty.Consts...) {
			for _, n := range v.Names {
				if v.Doc == "" && !specDocumented(v.Decl, n) {
					check("var/const", n, "")
				}
			}
		}
	}
	for _, m := range missing {
		t.Errorf("%s has no doc comment", m)
	}
}

// specDocumented reports whether the value spec declaring name in a
// grouped declaration carries its own comment.
func specDocumented(decl *ast.GenDecl, name string) bool {
	for _, s := range decl.Specs {
		vs, ok := s.(*ast.ValueSpec)
		if !ok {
			continue
		}
		for _, n := range vs.Names {
			if n.Name == name {
				return vs.Doc != nil || vs.Comment != nil
			}
		}
	}
	return false
}

// mapValues returns the files of a map in no particular order.
func mapValues(m map[string]*ast.File) []*ast.File {
	out := make([]*ast.File, 0, len(m))
	for _, f := range m {
		out = append(out, f)
	}
	return out
}
