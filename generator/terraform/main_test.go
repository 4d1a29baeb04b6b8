package terraform_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/generator/terraform/tftest"
)

// scratch holds what the Terraform tests share: the CLI configuration, the
// plugin cache and the initialised trees.
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

// terraformSpecs are the specs whose Terraform the CLI checks: the example,
// rendered as out/, and the specs of the golden render trees (the "shop"
// spec most render and check goldens use, and the one with every feature).
// Each is rendered in memory like the example, with stubs for the Lambda
// zips, which Terraform only reads and hashes; TestRenderedTerraformIsCommitted
// checks that its Terraform is the committed tree's, file for file.
var terraformSpecs = []struct {
	name     string // a name for the logs and the folder on disk
	file     string // the spec, from this package
	specPath string // how the committed tree's headers name the spec
	want     string // the committed tree, from this package
}{
	{"example", exampleSpec, exampleSpecPath, "../../out"},
	{"render-fresh", "../../testdata/golden/render-fresh/refresh.hcl", "../refresh.hcl", "../../testdata/golden/render-fresh/want"},
	{"render-every-feature", "../../testdata/golden/render-every-feature/refresh.hcl", "../refresh.hcl", "../../testdata/golden/render-every-feature/want"},
}

// specTree is one of terraformSpecs rendered, and where it is on disk once
// the workspace is written.
type specTree struct {
	name string
	want string
	ex   *example
	dir  string
}

var renderSpecs = sync.OnceValues(func() ([]*specTree, error) {
	var trees []*specTree
	for _, s := range terraformSpecs {
		var ex *example
		var err error
		if s.file == exampleSpec {
			ex, err = renderExample()
		} else {
			var src []byte
			if src, err = os.ReadFile(s.file); err == nil {
				ex, err = renderSpecFile(s.file, s.specPath, src)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.file, err)
		}
		trees = append(trees, &specTree{name: s.name, want: s.want, ex: ex})
	}
	return trees, nil
})

func specTrees(t testing.TB) []*specTree {
	t.Helper()
	trees, err := renderSpecs()
	if err != nil {
		t.Fatal(err)
	}
	return trees
}

// folder is a Terraform folder to validate on its own: the first tree that
// holds it, and the other trees holding the same folder, which are not
// validated again.
type folder struct {
	tree *specTree
	dir  string // slash path in the tree
	also []string
}

func (f *folder) abs() string { return filepath.Join(f.tree.dir, filepath.FromSlash(f.dir)) }

func (f *folder) String() string { return f.tree.name + " " + f.dir }

// workspace is every tree on disk, with every root and every distinct
// module initialised, once for all the tests.
type workspace struct {
	trees   []*specTree
	folders []*folder
}

var initialised struct {
	once sync.Once
	ws   *workspace
	err  error
}

// terraformTrees returns terraform and the initialised trees, or skips
// (fails in CI) when terraform or the provider mirror is missing.
func terraformTrees(t *testing.T) (*tftest.Terraform, *workspace) {
	t.Helper()
	tf := tftest.Find(t, scratch)
	trees := specTrees(t)
	initialised.once.Do(func() {
		initialised.ws, initialised.err = setUp(tf, trees)
	})
	if initialised.err != nil {
		t.Fatal(initialised.err)
	}
	return tf, initialised.ws
}

// setUp writes the trees and initialises every folder that a test runs
// terraform in: the distinct folders, and every root (each is planned).
func setUp(tf *tftest.Terraform, trees []*specTree) (*workspace, error) {
	ws := &workspace{trees: trees}
	seen := map[string]*folder{}
	var dirs []string
	for _, st := range trees {
		st.dir = filepath.Join(scratch, st.name)
		if err := writeTree(st.ex.tree, st.dir); err != nil {
			return nil, err
		}
		keys := map[string]string{}
		for _, d := range terraformDirs(st.ex.tree) {
			k := folderKey(st.ex.tree, d, keys)
			f := seen[k]
			if f == nil {
				f = &folder{tree: st, dir: d}
				seen[k] = f
				ws.folders = append(ws.folders, f)
				dirs = append(dirs, f.abs())
				continue
			}
			f.also = append(f.also, st.name)
			if isRoot(d) { // planned in every tree all the same
				dirs = append(dirs, filepath.Join(st.dir, filepath.FromSlash(d)))
			}
		}
	}
	return ws, initAll(tf, dirs)
}

