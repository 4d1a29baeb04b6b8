package generator

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnifiedDiff(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"one line changed", "a\nb\nc\n", "a\nB\nc\n", "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
		{"added to empty", "", "x\n", "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+x\n"},
		{"emptied", "x\n", "", "--- a/f\n+++ b/f\n@@ -1 +0,0 @@\n-x\n"},
		{"missing final newline", "a\nb", "a\nb\n", "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"},
		{"two hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "1\nX\n3\n4\n5\n6\n7\n8\n9\n10\nY\n12\n",
			"--- a/f\n+++ b/f\n@@ -1,5 +1,5 @@\n 1\n-2\n+X\n 3\n 4\n 5\n@@ -8,5 +8,5 @@\n 8\n 9\n 10\n-11\n+Y\n 12\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := unifiedDiff("f", []byte(tt.old), []byte(tt.new)); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestUnifiedDiffAppliesWithPatch checks the diffs against patch(1): applying
// the diff to the old text must give the new one, for edits of every shape.
func TestUnifiedDiffAppliesWithPatch(t *testing.T) {
	patch, err := exec.LookPath("patch")
	if err != nil {
		t.Skip("patch(1) is not installed")
	}
	olds := []string{"", "a\n", "a\nb\nc\nd\ne\nf\ng\nh\n", "x\ny\nz"}
	news := []string{"", "b\n", "a\nc\nd\nE\nf\ng\nh\ni\n", "x\nz\n", "q\nx\ny\nz"}
	for _, o := range olds {
		for _, n := range news {
			d := unifiedDiff("f", []byte(o), []byte(n))
			if d == "" {
				continue
			}
			dir := t.TempDir()
			file := filepath.Join(dir, "f")
			if err := os.WriteFile(file, []byte(o), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(patch, "-s", "-p1", "-d", dir)
			cmd.Stdin = strings.NewReader(d)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("patch rejects the diff of %q -> %q: %v\n%s\n%s", o, n, err, out, d)
			}
			got, _ := os.ReadFile(file)
			if string(got) != n {
				t.Errorf("patched %q -> %q gives %q\n%s", o, n, got, d)
			}
		}
	}
}

func TestDiffFallsBackOnHugeEdits(t *testing.T) {
	var a, b []string
	for i := range 3 * maxEditDistance {
		a = append(a, "a"+string(rune('0'+i%10))+"\n")
		b = append(b, "b"+string(rune('0'+i%10))+"\n")
	}
	edits := diffLines(a, b)
	if len(edits) != len(a)+len(b) {
		t.Fatalf("got %d edits", len(edits))
	}
}
