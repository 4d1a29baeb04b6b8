package terraform

import (
	"slices"

	"github.com/hashicorp/hcl/v2/hclwrite"
)

// sourceModule is modules/source-account: the role the workflows assume in
// a production account, and the AWS Backup role that copies its file
// systems' recovery points.
func sourceModule() []tfFile {
	return []tfFile{
		versionsFile(),
		{name: "variables.tf", blocks: slices.Concat(accountRoleVariables(), roleVariables(nil))},
		{name: "iam.tf", blocks: slices.Concat(accountRoleResources(), roleResources(nil))},
		{name: "outputs.tf", blocks: outputBlocks(sourceOutputs())},
	}
}

// destinationModule is modules/destination-account: the role the
// workflows assume in an account that receives copies, its service roles,
// the Lambda helpers, the bucket of post-restore SQL and the EKS access
// entries of the role.
func destinationModule() []tfFile {
	return []tfFile{
		versionsFile(),
		{name: "variables.tf", blocks: slices.Concat(accountRoleVariables(), roleVariables(nil), lambdaVariables(), sqlVariables(), eksVariables())},
		{name: "iam.tf", blocks: slices.Concat(accountRoleResources(), roleResources(nil))},
		{name: "lambdas.tf", blocks: lambdaResources()},
		{name: "sql.tf", blocks: sqlResources()},
		{name: "eks.tf", blocks: eksResources()},
		{name: "outputs.tf", blocks: outputBlocks(destinationOutputs())},
	}
}

// accountRoleVariables declare the account role as the seed module did:
// created here, or an existing role that only receives the policies.
func accountRoleVariables() []*hclwrite.Block {
	return []*hclwrite.Block{
		variable("create_role", "Create the account role. False attaches the policies to existing_role_name, a role the account already has.", tBool(), boolean(true)),
		variable("role_name", "Name of the account role to create: the role refreshgen's workflows assume in this account.", tString(), null()),
		variable("trust_policy", "JSON of the created role's trust policy.", tString(), null()),
		variable("existing_role_name", "Name of the existing role that receives the policies when create_role is false (refresh.hcl: existing_role_name).", tString(), null()),
		variable("existing_role_arn", "ARN of that existing role, for the outputs and the EKS access entries.", tString(), null()),
		variable("attach_policies", "Attach the policies to the account role. False leaves attaching them to you.", tBool(), boolean(true)),
		variable("policies", "Inline policies of the account role, by name: their JSON.", mapOf(tString()), mapping(nil)),
	}
}

func accountRoleResources() []*hclwrite.Block {
	return []*hclwrite.Block{
		iamRole("account", count(cond(ref("var.create_role"), num(1), num(0))), ref("var.role_name"), ref("var.trust_policy")),
		locals(
			field{"role_name", cond(ref("var.create_role"), ref("aws_iam_role.account[0].name"), ref("var.existing_role_name"))},
			field{"role_arn", cond(ref("var.create_role"), ref("aws_iam_role.account[0].arn"), ref("var.existing_role_arn"))},
		),
		iamRolePolicy("account", cond(ref("var.attach_policies"), ref("var.policies"), mapping(nil)),
			ref("each.key"), ref("local.role_name"), ref("each.value")),
	}
}

// sourceOutputs are the source-account module's outputs, which the
// account's root passes on.
func sourceOutputs() []outputDef {
	return []outputDef{
		{"role_arn", "ARN of the account role refreshgen's workflows assume.", ref("local.role_arn")},
		{"role_name", "Name of the account role.", ref("local.role_name")},
		{"role_created", "Whether the account role was created here (false: refresh.hcl names an existing role).", ref("var.create_role")},
		{"service_role_arns", "ARNs of the service roles (AWS Backup, Lambda helpers), by name.", rolesBy("arn")},
	}
}

// destinationOutputs are the destination-account module's.
func destinationOutputs() []outputDef {
	return slices.Concat(sourceOutputs(), lambdaOutputs(), sqlOutputs(), eksOutputs())
}
