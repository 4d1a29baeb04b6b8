// Package docs renders the README of the output folder: the document a
// platform engineer reads to deploy and operate the tree. What the spec
// declares, what each refresh's orchestrator does, what each Terraform
// root creates, how to run and watch a refresh, the IAM roles and their
// guarantees, every state machine, and what each folder holds.
//
// Everything is derived from the renderer's input (the spec, the generated
// state machines and the derived roles) and from the same path and name
// functions the other renderers use, so the README describes the tree it
// sits in. The prose lives in templates/README.md.tmpl; this package only
// shapes the data, in a fixed order, so the same spec gives the same bytes.
package docs

import (
	"fmt"
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/templates"
	"github.com/refreshgen/refreshgen/workflows"
)

// Render returns the README of the rendered tree.
func Render(in generator.Input) ([]generator.File, error) {
	r, err := readmeOf(in)
	if err != nil {
		return nil, err
	}
	data, err := templates.Render("README.md.tmpl", r)
	if err != nil {
		return nil, err
	}
	return []generator.File{{Path: "README.md", Kind: generator.KindDocs, Data: data}}, nil
}

type readme struct {
	Project, Spec, Prefix, Region string
	Accounts                      []*spec.Account
	Diagram                       string
	Refreshes                     []refreshDoc
	Files                         filesDoc
	Roots                         []rootDoc
	// RunSQL is set when the tree ships the run-sql helper, whose bundle
	// carries the spec's RDS CA bundle.
	RunSQL   bool
	Operate  operateDoc
	IAM      iamDoc
	Machines []machineRow
}

type refreshDoc struct {
	Name, Source, Destination, When, Timeout, EKS, Notify string
	Databases, FileSystems                                []item
	// Orchestrator is the name of the refresh's orchestrator state
	// machine, Flowchart the Mermaid chart of what it does.
	Orchestrator, Flowchart string
}

type item struct{ Name, Detail string }

func readmeOf(in generator.Input) (readme, error) {
	s := in.Spec
	r := readme{
		Project:  s.Project.Name,
		Spec:     in.SpecPath,
		Prefix:   s.Project.Prefix,
		Region:   s.Project.Region,
		Accounts: s.Accounts,
		Diagram:  diagram(s),
		Files:    filesOf(in),
		Roots:    rootsOf(in),
		RunSQL:   hasHelper(s, names.FnRunSQL),
		IAM:      iamOf(in),
		Machines: machineRows(in),
	}
	children := childNames(in)
	for _, ref := range s.Refreshes {
		d := refreshDocOf(ref)
		m := orchestratorOf(in, ref)
		if m == nil {
			return readme{}, fmt.Errorf("refresh %s has no orchestrator state machine", ref.Name)
		}
		d.Orchestrator = m.Name
		d.Flowchart = drawFlowchart(m.Definition, children, branchTitles(ref))
		r.Refreshes = append(r.Refreshes, d)
	}
	op, err := operateOf(in)
	if err != nil {
		return readme{}, err
	}
	r.Operate = op
	return r, nil
}

func hasHelper(s *spec.Spec, fn string) bool {
	for _, h := range names.Helpers(s, nil) {
		if h == fn {
			return true
		}
	}
	return false
}

// orchestratorOf is the orchestrator state machine of refresh r.
func orchestratorOf(in generator.Input, r *spec.Refresh) *workflows.Machine {
	for i, m := range in.Machines {
		if m.Workflow.Group == workflows.GroupOrchestrator && m.Workflow.Key == r.Name {
			return &in.Machines[i]
		}
	}
	return nil
}

// childNames names a state machine by its ARN with its workflow key
// (restore_cluster): short enough for a chart, and the key is the last
// part of the name in the State machines table.
func childNames(in generator.Input) func(string) string {
	keys := map[string]string{}
	for _, m := range in.Machines {
		keys[m.ARN] = m.Workflow.Key
	}
	return func(arn string) string { return keys[arn] }
}

// branchTitles names an orchestrator's Copy branch after the database or
// file system it copies: the orchestrator prefixes the branch's state
// names with the block's name in CamelCase (app_db: AppDb...). A prefix
// that matches no block, or more than one, is shown as it is.
func branchTitles(r *spec.Refresh) func(string) string {
	fold := func(s string) string { return strings.ToLower(nameFolder.Replace(s)) }
	return func(prefix string) string {
		var found []string
		for _, db := range r.Databases {
			if fold(db.Name) == fold(prefix) {
				found = append(found, "database "+db.Name)
			}
		}
		for _, fs := range r.FileSystems {
			if fold(fs.Name) == fold(prefix) {
				found = append(found, "file system "+fs.Name)
			}
		}
		if len(found) == 1 {
			return found[0]
		}
		return prefix
	}
}

func refreshDocOf(r *spec.Refresh) refreshDoc {
	d := refreshDoc{
		Name:        r.Name,
		Source:      r.Source.Name,
		Destination: r.Destination.Name,
		When:        "on demand",
		Timeout:     formatDuration(r.Timeout),
		Notify:      joinOutcomes(r.Notify),
	}
	if r.Schedule != "" {
		d.When = "on the schedule `" + r.Schedule + "`"
		if r.ScheduleTimezone != "" {
			d.When += " (" + r.ScheduleTimezone + ")"
		}
	}
	for _, db := range r.Databases {
		d.Databases = append(d.Databases, item{db.Name, databaseDetail(db)})
	}
	for _, fs := range r.FileSystems {
		d.FileSystems = append(d.FileSystems, item{fs.Name, fmt.Sprintf("`%s` (%s) into `%s` by %s",
			fs.From.FileSystemID, fs.From.Name, fs.TargetFileSystemID, fs.Strategy)})
	}
	if r.EKS != nil {
		d.EKS = eksDetail(r.EKS)
	}
	return d
}

