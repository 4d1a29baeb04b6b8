package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/refreshgen/refreshgen/awsmock"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/roles"
	"github.com/refreshgen/refreshgen/sim"
	"github.com/refreshgen/refreshgen/simulate"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/workflows"
)

const simulateUsage = `
Usage: refreshgen simulate [-c PATH] --refresh NAME [--scenario FILE] [--seed N] [--format text|json]
       refreshgen simulate [-c PATH] --workflow GROUP/KEY [--scenario FILE] [--seed N] [--format text|json]

Runs a refresh offline, in memory: its generated state machines in
refreshgen's Step Functions interpreter, against a mocked AWS seeded with the
spec's accounts as they stand before a first refresh (describe calls move from
creating to available in simulated time), with IAM in the loop: every call is
first checked against the generated policies of the role it runs as, and a call
IAM refuses fails as AWS would fail it. Nothing is written; nothing reaches AWS.

It prints the AWS calls in time order (simulated time since the start, state,
service:action, account, role, outcome), then the final status, the simulated
duration, the calls per account, what the source account's role changed, and
whether the run ended as expected: as the scenario's expect says, or SUCCEEDED
without a scenario. Exits 0 when it did, 1 when it did not, 2 when the spec, a
flag or the scenario is wrong, 3 on an internal error.

A scenario (a JSON file) injects faults: an error, a response or a delay for
the calls of a service and action (in an account, with some parameters), and
resources that stay in a status; it says how the run must end. Examples are in
refreshgen's testdata/scenarios; the awsmock package documents the format.

--workflow runs one workflow of the library on its own, from the example input
of its contract; IAM is not checked then (the example names placeholder
resources that the policies rightly refuse).

Flags:
  --refresh NAME       the refresh to run (its orchestrator)
  --workflow NAME      a library workflow to run alone instead, e.g. db/restore_cluster
  --scenario FILE      the faults to inject and the expected outcome
  --seed N             the seed of everything random: execution names, retry jitter (default 1)

Examples:
  refreshgen simulate -c examples/refresh.hcl --refresh staging
  refreshgen simulate -c examples/refresh.hcl --refresh dev --scenario testdata/scenarios/rename-fails.json
  refreshgen simulate --refresh dev --seed 7 --format json | jq .calls_per_account
  refreshgen simulate --workflow db/restore_cluster
`

func runSimulate(e *Env, o *options) int {
	switch {
	case o.format == "github":
		return e.usageError("simulate prints text or json, not github annotations.")
	case (o.refresh == "") == (o.workflow == ""):
		return e.usageError("simulate needs --refresh NAME (or --workflow NAME), one of them. Run 'refreshgen simulate --help'.")
	}
	s, _, code := e.loadSpec(o)
	if s == nil {
		return code
	}
	var sc *awsmock.Scenario
	if o.scenario != "" {
		var code int
		if sc, code = e.loadScenario(o, s); sc == nil {
			return code
		}
	}
	machines, err := workflows.Generate(s)
	if err != nil {
		e.report(o, nil, hcl.Diagnostics{internal(fmt.Errorf("generating the state machines: %w", err))})
		return ExitInternal
	}
	rs, err := roles.Derive(s, machines)
	if err != nil {
		e.report(o, nil, hcl.Diagnostics{internal(fmt.Errorf("deriving the IAM roles: %w", err))})
		return ExitInternal
	}
	opts := simulate.Options{Refresh: o.refresh, Scenario: sc, Seed: o.seed}
	var res *simulate.Result
	if o.workflow != "" {
		res, err = simulate.RunWorkflow(s, machines, rs, o.workflow, opts)
	} else {
		res, err = simulate.Run(s, machines, rs, opts)
	}
	var unknownRefresh *simulate.UnknownRefreshError
	var unknownWorkflow *simulate.UnknownWorkflowError
	switch {
	case errors.As(err, &unknownRefresh):
		e.report(o, nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unknown refresh",
			Detail: fmt.Sprintf("%s declares no refresh %q. Its refreshes are: %s.", o.config, unknownRefresh.Name,
				strings.Join(unknownRefresh.Known, ", "))}})
		return ExitInput
	case errors.As(err, &unknownWorkflow):
		e.report(o, nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unknown workflow",
			Detail: fmt.Sprintf("The library has no workflow %q. Its workflows are: %s.", unknownWorkflow.Name,
				strings.Join(unknownWorkflow.Known, ", "))}})
		return ExitInput
	case err != nil:
		e.report(o, nil, hcl.Diagnostics{internal(err)})
		return ExitInternal
	}
	if o.format == "json" {
		writeJSON(e.Stdout, simulationJSON(s, o, sc, res))
	} else {
		writeSimulation(e.Stdout, s, o, sc, res)
	}
	if !res.Matched() {
		return ExitDrift
	}
	return ExitOK
}

