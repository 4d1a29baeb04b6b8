package docs_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/generator/render"
	"github.com/refreshgen/refreshgen/spec"
)

// stubBundle stands in for the Lambda builds: the README only needs to
// know which zips exist.
func stubBundle(b generator.LambdaBundle) ([]byte, string, error) {
	return []byte("zip of " + b.Helper), "stub", nil
}

// renderSpec renders a spec of examples/ (whose files it may read) with
// every renderer, as `refreshgen render` does.
func renderSpec(t *testing.T, src []byte) *generator.Tree {
	t.Helper()
	const path = "../../examples/refresh.hcl"
	res := spec.Load(path, src, spec.Options{ToolVersion: "0.1.0", ReadFile: func(rel string) ([]byte, error) {
		return os.ReadFile(filepath.Join(filepath.Dir(path), rel))
	}})
	if res.Diagnostics.HasErrors() {
		t.Fatal(res.Diagnostics)
	}
	tree, err := render.Tree(generator.Input{Spec: res.Spec, SpecPath: "../examples/refresh.hcl", Bundle: stubBundle})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func exampleSpec(t *testing.T) []byte {
	t.Helper()
	src, err := os.ReadFile("../../examples/refresh.hcl")
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// minimalSpec has one refresh of one database, with no SQL, file system
// or schedule, and a destination no refresh uses.
const minimalSpec = `
project "tiny" {
  prefix = "tiny"
  region = "eu-west-1"
}

account "ops" {
  id   = "000000000000"
  role = "orchestrator"
}

account "prod" {
  id   = "111111111111"
  role = "source"
}

account "qa" {
  id   = "222222222222"
  role = "destination"
}

account "spare" {
  id   = "333333333333"
  role = "destination"
}

aurora "app" {
  account     = account.prod
  identifier  = "prod-app"
  engine      = "aurora-postgresql"
  kms_key_arn = "arn:aws:kms:eu-west-1:111111111111:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
}

refresh "qa" {
  source      = account.prod
  destination = account.qa

  database "app" {
    from               = aurora.app
    target_cluster     = "qa-app"
    instance_class     = "db.r6g.large"
    subnet_group       = "qa-db"
    security_group_ids = ["sg-0a1b2c3d4e5f60718"]
    kms_key_arn        = "arn:aws:kms:eu-west-1:222222222222:key/1a2b3c4d-5e6f-4a5b-8c7d-9e0f1a2b3c4d"
  }
}
`

var filesRow = regexp.MustCompile("^\\| \\[?`([^`]+)`")

// filesTable returns the paths of the README's Files table.
func filesTable(t *testing.T, readme string) []string {
	t.Helper()
	_, section, ok := strings.Cut(readme, "\n## Files\n")
	if !ok {
		t.Fatal("the README has no Files section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var paths []string
	for _, line := range strings.Split(section, "\n") {
		if m := filesRow.FindStringSubmatch(line); m != nil {
			paths = append(paths, m[1])
		}
	}
	return paths
}

// folderOf is the row of the Files table a rendered path belongs to: the
// top-level files themselves, one row per Terraform root, module and
// state machine group, per account's IAM and Kubernetes folder, per
// refresh and database of SQL, and one for the zips.
func folderOf(p string) string {
	parts := strings.Split(p, "/")
	depth := map[string]int{"deployments": 2, "modules": 2, "stepfunctions": 2, "iam": 2, "kubernetes": 2, "lambdas": 1, "sql": 3}[parts[0]]
	if depth == 0 {
		return p
	}
	return strings.Join(parts[:depth], "/") + "/"
}

// TestFilesTableMatchesTheTree: the Files table lists every folder the
// rendered tree holds, and nothing it does not.
func TestFilesTableMatchesTheTree(t *testing.T) {
	for name, src := range map[string][]byte{"example": exampleSpec(t), "minimal": []byte(minimalSpec)} {
		t.Run(name, func(t *testing.T) {
			tree := renderSpec(t, src)
			var want []string
			for _, p := range tree.Paths() {
				want = append(want, folderOf(p))
			}
			// The manifest is written by render after the tree, beside it.
			want = append(want, "refreshgen-manifest.json")
			slices.Sort(want)
			want = slices.Compact(want)
			got := filesTable(t, string(tree.File("README.md").Data))
			if len(got) != len(slices.Compact(slices.Sorted(slices.Values(got)))) {
				t.Errorf("a path is listed twice: %v", got)
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("the Files table lists\n  %v\nthe tree holds\n  %v", got, want)
			}
		})
	}
}

// TestMinimalREADME: a spec without SQL, file systems, EKS or schedules
// says nothing about them, and an account no refresh uses deploys
// nothing.
func TestMinimalREADME(t *testing.T) {
	readme := string(renderSpec(t, []byte(minimalSpec)).File("README.md").Data)
	for _, absent := range []string{"lambdas/", "sql/", "kubernetes/", "the Lambda helper `", "run-sql.zip", "EventBridge Scheduler group", "EKS access entry", "scales the node groups"} {
		if strings.Contains(readme, absent) {
			t.Errorf("the README mentions %q", absent)
		}
	}
	for _, present := range []string{
		"#### `deployments/spare/`: spare (333333333333, destination)\n\nNothing: no refresh uses this account.",
		"| [`deployments/spare/`](deployments/spare/) | the Terraform root of account spare (333333333333): no refresh uses the account, so it deploys nothing |",
		"Refresh **qa** runs on demand:",
		"--state-machine-arn arn:aws:states:eu-west-1:000000000000:stateMachine:tiny-orchestrator-qa",
		"`tiny-qa-app-*`",
	} {
		if !strings.Contains(readme, present) {
			t.Errorf("the README lacks %q", present)
		}
	}
}

// TestREADMEIsDeterministic: the same spec gives the same bytes.
func TestREADMEIsDeterministic(t *testing.T) {
	src := exampleSpec(t)
	first := renderSpec(t, src).File("README.md").Data
	for range 3 {
		if again := renderSpec(t, src).File("README.md").Data; string(again) != string(first) {
			t.Fatal("two renderings of the README differ")
		}
	}
}
