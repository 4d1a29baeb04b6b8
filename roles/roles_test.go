package roles

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/iam/iamcheck"
)

// TestSecurityScenarios runs the committed security scenarios (see
// testdata/iam-scenarios) against the policies of the rendered example in
// out/: what the source role must never do to production, what a
// destination role may only do to refreshgen's resources, whom each role
// trusts.
func TestSecurityScenarios(t *testing.T) {
	tool := iamcheck.Require(t)
	files, err := filepath.Glob("../testdata/iam-scenarios/*.json")
	if err != nil {
		t.Fatal(err)
	}
	var args []string
	for _, f := range files {
		if !strings.Contains(filepath.Base(f), "policy") {
			args = append(args, "--scenarios", f)
		}
	}
	if len(args) == 0 {
		t.Fatal("no scenario file in testdata/iam-scenarios")
	}
	report, ok, err := tool.RunFiles(t.TempDir(), args...)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Errorf("iam-check:\n%s", report)
	}
	t.Log(lastLine(report))
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
