// Package generator owns refreshgen's output: the in-memory tree renderers
// fill, the manifest of owned files, the plan that compares a tree with the
// output folder, the atomic apply of that plan, and the drift report. The
// renderers themselves live in subpackages and are pure functions from the
// spec's model to files.
package generator

import (
	"fmt"

	"github.com/refreshgen/refreshgen/roles"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/workflows"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Kind says what a rendered file is; the manifest records it and the drift
// report uses it to choose how to show a difference.
type Kind string

// The kinds of rendered files.
const (
	KindDocs       Kind = "docs"
	KindSQL        Kind = "sql"
	KindTerraform  Kind = "terraform"
	KindASL        Kind = "asl"
	KindIAM        Kind = "iam"
	KindLambdaZip  Kind = "lambda-zip"
	KindKubernetes Kind = "kubernetes"
	KindManifest   Kind = "manifest"
)

// ModeFile is the mode of every rendered file: fixed, whatever the umask.
const ModeFile fs.FileMode = 0o644

// Input is what every renderer reads: the validated model, where the spec
// lives relative to the output folder (slash-separated), for prose that
// tells readers which file to edit, and the Lambda bundles. Nothing else
// about the machine enters a rendering, so the same spec gives the same
// bytes everywhere the same Go toolchain builds the bundles.
type Input struct {
	Spec     *spec.Spec
	SpecPath string
	// Bundle returns the zip of one Lambda helper and the digest of what it
	// is built from (File.Inputs). Building runs a compiler, so the command
	// injects it and renderers stay pure; nil fails a rendering that needs
	// a bundle.
	Bundle func(LambdaBundle) (zip []byte, inputs string, err error)
	// Machines and Roles are derived from Spec once per rendering (by
	// render.Tree) and shared by the renderers that need them.
	Machines []workflows.Machine
	Roles    []roles.Role
}

// LambdaBundle is everything a renderer decides about one Lambda helper's
// bundle.
type LambdaBundle struct {
	Helper string // its folder under lambdas/: run-sql, get-efs-subpath, check-flag-file
	Arch   spec.Architecture
	// CABundle is shipped beside bootstrap as rds-global-bundle.pem, where
	// run-sql reads it; empty ships no such file.
	CABundle string
}

// File is one rendered file.
type File struct {
	Path string // slash-separated, relative to the output folder
	Kind Kind
	Mode fs.FileMode
	Data []byte
	// Inputs optionally digests what the file was built from (a Lambda
	// bundle's sources and toolchain), so a check can trust the file on disk
	// without rebuilding it.
	Inputs string
}

// Tree is the whole rendered output, keyed by path.
type Tree struct {
	files map[string]*File
}

// NewTree returns an empty tree.
func NewTree() *Tree {
	return &Tree{files: map[string]*File{}}
}

// Add puts a file in the tree. A path that is not clean, relative and inside
// the output folder, or that two renderers both claim, is an error: the
// tree never holds a file that could land outside the output folder.
func (t *Tree) Add(f File) error {
	if err := checkRelPath(f.Path); err != nil {
		return err
	}
	if _, dup := t.files[f.Path]; dup {
		return fmt.Errorf("two renderers produce %s", f.Path)
	}
	if f.Mode == 0 {
		f.Mode = ModeFile
	}
	t.files[f.Path] = &f
	return nil
}

// File returns the file at path, or nil.
func (t *Tree) File(p string) *File {
	return t.files[p]
}

// Paths returns every path in sorted order.
func (t *Tree) Paths() []string {
	out := make([]string, 0, len(t.files))
	for p := range t.files {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// Len is the number of files.
func (t *Tree) Len() int { return len(t.files) }

// checkRelPath accepts only clean, relative, slash-separated paths that stay
// inside the output folder.
func checkRelPath(p string) error {
	switch {
	case p == "" || p == ".":
		return fmt.Errorf("empty path")
	case strings.ContainsAny(p, "\\\x00") || strings.Contains(p, ":"):
		return fmt.Errorf("path %q has a character refreshgen never writes", p)
	case path.IsAbs(p):
		return fmt.Errorf("path %q is absolute", p)
	case path.Clean(p) != p:
		return fmt.Errorf("path %q is not clean", p)
	case p == ".." || strings.HasPrefix(p, "../"):
		return fmt.Errorf("path %q escapes the output folder", p)
	}
	return nil
}
