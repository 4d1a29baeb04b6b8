package iamcheck

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/refreshgen/refreshgen/iam"
)

// Decision is a simulated access decision.
type Decision string

// Decisions.
const (
	Allowed          Decision = "Allowed"
	ImplicitlyDenied Decision = "ImplicitlyDenied"
	ExplicitlyDenied Decision = "ExplicitlyDenied"
)

// Check is one run of iam-check: documents to validate and scenarios that
// simulate requests against them.
type Check struct {
	// Type is the policy type Policies are validated as: "identity",
	// "trust", "resource", ...; empty lets iam-check tell from the shape.
	Type string
	// Policies are validated with Type; each is written to
	// policies/<name>.json.
	Policies map[string]iam.Policy
	// Extra are documents only scenarios use: key policies, trust policies
	// and callers' identity policies that are not under test. iam-check
	// validates each by its shape. Each is written to extra/<name>.json.
	Extra     map[string]iam.Policy
	Scenarios []Scenario
}

// Scenario is one simulated request, in the terms of the iam-check
// scenario file (see the README of ../shared/tools).
type Scenario struct {
	Name string
	// Policies name the principal's identity policies in Check.Policies
	// or Check.Extra.
	Policies []string
	// ResourcePolicy names the resource's policy (a key policy, a role's
	// trust policy) in Check.Policies or Check.Extra.
	ResourcePolicy string
	// Principal is the caller: a role ARN or a service principal. Empty
	// means a role of the resource's account.
	Principal string
	Action    string
	Resource  string
	// ResourceAccount is needed when Resource holds no account ("*").
	ResourceAccount string
	// Context holds the request's condition keys. aws:PrincipalArn is
	// added for a role Principal, as AWS always sends it and the simulator
	// does not derive it.
	Context map[string][]string
	Expect  Decision
}

// scenarioJSON is a Scenario as the file holds it.
type scenarioJSON struct {
	Name            string              `json:"name,omitempty"`
	Policy          []string            `json:"policy,omitempty"`
	ResourcePolicy  string              `json:"resourcePolicy,omitempty"`
	Principal       string              `json:"principal,omitempty"`
	Action          string              `json:"action"`
	Resource        string              `json:"resource"`
	ResourceAccount string              `json:"resourceAccount,omitempty"`
	Context         map[string][]string `json:"context,omitempty"`
	Expect          Decision            `json:"expect"`
}

// Run writes c into dir (which should be empty, e.g. t.TempDir()) and runs
// iam-check on it. Findings and failed scenarios are in the Result; the
// error is for a run that could not happen or be read.
func (t Tool) Run(dir string, c Check) (Result, error) {
	scenarios, err := writeCheck(dir, c)
	if err != nil {
		return Result{}, err
	}
	var args []string
	if c.Type != "" {
		args = append(args, "--type", c.Type)
	}
	if len(c.Policies) > 0 {
		args = append(args, filepath.Join(dir, "policies"))
	}
	if len(c.Scenarios) > 0 {
		args = append(args, "--scenarios", scenarios)
	}
	out, _, err := t.RunFiles(dir, args...)
	if err != nil {
		return Result{}, err
	}
	return parse(out, dir, scenarios, len(c.Scenarios))
}

// output runs the tool with its output going to the file report, and
// returns that output. Not a pipe: iam-check ends with process.exit, which
// drops what node has not yet written to a pipe, while writes to a file
// are synchronous.
func (t Tool) output(report string, args []string) (string, error) {
	f, err := os.Create(report)
	if err != nil {
		return "", err
	}
	defer f.Close()
	cmd := exec.Command(t.path, args...)
	cmd.Stdout, cmd.Stderr = f, f
	runErr := cmd.Run()
	out, err := os.ReadFile(report)
	if err != nil {
		return "", err
	}
	return string(out), runErr
}

// writeCheck writes the documents and the scenario file, and returns the
// scenario file's path (as iam-check prints it) for the parser.
func writeCheck(dir string, c Check) (string, error) {
	paths := map[string]string{}
	for _, set := range []struct {
		sub  string
		docs map[string]iam.Policy
	}{{"policies", c.Policies}, {"extra", c.Extra}} {
		if err := os.MkdirAll(filepath.Join(dir, set.sub), 0o755); err != nil {
			return "", err
		}
		for name, p := range set.docs {
			if _, dup := paths[name]; dup {
				return "", fmt.Errorf("iamcheck: %q is both a policy and an extra document", name)
			}
			paths[name] = set.sub + "/" + name + ".json"
			data, err := p.JSON()
			if err != nil {
				return "", fmt.Errorf("iamcheck: %s: %w", name, err)
			}
			if err := os.WriteFile(filepath.Join(dir, set.sub, name+".json"), data, 0o644); err != nil {
				return "", err
			}
		}
	}
	list := make([]scenarioJSON, len(c.Scenarios))
	for i, s := range c.Scenarios {
		sj, err := s.file(paths)
		if err != nil {
			return "", fmt.Errorf("iamcheck: scenario %d (%s): %w", i, s.Name, err)
		}
		list[i] = sj
	}
	data, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return "", err
	}
	file := filepath.Join(dir, "scenarios.json")
	return file, os.WriteFile(file, data, 0o644)
}

// file returns the scenario as the file holds it, documents by path.
func (s Scenario) file(paths map[string]string) (scenarioJSON, error) {
	sj := scenarioJSON{Name: s.Name, Principal: s.Principal, Action: s.Action, Resource: s.Resource,
		ResourceAccount: s.ResourceAccount, Context: s.Context, Expect: s.Expect}
	for _, name := range s.Policies {
		path, ok := paths[name]
		if !ok {
			return sj, fmt.Errorf("no document named %q", name)
		}
		sj.Policy = append(sj.Policy, path)
	}
	if s.ResourcePolicy != "" {
		path, ok := paths[s.ResourcePolicy]
		if !ok {
			return sj, fmt.Errorf("no document named %q", s.ResourcePolicy)
		}
		sj.ResourcePolicy = path
	}
	if _, set := s.Context["aws:PrincipalArn"]; strings.HasPrefix(s.Principal, "arn:") && !set {
		sj.Context = maps.Clone(s.Context)
		if sj.Context == nil {
			sj.Context = map[string][]string{}
		}
		sj.Context["aws:PrincipalArn"] = []string{s.Principal}
	}
	return sj, nil
}

// RunFiles runs iam-check on files already on disk: policy files or
// folders, and "--scenarios FILE" pairs, as the tool's command line takes
// them. ok is false when a document has a finding or a scenario fails;
// the report is the tool's whole output.
func (t Tool) RunFiles(dir string, args ...string) (report string, ok bool, err error) {
	out, err := t.output(filepath.Join(dir, "report.txt"), args)
	var exit *exec.ExitError
	switch {
	case err == nil:
		return out, true, nil
	case errors.As(err, &exit) && exit.ExitCode() == 1:
		return out, false, nil
	}
	return out, false, fmt.Errorf("iamcheck: %s %s: %v\n%s", t.path, strings.Join(args, " "), err, out)
}
