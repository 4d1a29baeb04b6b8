package docs

import (
	"slices"
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/workflows"
)

// machineRow is one state machine in the State machines table.
type machineRow struct {
	Name, Group, Summary, Timeout string
	// UsedBy lists the refreshes whose runs start the machine, directly
	// or through another one; a library machine no refresh uses is still
	// deployed, to run by hand.
	UsedBy string
}

// machineRows lists the orchestrators first (what people start), then the
// library by group in name order; within a group the generator's order is
// kept, which keeps related workflows together.
func machineRows(in generator.Input) []machineRow {
	used := usedBy(in.Machines)
	ms := slices.Clone(in.Machines)
	slices.SortStableFunc(ms, func(a, b workflows.Machine) int {
		ao, bo := a.Workflow.Group == workflows.GroupOrchestrator, b.Workflow.Group == workflows.GroupOrchestrator
		switch {
		case ao && !bo:
			return -1
		case bo && !ao:
			return 1
		}
		return strings.Compare(string(a.Workflow.Group), string(b.Workflow.Group))
	})
	out := make([]machineRow, len(ms))
	for i, m := range ms {
		timeout := m.Definition.TimeoutSeconds
		if timeout == 0 {
			timeout = m.Workflow.Timeout
		}
		usedBy := strings.Join(used[m.ARN], ", ")
		if usedBy == "" {
			usedBy = "none"
		}
		out[i] = machineRow{
			Name:    m.Name,
			Group:   string(m.Workflow.Group),
			Summary: cell(m.Workflow.Summary),
			Timeout: formatDuration(time.Duration(timeout) * time.Second),
			UsedBy:  usedBy,
		}
	}
	return out
}

// usedBy maps each state machine's ARN to the refreshes that run it: the
// orchestrator of a refresh, and everything it starts, transitively, as
// the definitions say (Tasks that call states:startExecution).
func usedBy(machines []workflows.Machine) map[string][]string {
	children := map[string][]string{}
	for _, m := range machines {
		children[m.ARN] = startedBy(m.Definition)
	}
	out := map[string][]string{}
	for _, m := range machines {
		if m.Workflow.Group != workflows.GroupOrchestrator {
			continue
		}
		seen := map[string]bool{}
		stack := []string{m.ARN}
		for len(stack) > 0 {
			arn := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[arn] {
				continue
			}
			seen[arn] = true
			out[arn] = append(out[arn], m.Workflow.Key)
			stack = append(stack, children[arn]...)
		}
	}
	for arn := range out {
		slices.Sort(out[arn])
		out[arn] = slices.Compact(out[arn])
	}
	return out
}

// startedBy lists the ARNs of the state machines a definition starts.
func startedBy(m *asl.Machine) []string {
	var out []string
	for l := range m.Walk() {
		t, ok := l.State.(*asl.Task)
		if !ok {
			continue
		}
		in, _, err := asl.ParseIntegration(t.Resource)
		if err != nil || in.Service != "states" || in.Action != "startExecution" {
			continue
		}
		if arn, _ := t.Parameters.StaticString("StateMachineArn"); arn != "" && !slices.Contains(out, arn) {
			out = append(out, arn)
		}
	}
	return out
}
