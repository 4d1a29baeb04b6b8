package terraform_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/generator/iampolicies"
	"github.com/refreshgen/refreshgen/generator/render"
	"github.com/refreshgen/refreshgen/generator/stepfunctions"
	"github.com/refreshgen/refreshgen/generator/terraform"
	"github.com/refreshgen/refreshgen/roles"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/workflows"
)

// example is examples/refresh.hcl rendered by every renderer, with the
// machines and roles the renderers were given.
type example struct {
	in   generator.Input
	tree *generator.Tree
}

const exampleSpec = "../../examples/refresh.hcl"

var renderExample = sync.OnceValues(func() (*example, error) {
	src, err := os.ReadFile(exampleSpec)
	if err != nil {
		return nil, err
	}
	return renderSpec(src)
})

// renderSpec renders a spec that lives beside the example (it may read its
// SQL files) with every renderer.
func renderSpec(src []byte) (*example, error) {
	return renderSpecFile(exampleSpec, exampleSpecPath, src)
}

// exampleSpecPath is how out/ names the example in its headers.
const exampleSpecPath = "../examples/refresh.hcl"

// renderSpecFile renders the spec src read from file, which reads its own
// files beside it, with every renderer; specPath is how the headers of the
// tree name it, as the CLI would from the tree's folder.
func renderSpecFile(file, specPath string, src []byte) (*example, error) {
	res := spec.Load(file, src, spec.Options{ToolVersion: "0.1.0", ReadFile: func(rel string) ([]byte, error) {
		return os.ReadFile(filepath.Join(filepath.Dir(file), rel))
	}})
	if res.Diagnostics.HasErrors() {
		return nil, res.Diagnostics
	}
	in := generator.Input{Spec: res.Spec, SpecPath: specPath, Bundle: stubBundle}
	tree, err := render.Tree(in)
	if err != nil {
		return nil, err
	}
	// render.Tree derives these for its renderers; the assertions need them too.
	if in.Machines, err = workflows.Generate(in.Spec); err != nil {
		return nil, err
	}
	if in.Roles, err = roles.Derive(in.Spec, in.Machines); err != nil {
		return nil, err
	}
	return &example{in: in, tree: tree}, nil
}

// exampleVariant renders the example with its text edited: each pair of
// edits replaces the first string with the second, which must be there.
func exampleVariant(t *testing.T, edits ...string) (*example, error) {
	t.Helper()
	src, err := os.ReadFile(exampleSpec)
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	for i := 0; i < len(edits); i += 2 {
		if !strings.Contains(text, edits[i]) {
			t.Fatalf("the example has no %q to edit", edits[i])
		}
		text = strings.Replace(text, edits[i], edits[i+1], 1)
	}
	return renderSpec([]byte(text))
}

