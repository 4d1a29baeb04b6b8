package terraform

import (
	"fmt"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/refreshgen/refreshgen/spec"
)

// A root is the deployment of one account: a provider for the account and
// one call of the module that deploys what the account holds.
type root struct {
	modules   []string // the modules its deployment uses
	provider  *hclwrite.Block
	variables []*hclwrite.Block
	call      *hclwrite.Block
	outputs   []*hclwrite.Block
}

// root builds the deployment of account a.
func (r *renderer) root(a *spec.Account) (root, error) {
	var rt root
	var err error
	if a.Role == spec.RoleOrchestrator {
		rt, err = r.orchestratorRoot(a)
	} else {
		rt, err = r.accountRoot(a)
	}
	rt.provider = r.provider(a)
	rt.variables = append(rootVariables(a), rt.variables...)
	return rt, err
}

// Comments of the root files.
var (
	backendNote = []string{
		"This root has no backend: add backend.tf beside this file, for example",
		`terraform { backend "s3" { ... } }. refreshgen never rewrites or deletes a`,
		"file it did not write, so backend.tf stays yours through every render.",
	}
	providerNote = []string{
		"allowed_account_ids stops an apply with another account's credentials;",
		"enforce_account_id = false turns the check off, for plans with fake credentials.",
	}
	applyOrderNote = []string{
		"The roots can be applied in any order: each source or destination role trusts",
		"the orchestrator account on condition that aws:PrincipalArn is one of the",
		"workflow roles, and IAM accepts that trust before those roles exist.",
	}
	nothingNote = []string{"No refresh uses this account: there is nothing to deploy in it."}
)

// files lays a root out in the usual files.
func (rt root) files() []tfFile {
	main := tfFile{name: "main.tf", about: nothingNote}
	if rt.call != nil {
		main = tfFile{name: "main.tf", about: applyOrderNote, blocks: []*hclwrite.Block{rt.call}}
	}
	files := []tfFile{
		{name: "versions.tf", about: backendNote, blocks: []*hclwrite.Block{terraformBlock()}},
		{name: "providers.tf", about: providerNote, blocks: []*hclwrite.Block{rt.provider}},
		{name: "variables.tf", blocks: rt.variables},
		main,
	}
	if len(rt.outputs) > 0 {
		files = append(files, tfFile{name: "outputs.tf", blocks: rt.outputs})
	}
	return files
}

// provider is the AWS provider of account a: the project's region, the
// account's ID, and the project's tags under the user's.
func (r *renderer) provider(a *spec.Account) *hclwrite.Block {
	tags := ref("var.tags")
	if len(r.spec.Project.Tags) > 0 {
		project := make([]entry, len(r.spec.Project.Tags))
		for i, t := range r.spec.Project.Tags {
			project[i] = entry{t.Key, str(t.Value)}
		}
		tags = call("merge", mapping(project), ref("var.tags"))
	}
	return block("provider", []string{"aws"},
		attr("region", str(r.spec.Project.Region)),
		attr("allowed_account_ids", cond(ref("var.enforce_account_id"), strs([]string{a.ID}), null())),
		blank(),
		child(nested("default_tags", attr("tags", tags))),
	)
}

// rootVariables are the inputs of every root.
func rootVariables(a *spec.Account) []*hclwrite.Block {
	return []*hclwrite.Block{
		variable("tags", "Tags for every resource of this root, added to the project's tags of refresh.hcl (a key here wins).",
			mapOf(tString()), mapping(nil)),
		variable("enforce_account_id", fmt.Sprintf("Refuse credentials of any account but %s (%s). Turn off only to plan with fake credentials.", a.ID, a.Name),
			tBool(), boolean(true)),
	}
}