func databaseDetail(db *spec.Database) string {
	parts := []string{fmt.Sprintf("`%s` (%s, %s) into `%s`, %s", db.From.Identifier, db.From.Name, db.From.Engine, db.TargetCluster, strategyText[db.Strategy])}
	switch db.Swap {
	case spec.SwapRename:
		parts = append(parts, fmt.Sprintf("restored as `%s`, then swapped in by renaming: the previous target becomes `%s` and is %s",
			names.RestoreCluster(db), names.OldCluster(db), keptAs(db)))
	case spec.SwapDeleteFirst:
		parts = append(parts, "the previous target is deleted first"+finalSnapshot(db))
	}
	if len(db.PostRestoreSQL) > 0 {
		names := make([]string, len(db.PostRestoreSQL))
		for i, sc := range db.PostRestoreSQL {
			names[i] = "`" + sc.Name + "`"
		}
		parts = append(parts, fmt.Sprintf("runs %s %s before the swap", strings.Join(names, ", "), sqlModeText[db.SQLMode]))
	}
	if n := len(db.RotateSecrets); n == 1 {
		parts = append(parts, "rotates 1 secret after it")
	} else if n > 1 {
		parts = append(parts, fmt.Sprintf("rotates %d secrets after it", n))
	}
	return strings.Join(parts, "; ")
}

var strategyText = map[spec.SnapshotStrategy]string{
	spec.StrategySnapshot:       "from a fresh snapshot",
	spec.StrategyLatestSnapshot: "from a copy of the newest existing snapshot",
	spec.StrategyClone:          "as a copy-on-write clone",
}

var sqlModeText = map[spec.SQLMode]string{
	spec.SQLStatements:  "statement by statement",
	spec.SQLTransaction: "in one transaction",
}

func finalSnapshot(db *spec.Database) string {
	if db.FinalSnapshot {
		return " after a final snapshot"
	}
	return ""
}

func keptAs(db *spec.Database) string {
	switch db.KeepOld {
	case spec.KeepOldStop:
		return "stopped"
	case spec.KeepOldDelete:
		return "deleted" + finalSnapshot(db)
	}
	return "kept running"
}

func eksDetail(e *spec.EKSUsage) string {
	detail := "cluster `" + e.Cluster.ClusterName + "`"
	if e.ScaleDown {
		detail += fmt.Sprintf(", node groups %s scaled to zero around the swap", strings.Join(e.Cluster.Nodegroups, ", "))
	}
	for _, v := range e.Volumes {
		detail += fmt.Sprintf(", claim `%s/%s` repointed at %s", v.Namespace, v.Claim, v.FileSystem.Name)
	}
	return detail
}

func joinOutcomes(n spec.Notify) string {
	topic := "refreshgen's topic"
	if n.SNSTopicARN != "" {
		topic = "`" + n.SNSTopicARN + "`"
	}
	return strings.Join(outcomes(n), " and ") + " to " + topic
}

func outcomes(n spec.Notify) []string {
	var out []string
	for _, o := range n.On {
		out = append(out, string(o))
	}
	return out
}

// formatDuration writes a duration the way the spec does (6h, 1h30m, 2d).
func formatDuration(d time.Duration) string {
	var b strings.Builder
	for _, u := range []struct {
		unit string
		size time.Duration
	}{{"d", 24 * time.Hour}, {"h", time.Hour}, {"m", time.Minute}, {"s", time.Second}} {
		if n := d / u.size; n > 0 {
			fmt.Fprintf(&b, "%d%s", n, u.unit)
			d -= n * u.size
		}
	}
	if b.Len() == 0 {
		return "0s"
	}
	return b.String()
}

// diagram draws the accounts and the refreshes between them in Mermaid.
func diagram(s *spec.Spec) string {
	ids := newMermaidIDs("acct_")
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	for _, a := range s.Accounts {
		fmt.Fprintf(&b, "  %s[%s]\n", ids.id(a.Name), mermaidLines(a.Name, a.ID, string(a.Role)))
	}
	if o := s.Orchestrator(); o != nil {
		for _, r := range s.Refreshes {
			fmt.Fprintf(&b, "  %s -. \"orchestrates %s\" .-> %s\n", ids.id(o.Name), mermaidText(r.Name), ids.id(r.Destination.Name))
		}
	}
	for _, r := range s.Refreshes {
		var what []string
		for _, d := range r.Databases {
			what = append(what, d.Name)
		}
		for _, f := range r.FileSystems {
			what = append(what, f.Name)
		}
		fmt.Fprintf(&b, "  %s -- \"%s\" --> %s\n", ids.id(r.Source.Name), mermaidText(r.Name+": "+strings.Join(what, ", ")), ids.id(r.Destination.Name))
	}
	return b.String()
}

// cell makes text safe in a Markdown table cell.
func cell(s string) string { return cellEscaper.Replace(s) }

// Replacers are safe for concurrent use and costly to build: built once.
var (
	nameFolder  = strings.NewReplacer("_", "", "-", "")
	cellEscaper = strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ")
)
