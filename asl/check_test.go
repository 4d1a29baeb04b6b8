package asl_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/asl"
)

// simpleMachine is Start (Pass) -> Call (Task) -> Done (Succeed); each check
// case breaks one thing in it.
func simpleMachine() *asl.Machine {
	m := &asl.Machine{StartAt: "Start", TimeoutSeconds: 600}
	m.States.Add("Start", &asl.Pass{Next: "Call"})
	m.States.Add("Call", &asl.Task{Resource: asl.SDKCall("rds", "describeDBClusters").ARN("aws"), ResultPath: asl.At("$.R"), Next: "Done"})
	m.States.Add("Done", &asl.Succeed{})
	return m
}

func state[T asl.State](m *asl.Machine, name string) T {
	s, _ := m.States.Get(name)
	return s.(T)
}

// loopMachine is a bounded loop around Call, written out by hand so that
// each case can break one part of the guard.
func loopMachine() *asl.Machine {
	m := &asl.Machine{StartAt: "Init"}
	m.States.Add("Init", &asl.Pass{Parameters: asl.Obj(asl.Field("N", asl.Num(1))), ResultPath: asl.At("$.Poll"), Next: "Call"})
	m.States.Add("Call", &asl.Task{Resource: asl.SDKCall("rds", "describeDBClusters").ARN("aws"), ResultPath: asl.At("$.R"), Next: "Check"})
	m.States.Add("Check", &asl.Choice{
		Choices: []asl.Rule{
			asl.When(asl.CompareString("$.R.Status", asl.Equals, "available"), "Done"),
			asl.When(asl.CompareNumber("$.Poll.N", asl.GreaterThanEquals, 10), "TooLong"),
		},
		Default: "Pause",
	})
	m.States.Add("Pause", &asl.Wait{Seconds: 5, Next: "Count"})
	m.States.Add("Count", &asl.Pass{
		Parameters: asl.Obj(asl.Field("N", asl.Call(asl.FnMathAdd, asl.Ref("$.Poll.N"), asl.Num(1)))),
		ResultPath: asl.At("$.Poll"),
		Next:       "Call",
	})
	m.States.Add("TooLong", &asl.Fail{Error: asl.ErrPollTimeout})
	m.States.Add("Done", &asl.Succeed{})
	return m
}

// nestedMachine holds a Parallel and a Map, to check that nested scopes
// are checked and closed.
func nestedMachine() *asl.Machine {
	m := &asl.Machine{StartAt: "Phase1"}
	m.States.Add("Phase1", &asl.Parallel{
		Branches: []asl.Branch{{StartAt: "Restore", States: asl.States{
			{Name: "Restore", State: &asl.Pass{Next: "Restored"}},
			{Name: "Restored", State: &asl.Succeed{}},
		}}},
		Next: "Each",
	})
	m.States.Add("Each", &asl.Map{
		ItemProcessor: &asl.Processor{StartAt: "Item", States: asl.States{
			{Name: "Item", State: &asl.Pass{End: true}},
		}},
		Next: "Done",
	})
	m.States.Add("Done", &asl.Succeed{})
	return m
}

