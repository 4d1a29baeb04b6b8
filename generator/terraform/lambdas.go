package terraform

import (
	"slices"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/refreshgen/refreshgen/generator/lambdazips"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/roles"
	"github.com/refreshgen/refreshgen/spec"
)

// A helper is one Lambda helper and how it is sized: run-sql may run a
// whole set of scripts (one statement may take up to 900 s), the EFS
// helpers list one folder or read one file.
type helper struct {
	fn                 string
	memoryMB, timeoutS int
}

var helpers = []helper{
	{names.FnRunSQL, 512, 900},
	{names.FnGetEFSSubpath, 256, 60},
	{names.FnCheckFlagFile, 256, 60},
}

// efsMountPath is where the EFS helpers find their file system: the
// helpers read it from EFS_MOUNT_PATH (lambdas/internal/safepath.MountEnv).
const efsMountPath = "/mnt/efs"

func lambdaVariables() []*hclwrite.Block {
	fn := objectOf(
		field{"name", tString()}, field{"role", tString()}, field{"zip", tString()},
		field{"memory_size", tNumber()}, field{"timeout", tNumber()}, field{"file_system_id", optional(tString())},
	)
	return []*hclwrite.Block{
		variable("functions", "Lambda helpers by key: name, the name of its execution role in var.roles, the path of its zip, memory (MB), timeout (s) and the EFS file system it mounts, if any.",
			mapOf(fn), mapping(nil)),
		variable("lambda_architecture", "CPU architecture of the helpers' bootstrap binaries.", tString(), str(string(spec.ArchARM64))),
		variable("subnet_ids", "Subnets the helpers run in.", listOf(tString()), strs(nil)),
		variable("security_group_ids", "Security groups of the helpers; empty creates one in vpc_id, with egress only.", listOf(tString()), strs(nil)),
		variable("vpc_id", "VPC of the security group created when security_group_ids is empty.", tString(), null()),
		variable("security_group_name", "Name of the security group created when security_group_ids is empty.", tString(), null()),
		variable("log_retention_days", "How many days the helpers' log groups keep events.", tNumber(), num(30)),
	}
}

func lambdaResources() []*hclwrite.Block {
	create := binary(binary(call("length", ref("var.functions")), ">", num(0)), "&&",
		binary(call("length", ref("var.security_group_ids")), "==", num(0)))
	return []*hclwrite.Block{
		locals(
			field{"create_security_group", create},
			field{"security_group_ids", cond(ref("local.create_security_group"), tuple(ref("aws_security_group.lambda[0].id")), ref("var.security_group_ids"))},
		),
		securityGroup(),
		egressRule(),
		efsAccessPoint(),
		logGroup("lambda", forEach(ref("var.functions")), interpolate("/aws/lambda/", ref("each.value.name"), "")),
		lambdaFunction(),
	}
}

func lambdaOutputs() []outputDef {
	return []outputDef{
		{"function_arns", "ARNs of the Lambda helpers, by key.",
			forObject("key", "function", ref("aws_lambda_function.this"), ident("key"), ref("function.arn"), nil)},
		{"security_group_ids", "Security groups of the Lambda helpers.", ref("local.security_group_ids")},
	}
}

func securityGroup() *hclwrite.Block {
	return resource("aws_security_group", "lambda", count(cond(ref("local.create_security_group"), num(1), num(0))),
		attr("name", ref("var.security_group_name")),
		attr("description", str("refreshgen Lambda helpers: no inbound traffic")),
		attr("vpc_id", ref("var.vpc_id")),
	)
}

// egressRule lets the helpers reach AWS APIs, the restored clusters and
// the file systems' mount targets.
func egressRule() *hclwrite.Block {
	return resource("aws_vpc_security_group_egress_rule", "lambda", count(call("length", ref("aws_security_group.lambda"))),
		attr("security_group_id", ref("aws_security_group.lambda[0].id")),
		attr("description", str("AWS APIs, databases and file systems")),
		attr("ip_protocol", str("-1")),
		attr("cidr_ipv4", str("0.0.0.0/0")),
	)
}

