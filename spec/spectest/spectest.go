// Package spectest loads spec files for the tests of other packages.
package spectest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/refreshgen/refreshgen/spec"
)

// Load loads the spec at path, resolving file() next to it, and fails the
// test on any error diagnostic.
func Load(t testing.TB, path string) *spec.Spec {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(path)
	res := spec.Load(path, src, spec.Options{ToolVersion: "0.1.0", ReadFile: func(rel string) ([]byte, error) {
		return os.ReadFile(filepath.Join(dir, rel))
	}})
	if res.Diagnostics.HasErrors() {
		t.Fatal(res.Diagnostics)
	}
	return res.Spec
}
