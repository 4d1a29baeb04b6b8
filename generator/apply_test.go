package generator

import (
	"archive/zip"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func tree(t *testing.T, files map[string]string) *Tree {
	t.Helper()
	tr := NewTree()
	for p, data := range files {
		if err := tr.Add(File{Path: p, Kind: KindDocs, Data: []byte(data)}); err != nil {
			t.Fatal(err)
		}
	}
	return tr
}

func snapshot(t *testing.T, root string) *Snapshot {
	t.Helper()
	s, err := ReadSnapshot(root)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func applyTree(t *testing.T, root string, tr *Tree, force bool) error {
	t.Helper()
	return Apply(root, NewPlan(tr, snapshot(t, root)), force)
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestTreeRejectsUnsafePaths(t *testing.T) {
	for _, p := range []string{"", ".", "/etc/passwd", "../x", "a/../../x", "a//b", "a/./b", `a\b`, "c:/x", "a/\x00"} {
		if err := NewTree().Add(File{Path: p}); err == nil {
			t.Errorf("Add(%q) accepted an unsafe path", p)
		}
	}
	tr := NewTree()
	if err := tr.Add(File{Path: "a/b"}); err != nil {
		t.Fatal(err)
	}
	if err := tr.Add(File{Path: "a/b"}); err == nil {
		t.Error("a path added twice was accepted")
	}
}

func TestApplyCreatesUpdatesDeletesAndPrunes(t *testing.T) {
	root := t.TempDir()
	if err := applyTree(t, root, tree(t, map[string]string{"keep.txt": "k", "deep/a/b/gone.txt": "g", "deep/stay.txt": "s"}), false); err != nil {
		t.Fatal(err)
	}
	if err := applyTree(t, root, tree(t, map[string]string{"keep.txt": "k2", "deep/stay.txt": "s"}), false); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(root, "keep.txt")); got != "k2" {
		t.Errorf("keep.txt = %q", got)
	}
	if _, err := os.Stat(filepath.Join(root, "deep", "a")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("emptied folders deep/a/b and deep/a were not pruned")
	}
	if _, err := os.Stat(filepath.Join(root, "deep", "stay.txt")); err != nil {
		t.Error("a folder that still holds a file was pruned")
	}
	m, err := ParseManifest([]byte(readFile(t, filepath.Join(root, ManifestName))))
	if err != nil || len(m.Files) != 2 {
		t.Fatalf("manifest %+v, %v", m, err)
	}
}

func TestApplyNeverDeletesFilesItDidNotWrite(t *testing.T) {
	root := t.TempDir()
	mine := filepath.Join(root, "mine.txt")
	if err := os.WriteFile(mine, []byte("user"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := applyTree(t, root, tree(t, map[string]string{"a.txt": "a"}), false); err != nil {
		t.Fatal(err)
	}
	if err := applyTree(t, root, tree(t, map[string]string{}), false); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, mine); got != "user" {
		t.Error("an unmanaged file was touched")
	}
	if _, err := os.Stat(filepath.Join(root, "a.txt")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("a stale owned file was kept")
	}
}

func TestApplyRefusesWithoutWritingAnything(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "b.txt"), []byte("user"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := applyTree(t, root, tree(t, map[string]string{"a.txt": "a", "b.txt": "b"}), false)
	var refused *RefusedError
	if !errors.As(err, &refused) || len(refused.Changes) != 1 || refused.Changes[0].Path != "b.txt" {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "a.txt")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("a refused render wrote a file")
	}
	if err := applyTree(t, root, tree(t, map[string]string{"a.txt": "a", "b.txt": "b"}), true); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(root, "b.txt")); got != "b" {
		t.Error("--force did not overwrite")
	}
}

func TestApplyNeverWritesThroughALink(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	if err := os.Symlink(outside, filepath.Join(root, "sub")); err != nil {
		t.Fatal(err)
	}
	err := applyTree(t, root, tree(t, map[string]string{"sub/x.txt": "x"}), true)
	if err == nil {
		t.Fatal("render wrote through a symbolic link")
	}
	if entries, _ := os.ReadDir(outside); len(entries) > 0 {
		t.Error("a file landed outside the output folder")
	}
}

// failingWriter fails after n successful writes, like a disk filling up.
type failingWriter struct {
	osWriter
	n int
}

func (w *failingWriter) WriteFile(root, rel string, data []byte, mode fs.FileMode) error {
	if w.n == 0 {
		return errors.New("disk full")
	}
	w.n--
	return w.osWriter.WriteFile(root, rel, data, mode)
}

func TestApplyFailurePartWayConverges(t *testing.T) {
	want := tree(t, map[string]string{"a": "1", "b": "2", "c/d": "3"})
	for n := range want.Len() + 1 {
		root := t.TempDir()
		if err := applyTree(t, root, tree(t, map[string]string{"old": "o"}), false); err != nil {
			t.Fatal(err)
		}
		plan := NewPlan(want, snapshot(t, root))
		if err := apply(root, plan, false, &failingWriter{n: n}); err == nil {
			t.Fatalf("n=%d: the failing writer did not fail", n)
		}
		if err := applyTree(t, root, want, false); err != nil {
			t.Fatalf("n=%d: the next render failed: %v", n, err)
		}
		if !NewPlan(want, snapshot(t, root)).UpToDate() {
			t.Errorf("n=%d: the next render did not converge", n)
		}
		if _, err := os.Stat(filepath.Join(root, "old")); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("n=%d: the stale file of the first render survived", n)
		}
	}
}

func TestManifestIsDeterministicAndReadable(t *testing.T) {
	tr := tree(t, map[string]string{"b": "2", "a": "1"})
	data := tr.Manifest().Bytes()
	if !bytes.Equal(data, tr.Manifest().Bytes()) || !strings.HasSuffix(string(data), "}\n") {
		t.Fatal("manifest bytes unstable")
	}
	m, err := ParseManifest(data)
	if err != nil || m.Files[0].Path != "a" || m.Files[1].Path != "b" || m.Files[0].Mode != "0644" {
		t.Fatalf("%+v %v", m, err)
	}
	for _, bad := range []string{`{"files":[{"path":"../x"}]}`, `{"files":[{"path":"refreshgen-manifest.json"}]}`, `{"unknown":1}`, `[`} {
		if _, err := ParseManifest([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func zipOf(t *testing.T, entries map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range entries {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(data))
	}
	zw.Close()
	return buf.Bytes()
}

func TestZipDifferenceListsEntries(t *testing.T) {
	old := zipOf(t, map[string]string{"bootstrap": "v1", "gone": "x"})
	new := zipOf(t, map[string]string{"bootstrap": "v2!", "added": "y"})
	got := zipDifference("lambdas/run-sql.zip", old, new)
	for _, want := range []string{"~ bootstrap: 2 bytes", "want 3 bytes", "- gone (not in the rendered zip)", "+ added ("} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
}
