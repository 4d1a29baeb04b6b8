package awsmock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/sim"
	"github.com/refreshgen/refreshgen/spec"
)

// Scenario is a scenario file: what to expect of a run, the faults to
// inject into the healthy model and changes to its clock. The package
// documentation describes the format.
type Scenario struct {
	// File is the scenario's file name, for messages.
	File        string
	Description string
	Expect      Expect
	Faults      []Fault
	Clock       Clock
}

// Expect is how a run of the scenario must end.
type Expect struct {
	Status sim.Status // SUCCEEDED, FAILED, TIMED_OUT or ABORTED; "" for any
	Error  string     // the execution's error name; "" for any
	Cause  string     // a part of the execution's cause; "" for any
}

// Fault is one injected fault: a call fault (Service and Action set) or a
// stuck resource (Stuck set).
type Fault struct {
	Service string
	Action  string
	// Account is the spec's name of the account the call acts in; "" for
	// any.
	Account string
	// Match is a subset of the call's parameters that must match: objects
	// by their keys, lists and scalars exactly.
	Match map[string]any
	// After lets the first After matching calls through.
	After int
	// Times is how many calls the fault answers; 0 for all.
	Times int
	// Error and Cause fail the call; Response answers it instead of the
	// model. With neither, the model answers after Delay.
	Error    string
	Cause    string
	Response any
	// Delay is added to the call's duration.
	Delay time.Duration
	Stuck *Stuck
}

// Stuck holds resources of a Type (and ID, "" for all) in Status for ever
// once their transition reaches it; a Status the transition does not pass
// through replaces its final status. Type is one of StuckTypes.
type Stuck struct {
	Type   string
	ID     string
	Status string
}

// StuckTypes returns the resource types a stuck fault can name, with the
// statuses their transitions pass through.
func StuckTypes() map[string]string { return maps.Clone(stuckTypes) }

var stuckTypes = map[string]string{
	"cluster":           "creating, modifying, renaming, starting, stopping, deleting -> available, stopped",
	"instance":          "creating, renaming, stopping, starting, deleting -> available, stopped",
	"snapshot":          "creating, copying -> available",
	"master-secret":     "creating -> active",
	"role-association":  "PENDING -> ACTIVE",
	"copy-job":          "CREATED, RUNNING -> COMPLETED",
	"restore-job":       "PENDING, RUNNING -> COMPLETED",
	"filesystem":        "creating, deleting -> available",
	"mount-target":      "creating, deleting -> available",
	"replication":       "ENABLING, DELETING -> ENABLED",
	"nodegroup-update":  "InProgress -> Successful",
	"secret-rotation":   "rotating -> rotated",
	"share-association": "ASSOCIATING -> ASSOCIATED",
	"resource-share":    "DELETING -> DELETED",
}

// Check reports how x did not end as expected, nil when it did.
func (e Expect) Check(x *sim.Execution) error {
	var problems []string
	if e.Status != "" && x.Status != e.Status {
		problems = append(problems, fmt.Sprintf("ended %s, expected %s", x.Status, e.Status))
	}
	if e.Error != "" && x.Error != e.Error {
		problems = append(problems, fmt.Sprintf("failed with %q, expected %q", x.Error, e.Error))
	}
	if e.Cause != "" && !strings.Contains(x.Cause, e.Cause) {
		problems = append(problems, fmt.Sprintf("the cause %q does not contain %q", x.Cause, e.Cause))
	}
	if len(problems) == 0 {
		return nil
	}
	return errors.New("the run " + strings.Join(problems, "; "))
}

// LoadScenario reads and parses a scenario file; s, when not nil, is the
// spec whose account names the faults may use.
func LoadScenario(path string, s *spec.Spec) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseScenario(path, data, s)
}

// ParseScenario parses a scenario. Every problem is reported, each as
// "<file>: <field>: <what is wrong>".
func ParseScenario(file string, data []byte, s *spec.Spec) (*Scenario, error) {
	p := &parser{file: file, spec: s}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return nil, fmt.Errorf("%s: not JSON: %w", file, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: data after the scenario object", file)
	}
	sc := &Scenario{File: file}
	obj := p.object("", root, []string{"description", "expect", "faults", "clock"})
	sc.Description = p.str("description", obj["description"])
	if v, ok := obj["expect"]; ok {
		sc.Expect = p.expect(v)
	}
	if v, ok := obj["clock"]; ok {
		sc.Clock = p.clock(v)
	}
	if v, ok := obj["faults"]; ok {
		list, ok := v.([]any)
		if !ok {
			p.errorf("faults", "must be a list of faults")
		}
		for i, f := range list {
			sc.Faults = append(sc.Faults, p.fault(fmt.Sprintf("faults[%d]", i), f))
		}
	}
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return sc, nil
}

// parser collects the problems of a scenario.
type parser struct {
	file string
	spec *spec.Spec
	errs []error
}

func (p *parser) errorf(field, format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf("%s: %s: %s", p.file, field, fmt.Sprintf(format, args...)))
}