func exampleTree(t testing.TB) *example {
	t.Helper()
	ex, err := renderExample()
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

// stubBundle stands in for the Lambda helpers' builds, which take a
// compiler and minutes: Terraform only reads and hashes the zips.
func stubBundle(b generator.LambdaBundle) ([]byte, string, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("bootstrap")
	if err == nil {
		_, err = fmt.Fprintf(w, "#!/bin/sh\necho stub %s %s\n", b.Helper, b.Arch)
	}
	if err == nil {
		err = zw.Close()
	}
	return buf.Bytes(), "stub", err
}

// rootFile is one file of an account's root.
func (ex *example) rootFile(t *testing.T, a *spec.Account, name string) string {
	t.Helper()
	f := ex.tree.File(path.Join("deployments", a.Name, name))
	if f == nil {
		t.Fatalf("deployments/%s/%s is missing", a.Name, name)
	}
	return string(f.Data)
}

// treeRef is how a root reads a file of the tree.
func treeRef(p string) string { return `"${path.module}/../../` + p + `"` }

func TestEveryAccountHasARoot(t *testing.T) {
	ex := exampleTree(t)
	for _, a := range ex.in.Spec.Accounts {
		for _, name := range []string{"versions.tf", "variables.tf", "main.tf", "outputs.tf"} {
			ex.rootFile(t, a, name)
		}
		provider := ex.rootFile(t, a, "providers.tf")
		for _, want := range []string{
			fmt.Sprintf("region              = %q", ex.in.Spec.Project.Region),
			fmt.Sprintf("allowed_account_ids = var.enforce_account_id ? [%q] : null", a.ID),
		} {
			if !strings.Contains(provider, want) {
				t.Errorf("deployments/%s/providers.tf lacks %s:\n%s", a.Name, want, provider)
			}
		}
	}
}

func TestEveryRoleIsDeployedWithItsPolicies(t *testing.T) {
	ex := exampleTree(t)
	for _, r := range ex.in.Roles {
		main := ex.rootFile(t, r.Account, "main.tf")
		want := []string{treeRef(iampolicies.TrustPath(r))}
		if r.Existing {
			want = []string{fmt.Sprintf("existing_role_name = %q", r.Name)}
		}
		for _, p := range r.Policies {
			want = append(want, treeRef(iampolicies.PolicyPath(r, p)))
		}
		for _, arn := range r.Managed {
			want = append(want, fmt.Sprintf("policy_arn = %q", arn))
		}
		for _, w := range want {
			if !strings.Contains(main, w) {
				t.Errorf("role %s/%s: deployments/%s/main.tf lacks %s", r.Account.Name, r.Name, r.Account.Name, w)
			}
		}
	}
}

func TestEveryMachineIsDeployedWithItsDefinition(t *testing.T) {
	ex := exampleTree(t)
	main := ex.rootFile(t, ex.in.Spec.Orchestrator(), "main.tf")
	for _, m := range ex.in.Machines {
		for _, w := range []string{fmt.Sprintf("name       = %q", m.Name), "definition = file(" + treeRef(stepfunctions.Path(m.Workflow)) + ")"} {
			if !strings.Contains(main, w) {
				t.Errorf("%s: the orchestrator's root lacks %s", m.Name, w)
			}
		}
	}
}

var treeRefs = regexp.MustCompile(`"\$\{path\.module\}/\.\./\.\./([^"]+)"`)

// TestRootsReadOnlyTheTreeAndDeployAllOfIt checks both ways: every file a
// root reads is in the tree, and every state machine, policy, zip and
// script of the tree is read by a root.
func TestRootsReadOnlyTheTreeAndDeployAllOfIt(t *testing.T) {
	ex := exampleTree(t)
	read := map[string]bool{}
	for _, p := range ex.tree.Paths() {
		if !strings.HasPrefix(p, "deployments/") || !strings.HasSuffix(p, ".tf") {
			continue
		}
		for _, m := range treeRefs.FindAllStringSubmatch(string(ex.tree.File(p).Data), -1) {
			read[m[1]] = true
			if ex.tree.File(m[1]) == nil {
				t.Errorf("%s reads %s, which the tree does not hold", p, m[1])
			}
		}
	}
	deployed := map[generator.Kind]bool{generator.KindASL: true, generator.KindIAM: true, generator.KindLambdaZip: true, generator.KindSQL: true}
	for _, p := range ex.tree.Paths() {
		if deployed[ex.tree.File(p).Kind] && !read[p] {
			t.Errorf("no root deploys %s", p)
		}
	}
}

func TestTerraformIsCanonical(t *testing.T) {
	ex := exampleTree(t)
	header := "# Code generated by refreshgen from ../examples/refresh.hcl. DO NOT EDIT.\n"
	n := 0
	for _, p := range ex.tree.Paths() {
		f := ex.tree.File(p)
		if f.Kind != generator.KindTerraform {
			continue
		}
		n++
		if !bytes.HasPrefix(f.Data, []byte(header)) {
			t.Errorf("%s does not start with the header", p)
		}
		if formatted := hclwrite.Format(f.Data); !bytes.Equal(formatted, f.Data) {
			t.Errorf("%s is not canonical: hclwrite.Format changes it", p)
		}
		if _, diags := hclsyntax.ParseConfig(f.Data, p, hcl.InitialPos); diags.HasErrors() {
			t.Errorf("%s does not parse: %s", p, diags.Error())
		}
	}
	if n == 0 {
		t.Fatal("no Terraform rendered")
	}
}

// TestTerraformConventions checks what every rendered file must follow:
// documented and typed inputs, documented outputs, the AWS provider only
// and no data source (the tree plans without reaching AWS).
func TestTerraformConventions(t *testing.T) {
	ex := exampleTree(t)
	for _, p := range ex.tree.Paths() {
		if ex.tree.File(p).Kind != generator.KindTerraform {
			continue
		}
		f, diags := hclsyntax.ParseConfig(ex.tree.File(p).Data, p, hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", p, diags.Error())
		}
		for _, b := range f.Body.(*hclsyntax.Body).Blocks {
			var need []string
			switch {
			case b.Type == "variable":
				need = []string{"description", "type"}
			case b.Type == "output":
				need = []string{"description"}
			case b.Type == "data", b.Type == "provider" && b.Labels[0] != "aws",
				b.Type == "resource" && !strings.HasPrefix(b.Labels[0], "aws_"):
				t.Errorf("%s: %s %v: the tree uses the AWS provider's resources only", p, b.Type, b.Labels)
			}
			for _, a := range need {
				if b.Body.Attributes[a] == nil {
					t.Errorf("%s: %s %s has no %s", p, b.Type, b.Labels[0], a)
				}
			}
		}
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	ex := exampleTree(t)
	first, err := terraform.Render(ex.in)
	if err != nil {
		t.Fatal(err)
	}
	second, err := terraform.Render(ex.in)
	if err != nil {
		t.Fatal(err)
	}
	for i := range first {
		if first[i].Path != second[i].Path || !bytes.Equal(first[i].Data, second[i].Data) {
			t.Fatalf("two renders differ at %s", first[i].Path)
		}
	}
}

func TestExistingRoleOnlyGetsThePolicies(t *testing.T) {
	ex, err := exampleVariant(t, `  id   = "111111111111"
  role = "source"
`, `  id                 = "111111111111"
  role               = "source"
  existing_role_name = "legacy-refresh"
`)
	if err != nil {
		t.Fatal(err)
	}
	main := ex.rootFile(t, ex.in.Spec.Account("production"), "main.tf")
	for _, want := range []string{
		`create_role\s+= false`,
		`existing_role_name\s+= "legacy-refresh"`,
		`existing_role_arn\s+= "arn:aws:iam::111111111111:role/legacy-refresh"`,
		`"myapp-refresh-identity"\s+= file\("\$\{path.module\}/../../iam/production/legacy-refresh/identity.json"\)`,
	} {
		if !regexp.MustCompile(want).MatchString(main) {
			t.Errorf("deployments/production/main.tf does not match %s:\n%s", want, main)
		}
	}
	if regexp.MustCompile(`(?m)^\s+(trust_policy|role_name)\s`).MatchString(main) {
		t.Errorf("deployments/production/main.tf creates the existing role:\n%s", main)
	}
}

func TestUnusedAccountHasAnEmptyRoot(t *testing.T) {
	ex, err := exampleVariant(t, `# Production data`, `account "spare" {
  id   = "444444444444"
  role = "destination"
}

# Production data`)
	if err != nil {
		t.Fatal(err)
	}
	spare := ex.in.Spec.Account("spare")
	if main := ex.rootFile(t, spare, "main.tf"); strings.Contains(main, "module ") {
		t.Errorf("deployments/spare/main.tf deploys something:\n%s", main)
	}
	if f := ex.tree.File("deployments/spare/outputs.tf"); f != nil {
		t.Errorf("deployments/spare has outputs:\n%s", f.Data)
	}
}

func TestOneHelperCannotMountTwoFileSystems(t *testing.T) {
	_, err := exampleVariant(t, `eks "staging" {`, `efs "docs" {
  account        = account.production
  file_system_id = "fs-0123456789abcdef1"
  backup_vault   = "prod-vault"
}

eks "staging" {`, `  eks {
    cluster           = eks.staging`, `  filesystem "docs" {
    from                  = efs.docs
    strategy              = "backup-restore"
    target_file_system_id = "fs-0fedcba9876543211"
    target_backup_vault   = "staging-vault"
    subpath_parameter     = "/myapp/efs/docs/subpath"
  }

  eks {
    cluster           = eks.staging`)
	if err == nil || !strings.Contains(err.Error(), "Second file system for one Lambda helper") || !strings.Contains(err.Error(), "get-efs-subpath helper of account staging") {
		t.Fatalf("got %v, want the diagnostic that get-efs-subpath cannot mount two file systems", err)
	}
}