// loadScenario reads the scenario of --scenario; every problem of the file
// is a diagnostic naming its field.
func (e *Env) loadScenario(o *options, s *spec.Spec) (*awsmock.Scenario, int) {
	sc, err := awsmock.LoadScenario(e.path(o.scenario), s)
	if err == nil {
		sc.File = o.scenario
		return sc, ExitOK
	}
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		detail := fmt.Sprintf("Reading %s failed: %v.", o.scenario, pathErr.Err)
		if errors.Is(err, fs.ErrNotExist) {
			detail = fmt.Sprintf("There is no scenario at %s. Pass the path of a scenario file (JSON) with --scenario.", o.scenario)
		}
		e.report(o, nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read the scenario", Detail: detail}})
		return nil, ExitInput
	}
	var diags hcl.Diagnostics
	for _, line := range strings.Split(err.Error(), "\n") {
		// The problems name the file as given to LoadScenario: show it as
		// the user wrote it.
		line = strings.Replace(line, e.path(o.scenario), o.scenario, 1)
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid scenario", Detail: line + "."})
	}
	e.report(o, nil, diags)
	return nil, ExitInput
}

// what names what ran, for people: the refresh or the workflow.
func what(o *options) string {
	if o.workflow != "" {
		return "workflow " + o.workflow
	}
	return "refresh " + o.refresh
}

// writeSimulation prints the timeline and the summary for people.
func writeSimulation(w io.Writer, s *spec.Spec, o *options, sc *awsmock.Scenario, res *simulate.Result) {
	x := res.Execution
	faults := "healthy AWS"
	if sc != nil {
		faults = "scenario " + sc.File
	}
	iam := "IAM in the loop"
	if o.workflow != "" {
		iam = "IAM not checked"
	}
	fmt.Fprintf(w, "Simulating %s of %s (%s, %s, seed %d), from %s.\n\n", what(o), o.config, faults, iam, o.seed,
		x.Start.UTC().Format(time.RFC3339))
	rows := [][]string{{"TIME", "STATE", "CALL", "ACCOUNT", "ROLE", "OUTCOME"}}
	for _, e := range res.Timeline {
		rows = append(rows, []string{offset(e.Time.Sub(x.Start)), e.State, e.Call, e.Account, shortRole(e.Role), entryOutcome(e)})
	}
	writeTable(w, rows)

	fmt.Fprintln(w)
	status := string(x.Status)
	if x.Status != sim.Succeeded {
		if x.Error != "" {
			status += " " + x.Error
		}
		if name, cause := simulate.RootCause(x); name != x.Error || cause != x.Cause {
			status += ", caused by " + name
		}
	}
	fmt.Fprintf(w, "Status:    %s\n", status)
	if x.Status != sim.Succeeded {
		_, cause := simulate.RootCause(x)
		if cause != "" {
			fmt.Fprintf(w, "Cause:     %s\n", oneLine(cause))
		}
	}
	fmt.Fprintf(w, "Duration:  %s simulated\n", x.Duration().Round(100*time.Millisecond))
	total, failed, denied := len(res.Timeline), 0, 0
	for _, e := range res.Timeline {
		if e.Error != "" {
			failed++
		}
		if e.Denied {
			denied++
		}
	}
	fmt.Fprintf(w, "Calls:     %d (%d failed, %d refused by IAM)\n", total, failed, denied)
	for _, c := range res.Calls {
		line := fmt.Sprintf("  %-16s %s %4d", c.Account, c.AccountID, c.Calls)
		if c.Failed > 0 {
			line += fmt.Sprintf(" (%d failed)", c.Failed)
		}
		fmt.Fprintln(w, line)
	}
	if o.refresh != "" {
		writeSourceWrites(w, s, o.refresh, res)
	}
	expect := describeExpect(res.Expect)
	if res.Matched() {
		fmt.Fprintf(w, "Expected:  %s: the run ended as expected.\n", expect)
		return
	}
	fmt.Fprintf(w, "Expected:  %s: the run did NOT end as expected:\n", expect)
	for _, line := range strings.Split(res.Mismatch.Error(), "\n") {
		fmt.Fprintf(w, "  - %s\n", oneLine(line))
	}
}

// writeSourceWrites says what the source account's role changed.
func writeSourceWrites(w io.Writer, s *spec.Spec, refresh string, res *simulate.Result) {
	var source *spec.Account
	for _, r := range s.Refreshes {
		if r.Name == refresh {
			source = r.Source
		}
	}
	if source == nil {
		return
	}
	role := names.New(s).AccountRoleARN(source)
	calls := 0
	for _, e := range res.Timeline {
		if e.Role == role {
			calls++
		}
	}
	var production []simulate.SourceWrite
	for _, sw := range res.SourceWrites {
		if sw.Owned == "" {
			production = append(production, sw)
		}
	}
	head := fmt.Sprintf("Source:    %s, as %s: %d calls, ", source.Name, shortRole(role), calls)
	switch {
	case len(res.SourceWrites) == 0:
		fmt.Fprintln(w, head+"all read-only")
	case len(production) == 0:
		fmt.Fprintf(w, "%s%d of them changes, all to the run's own snapshots, grants, shares or copies\n", head, len(res.SourceWrites))
	default:
		fmt.Fprintf(w, "%s%d of them changes to PRODUCTION:\n", head, len(production))
		for _, sw := range production {
			fmt.Fprintf(w, "  %s %s in %s\n", offset(sw.Entry.Time.Sub(res.Execution.Start)), sw.Entry.Call, sw.Entry.State)
		}
	}
}