// object reads an object with only the known keys.
func (p *parser) object(field string, v any, known []string) map[string]any {
	m, ok := v.(map[string]any)
	if !ok {
		p.errorf(orRoot(field), "must be an object")
		return nil
	}
	var unknown []string
	for k := range m {
		if !slices.Contains(known, k) {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		p.errorf(join(field, k), "unknown field (known: %s)", strings.Join(known, ", "))
	}
	return m
}

func orRoot(field string) string {
	if field == "" {
		return "(the scenario)"
	}
	return field
}

func join(field, key string) string {
	if field == "" {
		return key
	}
	return field + "." + key
}

func (p *parser) str(field string, v any) string {
	if v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		p.errorf(field, "must be a string")
	}
	return s
}

func (p *parser) count(field string, v any) int {
	if v == nil {
		return 0
	}
	n, ok := v.(json.Number)
	i, err := n.Int64()
	if !ok || err != nil || i < 0 {
		p.errorf(field, "must be a whole number, 0 or more")
		return 0
	}
	return int(i)
}

func (p *parser) duration(field string, v any) time.Duration {
	s := p.str(field, v)
	if s == "" {
		return 0
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		p.errorf(field, "must be a duration such as \"90s\" or \"25m\", not %q", s)
	}
	return d
}

func (p *parser) expect(v any) Expect {
	m := p.object("expect", v, []string{"status", "error", "cause"})
	e := Expect{Status: sim.Status(p.str("expect.status", m["status"])), Error: p.str("expect.error", m["error"]),
		Cause: p.str("expect.cause", m["cause"])}
	switch e.Status {
	case "", sim.Succeeded, sim.Failed, sim.TimedOut, sim.Aborted:
	default:
		p.errorf("expect.status", "must be SUCCEEDED, FAILED, TIMED_OUT or ABORTED, not %q", e.Status)
	}
	return e
}

func (p *parser) clock(v any) Clock {
	m := p.object("clock", v, []string{"start", "latency", "durations"})
	var c Clock
	if s := p.str("clock.start", m["start"]); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			p.errorf("clock.start", "must be an RFC 3339 time such as 2026-11-29T03:00:00Z, not %q", s)
		}
		c.Start = t.UTC()
	}
	if v, ok := m["latency"]; ok {
		c.Latency, c.latencySet = p.duration("clock.latency", v), true
	}
	if v, ok := m["durations"]; ok {
		names := DurationNames()
		durations := p.object("clock.durations", v, names)
		c.Durations = map[string]time.Duration{}
		for _, k := range names { // in order, so that problems are too
			if d, ok := durations[k]; ok {
				c.Durations[k] = p.duration("clock.durations."+k, d)
			}
		}
	}
	return c
}

func (p *parser) fault(field string, v any) Fault {
	m := p.object(field, v, []string{"service", "action", "account", "match", "after", "times", "error", "cause", "response", "delay", "stuck"})
	if m == nil {
		return Fault{}
	}
	f := Fault{
		Service: p.str(field+".service", m["service"]), Action: p.str(field+".action", m["action"]),
		Account: p.str(field+".account", m["account"]), After: p.count(field+".after", m["after"]),
		Times: p.count(field+".times", m["times"]), Error: p.str(field+".error", m["error"]),
		Cause: p.str(field+".cause", m["cause"]), Response: m["response"], Delay: p.duration(field+".delay", m["delay"]),
	}
	if f.Account != "" && p.spec != nil && p.spec.Account(f.Account) == nil {
		var known []string
		for _, a := range p.spec.Accounts {
			known = append(known, a.Name)
		}
		p.errorf(field+".account", "the spec has no account %q (it has %s)", f.Account, strings.Join(known, ", "))
	}
	if v, ok := m["match"]; ok {
		if f.Match, ok = v.(map[string]any); !ok {
			p.errorf(field+".match", "must be an object: a subset of the call's parameters")
		}
	}
	if v, ok := m["stuck"]; ok {
		for _, k := range []string{"service", "action", "match", "after", "times", "error", "cause", "response", "delay"} {
			if _, set := m[k]; set {
				p.errorf(field+"."+k, "a stuck fault takes only stuck and account")
			}
		}
		sm := p.object(field+".stuck", v, []string{"type", "id", "status"})
		f.Stuck = &Stuck{Type: p.str(field+".stuck.type", sm["type"]), ID: p.str(field+".stuck.id", sm["id"]),
			Status: p.str(field+".stuck.status", sm["status"])}
		if _, ok := stuckTypes[f.Stuck.Type]; !ok {
			types := slices.Sorted(maps.Keys(stuckTypes))
			p.errorf(field+".stuck.type", "must be one of %s, not %q", strings.Join(types, ", "), f.Stuck.Type)
		}
		if f.Stuck.Status == "" {
			p.errorf(field+".stuck.status", "required: the status the resource stays in")
		}
		return f
	}
	if f.Service == "" {
		p.errorf(field+".service", "required (e.g. \"rds\"), unless the fault is stuck")
	}
	if f.Action == "" {
		p.errorf(field+".action", "required (e.g. \"createDBClusterSnapshot\")")
	}
	_, hasResponse := m["response"]
	switch {
	case f.Error != "" && hasResponse:
		p.errorf(field+".response", "give error or response, not both")
	case f.Error == "" && !hasResponse && f.Delay == 0:
		p.errorf(field, "give error, response or delay: what the fault does")
	case f.Cause != "" && f.Error == "":
		p.errorf(field+".cause", "a cause goes with an error")
	}
	if hasResponse && f.Response == nil {
		p.errorf(field+".response", "must be a JSON value, not null")
	}
	return f
}
