package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// simulateRun runs refreshgen in the repository's root, where the example
// spec and the scenarios are, and returns the exit code, stdout and
// stderr.
func simulateRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	env := &Env{Dir: root, Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
	code := env.Run(args)
	return code, stdout.String(), stderr.String()
}

// writeScenario writes a scenario file and returns its absolute path.
func writeScenario(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "scenario.json")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSimulateExample runs the example's dev refresh: a timeline, then the
// summary; the exit code says whether the run ended as expected; the
// output is the same on every run.
func TestSimulateExample(t *testing.T) {
	code, out, stderr := simulateRun(t, "simulate", "-c", "examples/refresh.hcl", "--refresh", "dev")
	if stderr != "" {
		t.Errorf("stderr: %s", stderr)
	}
	for _, want := range []string{
		"Simulating refresh dev of examples/refresh.hcl (healthy AWS, IAM in the loop, seed 1), from 2026-01-01T00:00:00Z.\n",
		"TIME  STATE", "CALL", "ACCOUNT", "ROLE", "OUTCOME\n",
		"+0:00:00.0  Record", "dynamodb:putItem", "shared_services", "myapp-refresh-workflows-utils",
		"\nStatus:    ", "\nDuration:  ", "\nCalls:     ", "\n  production       111111111111", "\nSource:    production, as myapp-refresh-source: ",
		"\nExpected:  SUCCEEDED: the run ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if matched := strings.Contains(out, "the run ended as expected."); matched != (code == ExitOK) || code != ExitOK && code != ExitDrift {
		t.Errorf("exit %d, but the output says:\n%s", code, out[strings.LastIndex(out, "Status:"):])
	}
	_, again, _ := simulateRun(t, "simulate", "-c", "examples/refresh.hcl", "--refresh", "dev")
	if again != out {
		t.Error("two simulations of the same refresh print differently")
	}
}

// An early fault in the source makes the run fail: exit 0 when the
// scenario expects it, 1 when it expects a success.
const earlyFault = `{
  "description": "The production cluster cannot be described.",
  "expect": {"status": "%s"},
  "faults": [{"service": "rds", "action": "describeDBClusters", "account": "production",
              "error": "Rds.DbClusterNotFoundException", "cause": "DBClusterNotFoundFault: DBCluster prod-app not found."}]
}`

