package terraform

import (
	"fmt"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/refreshgen/refreshgen/generator/stepfunctions"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/workflows"
)

// orchestratorRoot deploys the orchestrator account. Its inputs and
// outputs are the seed module root's, so its users find theirs.
func (r *renderer) orchestratorRoot(a *spec.Account) (root, error) {
	args, err := r.roleArgs(r.rolesIn(a), machineFeatures)
	if err != nil {
		return root{}, err
	}
	machines, err := r.stateMachineArgs()
	if err != nil {
		return root{}, err
	}
	outputs, err := r.orchestratorOutputs()
	if err != nil {
		return root{}, err
	}
	args = append(args, attr("state_machines", machines), attr("history_table_name", str(r.names.HistoryTable())))
	if r.ownTopic() {
		args = append(args, attr("topic_name", str(r.names.Topic())))
	}
	args = append(args, r.scheduleArgs()...)
	args = append(args,
		attr("enable_step_functions_logging", ref("var.enable_step_functions_logging")),
		attr("log_retention_days", ref("var.log_retention_days")),
		attr("enable_xray_tracing", ref("var.enable_xray_tracing")),
	)
	return root{
		modules:   []string{moduleOrchestrator, moduleStepFunctions},
		variables: r.orchestratorRootVariables(),
		call:      moduleCall("orchestrator", moduleSourceOf(moduleOrchestrator), args...),
		outputs:   outputs,
	}, nil
}

// stateMachineArgs are the state machines by group, each with its role and
// its rendered definition.
func (r *renderer) stateMachineArgs() (expr, error) {
	var groups []workflows.Group
	machines := map[workflows.Group][]entry{}
	for _, m := range r.in.Machines {
		role, err := r.machineRole(m)
		if err != nil {
			return nil, err
		}
		g := m.Workflow.Group
		if machines[g] == nil {
			groups = append(groups, g)
		}
		machines[g] = append(machines[g], entry{m.Workflow.Key, object(
			field{"name", str(m.Name)}, field{"role", str(role)}, field{"definition", file(stepfunctions.Path(m.Workflow))})})
	}
	out := make([]entry, len(groups))
	for i, g := range groups {
		out[i] = entry{string(g), object(field{"log_group_name", str(r.names.LogGroup(string(g)))}, field{"machines", mapping(machines[g])})}
	}
	return mapping(out), nil
}

// ownTopic reports whether a refresh notifies refreshgen's topic rather
// than one the spec names.
func (r *renderer) ownTopic() bool {
	for _, rf := range r.spec.Refreshes {
		if rf.Notify.SNSTopicARN == "" {
			return true
		}
	}
	return false
}

// scheduleArgs are the schedules of the refreshes that have one.
func (r *renderer) scheduleArgs() []item {
	var schedules []entry
	for _, rf := range r.spec.Refreshes {
		if rf.Schedule == "" {
			continue
		}
		schedules = append(schedules, entry{r.names.Schedule(rf), object(
			field{"expression", str(rf.Schedule)}, field{"timezone", strOrNull(rf.ScheduleTimezone)}, field{"refresh", str(rf.Name)})})
	}
	if len(schedules) == 0 {
		return nil
	}
	return []item{
		attr("schedule_group_name", str(r.names.ScheduleGroup())),
		attr("scheduler_role", str(r.names.SchedulerRole())),
		attr("schedules", mapping(schedules)),
	}
}

