package terraform_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/generator/stepfunctions"
	"github.com/refreshgen/refreshgen/generator/terraform/tftest"
	"github.com/refreshgen/refreshgen/workflows"
)

// overrideName is the override file a test puts in a root: Terraform merges
// it into the provider block.
const overrideName = "zz_test_override.tf"

var planSummary = regexp.MustCompile(`Plan: (\d+) to add, (\d+) to change, (\d+) to destroy`)

// plan plans root from an empty state against the AWS stand-in, with fake
// credentials and the account check off.
func plan(t *testing.T, tf *tftest.Terraform, aws *tftest.AWS, root string) (string, error) {
	t.Helper()
	override := filepath.Join(root, overrideName)
	if err := os.WriteFile(override, aws.Override(), 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(override)
	return tf.Run(root, aws.Env(), "plan", "-refresh=false", "-input=false", "-lock=false", "-no-color", "-var", "enforce_account_id=false")
}

// TestTerraformPlan plans every deployment root with the real provider.
// The provider validates each state machine definition while it plans,
// through the stand-in that runs refreshgen's ASL checks.
func TestTerraformPlan(t *testing.T) {
	tf, dir := terraformTree(t)
	ex := exampleTree(t)
	aws := tftest.StartAWS(t)
	for _, a := range ex.in.Spec.Accounts {
		out, err := plan(t, tf, aws, filepath.Join(dir, "deployments", a.Name))
		if err != nil {
			t.Errorf("deployments/%s: terraform plan: %v\n%s", a.Name, err, out)
			continue
		}
		m := planSummary.FindStringSubmatch(out)
		if m == nil || m[2] != "0" || m[3] != "0" {
			t.Errorf("deployments/%s: not a plan that only adds:\n%s", a.Name, out)
			continue
		}
		t.Logf("deployments/%s: %s resources to add", a.Name, m[1])
	}
	if got, want := aws.Validated(), len(ex.in.Machines); got != want {
		t.Errorf("the provider had %d definitions validated; the tree has %d state machines", got, want)
	}
	for _, req := range aws.Unexpected() {
		t.Errorf("plan made a request the stand-in does not serve: %s", req)
	}
}

// TestPlanFailsOnABrokenDefinition proves the stand-in's verdict reaches
// the plan: a definition that refreshgen's checks reject fails it.
func TestPlanFailsOnABrokenDefinition(t *testing.T) {
	tf := tftest.Find(t, scratch)
	ex := exampleTree(t)
	dir := t.TempDir()
	if err := writeTree(ex.tree, dir); err != nil {
		t.Fatal(err)
	}
	broken := stepfunctions.Path(&workflows.Workflow{Group: workflows.GroupUtils, Key: "notify"})
	if ex.tree.File(broken) == nil {
		t.Fatalf("the example has no %s to break", broken)
	}
	definition := `{"StartAt": "Nowhere", "States": {"Done": {"Type": "Succeed"}}}`
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(broken)), []byte(definition), 0o644); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(dir, "deployments", ex.in.Spec.Orchestrator().Name)
	if err := initDir(tf, root); err != nil {
		t.Fatal(err)
	}
	out, err := plan(t, tf, tftest.StartAWS(t), root)
	if err == nil {
		t.Fatalf("the plan passed with a broken definition in %s:\n%s", broken, out)
	}
	if !strings.Contains(out, "Nowhere") {
		t.Errorf("the plan failed, but not on the broken definition:\n%s", out)
	}
}
