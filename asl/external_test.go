package asl_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/internal/validators"
)

// TestASLCheck runs the external validators (asl-validator and AWS's
// language service, behind ../shared/tools/asl-check) on every test
// machine, and wants no finding at all, warnings included.
func TestASLCheck(t *testing.T) {
	tool := validators.Require(t, "asl-check")
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