func TestSimulateScenario(t *testing.T) {
	failed := writeScenario(t, strings.Replace(earlyFault, "%s", "FAILED", 1))
	code, out, _ := simulateRun(t, "simulate", "-c", "examples/refresh.hcl", "--refresh", "dev", "--scenario", failed)
	if code != ExitOK || !strings.Contains(out, "(scenario "+failed+", IAM in the loop, seed 1)") ||
		!strings.Contains(out, "Rds.DbClusterNotFoundException (fault 0)") ||
		!strings.Contains(out, "Status:    FAILED") ||
		!strings.Contains(out, "Expected:  FAILED: the run ended as expected.") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	succeeded := writeScenario(t, strings.Replace(earlyFault, "%s", "SUCCEEDED", 1))
	code, out, _ = simulateRun(t, "simulate", "-c", "examples/refresh.hcl", "--refresh", "dev", "--scenario", succeeded)
	if code != ExitDrift || !strings.Contains(out, "the run did NOT end as expected:\n  - the run ended FAILED, expected SUCCEEDED") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestSimulateJSON(t *testing.T) {
	failed := writeScenario(t, strings.Replace(earlyFault, "%s", "FAILED", 1))
	code, out, _ := simulateRun(t, "simulate", "-c", "examples/refresh.hcl", "--refresh", "dev", "--scenario", failed, "--format", "json", "--seed", "3")
	var doc struct {
		Refresh    string  `json:"refresh"`
		Seed       uint64  `json:"seed"`
		Status     string  `json:"status"`
		RootError  string  `json:"root_error"`
		AsExpected bool    `json:"as_expected"`
		Duration   float64 `json:"duration_seconds"`
		Timeline   []struct {
			Call, Account, Role, Outcome string
			Fault                        *int
		} `json:"timeline"`
		Calls []struct {
			Account string
			Calls   int
		} `json:"calls_per_account"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if code != ExitOK || doc.Refresh != "dev" || doc.Seed != 3 || doc.Status != "FAILED" || doc.RootError == "" ||
		!doc.AsExpected || len(doc.Timeline) == 0 || len(doc.Calls) != 4 || doc.Duration <= 0 {
		t.Errorf("exit %d: %+v", code, doc)
	}
}

func TestSimulateWorkflow(t *testing.T) {
	code, out, stderr := simulateRun(t, "simulate", "-c", "examples/refresh.hcl", "--workflow", "db/restore_cluster")
	if code != ExitOK || !strings.Contains(out, "Simulating workflow db/restore_cluster of examples/refresh.hcl (healthy AWS, IAM not checked, seed 1)") ||
		!strings.Contains(out, "Status:    SUCCEEDED\n") || strings.Contains(out, "Source:") {
		t.Errorf("exit %d:\n%s%s", code, out, stderr)
	}
}

// Bad input is exit 2 with a diagnostic that says how to fix it.
func TestSimulateBadInput(t *testing.T) {
	invalid := writeScenario(t, `{"faults": [{"service": "rds", "action": "x", "after": -1, "error": "E"}], "nope": 1}`)
	for _, tt := range []struct {
		name string
		args []string
		want []string
	}{
		{"unknown refresh", []string{"--refresh", "prod"}, []string{"Unknown refresh", `examples/refresh.hcl declares no refresh "prod". Its refreshes are: dev, staging.`}},
		{"no refresh", nil, []string{"simulate needs --refresh NAME"}},
		{"both", []string{"--refresh", "dev", "--workflow", "db/restore_cluster"}, []string{"one of them"}},
		{"unknown workflow", []string{"--workflow", "db/nope"}, []string{"Unknown workflow", "db/restore_cluster"}},
		{"github", []string{"--refresh", "dev", "--format", "github"}, []string{"simulate prints text or json"}},
		{"bad seed", []string{"--refresh", "dev", "--seed", "x"}, []string{`invalid value "x" for flag -seed`}},
		{"no scenario file", []string{"--refresh", "dev", "--scenario", "testdata/scenarios/nope.json"},
			[]string{"Cannot read the scenario", "There is no scenario at testdata/scenarios/nope.json"}},
		{"invalid scenario", []string{"--refresh", "dev", "--scenario", invalid},
			[]string{"Invalid scenario", invalid + ": nope: unknown field", invalid + ": faults[0].after: must be a whole number, 0 or more"}},
		{"unknown scenario account", []string{"--refresh", "dev", "--scenario", writeScenario(t, `{"faults": [{"stuck": {"type": "cluster", "status": "creating"}, "account": "qa"}]}`)},
			[]string{`faults[0].account: the spec has no account "qa" (it has dev, production, shared_services, staging)`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := simulateRun(t, append([]string{"simulate", "-c", "examples/refresh.hcl"}, tt.args...)...)
			if code != ExitInput {
				t.Errorf("exit %d, want %d", code, ExitInput)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s%s", w, stderr, out)
				}
			}
		})
	}
	code, _, stderr := simulateRun(t, "simulate", "-c", "testdata/golden/invalid-enum-typo/refresh.hcl", "--refresh", "dev")
	if code != ExitInput || !strings.Contains(stderr, "Error: ") {
		t.Errorf("an invalid spec: exit %d\n%s", code, stderr)
	}
}

func TestSimulateHelp(t *testing.T) {
	code, out, _ := simulateRun(t, "simulate", "--help")
	if code != ExitOK || !strings.Contains(out, "refreshgen simulate: Run a refresh offline") || !strings.Contains(out, "Examples:\n  refreshgen simulate -c examples/refresh.hcl --refresh staging") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}
