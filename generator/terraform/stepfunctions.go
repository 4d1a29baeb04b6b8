package terraform

import (
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// stepFunctionsModule is modules/step-functions: one group of state
// machines (db, efs, eks, utils or orchestrator) with their log group. The
// orchestrator module calls it once per group.
func stepFunctionsModule() []tfFile {
	return []tfFile{
		versionsFile(),
		{name: "variables.tf", blocks: []*hclwrite.Block{
			variable("state_machines", "The group's state machines, by key: name, the ARN of the role it runs as, and its Amazon States Language definition.",
				mapOf(objectOf(field{"name", tString()}, field{"role_arn", tString()}, field{"definition", tString()})), nil),
			variable("log_group_name", "The CloudWatch log group of the group's executions.", tString(), nil),
			variable("enable_logging", "Log execution errors (level ERROR, without execution data) to the log group.", tBool(), boolean(true)),
			variable("log_retention_days", "How many days the log group keeps events.", tNumber(), num(30)),
			variable("enable_xray_tracing", "Trace executions with AWS X-Ray.", tBool(), boolean(false)),
		}},
		{name: "main.tf", blocks: []*hclwrite.Block{
			logGroup("this", count(cond(ref("var.enable_logging"), num(1), num(0))), ref("var.log_group_name")),
			sfnStateMachine(),
		}},
		{name: "outputs.tf", blocks: []*hclwrite.Block{
			output("arns", "ARNs of the state machines, by key.", machinesBy("arn")),
			output("names", "Names of the state machines, by key.", machinesBy("name")),
			output("log_group_arn", "ARN of the log group; null when logging is off.",
				cond(ref("var.enable_logging"), ref("aws_cloudwatch_log_group.this[0].arn"), null())),
		}},
	}
}

// machinesBy is the map from key to one attribute of the state machines.
func machinesBy(attribute string) expr {
	return forObject("key", "machine", ref("aws_sfn_state_machine.this"), ident("key"), ref("machine."+attribute), nil)
}

// logGroup is a CloudWatch log group kept for var.log_retention_days.
func logGroup(label string, repeat item, name expr) *hclwrite.Block {
	return resource("aws_cloudwatch_log_group", label, repeat,
		attr("name", name),
		attr("retention_in_days", ref("var.log_retention_days")),
	)
}

// sfnStateMachine is one STANDARD state machine per entry of
// var.state_machines, logging errors without execution data (which may
// hold secrets' metadata and database names) when the log group exists.
func sfnStateMachine() *hclwrite.Block {
	return resource("aws_sfn_state_machine", "this", forEach(ref("var.state_machines")),
		attr("name", ref("each.value.name")),
		attr("role_arn", ref("each.value.role_arn")),
		attr("definition", ref("each.value.definition")),
		attr("type", str("STANDARD")),
		blank(),
		child(dynamic("logging_configuration", ref("aws_cloudwatch_log_group.this"),
			attr("log_destination", interpolate("", ref("logging_configuration.value.arn"), ":*")),
			attr("level", str("ERROR")),
			attr("include_execution_data", boolean(false)),
		)),
		blank(),
		child(nested("tracing_configuration", attr("enabled", ref("var.enable_xray_tracing")))),
	)
}
