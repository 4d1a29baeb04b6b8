package terraform

import (
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// historyKey is the hash key of the run-history table: the notify workflow
// writes one item per run under it.
const historyKey = "RunId"

// orchestratorModule is modules/orchestrator: everything of the
// orchestrator account. The roles, the state machines by group, the
// run-history table, refreshgen's notification topic and the schedules.
func orchestratorModule() []tfFile {
	return []tfFile{
		versionsFile(),
		{name: "variables.tf", blocks: orchestratorVariables()},
		{name: "iam.tf", blocks: roleResources(machineFeatures)},
		{name: "main.tf", blocks: []*hclwrite.Block{stepFunctionsCall(), historyTable(), snsTopic()}},
		{name: "schedules.tf", blocks: []*hclwrite.Block{scheduleGroup(), schedule()}},
		{name: "outputs.tf", blocks: []*hclwrite.Block{
			output("role_arns", "ARNs of the roles, by name.", rolesBy("arn")),
			output("role_names", "Names of the roles, by name (for references that wait for the role).", rolesBy("name")),
			output("state_machine_arns", "ARNs of the state machines, by group and key.", groupsBy("arns")),
			output("state_machine_names", "Names of the state machines, by group and key.", groupsBy("names")),
			output("history_table_name", "Name of the run-history table.", ref("aws_dynamodb_table.history.name")),
			output("topic_arn", "ARN of refreshgen's notification topic; null when every refresh notifies its own.",
				cond(binary(ref("var.topic_name"), "==", null()), null(), ref("aws_sns_topic.events[0].arn"))),
		}},
	}
}

func orchestratorVariables() []*hclwrite.Block {
	machine := objectOf(field{"name", tString()}, field{"role", tString()}, field{"definition", tString()})
	return append(roleVariables(machineFeatures),
		variable("state_machines", "State machines by group (db, efs, eks, utils, orchestrator): the group's log group and its machines by key, each with its name, the name of its role in var.roles and its definition.",
			mapOf(objectOf(field{"log_group_name", tString()}, field{"machines", mapOf(machine)})), nil),
		variable("history_table_name", "Name of the DynamoDB table of refresh runs.", tString(), nil),
		variable("topic_name", "Name of refreshgen's SNS topic; null creates none (every refresh notifies a topic of its own).", tString(), null()),
		variable("schedule_group_name", "EventBridge Scheduler group of the schedules.", tString(), null()),
		variable("scheduler_role", "Name of the role in var.roles that schedules start refreshes with.", tString(), null()),
		variable("schedules", "Schedules by name: a schedule expression, its time zone (null: UTC) and the refresh it starts (a key of the orchestrator group).",
			mapOf(objectOf(field{"expression", tString()}, field{"timezone", tString()}, field{"refresh", tString()})), mapping(nil)),
		variable("enable_step_functions_logging", "Log state machine errors to CloudWatch.", tBool(), boolean(true)),
		variable("log_retention_days", "How many days the log groups keep events.", tNumber(), num(30)),
		variable("enable_xray_tracing", "Trace executions with AWS X-Ray.", tBool(), boolean(false)),
	)
}

// groupsBy maps each group to one output of its step-functions call.
func groupsBy(out string) expr {
	return forObject("group", "machines", ref("module.step_functions"), ident("group"), ref("machines."+out), nil)
}

// stepFunctionsCall deploys each group through modules/step-functions,
// once the roles' policies are in place.
func stepFunctionsCall() *hclwrite.Block {
	machine := object(
		field{"name", ref("machine.name")},
		field{"role_arn", createdRole(ref("machine.role"), "arn")},
		field{"definition", ref("machine.definition")},
	)
	return moduleCall("step_functions", "../"+moduleStepFunctions,
		forEach(ref("var.state_machines")),
		attr("log_group_name", ref("each.value.log_group_name")),
		attr("state_machines", forObject("key", "machine", ref("each.value.machines"), ident("key"), machine, nil)),
		attr("enable_logging", ref("var.enable_step_functions_logging")),
		attr("log_retention_days", ref("var.log_retention_days")),
		attr("enable_xray_tracing", ref("var.enable_xray_tracing")),
		blank(),
		dependsOn(rolePolicyRefs(machineFeatures)...),
	)
}

// historyTable is the table of refresh runs: recoverable to any second of
// the last 35 days, encrypted at rest.
func historyTable() *hclwrite.Block {
	return resource("aws_dynamodb_table", "history",
		attr("name", ref("var.history_table_name")),
		attr("billing_mode", str("PAY_PER_REQUEST")),
		attr("hash_key", str(historyKey)),
		blank(),
		child(nested("attribute", attr("name", str(historyKey)), attr("type", str("S")))),
		blank(),
		child(nested("point_in_time_recovery", attr("enabled", boolean(true)))),
		blank(),
		child(nested("server_side_encryption", attr("enabled", boolean(true)))),
	)
}

// snsTopic is refreshgen's notification topic, encrypted with the AWS
// managed key, whose key policy lets SNS use it for any publisher of the
// account: the workflow role needs no KMS grant.
func snsTopic() *hclwrite.Block {
	return resource("aws_sns_topic", "events",
		count(cond(binary(ref("var.topic_name"), "==", null()), num(0), num(1))),
		attr("name", ref("var.topic_name")),
		attr("kms_master_key_id", str("alias/aws/sns")),
	)
}

func scheduleGroup() *hclwrite.Block {
	return resource("aws_scheduler_schedule_group", "this",
		count(cond(binary(call("length", ref("var.schedules")), ">", num(0)), num(1), num(0))),
		attr("name", ref("var.schedule_group_name")),
	)
}

// schedule starts a refresh's orchestrator on its schedule, with the empty
// input an orchestrator takes.
func schedule() *hclwrite.Block {
	target := index(ref(`module.step_functions["orchestrator"].arns`), ref("each.value.refresh"))
	return resource("aws_scheduler_schedule", "this", forEach(ref("var.schedules")),
		attr("name", ref("each.key")),
		attr("group_name", ref("aws_scheduler_schedule_group.this[0].name")),
		attr("schedule_expression", ref("each.value.expression")),
		attr("schedule_expression_timezone", ref("each.value.timezone")),
		blank(),
		child(nested("flexible_time_window", attr("mode", str("OFF")))),
		blank(),
		child(nested("target",
			attr("arn", target),
			attr("role_arn", createdRole(ref("var.scheduler_role"), "arn")),
			attr("input", call("jsonencode", object())),
		)),
	)
}