func describeExpect(e awsmock.Expect) string {
	parts := []string{string(e.Status)}
	if e.Status == "" {
		parts[0] = "any status"
	}
	if e.Error != "" {
		parts = append(parts, "error "+e.Error)
	}
	if e.Cause != "" {
		parts = append(parts, fmt.Sprintf("cause containing %q", e.Cause))
	}
	return strings.Join(parts, ", ")
}

// entryOutcome is "ok", the error name, or what refused or injected it.
func entryOutcome(e awsmock.Entry) string {
	switch {
	case e.Denied:
		return "DENIED by IAM: " + e.Error
	case e.Fault >= 0 && e.Error != "":
		return fmt.Sprintf("%s (fault %d)", e.Error, e.Fault)
	case e.Fault >= 0:
		return fmt.Sprintf("ok (fault %d)", e.Fault)
	}
	return e.Outcome()
}

// offset is a simulated time since the start, +h:mm:ss.s.
func offset(d time.Duration) string {
	d = d.Round(100 * time.Millisecond)
	h, m := d/time.Hour, d%time.Hour/time.Minute
	sec := float64(d%time.Minute) / float64(time.Second)
	return fmt.Sprintf("+%d:%02d:%04.1f", h, m, sec)
}

// shortRole is a role ARN's name.
func shortRole(arn string) string {
	if arn == "" {
		return "-"
	}
	return arn[strings.LastIndex(arn, "/")+1:]
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// writeTable prints rows in columns separated by two spaces.
func writeTable(w io.Writer, rows [][]string) {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], len(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		b.Reset()
		for i, c := range r {
			if i == len(r)-1 {
				b.WriteString(c)
				break
			}
			if i == 0 {
				fmt.Fprintf(&b, "%*s  ", widths[i], c)
				continue
			}
			fmt.Fprintf(&b, "%-*s  ", widths[i], c)
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// simulationJSON is the --format json document.
func simulationJSON(s *spec.Spec, o *options, sc *awsmock.Scenario, res *simulate.Result) map[string]any {
	x := res.Execution
	timeline := []any{}
	for _, e := range res.Timeline {
		entry := map[string]any{
			"offset_seconds": e.Time.Sub(x.Start).Seconds(), "time": e.Time.UTC().Format(time.RFC3339Nano),
			"duration_seconds": e.Duration.Seconds(), "execution": e.Execution, "state": e.State, "call": e.Call,
			"account": e.Account, "account_id": e.AccountID, "role": e.Role, "outcome": e.Outcome(), "denied": e.Denied,
		}
		if e.Error != "" {
			entry["error"], entry["cause"] = e.Error, e.Cause
		}
		if e.Fault >= 0 {
			entry["fault"] = e.Fault
		}
		timeline = append(timeline, entry)
	}
	calls := []any{}
	for _, c := range res.Calls {
		calls = append(calls, map[string]any{"account": c.Account, "account_id": c.AccountID, "calls": c.Calls, "failed": c.Failed})
	}
	writes := []any{}
	for _, sw := range res.SourceWrites {
		writes = append(writes, map[string]any{"offset_seconds": sw.Entry.Time.Sub(x.Start).Seconds(), "state": sw.Entry.State,
			"call": sw.Entry.Call, "owned": sw.Owned, "production": sw.Owned == ""})
	}
	mismatch := []string{}
	if res.Mismatch != nil {
		mismatch = strings.Split(res.Mismatch.Error(), "\n")
	}
	rootError, rootCause := simulate.RootCause(x)
	out := map[string]any{
		"spec": o.config, "seed": o.seed, "scenario": nil, "iam": o.workflow == "",
		"execution_arn": x.Arn, "status": string(x.Status), "error": x.Error, "cause": x.Cause,
		"root_error": rootError, "root_cause": rootCause,
		"start": x.Start.UTC().Format(time.RFC3339Nano), "stop": x.Stop.UTC().Format(time.RFC3339Nano),
		"duration": x.Duration().String(), "duration_seconds": x.Duration().Seconds(),
		"timeline": timeline, "calls_per_account": calls, "source_writes": writes,
		"expected":    map[string]any{"status": string(res.Expect.Status), "error": res.Expect.Error, "cause": res.Expect.Cause},
		"as_expected": res.Matched(), "mismatch": mismatch,
	}
	if o.workflow != "" {
		out["workflow"] = o.workflow
	} else {
		out["refresh"] = o.refresh
	}
	if sc != nil {
		out["scenario"] = sc.File
	}
	return out
}
