package terraform_test

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sync"
	"testing"

	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/generator/terraform/tftest"
)

// scratch holds what the Terraform tests share: the CLI configuration, the
// plugin cache and the initialised example tree.
var scratch string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "refreshgen-terraform-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	scratch = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// initialised is the example tree on disk with every root and module
// initialised, once for all the tests.
var initialised struct {
	once sync.Once
	dir  string
	err  error
}

// terraformTree returns terraform and the initialised example tree, or
// skips (fails in CI) when terraform or the provider mirror is missing.
func terraformTree(t *testing.T) (*tftest.Terraform, string) {
	t.Helper()
	tf := tftest.Find(t, scratch)
	ex := exampleTree(t)
	initialised.once.Do(func() {
		initialised.dir = filepath.Join(scratch, "tree")
		initialised.err = writeTree(ex.tree, initialised.dir)
		for _, dir := range terraformDirs(ex.tree) {
			if initialised.err != nil {
				return
			}
			initialised.err = initDir(tf, filepath.Join(initialised.dir, filepath.FromSlash(dir)))
		}
	})
	if initialised.err != nil {
		t.Fatal(initialised.err)
	}
	return tf, initialised.dir
}

// initDir runs terraform init in dir: the provider comes from the mirror,
// a root's modules from their local folders.
func initDir(tf *tftest.Terraform, dir string) error {
	if out, err := tf.Run(dir, nil, "init", "-backend=false", "-input=false", "-no-color"); err != nil {
		return fmt.Errorf("terraform init in %s: %v\n%s", dir, err, out)
	}
	return nil
}

// writeTree writes a rendered tree into dir.
func writeTree(tree *generator.Tree, dir string) error {
	for _, p := range tree.Paths() {
		f := tree.File(p)
		name := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(name, f.Data, f.Mode); err != nil {
			return err
		}
	}
	return nil
}

// terraformDirs are the folders holding .tf files: the roots, then the
// modules.
func terraformDirs(tree *generator.Tree) []string {
	var dirs []string
	seen := map[string]bool{}
	for _, p := range tree.Paths() {
		if dir := path.Dir(p); tree.File(p).Kind == generator.KindTerraform && !seen[dir] {
			seen[dir] = true
			dirs = append(dirs, dir)
		}
	}
	return dirs
}