// orchestratorRootVariables are the seed root's inputs. Names and role
// ARNs are fixed by refresh.hcl and already written into the rendered
// definitions and policies, so prefix and the role lists default to the
// spec's values and refuse others, pointing at the file to change.
func (r *renderer) orchestratorRootVariables() []*hclwrite.Block {
	const fixed = "It is fixed by refresh.hcl, whose rendered state machines and policies already hold it: change the spec and render again."
	prefix := r.spec.Project.Prefix
	sources, destinations := r.accountRoleARNs(spec.RoleSource), r.accountRoleARNs(spec.RoleDestination)
	sameSet := func(name string, arns []string) expr {
		return binary(call("toset", ref("var."+name)), "==", call("toset", strs(arns)))
	}
	return []*hclwrite.Block{
		variable("prefix", "Prefix of every name (project prefix of refresh.hcl).", tString(), str(prefix),
			validation(binary(ref("var.prefix"), "==", str(prefix)), "The prefix is "+prefix+". "+fixed)),
		variable("source_role_arns", "IAM role ARNs in source accounts the workflows assume (from refresh.hcl).", listOf(tString()), strs(sources),
			validation(sameSet("source_role_arns", sources), "The source roles are the accounts' roles of refresh.hcl. "+fixed)),
		variable("destination_role_arns", "IAM role ARNs in destination accounts the workflows assume (from refresh.hcl).", listOf(tString()), strs(destinations),
			validation(sameSet("destination_role_arns", destinations), "The destination roles are the accounts' roles of refresh.hcl. "+fixed)),
		variable("enable_step_functions_logging", "Log state machine errors to CloudWatch (level ERROR, without execution data).", tBool(), boolean(true)),
		variable("log_retention_days", "How many days the state machines' log groups keep events.", tNumber(), num(30)),
		variable("enable_xray_tracing", "Trace executions with AWS X-Ray.", tBool(), boolean(false)),
	}
}

// perRefresh are the outputs the seed had once and a spec has per refresh:
// a map by refresh, and the seed's singular name for the first refresh in
// name order.
var perRefresh = []struct {
	plural, singular, what string
	value                  func(refresh, role string) expr
}{
	{"orchestrator_role_arns", "orchestrator_role_arn", "ARN of the orchestrator's IAM role", func(_, role string) expr {
		return index(ref("module.orchestrator.role_arns"), str(role))
	}},
	{"orchestrator_role_names", "orchestrator_role_name", "Name of the orchestrator's IAM role", func(_, role string) expr {
		return index(ref("module.orchestrator.role_names"), str(role))
	}},
	{"orchestrator_arns", "orchestrator_arn", "ARN of the orchestrator state machine", func(refresh, _ string) expr {
		return index(ref(`module.orchestrator.state_machine_arns["orchestrator"]`), str(refresh))
	}},
	{"orchestrator_names", "orchestrator_name", "Name of the orchestrator state machine", func(refresh, _ string) expr {
		return index(ref(`module.orchestrator.state_machine_names["orchestrator"]`), str(refresh))
	}},
}

// seedGroups are the groups the seed root output one map each for.
var seedGroups = []workflows.Group{workflows.GroupDB, workflows.GroupEFS, workflows.GroupEKS, workflows.GroupUtils}

func (r *renderer) orchestratorOutputs() ([]*hclwrite.Block, error) {
	type orchestrator struct{ refresh, role string }
	var orchestrators []orchestrator
	for _, m := range r.in.Machines {
		if m.Workflow.Group != workflows.GroupOrchestrator {
			continue
		}
		role, err := r.machineRole(m)
		if err != nil {
			return nil, err
		}
		orchestrators = append(orchestrators, orchestrator{m.Workflow.Key, role})
	}
	if len(orchestrators) == 0 {
		return nil, fmt.Errorf("the spec has no refresh")
	}
	var outputs []*hclwrite.Block
	first := orchestrators[0]
	for _, o := range perRefresh {
		byRefresh := make([]entry, len(orchestrators))
		for i, x := range orchestrators {
			byRefresh[i] = entry{x.refresh, o.value(x.refresh, x.role)}
		}
		outputs = append(outputs,
			output(o.singular, fmt.Sprintf("%s of refresh %s, the first by name (all: %s).", o.what, first.refresh, o.plural), o.value(first.refresh, first.role)),
			output(o.plural, o.what+" of each refresh, by refresh.", mapping(byRefresh)))
	}
	for _, g := range seedGroups {
		outputs = append(outputs, output("step_functions_"+string(g), fmt.Sprintf("ARNs of the %s state machines, by key.", g),
			index(ref("module.orchestrator.state_machine_arns"), str(string(g)))))
	}
	return append(outputs,
		output("all_step_function_arns", "ARNs of every state machine, by group (db, efs, eks, utils, orchestrator) and key.", ref("module.orchestrator.state_machine_arns")),
		output("history_table_name", "Name of the DynamoDB table of refresh runs.", ref("module.orchestrator.history_table_name")),
		output("topic_arn", "ARN of refreshgen's notification topic (subscribe to it); null when every refresh notifies its own.", ref("module.orchestrator.topic_arn")),
	), nil
}