// efsAccessPoint is how an EFS helper mounts its file system: Lambda
// mounts through access points only. The helpers only read, as their own
// user (the access point enforces none), and IAM gives them
// elasticfilesystem:ClientMount without ClientWrite.
func efsAccessPoint() *hclwrite.Block {
	mounted := forObject("key", "function", ref("var.functions"), ident("key"), ref("function.file_system_id"),
		binary(ref("function.file_system_id"), "!=", null()))
	return resource("aws_efs_access_point", "lambda", forEach(mounted), attr("file_system_id", ref("each.value")))
}

// lambdaFunction deploys each helper from its rendered zip. It waits for
// its role's policies: Lambda checks at creation that a VPC function's
// role may create network interfaces.
func lambdaFunction() *hclwrite.Block {
	mounts := func(e expr) expr {
		return cond(binary(ref("each.value.file_system_id"), "==", null()), tuple(), tuple(e))
	}
	return resource("aws_lambda_function", "this", forEach(ref("var.functions")),
		attr("function_name", ref("each.value.name")),
		attr("role", createdRole(ref("each.value.role"), "arn")),
		attr("filename", ref("each.value.zip")),
		attr("source_code_hash", call("filebase64sha256", ref("each.value.zip"))),
		attr("runtime", str("provided.al2023")),
		attr("handler", str("bootstrap")),
		attr("architectures", tuple(ref("var.lambda_architecture"))),
		attr("memory_size", ref("each.value.memory_size")),
		attr("timeout", ref("each.value.timeout")),
		blank(),
		child(nested("vpc_config", attr("subnet_ids", ref("var.subnet_ids")), attr("security_group_ids", ref("local.security_group_ids")))),
		blank(),
		child(nested("logging_config", attr("log_format", str("Text")), attr("log_group", get(index(ref("aws_cloudwatch_log_group.lambda"), ref("each.key")), "name")))),
		blank(),
		child(dynamic("file_system_config", mounts(get(index(ref("aws_efs_access_point.lambda"), ref("each.key")), "arn")),
			attr("arn", ref("file_system_config.value")),
			attr("local_mount_path", str(efsMountPath)),
		)),
		blank(),
		child(dynamic("environment", mounts(str(efsMountPath)),
			attr("variables", object(field{"EFS_MOUNT_PATH", ref("environment.value")})),
		)),
		blank(),
		dependsOn(rolePolicyRefs(nil)...),
	)
}

// lambdaArgs deploy the helpers whose execution roles package roles made
// for account a, each mounting the file system its refreshes copy into.
func (r *renderer) lambdaArgs(a *spec.Account, rs []roles.Role) []item {
	mounts := names.Mounts(r.spec, a)
	var functions []entry
	for _, h := range helpers {
		role := r.names.LambdaRole(h.fn)
		if !hasRole(rs, role) {
			continue
		}
		fields := []field{
			{"name", str(r.names.Function(h.fn))}, {"role", str(role)}, {"zip", treePath(lambdazips.Path(h.fn))},
			{"memory_size", num(h.memoryMB)}, {"timeout", num(h.timeoutS)},
		}
		if fs, ok := mounts[h.fn]; ok {
			fields = append(fields, field{"file_system_id", str(fs)})
		}
		functions = append(functions, entry{h.fn, object(fields...)})
	}
	if len(functions) == 0 {
		return nil
	}
	args := []item{
		attr("functions", mapping(functions)),
		attr("lambda_architecture", str(string(r.spec.Project.LambdaArchitecture))),
		attr("subnet_ids", strs(a.SubnetIDs)),
		attr("log_retention_days", ref("var.log_retention_days")),
	}
	if len(a.SecurityGroupIDs) > 0 {
		return append(args, attr("security_group_ids", strs(a.SecurityGroupIDs)))
	}
	return append(args, attr("vpc_id", str(a.VPCID)), attr("security_group_name", str(r.securityGroupName())))
}

// securityGroupName names the helpers' security group. The names package
// names no security group yet; this is its one spelling, under the
// security_group prefix the spec may set.
func (r *renderer) securityGroupName() string {
	return r.spec.Project.NameFor(spec.KindSecurityGroup, "lambda")
}

func hasRole(rs []roles.Role, name string) bool {
	return slices.ContainsFunc(rs, func(role roles.Role) bool { return role.Name == name })
}
