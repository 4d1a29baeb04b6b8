package docs

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/workflows"
)

// operateDoc is what running the refreshes needs: where they run, how to
// start one, where their outcomes go.
type operateDoc struct {
	Account      *spec.Account // the orchestrator account
	RootDir      string
	HistoryTable string
	Refreshes    []runDoc
	// NoInput is set when no orchestrator reads anything from its input;
	// Output lists the fields of a successful run's output when every
	// orchestrator has the same ("" otherwise: each refresh says).
	NoInput bool
	Output  string
	// Topics are refreshgen's own topic or the spec's, each once.
	Topics []string
	// CopyBounds says, for the refreshes whose copy steps have a time
	// bound of their own, what it is ("dev: 2h of 4h").
	CopyBounds []string
}

// runDoc is one refresh as an operator sees it.
type runDoc struct {
	Name, Machine, ARN string
	// Input is the execution input its orchestrator takes, as JSON;
	// InputFields documents it ("" when it takes none), Output the fields
	// of a successful run's output.
	Input, InputFields, Output       string
	Schedule, ScheduleName, Timezone string
	Topic                            string
	OwnTopic                         bool
	Publishes                        string // "failure and success", or "" when nothing is published
	Source, Destination              string
	// ScaleDown names the EKS cluster whose node groups a run scales to
	// zero (and back, after a failure too).
	ScaleDown string
	// CopyBound is the time bound every step of the Copy phase has of
	// its own (the Task states in its branches), "" when they have none
	// or different ones.
	CopyBound string
	// Snapshots are the name prefixes of the snapshots a run makes in the
	// source account; Restores the clusters it restores beside the
	// targets: what a run stopped from outside may leave behind.
	Snapshots, Restores []string
}

func operateOf(in generator.Input) (operateDoc, error) {
	s := in.Spec
	n := names.New(s)
	o := s.Orchestrator()
	if o == nil {
		return operateDoc{}, fmt.Errorf("the spec has no orchestrator account")
	}
	d := operateDoc{Account: o, RootDir: rootDir(o), HistoryTable: n.HistoryTable()}
	for _, r := range s.Refreshes {
		m := orchestratorOf(in, r)
		if m == nil {
			return operateDoc{}, fmt.Errorf("refresh %s has no orchestrator state machine", r.Name)
		}
		input, err := exampleInput(m.Workflow.Input)
		if err != nil {
			return operateDoc{}, fmt.Errorf("refresh %s: %w", r.Name, err)
		}
		run := runDoc{
			Name: r.Name, Machine: m.Name, ARN: m.ARN,
			Input: input, InputFields: fieldList(m.Workflow.Input), Output: fieldList(m.Workflow.Output),
			Schedule: r.Schedule, Timezone: r.ScheduleTimezone,
			Topic: n.TopicARN(r), OwnTopic: r.Notify.SNSTopicARN == "",
			Publishes: strings.Join(outcomes(r.Notify), " and "),
			Source:    r.Source.Name, Destination: r.Destination.Name,
		}
		if b := branchTaskBound(m.Definition); b > 0 {
			run.CopyBound = formatDuration(time.Duration(b) * time.Second)
		}
		if r.Schedule != "" {
			run.ScheduleName = n.Schedule(r)
			if run.Timezone == "" {
				run.Timezone = "UTC"
			}
		}
		if r.EKS != nil && r.EKS.ScaleDown {
			run.ScaleDown = r.EKS.Cluster.ClusterName
		}
		for _, db := range r.Databases {
			if db.Strategy != spec.StrategyClone {
				run.Snapshots = append(run.Snapshots, n.SnapshotPrefix(r, db)+"-*")
			}
			if db.Swap == spec.SwapRename {
				run.Restores = append(run.Restores, names.RestoreCluster(db))
			}
		}
		d.Refreshes = append(d.Refreshes, run)
		if run.CopyBound != "" {
			d.CopyBounds = append(d.CopyBounds, r.Name+": "+run.CopyBound+" of "+formatDuration(r.Timeout))
		}
		if !slices.Contains(d.Topics, run.Topic) {
			d.Topics = append(d.Topics, run.Topic)
		}
	}
	d.NoInput = true
	if len(d.Refreshes) > 0 {
		d.Output = d.Refreshes[0].Output
	}
	for _, run := range d.Refreshes {
		d.NoInput = d.NoInput && run.InputFields == ""
		if run.Output != d.Output {
			d.Output = ""
		}
	}
	slices.Sort(d.Topics)
	return d, nil
}

// branchTaskBound is the TimeoutSeconds every Task inside the machine's
// Parallel states shares, read from the definition: 0 when one has none,
// or when they differ.
func branchTaskBound(m *asl.Machine) int {
	bound := -1
	for l := range m.Walk() {
		t, ok := l.State.(*asl.Task)
		if !ok || !strings.Contains(l.At, ".Branches[") {
			continue
		}
		if bound >= 0 && t.TimeoutSeconds != bound {
			return 0
		}
		bound = t.TimeoutSeconds
	}
	return max(bound, 0)
}

// exampleInput is an execution input that satisfies a contract: {} for
// the orchestrators, which read nothing from their input; each required
// field of another contract holds a placeholder saying what goes there.
func exampleInput(s *workflows.Shape) (string, error) {
	v := map[string]any{}
	if s != nil {
		for _, f := range s.Fields {
			if !f.Optional {
				v[f.Name] = "<" + strings.TrimSpace(f.Shape.Doc+" "+f.Shape.Kind.String()) + ">"
			}
		}
	}
	// Map keys are sorted, so the bytes are deterministic; no HTML
	// escaping, the placeholders hold angle brackets.
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	return strings.TrimSpace(b.String()), err
}

// fieldList names the fields of an object contract, with what each holds
// when the contract says.
func fieldList(s *workflows.Shape) string {
	if s == nil {
		return ""
	}
	var out []string
	for _, f := range s.Fields {
		text := "`" + f.Name + "`"
		if f.Shape != nil && f.Shape.Doc != "" {
			text += " (" + f.Shape.Doc + ")"
		}
		if f.Optional {
			text += ", optional"
		}
		out = append(out, text)
	}
	return strings.Join(out, ", ")
}
