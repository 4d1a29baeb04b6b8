package awsmock

import (
	"slices"
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/sim"
)

// Entry is one call the World answered.
type Entry struct {
	// Time is when the call was made, Duration how long it took.
	Time     time.Time
	Duration time.Duration
	// Execution is the ARN of the execution that made the call, State the
	// Task's name.
	Execution string
	State     string
	// Call is service:action, e.g. rds:createDBClusterSnapshot or
	// eks:runJob.sync.
	Call string
	// Account is the spec's name of the account the call acted in (its ID
	// for an account outside the spec); AccountID is its ID.
	Account   string
	AccountID string
	// Role is the role the call ran as: Credentials.RoleArn, or the role
	// of the state machine (Options.Roles), or "" when unknown.
	Role string
	// Error and Cause are set when the call failed.
	Error string
	Cause string
	// Fault is the index of the scenario's faults entry that answered the
	// call, -1 when the model did (or IAM refused it).
	Fault int
	// Denied is set when IAM refused the call (Deny): AWS never saw it.
	Denied bool
	// Parameters are the call's effective parameters, as the Task passed
	// them; Output is what a successful call returned.
	Parameters any
	Output     any
}

// Outcome is "ok" or the error name.
func (e Entry) Outcome() string {
	if e.Error == "" {
		return "ok"
	}
	return e.Error
}

// record adds a call to the timeline.
func (w *World) record(c sim.Call, r *request, res sim.Result, fault int) {
	e := Entry{
		Time: c.Time, Duration: res.Duration, Execution: c.ExecutionArn, State: c.State,
		Call: strings.TrimPrefix(c.Resource, "arn:"+w.partition+":states:::"), Role: c.RoleArn, Fault: fault,
		Parameters: c.Parameters,
	}
	if c.Integration != nil {
		e.Call = r.op.String()
	}
	if r.acct != nil {
		e.Account, e.AccountID = r.acct.name(), r.acct.id
	}
	if e.Role == "" {
		e.Role = w.roles[sim.MachineOf(c.ExecutionArn)]
	}
	if res.Err != nil {
		e.Error, e.Cause = res.Err.Name, res.Err.Cause
	} else if res.Output != nil {
		// A copy: the World's own maps keep changing.
		_ = decodeJSON([]byte(jsonText(res.Output)), &e.Output)
	}
	w.log = append(w.log, e)
}

// Deny answers a call that IAM refused before it reached AWS: it fails
// with f after the API latency, changes nothing, and is recorded in the
// timeline (Denied) in the account the call would have acted in.
func (w *World) Deny(c sim.Call, f *sim.Failure) sim.Result {
	r, err := w.request(c)
	res := sim.Result{Err: f, Duration: w.clock.Latency}
	if err != nil {
		res.Err = err
	}
	w.record(c, r, res, -1)
	w.log[len(w.log)-1].Denied = err == nil
	return res
}

// Timeline returns every call in time order; calls made at the same time
// keep the order the simulator made them in (a Parallel's branches, a
// Map's iterations, in order).
func (w *World) Timeline() []Entry {
	out := slices.Clone(w.log)
	slices.SortStableFunc(out, func(a, b Entry) int { return a.Time.Compare(b.Time) })
	return out
}

// AccountCalls counts the calls made in one account.
type AccountCalls struct {
	Account   string
	AccountID string
	Calls     int
	Failed    int
}

// CallsPerAccount counts the calls of the timeline by account, in the
// spec's account order (accounts outside the spec last).
func (w *World) CallsPerAccount() []AccountCalls {
	var out []AccountCalls
	for _, a := range w.accounts {
		n := AccountCalls{Account: a.name(), AccountID: a.id}
		for _, e := range w.log {
			if e.AccountID == a.id {
				n.Calls++
				if e.Error != "" {
					n.Failed++
				}
			}
		}
		out = append(out, n)
	}
	return out
}