func TestCheck(t *testing.T) {
	call := func(m *asl.Machine) *asl.Task { return state[*asl.Task](m, "Call") }
	branch := func(m *asl.Machine) asl.States { return state[*asl.Parallel](m, "Phase1").Branches[0].States }
	tests := []struct {
		name   string
		build  func() *asl.Machine
		break_ func(m *asl.Machine)
		opts   asl.CheckOptions
		at     string // "" with msg "": the machine is valid
		msg    string
	}{
		{name: "valid simple", build: simpleMachine},
		{name: "valid loop", build: loopMachine},
		{name: "valid nested", build: nestedMachine},
		{name: "valid poll cluster", build: pollClusterMachine, opts: asl.CheckOptions{RequireTimeout: true}},
		{name: "valid kitchen sink", build: kitchenSinkMachine, opts: asl.CheckOptions{RequireTimeout: true}},

		// Graph structure.
		{name: "StartAt missing", build: simpleMachine, break_: func(m *asl.Machine) { m.StartAt = "Nope" },
			at: "StartAt", msg: `"Nope" does not exist`},
		{name: "Next missing", build: simpleMachine, break_: func(m *asl.Machine) { call(m).Next = "Foo" },
			at: "States.Call", msg: `Next "Foo" does not exist`},
		{name: "branch Next leaves its scope", build: nestedMachine,
			break_: func(m *asl.Machine) { branch(m)[0].State.(*asl.Pass).Next = "Done" },
			at:     "States.Phase1.Branches[0].States.Restore", msg: `Next "Done" does not exist`},
		{name: "processor Next leaves its scope", build: nestedMachine,
			break_: func(m *asl.Machine) {
				st := state[*asl.Map](m, "Each").ItemProcessor.States[0].State.(*asl.Pass)
				st.End, st.Next = false, "Done"
			},
			at: "States.Each.ItemProcessor.States.Item", msg: `Next "Done" does not exist`},
		{name: "Catch target missing", build: simpleMachine,
			break_: func(m *asl.Machine) {
				call(m).Catch = []asl.Catcher{{ErrorEquals: []string{asl.ErrAll}, Next: "Gone"}}
			},
			at: "States.Call", msg: `Catch[0].Next "Gone" does not exist`},
		{name: "Default missing", build: loopMachine,
			break_: func(m *asl.Machine) { state[*asl.Choice](m, "Check").Default = "Nowhere" },
			at:     "States.Check", msg: `Default "Nowhere" does not exist`},
		{name: "Choice rule without Next", build: loopMachine,
			break_: func(m *asl.Machine) { state[*asl.Choice](m, "Check").Choices[0].Next = "" },
			at:     "States.Check.Choices[0]", msg: "Next is empty"},
		{name: "unreachable", build: simpleMachine,
			break_: func(m *asl.Machine) { m.States.Add("Orphan", &asl.Succeed{}) },
			at:     "States.Orphan", msg: `not reachable from StartAt "Start"`},
		{name: "unreachable in branch", build: nestedMachine,
			break_: func(m *asl.Machine) { branch(m)[0].State.(*asl.Pass).Next = "Restore" },
			at:     "States.Phase1.Branches[0].States.Restored", msg: "not reachable"},
		{name: "no terminal state", build: simpleMachine,
			break_: func(m *asl.Machine) { m.States = m.States[:2]; call(m).Next = "Start" },
			at:     "", msg: "no terminal state"},
		{name: "End and Next", build: simpleMachine, break_: func(m *asl.Machine) { call(m).End = true },
			at: "States.Call", msg: "has both End and Next"},
		{name: "neither End nor Next", build: simpleMachine, break_: func(m *asl.Machine) { call(m).Next = "" },
			at: "States.Call", msg: "needs Next or End"},
		{name: "empty States", build: simpleMachine, break_: func(m *asl.Machine) { m.States = nil },
			at: "", msg: "States is empty"},
		{name: "nil state", build: simpleMachine, break_: func(m *asl.Machine) { m.States[2].State = nil },
			at: "States.Done", msg: "state is nil"},
		{name: "empty Parallel", build: nestedMachine,
			break_: func(m *asl.Machine) { state[*asl.Parallel](m, "Phase1").Branches = nil },
			at:     "States.Phase1", msg: "Branches is empty"},
		{name: "Map without processor", build: nestedMachine,
			break_: func(m *asl.Machine) { state[*asl.Map](m, "Each").ItemProcessor = nil },
			at:     "States.Each", msg: "ItemProcessor is missing"},

		// Names.
		{name: "name longer than 80", build: simpleMachine,
			break_: func(m *asl.Machine) { m.States[2].Name = strings.Repeat("é", 81); call(m).Next = m.States[2].Name },
			at:     "States." + strings.Repeat("é", 81), msg: "81 characters long"},
		{name: "name reused in a branch", build: nestedMachine,
			break_: func(m *asl.Machine) { branch(m)[1].Name = "Done"; branch(m)[0].State.(*asl.Pass).Next = "Done" },
			at:     "States.Done", msg: `state name "Done" is already used at States.Phase1.Branches[0].States.Done`},
		{name: "Version", build: simpleMachine, break_: func(m *asl.Machine) { m.Version = "2.0" },
			at: "Version", msg: `"2.0" is not "1.0"`},
		{name: "JSONata", build: simpleMachine, break_: func(m *asl.Machine) { m.QueryLanguage = "JSONata" },
			at: "QueryLanguage", msg: "only JSONPath is modelled"},
		{name: "negative timeout", build: simpleMachine, break_: func(m *asl.Machine) { m.TimeoutSeconds = -1 },
			at: "TimeoutSeconds", msg: "-1 is outside 1..99999999"},
		{name: "timeout required", build: simpleMachine, break_: func(m *asl.Machine) { m.TimeoutSeconds = 0 },
			opts: asl.CheckOptions{RequireTimeout: true}, at: "TimeoutSeconds", msg: "required for a top-level machine"},

		// Retry and Catch.
		{name: "States.ALL not alone in Retry", build: simpleMachine,
			break_: func(m *asl.Machine) { call(m).Retry = []asl.Retrier{asl.RetryOn(asl.ErrAll, asl.ErrTimeout)} },
			at:     "States.Call.Retry[0].ErrorEquals", msg: "States.ALL must be alone"},
		{name: "States.ALL not last in Retry", build: simpleMachine,
			break_: func(m *asl.Machine) {
				call(m).Retry = []asl.Retrier{asl.RetryOn(asl.ErrAll), asl.RetryOn(asl.ErrTimeout)}
			},
			at: "States.Call.Retry[0].ErrorEquals", msg: "States.ALL must be in the last retrier"},
		{name: "States.ALL not last in Catch", build: simpleMachine,
			break_: func(m *asl.Machine) {
				call(m).Catch = []asl.Catcher{{ErrorEquals: []string{asl.ErrAll}, Next: "Done"}, {ErrorEquals: []string{asl.ErrTimeout}, Next: "Done"}}
			},
			at: "States.Call.Catch[0].ErrorEquals", msg: "States.ALL must be in the last catcher"},
		{name: "empty ErrorEquals", build: simpleMachine,
			break_: func(m *asl.Machine) { call(m).Retry = []asl.Retrier{asl.RetryOn()} },
			at:     "States.Call.Retry[0]", msg: "ErrorEquals is empty"},
		{name: "backoff below 1", build: simpleMachine,
			break_: func(m *asl.Machine) {
				r := asl.RetryOn(asl.ErrTimeout)
				r.BackoffRate = 0.5
				call(m).Retry = []asl.Retrier{r}
			},
			at: "States.Call.Retry[0].BackoffRate", msg: "0.5 is less than 1.0"},
		{name: "zero interval", build: simpleMachine,
			break_: func(m *asl.Machine) {
				call(m).Retry = []asl.Retrier{{ErrorEquals: []string{asl.ErrTimeout}, BackoffRate: 1}}
			},
			at: "States.Call.Retry[0].IntervalSeconds", msg: "0 is outside 1..99999999"},
		{name: "bad jitter", build: simpleMachine,
			break_: func(m *asl.Machine) {
				r := asl.RetryOn(asl.ErrTimeout)
				r.JitterStrategy = "HALF"
				call(m).Retry = []asl.Retrier{r}
			},
			at: "States.Call.Retry[0].JitterStrategy", msg: `"HALF" is not FULL or NONE`},
		{name: "catcher without Next", build: simpleMachine,
			break_: func(m *asl.Machine) { call(m).Catch = []asl.Catcher{{ErrorEquals: []string{asl.ErrAll}}} },
			at:     "States.Call.Catch[0]", msg: "Next is empty"},

		// Loops.
		{name: "unbounded loop", build: loopMachine,
			break_: func(m *asl.Machine) {
				state[*asl.Choice](m, "Check").Choices = state[*asl.Choice](m, "Check").Choices[:1]
			},
			at: "States.Call", msg: "loop through Call, Check, Pause, Count has no attempt-counter or deadline guard"},
		{name: "counter never incremented", build: loopMachine,
			break_: func(m *asl.Machine) { state[*asl.Wait](m, "Pause").Next = "Call" },
			at:     "States.Check", msg: "guard on $.Poll.N: a loop through this state never increments it"},
		{name: "counter overwritten by the action", build: loopMachine,
			break_: func(m *asl.Machine) { call(m).ResultPath = asl.Path{} },
			at:     "States.Check", msg: `guard on $.Poll.N: state "Call" in the loop may overwrite it`},
		{name: "counter dropped by OutputPath", build: loopMachine,
			break_: func(m *asl.Machine) { state[*asl.Wait](m, "Pause").OutputPath = asl.At("$.R") },
			at:     "States.Check", msg: `state "Pause" in the loop may overwrite it`},
		{name: "counter replaced by a Parallel result", build: loopMachine,
			break_: func(m *asl.Machine) {
				m.States[3].State = &asl.Parallel{
					Branches:   []asl.Branch{{StartAt: "Nap", States: asl.States{{Name: "Nap", State: &asl.Wait{Seconds: 5, End: true}}}}},
					ResultPath: asl.At("$.Poll"),
					Next:       "Count",
				}
			},
			at: "States.Check", msg: `state "Pause" in the loop may overwrite it`},
		{name: "counter dropped by a narrowing Pass", build: loopMachine,
			break_: func(m *asl.Machine) { m.States[3].State = &asl.Pass{InputPath: asl.At("$.R"), Next: "Count"} },
			at:     "States.Check", msg: `state "Pause" in the loop may overwrite it`},
		{name: "Map result kept apart from the counter", build: loopMachine,
			break_: func(m *asl.Machine) {
				m.States[3].State = &asl.Map{
					ItemProcessor: &asl.Processor{StartAt: "Nap", States: asl.States{{Name: "Nap", State: &asl.Pass{End: true}}}},
					ResultPath:    asl.At("$.Items"),
					Next:          "Count",
				}
			}},
		{name: "catch loop bypasses the guard", build: loopMachine,
			break_: func(m *asl.Machine) {
				call(m).Catch = []asl.Catcher{{ErrorEquals: []string{asl.ErrTaskFailed}, ResultPath: asl.At("$.Error"), Next: "Pause"}}
			},
			at: "States.Call", msg: "loop through Call, Pause, Count has no attempt-counter or deadline guard"},
		{name: "deadline guard accepted", build: loopMachine,
			break_: func(m *asl.Machine) {
				check := state[*asl.Choice](m, "Check")
				check.Choices[1] = asl.When(asl.ComparePaths(asl.KindTimestamp, "$$.State.EnteredTime", asl.GreaterThan, "$.Deadline"), "TooLong")
				state[*asl.Wait](m, "Pause").Next = "Call"
				m.States = slices.DeleteFunc(m.States, func(n asl.NamedState) bool { return n.Name == "Count" })
			}},
		{name: "deadline overwritten", build: loopMachine,
			break_: func(m *asl.Machine) {
				check := state[*asl.Choice](m, "Check")
				check.Choices[1] = asl.When(asl.ComparePaths(asl.KindTimestamp, "$$.State.EnteredTime", asl.GreaterThan, "$.R.Deadline"), "TooLong")
			},
			at: "States.Check", msg: `guard on $.R.Deadline: state "Call" in the loop may overwrite it`},
		{name: "unbounded loop in a Map", build: nestedMachine,
			break_: func(m *asl.Machine) {
				p := state[*asl.Map](m, "Each").ItemProcessor
				p.States[0].State = &asl.Pass{Next: "Again"}
				p.States.Add("Again", &asl.Choice{Choices: []asl.Rule{asl.When(asl.BooleanEquals("$.more", true), "Item")}, Default: "Stop"})
				p.States.Add("Stop", &asl.Succeed{})
			},
			at: "States.Each.ItemProcessor.States.Item", msg: "loop through Item, Again has no attempt-counter"},

		// Field values.
		{name: "Resource not an ARN", build: simpleMachine, break_: func(m *asl.Machine) { call(m).Resource = "rds:describe" },
			at: "States.Call.Resource", msg: `"rds:describe" is not an ARN`},
		{name: "aws-sdk with .sync", build: simpleMachine,
			break_: func(m *asl.Machine) { call(m).Resource = "arn:aws:states:::aws-sdk:rds:describeDBClusters.sync" },
			at:     "States.Call.Resource", msg: "aws-sdk integrations have no .sync pattern"},
		{name: "Credentials without RoleArn", build: simpleMachine,
			break_: func(m *asl.Machine) { call(m).Credentials = &asl.Credentials{} },
			at:     "States.Call.Credentials", msg: "RoleArn must be a Str, a Ref or an intrinsic call"},
		{name: "Credentials path", build: simpleMachine,
			break_: func(m *asl.Machine) { call(m).Credentials = &asl.Credentials{RoleArn: asl.Ref("RoleArn")} },
			at:     "States.Call.Credentials.RoleArn.$", msg: `"RoleArn" is not a JSONPath`},
		{name: "timeout and timeout path", build: simpleMachine,
			break_: func(m *asl.Machine) { call(m).TimeoutSeconds = 5; call(m).TimeoutSecondsPath = "$.T" },
			at:     "States.Call", msg: "TimeoutSeconds and TimeoutSecondsPath are exclusive"},
		{name: "heartbeat not below timeout", build: simpleMachine,
			break_: func(m *asl.Machine) { call(m).TimeoutSeconds = 5; call(m).HeartbeatSeconds = 5 },
			at:     "States.Call", msg: "HeartbeatSeconds 5 must be less than TimeoutSeconds 5"},
		{name: "ResultPath into the context", build: simpleMachine,
			break_: func(m *asl.Machine) { call(m).ResultPath = asl.At("$$.Execution") },
			at:     "States.Call.ResultPath", msg: "context object path"},
		{name: "ItemsPath with a filter", build: nestedMachine,
			break_: func(m *asl.Machine) { state[*asl.Map](m, "Each").ItemsPath = "$.Items[?(@.on)]" },
			at:     "States.Each.ItemsPath", msg: "is not a reference path"},
		{name: "unknown intrinsic", build: simpleMachine,
			break_: func(m *asl.Machine) {
				call(m).Parameters = asl.Obj(asl.Field("X", asl.Call("States.ArrayConcat", asl.Ref("$.a"))))
			},
			at: "States.Call.Parameters.X.$", msg: `unknown intrinsic function "States.ArrayConcat"`},
		{name: "intrinsic arity", build: simpleMachine,
			break_: func(m *asl.Machine) {
				call(m).Parameters = asl.Obj(asl.Field("X", asl.Call(asl.FnMathAdd, asl.Ref("$.a"))))
			},
			at: "States.Call.Parameters.X.$", msg: "States.MathAdd takes 2 arguments, not 1"},
		{name: "MathRandom arity", build: simpleMachine,
			break_: func(m *asl.Machine) {
				call(m).Parameters = asl.Obj(asl.Field("X", asl.Call(asl.FnMathRandom, asl.Num(1))))
			},
			at: "States.Call.Parameters.X.$", msg: "States.MathRandom takes 2 to 3 arguments, not 1"},
		{name: "Format without arguments", build: simpleMachine,
			break_: func(m *asl.Machine) { call(m).Parameters = asl.Obj(asl.Field("X", asl.Call(asl.FnFormat))) },
			at:     "States.Call.Parameters.X.$", msg: "States.Format takes at least 1 arguments, not 0"},
		{name: "nil intrinsic argument", build: simpleMachine,
			break_: func(m *asl.Machine) { call(m).Parameters = asl.Obj(asl.Field("X", asl.Call(asl.FnArrayLength, nil))) },
			at:     "States.Call.Parameters.X.$", msg: "States.ArrayLength argument 1 is nil"},
		{name: "Format placeholders", build: simpleMachine,
			break_: func(m *asl.Machine) {
				call(m).Parameters = asl.Obj(asl.Field("X", asl.Format("{}-{}", asl.Ref("$.a"))))
			},
			at: "States.Call.Parameters.X.$", msg: "2 placeholders for 1 arguments"},
		{name: "Format without template", build: simpleMachine,
			break_: func(m *asl.Machine) {
				call(m).Parameters = asl.Obj(asl.Field("X", asl.Call(asl.FnFormat, asl.Str("{}"))))
			},
			at: "States.Call.Parameters.X.$", msg: "a Template is the first argument of States.Format only"},
		{name: "fractional intrinsic argument", build: simpleMachine,
			break_: func(m *asl.Machine) {
				call(m).Parameters = asl.Obj(asl.Field("X", asl.Call(asl.FnMathAdd, asl.Ref("$.a"), asl.Num(0.5))))
			},
			at: "States.Call.Parameters.X.$", msg: "only integer literals"},
		{name: "duplicate payload key", build: simpleMachine,
			break_: func(m *asl.Machine) {
				call(m).Parameters = asl.Obj(asl.Field("Id", asl.Str("a")), asl.Field("Id", asl.Ref("$.id")))
			},
			at: "States.Call.Parameters", msg: `duplicate key "Id"`},
		{name: "hand-written .$ key", build: simpleMachine,
			break_: func(m *asl.Machine) { call(m).Parameters = asl.Obj(asl.Field("Id.$", asl.Str("$.id"))) },
			at:     "States.Call.Parameters", msg: `key "Id.$" ends in ".$"`},
		{name: "nil payload value", build: simpleMachine,
			break_: func(m *asl.Machine) { call(m).Parameters = asl.Obj(asl.Field("Id", nil)) },
			at:     "States.Call.Parameters.Id", msg: "value is nil"},
		{name: "Ref in a static Result", build: simpleMachine,
			break_: func(m *asl.Machine) { state[*asl.Pass](m, "Start").Result = asl.Obj(asl.Field("Id", asl.Ref("$.id"))) },
			at:     "States.Start.Result.Id.$", msg: "Result is static JSON"},
		{name: "Wait with two durations", build: loopMachine,
			break_: func(m *asl.Machine) { state[*asl.Wait](m, "Pause").SecondsPath = "$.S" },
			at:     "States.Pause", msg: "Seconds, SecondsPath, Timestamp and TimestampPath are exclusive"},
		{name: "Wait timestamp", build: loopMachine,
			break_: func(m *asl.Machine) { w := state[*asl.Wait](m, "Pause"); w.Seconds, w.Timestamp = 0, "tomorrow" },
			at:     "States.Pause.Timestamp", msg: `"tomorrow" is not an RFC 3339 timestamp`},
		{name: "lone brace in a Format template", build: simpleMachine,
			break_: func(m *asl.Machine) { call(m).Parameters = asl.Obj(asl.Field("X", asl.Format("{} }", asl.Ref("$.a")))) },
			at:     "States.Call.Parameters.X.$", msg: "literal braces in the template are not supported"},
		{name: "Fail Error and ErrorPath", build: loopMachine,
			break_: func(m *asl.Machine) { state[*asl.Fail](m, "TooLong").ErrorPath = asl.Ref("$.E") },
			at:     "States.TooLong", msg: "Error and ErrorPath are exclusive"},
		{name: "Fail CausePath not a string", build: loopMachine,
			break_: func(m *asl.Machine) { state[*asl.Fail](m, "TooLong").CausePath = asl.Call(asl.FnArray, asl.Ref("$.E")) },
			at:     "States.TooLong.CausePath", msg: "States.Array does not return a string"},
		{name: "Map tolerance on INLINE", build: nestedMachine,
			break_: func(m *asl.Machine) { state[*asl.Map](m, "Each").ToleratedFailureCount = 1 },
			at:     "States.Each", msg: "ToleratedFailure* apply to DISTRIBUTED processors only"},
		{name: "DISTRIBUTED without execution type", build: nestedMachine,
			break_: func(m *asl.Machine) {
				state[*asl.Map](m, "Each").ItemProcessor.Config = &asl.ProcessorConfig{Mode: asl.Distributed}
			},
			at: "States.Each.ItemProcessor.ProcessorConfig", msg: "DISTRIBUTED needs ExecutionType"},

		// Choice conditions.
		{name: "number compared as string", build: loopMachine,
			break_: func(m *asl.Machine) {
				state[*asl.Choice](m, "Check").Choices[0].Condition = asl.Condition{Variable: "$.R.Status", Operator: "StringEquals", Value: 3.0}
			},
			at: "States.Check.Choices[0].StringEquals", msg: "want a string, not float64"},
		{name: "unknown operator", build: loopMachine,
			break_: func(m *asl.Machine) {
				state[*asl.Choice](m, "Check").Choices[0].Condition = asl.Condition{Variable: "$.R.Status", Operator: "BooleanLessThan", Value: true}
			},
			at: "States.Check.Choices[0]", msg: `unknown operator "BooleanLessThan"`},
		{name: "Not of two", build: loopMachine,
			break_: func(m *asl.Machine) {
				c := asl.Not(asl.BooleanEquals("$.a", true))
				c.Operands = append(c.Operands, c.Operands[0])
				state[*asl.Choice](m, "Check").Choices[0].Condition = c
			},
			at: "States.Check.Choices[0]", msg: "Not takes exactly one condition"},
		{name: "empty And", build: loopMachine,
			break_: func(m *asl.Machine) { state[*asl.Choice](m, "Check").Choices[0].Condition = asl.And() },
			at:     "States.Check.Choices[0]", msg: "And needs at least one condition"},
		{name: "bad variable", build: loopMachine,
			break_: func(m *asl.Machine) {
				state[*asl.Choice](m, "Check").Choices[0].Condition = asl.TypeTest(asl.IsPresent, "Status", true)
			},
			at: "States.Check.Choices[0].Variable", msg: `"Status" is not a JSONPath`},
		{name: "empty Choices", build: loopMachine,
			break_: func(m *asl.Machine) { state[*asl.Choice](m, "Check").Choices = nil },
			at:     "States.Check", msg: "Choices is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.build()
			if tt.break_ != nil {
				tt.break_(m)
			}
			err := m.Check(tt.opts)
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("want no problem, got:\n%v", err)
				}
				return
			}
			var ps asl.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("want a problem at %q containing %q, got %v", tt.at, tt.msg, err)
			}
			for _, p := range ps {
				if p.At == tt.at && strings.Contains(p.Msg, tt.msg) {
					return
				}
			}
			t.Fatalf("want a problem at %q containing %q, got:\n%v", tt.at, tt.msg, err)
		})
	}
}

// TestCheckMessage pins the exact text of one problem, the format every
// caller will print.
func TestCheckMessage(t *testing.T) {
	m := nestedMachine()
	state[*asl.Parallel](m, "Phase1").Branches[0].States[0].State.(*asl.Pass).Next = "Foo"
	err := m.Check(asl.CheckOptions{})
	want := `States.Phase1.Branches[0].States.Restore: Next "Foo" does not exist`
	if err == nil || !strings.Contains(err.Error()+"\n", want+"\n") {
		t.Fatalf("want line %q in:\n%v", want, err)
	}
}

// TestCheckSchema covers a defect only the embedded schema sees: the
// model takes any "arn:" Resource that is not a service integration.
func TestCheckSchema(t *testing.T) {
	m := simpleMachine()
	state[*asl.Task](m, "Call").Resource = "arn:aws"
	err := m.Check(asl.CheckOptions{})
	want := `States.Call.Resource: schema: does not match pattern '^arn:[a-z0-9-]+:[a-z0-9-]+:' (/$defs/resource/pattern)`
	if err == nil || err.Error() != want {
		t.Fatalf("want:\n%s\ngot:\n%v", want, err)
	}
}
