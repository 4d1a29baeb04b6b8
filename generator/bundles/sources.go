package bundles

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// sourceFiles lists, sorted, the files of sources a build reads: go.mod,
// go.sum and every Go file under lambdas/ except tests and test data. It
// takes all three helpers' files rather than one helper's imports: a few
// more files to hash, and no way to miss one.
func sourceFiles(sources fs.FS) ([]string, error) {
	files := []string{"go.mod", "go.sum"}
	err := fs.WalkDir(sources, "lambdas", func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && d.Name() == "testdata":
			return fs.SkipDir
		case d.Type().IsRegular() && path.Ext(p) == ".go" && !strings.HasSuffix(p, "_test.go"):
			files = append(files, p)
		}
		return nil
	})
	return files, err // WalkDir walks in lexical order, after go.mod and go.sum
}

// writeModule copies the build's files of sources into dir, which becomes
// the module's root.
func writeModule(sources fs.FS, dir string) error {
	files, err := sourceFiles(sources)
	if err != nil {
		return err
	}
	for _, f := range files {
		data, err := fs.ReadFile(sources, f)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
