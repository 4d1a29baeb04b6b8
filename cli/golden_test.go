package cli

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The golden cases live in testdata/golden/<case>/:
//
//	refresh.hcl (+ any files it reads)  the input, never rewritten
//	args        the command line (default: validate); one argument per line
//	have/       optional: the output folder as it is before the command (copied to out/)
//	stdout, stderr, exit   what the command must print and return
//	want/       the output folder after the command, file for file; absent
//	            when the command leaves the folder as it was: as have/, or
//	            not there at all (a command that fails writes nothing)
//
// Refresh the expected files with -update or REFRESHGEN_UPDATE_GOLDEN=1 and
// read the diff before committing it.
var update = flag.Bool("update", false, "rewrite the expected output of the golden cases")

const goldenDir = "../testdata/golden"

// expectedFiles are the outputs of a case; everything else is its input.
var expectedFiles = []string{"stdout", "stderr", "exit", "want"}

func updating() bool {
	return *update || os.Getenv("REFRESHGEN_UPDATE_GOLDEN") != ""
}

func goldenCases(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names
}

func TestGolden(t *testing.T) {
	for _, name := range goldenCases(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			runGoldenCase(t, name)
		})
	}
}

// goldenRun is what one run of a case produced.
type goldenRun struct {
	dir            string // the temporary working directory
	stdout, stderr string
	exit           int
}

// runCase copies the case's inputs into a fresh folder and runs its command
// line there, in process.
func runCase(t *testing.T, name string) goldenRun {
	t.Helper()
	src := filepath.Join(goldenDir, name)
	dir := t.TempDir()
	copyTree(t, src, dir, isInput)
	if _, err := os.Stat(filepath.Join(src, "have")); err == nil {
		copyTree(t, filepath.Join(src, "have"), filepath.Join(dir, "out"), func(string) bool { return true })
	}
	var stdout, stderr bytes.Buffer
	env := &Env{Dir: dir, Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }, Bundles: fakeBundles{}}
	code := env.Run(caseArgs(t, src))
	return goldenRun{dir: dir, stdout: stdout.String(), stderr: stderr.String(), exit: code}
}

// isInput reports whether a path of a case folder is the command's input
// (the spec and the files it reads), not its arguments or expected output.
func isInput(rel string) bool {
	top := strings.Split(rel, string(filepath.Separator))[0]
	return !slices.Contains(expectedFiles, top) && top != "args" && top != "have"
}

func caseArgs(t *testing.T, src string) []string {
	data, err := os.ReadFile(filepath.Join(src, "args"))
	if os.IsNotExist(err) {
		return []string{"validate"}
	}
	if err != nil {
		t.Fatal(err)
	}
	if text := strings.TrimRight(string(data), "\n"); text != "" {
		return strings.Split(text, "\n")
	}
	return []string{}
}

func runGoldenCase(t *testing.T, name string) {
	run := runCase(t, name)
	src := filepath.Join(goldenDir, name)
	if updating() {
		writeGolden(t, src, run)
		return
	}
	hint := fmt.Sprintf("If the change is intended, run: go test ./cli -run 'TestGolden/%s$' -update (or REFRESHGEN_UPDATE_GOLDEN=1 go test ./...) and read the diff.", name)
	compareText(t, "exit code", readGolden(t, src, "exit"), strconv.Itoa(run.exit)+"\n", hint)
	compareText(t, "stdout", readGolden(t, src, "stdout"), run.stdout, hint)
	compareText(t, "stderr", readGolden(t, src, "stderr"), run.stderr, hint)
	compareTrees(t, expectedTree(src), filepath.Join(run.dir, "out"), hint)
}

// expectedTree is the folder the output folder must match after a case's
// command: want/, else have/ (left as it was), else none (an empty list).
func expectedTree(src string) string {
	for _, name := range []string{"want", "have"} {
		if _, err := os.Stat(filepath.Join(src, name)); err == nil {
			return filepath.Join(src, name)
		}
	}
	return filepath.Join(src, "want")
}

func readGolden(t *testing.T, dir, name string) string {
	data, err := os.ReadFile(filepath.Join(dir, name))
	if os.IsNotExist(err) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func compareText(t *testing.T, what, want, got, hint string) {
	t.Helper()
	if want != got {
		t.Errorf("%s differs.\n--- want\n%s\n--- got\n%s\n%s", what, want, got, hint)
	}
}

// writeGolden rewrites a case's expected files wholesale, so an output that
// is no longer produced disappears; inputs are never touched.
func writeGolden(t *testing.T, src string, run goldenRun) {
	t.Helper()
	for _, f := range expectedFiles {
		if err := os.RemoveAll(filepath.Join(src, f)); err != nil {
			t.Fatal(err)
		}
	}
	write := func(name, content string) {
		if content == "" && name != "exit" {
			return
		}
		if err := os.WriteFile(filepath.Join(src, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("exit", strconv.Itoa(run.exit)+"\n")
	write("stdout", run.stdout)
	write("stderr", run.stderr)
	out := filepath.Join(run.dir, "out")
	if _, err := os.Stat(out); err == nil && !sameTree(t, filepath.Join(src, "have"), out) {
		copyTree(t, out, filepath.Join(src, "want"), func(string) bool { return true })
	}
}

// sameTree reports whether two folders hold the same files, bytes and
// modes.
func sameTree(t *testing.T, a, b string) bool {
	t.Helper()
	as, bs := listTree(t, a), listTree(t, b)
	if len(as) != len(bs) {
		return false
	}
	for rel, f := range as {
		g, ok := bs[rel]
		if !ok || !bytes.Equal(f.data, g.data) || f.mode != g.mode {
			return false
		}
	}
	return true
}

// compareTrees requires the two folders to hold the same files with the
// same bytes and modes, naming every missing and unexpected file.
func compareTrees(t *testing.T, want, got, hint string) {
	t.Helper()
	wantFiles, gotFiles := listTree(t, want), listTree(t, got)
	for rel, w := range wantFiles {
		g, ok := gotFiles[rel]
		switch {
		case !ok:
			t.Errorf("missing file %s", rel)
		case !bytes.Equal(w.data, g.data):
			t.Errorf("file %s differs:\n%s", rel, firstDifference(w.data, g.data))
		case w.mode != g.mode:
			t.Errorf("file %s has mode %v, want %v", rel, g.mode, w.mode)
		}
	}
	for rel := range gotFiles {
		if _, ok := wantFiles[rel]; !ok {
			t.Errorf("unexpected file %s", rel)
		}
	}
	if t.Failed() {
		t.Log(hint)
	}
}

type treeFile struct {
	data []byte
	mode fs.FileMode
}

func listTree(t *testing.T, root string) map[string]treeFile {
	t.Helper()
	files := map[string]treeFile{}
	if _, err := os.Stat(root); os.IsNotExist(err) {
		return files
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		files[filepath.ToSlash(rel)] = treeFile{data: data, mode: info.Mode().Perm()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func firstDifference(want, got []byte) string {
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := range max(len(wl), len(gl)) {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want %q\n  got  %q", i+1, w, g)
		}
	}
	return "(same lines, different bytes)"
}

// copyTree copies the regular files under src that keep accepts, keeping
// their permission bits.
func copyTree(t *testing.T, src, dst string, keep func(rel string) bool) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if rel == "." || !keep(rel) {
			if d.IsDir() && rel != "." {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}
