package awsmock

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/sim"
	"github.com/refreshgen/refreshgen/spec"
)

// Options configure a World. The zero value is the healthy estate of the
// spec, starting when the simulator does by default, 2026-01-01T00:00:00Z.
type Options struct {
	// Start is the simulated time the run starts at (pass the same to
	// sim.Options.Start). The estate's past (automated snapshots, recovery
	// points, rotations) is dated before it. Zero: the scenario's
	// clock.start, else 2026-01-01T00:00:00Z.
	Start time.Time
	// Scenario injects faults and changes durations; nil for none.
	Scenario *Scenario
	// Roles maps a state machine ARN to the role it runs as, so that the
	// timeline names the role of a call made without Credentials (the
	// rule is roles.Authorizer.MachineRole's). Optional.
	Roles map[string]string
	// Example, when set, is a library workflow run on its own on its
	// example input: the World also holds what that input names
	// (example-cluster, example-eks...), and starts after the times it
	// names unless Start or the scenario says otherwise.
	Example *ExampleRun
}

// World is a deterministic, in-memory model of the AWS accounts of a spec,
// seeded healthy: it answers every call the generated workflows make, as
// the aws-sdk and optimized integrations of Step Functions return them,
// and changes its state as AWS would. It implements sim.Executor.
//
// Resources move through their statuses with simulated time: a status is
// computed from the time of the call that reads it, never from a clock of
// the World's own. The simulator runs Parallel branches and Map iterations
// one after another, each on its own clock, so calls do not always arrive
// in time order: the World applies changes in the order it receives them,
// which is exact for resources only one branch touches (the case of every
// generated workflow).
//
// A World is not safe for concurrent use; use one World per run (or per
// series of runs meant to share an estate).
type World struct {
	spec      *spec.Spec
	names     *names.Names
	region    string
	partition string
	start     time.Time
	clock     Clock
	roles     map[string]string

	accounts []*account          // in spec order
	byID     map[string]*account // by account ID
	faults   []*fault
	stuck    []stuckRule
	seq      int // the source of every generated identifier
	log      []Entry
	// problems are what the World could not set up (Problems).
	problems []string
}

// New builds the healthy estate of s: every account of the spec with the
// resources its refreshes read and write (see the package documentation).
func New(s *spec.Spec, opts Options) *World {
	w := &World{
		spec:      s,
		names:     names.New(s),
		region:    s.Project.Region,
		partition: s.Project.Partition,
		start:     opts.Start,
		clock:     DefaultClock(),
		roles:     opts.Roles,
		byID:      map[string]*account{},
	}
	if w.partition == "" {
		w.partition = "aws"
	}
	if sc := opts.Scenario; sc != nil {
		w.clock = w.clock.with(sc.Clock)
		if w.start.IsZero() {
			w.start = sc.Clock.Start
		}
		for i := range sc.Faults {
			f := &sc.Faults[i]
			if f.Stuck != nil {
				w.stuck = append(w.stuck, stuckRule{Stuck: *f.Stuck, account: w.accountID(f.Account)})
				continue
			}
			w.faults = append(w.faults, &fault{Fault: *f, index: i, account: w.accountID(f.Account)})
		}
	}
	if w.start.IsZero() {
		w.start = sim.DefaultStart()
		if opts.Example != nil {
			w.start = exampleStart(opts.Example.Input, w.start)
		}
	}
	for _, a := range s.Accounts {
		w.addAccount(a.ID, a)
	}
	w.seed()
	if opts.Example != nil {
		w.fixtures(opts.Example)
	}
	return w
}

// Problems lists what the World could not set up as asked (a fixture of
// an example run naming a resource outside the estate); none normally.
func (w *World) Problems() []string { return slices.Clone(w.problems) }

// Start is the simulated time the World expects the run to start at.
func (w *World) Start() time.Time { return w.start }

// accountID is the ID of the spec account called name: "" for no name
// (any account), and for a name the spec lacks one that no account has,
// so that a fault about an unknown account applies nowhere.
func (w *World) accountID(name string) string {
	if name == "" {
		return ""
	}
	if a := w.spec.Account(name); a != nil {
		return a.ID
	}
	return "unknown account " + name
}

