package workflows

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/sim"
)

// The helpers every workflow test shares: run a workflow of the example
// spec in the simulator (package sim) against canned AWS answers, given by
// state name, and check what it calls and how it ends.

// The Credentials paths the workflows call AWS with.
const (
	roleAccount     = "$.Account.RoleArn"
	roleSource      = "$.Source.RoleArn"
	roleDestination = "$.Destination.RoleArn"
)

// exampleInput is the example input of group/key with some fields
// replaced (a nil value removes the field).
func exampleInput(t *testing.T, group Group, key string, changes map[string]any) map[string]any {
	t.Helper()
	e := exampleEnv(t)
	in := e.Example(e.Workflow(group, key))
	for k, v := range changes {
		if v == nil {
			delete(in, k)
			continue
		}
		in[k] = v
	}
	return in
}

// simulate runs group/key of the example spec on input, as the execution
// run-1, answering each Task state from answers (a state's last answer
// repeats; a state without answers fails its task).
func simulate(t *testing.T, group Group, key string, input any, answers map[string][]sim.Result) *sim.Execution {
	t.Helper()
	x, err := sim.Run(machineOf(t, group, key).Definition, input, sim.Options{Executor: &sim.Script{Results: answers}, Name: "run-1"})
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// simulateExample is simulate on the example input with changes.
func simulateExample(t *testing.T, group Group, key string, changes map[string]any, answers map[string][]sim.Result) *sim.Execution {
	t.Helper()
	return simulate(t, group, key, exampleInput(t, group, key, changes), answers)
}

// answer is a task's successful answer.
func answer(v any) sim.Result { return sim.Result{Output: v} }

// failure fails a task with the error name.
func failure(name string) sim.Result {
	return sim.Result{Err: &sim.Failure{Name: name, Cause: "simulated " + name}}
}

// jsonOf decodes a JSON literal, for canned answers written as AWS returns them.
func jsonOf(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// managedTag is the example spec's managed tag, as AWS lists it.
var managedTag = map[string]any{"Key": "refreshgen:managed", "Value": "true"}

// resourceTags is the tag list of a resource in a canned answer: a tag of
// someone else's, and the managed tag when managed.
func resourceTags(managed bool) []any {
	tags := []any{map[string]any{"Key": "Owner", "Value": "platform"}}
	if managed {
		tags = append(tags, managedTag)
	}
	return tags
}

// eksAnswer is an eks:describeCluster answer, which the Job and
// Kubernetes workflows read the API endpoint from.
var eksAnswer = answer(map[string]any{"Cluster": map[string]any{
	"Endpoint": "https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com", "CertificateAuthority": map[string]any{"Data": "LS0tLS1CRUdJTg=="}}})

// callsIn lists the task attempts an execution made in state, in order.
func callsIn(x *sim.Execution, state string) []sim.Call {
	return slices.DeleteFunc(slices.Clone(x.Calls), func(c sim.Call) bool { return c.State != state })
}

// callsTo lists the calls an execution made to service:action, in order.
func callsTo(x *sim.Execution, action string) []sim.Call {
	return slices.DeleteFunc(slices.Clone(x.Calls), func(c sim.Call) bool {
		return c.Integration == nil || c.Integration.Service+":"+c.Integration.Action != action
	})
}

// param is a top-level parameter of a simulated call.
func param(c sim.Call, key string) any { return c.Parameters.(map[string]any)[key] }

// asJSON is the compact JSON of v, object keys sorted.
func asJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// wantJSON checks a value against JSON written with sorted keys (the
// simulator keeps numbers as json.Number, so values compare as JSON).
func wantJSON(t *testing.T, what string, got any, want string) {
	t.Helper()
	if g := asJSON(t, got); g != want {
		t.Errorf("%s = %s\nwant %s", what, g, want)
	}
}

// wantStatus ends the test unless x ended with status and error name.
func wantStatus(t *testing.T, x *sim.Execution, status sim.Status, errName string) {
	t.Helper()
	if x.Status != status || x.Error != errName {
		t.Fatalf("ended %s %s (%s), want %s %s", x.Status, x.Error, x.Cause, status, errName)
	}
}

// wantCalls checks what a machine calls: each integration with the
// Credentials path of every call to it, in the order of the machine's
// states, nested states included.
func wantCalls(t *testing.T, m Machine, want map[string][]string) {
	t.Helper()
	if got := calls(m.Definition); !reflect.DeepEqual(got, want) {
		t.Errorf("%s calls:\n got %v\nwant %v", m.Name, got, want)
	}
}

// repeated is n times s.
func repeated(s string, n int) []string { return slices.Repeat([]string{s}, n) }

// canonicalError is an error name Step Functions can raise: a States.*
// name, refreshgen's own, or an aws-sdk one (Service.NameException).
var canonicalError = regexp.MustCompile(`^((States|Refresh)\.[A-Z][A-Za-z]*|[A-Z][A-Za-z]*\.[A-Z][A-Za-z]*Exception)$`)

// wantCanonicalErrors checks every error name a machine retries, catches
// or raises: the seed's *Fault names never matched (seed-workflows §10).
func wantCanonicalErrors(t *testing.T, m Machine) {
	t.Helper()
	for l := range m.Definition.Walk() {
		for _, name := range errorNames(l.State) {
			if !canonicalError.MatchString(name) || strings.Contains(name, "Fault") {
				t.Errorf("%s %s: error name %q is not canonical", m.Name, l.At, name)
			}
		}
	}
}

// errorNames lists the error names a state's retriers and catchers match
// and, for a Fail, the one it raises.
func errorNames(st asl.State) []string {
	var out []string
	add := func(retry []asl.Retrier, catch []asl.Catcher) {
		for _, r := range retry {
			out = append(out, r.ErrorEquals...)
		}
		for _, c := range catch {
			out = append(out, c.ErrorEquals...)
		}
	}
	switch s := st.(type) {
	case *asl.Task:
		add(s.Retry, s.Catch)
	case *asl.Map:
		add(s.Retry, s.Catch)
	case *asl.Parallel:
		add(s.Retry, s.Catch)
	case *asl.Fail:
		out = append(out, s.Error)
	}
	return out
}
