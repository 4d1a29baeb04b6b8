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

// TestTerraformPlan plans every deployment root of every tree with the
// real provider, and logs how many resources each adds. The provider
// validates each state machine definition while it plans, through the
// stand-in that runs refreshgen's ASL checks; each tree has its own.
func TestTerraformPlan(t *testing.T) {
	tf, ws := terraformTrees(t)
	stands := make([]*tftest.AWS, len(ws.trees))
	t.Run("roots", func(t *testing.T) {
		for i, st := range ws.trees {
			stands[i] = tftest.StartAWS(t)
			for _, a := range st.ex.in.Spec.Accounts {
				root := "deployments/" + a.Name
				t.Run(st.name+"/"+a.Name, func(t *testing.T) {
					t.Parallel()
					out, err := plan(t, tf, stands[i], filepath.Join(st.dir, filepath.FromSlash(root)))
					if err != nil {
						t.Fatalf("%s %s: terraform plan: %v\n%s", st.name, root, err, out)
					}
					m := planSummary.FindStringSubmatch(out)
					if m == nil || m[2] != "0" || m[3] != "0" {
						t.Fatalf("%s %s: not a plan that only adds:\n%s", st.name, root, out)
					}
					t.Logf("%s %s: %s resources to add", st.name, root, m[1])
				})
			}
		}
	})
	for i, st := range ws.trees {
		if got, want := stands[i].Validated(), len(st.ex.in.Machines); got != want {
			t.Errorf("%s: the provider had %d definitions validated; the tree has %d state machines", st.name, got, want)
		}
		for _, req := range stands[i].Unexpected() {
			t.Errorf("%s: plan made a request the stand-in does not serve: %s", st.name, req)
		}
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
