package asl_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestASLCheck runs the external validators (asl-validator and AWS's
// language service, behind ../shared/tools/asl-check) on every test
// machine, and wants no finding at all, warnings included.
func TestASLCheck(t *testing.T) {
	tool := validatorPath(t, "asl-check")
	dir := t.TempDir()
	for name, m := range testMachines() {
		if err := os.WriteFile(filepath.Join(dir, name+".asl.json"), mustMarshal(t, m), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command(tool, dir).CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("%s: %v\n%s", tool, err, out)
	}
	want := "0 error findings, 0 warnings"
	if err != nil || !strings.Contains(string(out), want) {
		t.Fatalf("asl-check found problems (want %q):\n%s", want, out)
	}
	t.Logf("%s", out)
}

// validatorPath returns ../shared/tools/<tool> next to the module root, or
// skips the test when the validators are not set up; with CI set it fails
// instead, so that CI never passes without the external check.
func validatorPath(t *testing.T, tool string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for ; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		if dir == filepath.Dir(dir) {
			t.Fatal("go.mod not found")
		}
	}
	tools := filepath.Join(dir, "..", "shared", "tools")
	if out, err := exec.Command(filepath.Join(tools, "setup"), "--check", "validators").CombinedOutput(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("validators not set up (CI is set):\n%s", out)
		}
		t.Skipf("validators not set up; run %s validators\n%s", filepath.Join(tools, "setup"), out)
	}
	return filepath.Join(tools, tool)
}
