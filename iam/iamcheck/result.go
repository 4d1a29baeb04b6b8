package iamcheck

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// Result is what one run of iam-check reported.
type Result struct {
	// Findings are the problems found in the documents.
	Findings []Finding
	// Outcomes are the scenarios' results, in the Check's order.
	Outcomes []Outcome
	// Output is the tool's whole report, for failure messages.
	Output string
}

// Finding is one problem in one document.
type Finding struct {
	File    string // relative to the run's folder, e.g. "policies/x.json"
	Tool    string // json, iam-policy, iam-data or iam-simulate
	Message string
}

// Outcome is the result of one scenario.
type Outcome struct {
	Pass bool
	// Got is the decision ("Allowed", ...), or why there is none
	// ("simulation error: no.resource.types", "bad scenario: ...").
	Got string
	// Ignored are the context keys the simulator ignored as not applicable
	// to the action and resource: a condition on them was not tested.
	Ignored []string
	Line    string
}

// OK reports whether the documents have no finding and every scenario
// passed.
func (r Result) OK() bool {
	for _, o := range r.Outcomes {
		if !o.Pass {
			return false
		}
	}
	return len(r.Findings) == 0
}

// isChecker reports whether name is one iam-check gives its checkers in
// finding lines.
func isChecker(name string) bool {
	switch name {
	case "json", "iam-policy", "iam-data", "iam-simulate":
		return true
	}
	return false
}

// parse reads the report of a run over dir whose scenario file is
// scenarios, holding n scenarios.
func parse(out, dir, scenarios string, n int) (Result, error) {
	r := Result{Outcomes: make([]Outcome, n), Output: out}
	seen := 0
	for _, line := range strings.Split(out, "\n") {
		verdict, rest, isScenario := strings.Cut(line, " ")
		if isScenario && (verdict == "PASS" || verdict == "FAIL") && strings.HasPrefix(rest, scenarios+"[") {
			i, o, err := outcome(verdict == "PASS", strings.TrimPrefix(rest, scenarios+"["))
			if err != nil || i >= n {
				return r, fmt.Errorf("iamcheck: cannot read %q: %v", line, err)
			}
			o.Line = line
			r.Outcomes[i] = o
			seen++
			continue
		}
		parts := strings.SplitN(line, ": ", 3)
		if len(parts) == 3 && isChecker(parts[1]) {
			file, err := filepath.Rel(dir, parts[0])
			if err != nil {
				file = parts[0]
			}
			r.Findings = append(r.Findings, Finding{File: file, Tool: parts[1], Message: parts[2]})
		}
	}
	if seen != n {
		return r, fmt.Errorf("iamcheck: %d scenario results for %d scenarios:\n%s", seen, n, out)
	}
	return r, nil
}

// outcome reads "<i>] <name>: <request> -> <got> (expected ...) [notes]".
func outcome(pass bool, s string) (int, Outcome, error) {
	index, s, _ := strings.Cut(s, "]")
	i, err := strconv.Atoi(index)
	if err != nil {
		return 0, Outcome{}, err
	}
	o := Outcome{Pass: pass}
	if _, got, ok := strings.Cut(s, " -> "); ok {
		o.Got, _, _ = strings.Cut(got, " (expected ")
		o.Got, _, _ = strings.Cut(o.Got, " [")
	} else if _, got, ok := strings.Cut(s, ": bad scenario: "); ok {
		o.Got = "bad scenario: " + got
	}
	const ignored = "context keys ignored by the simulator (not applicable to this action/resource): "
	if _, keys, ok := strings.Cut(s, ignored); ok {
		keys, _, _ = strings.Cut(keys, " | ")
		o.Ignored = strings.Split(strings.TrimSuffix(keys, "]"), ", ")
	}
	return i, o, nil
}