// initAll inits dirs: the first alone, which fills the plugin cache, then
// the others concurrently, as the cache is then only read, as many at once
// as -test.parallel lets the validate and plan subtests run.
func initAll(tf *tftest.Terraform, dirs []string) error {
	if len(dirs) == 0 {
		return nil
	}
	if err := initDir(tf, dirs[0]); err != nil {
		return err
	}
	errs := make([]error, len(dirs))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(parallelism(), len(dirs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				errs[i] = initDir(tf, dirs[i])
			}
		}()
	}
	for i := 1; i < len(dirs); i++ {
		work <- i
	}
	close(work)
	wg.Wait()
	return errors.Join(errs...)
}

// parallelism is the -test.parallel setting, GOMAXPROCS by default.
func parallelism() int {
	if f := flag.Lookup("test.parallel"); f != nil {
		if n, err := strconv.Atoi(f.Value.String()); err == nil && n > 0 {
			return n
		}
	}
	return runtime.GOMAXPROCS(0)
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

// isRoot tells a deployment root from a module.
func isRoot(dir string) bool { return path.Dir(dir) == "deployments" }

var (
	// localSources are the module calls to folders of the tree.
	localSources = regexp.MustCompile(`(?m)^\s*source\s*=\s*"(\.\.?/[^"]*)"`)
	// moduleFiles are the files of the tree a folder reads.
	moduleFiles = regexp.MustCompile(`"\$\{path\.module\}/([^"]+)"`)
	// header is the first line of every rendered .tf file: it names the
	// spec, and only that differs between the trees' copies of a module.
	header = regexp.MustCompile(`\A# Code generated by refreshgen from [^\n]*\n`)
)

// folderKey identifies what Terraform sees of dir: its files, with the
// header comment that names the spec left out, the folders of the modules
// it calls and the files it reads, so that two folders with the same key
// validate alike. keys memoises it per tree.
func folderKey(tree *generator.Tree, dir string, keys map[string]string) string {
	if k, ok := keys[dir]; ok {
		return k
	}
	h := sha256.New()
	for _, p := range tree.Paths() {
		if path.Dir(p) != dir {
			continue
		}
		data := tree.File(p).Data
		if tree.File(p).Kind == generator.KindTerraform {
			data = header.ReplaceAll(data, nil)
		}
		fmt.Fprintf(h, "file %s %d\n", path.Base(p), len(data))
		h.Write(data)
		for _, m := range localSources.FindAllSubmatch(data, -1) {
			fmt.Fprintf(h, "module %s %s\n", m[1], folderKey(tree, path.Join(dir, string(m[1])), keys))
		}
		for _, m := range moduleFiles.FindAllSubmatch(data, -1) {
			var read []byte
			if f := tree.File(path.Join(dir, string(m[1]))); f != nil {
				read = f.Data
			}
			sum := sha256.Sum256(read)
			fmt.Fprintf(h, "reads %s %x\n", m[1], sum)
		}
	}
	k := hex.EncodeToString(h.Sum(nil))
	keys[dir] = k
	return k
}

// TestRenderedTerraformIsCommitted checks that each spec rendered in memory
// has the Terraform of its committed tree, which the golden and out/ tests
// pin to the CLI's render: the Terraform checks run on what is committed.
func TestRenderedTerraformIsCommitted(t *testing.T) {
	for _, st := range specTrees(t) {
		want := map[string][]byte{}
		err := filepath.WalkDir(st.want, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".tf") {
				return err
			}
			rel, err := filepath.Rel(st.want, p)
			if err == nil {
				want[filepath.ToSlash(rel)], err = os.ReadFile(p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, p := range st.ex.tree.Paths() {
			if st.ex.tree.File(p).Kind != generator.KindTerraform {
				continue
			}
			n++
			switch w, ok := want[p]; {
			case !ok:
				t.Errorf("%s: %s is rendered, but not in %s", st.name, p, st.want)
			case !bytes.Equal(w, st.ex.tree.File(p).Data):
				t.Errorf("%s: %s differs from %s", st.name, p, filepath.Join(st.want, p))
			}
			delete(want, p)
		}
		for p := range want {
			t.Errorf("%s: %s is in %s, but not rendered", st.name, p, st.want)
		}
		t.Logf("%s: %d .tf files, as in %s", st.name, n, st.want)
	}
}