// addAccount returns the account with ID id, creating it (an account
// outside the spec, such as the owner of a topic the spec names).
func (w *World) addAccount(id string, a *spec.Account) *account {
	if acct, ok := w.byID[id]; ok {
		return acct
	}
	acct := newAccount(id, a)
	w.accounts = append(w.accounts, acct)
	w.byID[id] = acct
	return acct
}

// Invoke answers one Task attempt: a fault of the scenario if one applies,
// else the model. Every call is recorded in the timeline.
func (w *World) Invoke(c sim.Call) sim.Result {
	r, err := w.request(c)
	res, index := sim.Result{Err: err}, -1
	if err == nil {
		if f := w.faultFor(r); f != nil {
			res, index = f.result(w, r), f.index
		} else {
			res = w.dispatch(r)
		}
	}
	w.record(c, r, res, index)
	return res
}

// request reads what every handler needs from a call.
func (w *World) request(c sim.Call) (*request, *sim.Failure) {
	r := &request{w: w, now: c.Time, role: c.RoleArn}
	if c.Integration == nil {
		return r, failf(asl.ErrTaskFailed, "awsmock: no model for the resource %s (a Lambda function or activity ARN as Resource)", c.Resource)
	}
	r.op = operation{sdk: c.Integration.SDK, service: c.Integration.Service, action: c.Integration.Action, pattern: c.Integration.Pattern}
	id := w.orchestratorID()
	if c.RoleArn != "" {
		var ok bool
		if id, ok = roleAccount(c.RoleArn); !ok {
			return r, failf(asl.ErrTaskFailed, "awsmock: %s is not a role ARN (Credentials.RoleArn of state %s)", c.RoleArn, c.State)
		}
	}
	r.acct = w.byID[id]
	if r.acct == nil {
		return r, failf(asl.ErrTaskFailed, "Step Functions could not assume %s: account %s is not part of the estate", c.RoleArn, id)
	}
	params, ok := c.Parameters.(map[string]any)
	if !ok && c.Parameters != nil {
		return r, failf(asl.ErrRuntime, "awsmock: the parameters of %s are not an object", r.op)
	}
	if params == nil {
		params = map[string]any{}
	}
	r.params = params
	return r, nil
}

// dispatch runs the handler of the call's operation.
func (w *World) dispatch(r *request) sim.Result {
	h, ok := handlers[r.op.key()]
	if !ok {
		return sim.Result{Err: failf(asl.ErrTaskFailed, "awsmock: no model for %s", r.op)}
	}
	if err := r.checkParams(h.params); err != nil {
		return sim.Result{Err: err}
	}
	out, err := h.fn(w, r)
	res := sim.Result{Duration: w.clock.Latency}
	if r.duration > 0 {
		res.Duration = r.duration
	}
	if err != nil {
		res.Err = err
		return res
	}
	res.Output = out
	return res
}

func (w *World) orchestratorID() string {
	if o := w.spec.Orchestrator(); o != nil {
		return o.ID
	}
	return ""
}

// roleAccount reads the account ID of a role ARN (arn:aws:iam::ID:role/x).
func roleAccount(arn string) (string, bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" || !strings.HasPrefix(parts[5], "role/") {
		return "", false
	}
	return parts[4], true
}

// next returns a new number, unique in the World: identifiers derive from
// it, so that two runs of the same calls make the same identifiers.
func (w *World) next() int {
	w.seq++
	return w.seq
}

// hexID returns n hexadecimal characters unique to the World.
func (w *World) hexID(n int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("awsmock-%d", w.next())))
	s := hex.EncodeToString(sum[:])
	for len(s) < n {
		s += s
	}
	return s[:n]
}

// uuid returns a UUID-shaped identifier unique to the World.
func (w *World) uuid() string {
	h := w.hexID(32)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-8" + h[17:20] + "-" + h[20:32]
}

// arn builds an ARN of the project's partition and region.
func (w *World) arn(service, account, resource string) string {
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", w.partition, service, w.region, account, resource)
}
