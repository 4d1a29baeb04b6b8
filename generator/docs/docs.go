// Package docs renders the README of the output folder: what the spec
// declares, a diagram of the refreshes, and what each part of the tree is.
package docs

import (
	"fmt"
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/templates"
)

// Render returns the README of the rendered tree.
func Render(in generator.Input) ([]generator.File, error) {
	data, err := templates.Render("README.md.tmpl", readmeOf(in))
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
	Layout                        []layoutRow
}

type refreshDoc struct {
	Name, Source, Destination, When, Timeout, EKS, Notify string
	Databases, FileSystems                                []item
}

type item struct{ Name, Detail string }

type layoutRow struct{ Path, What string }

func readmeOf(in generator.Input) readme {
	s := in.Spec
	r := readme{
		Project:  s.Project.Name,
		Spec:     in.SpecPath,
		Prefix:   s.Project.Prefix,
		Region:   s.Project.Region,
		Accounts: s.Accounts,
		Diagram:  diagram(s),
		Layout:   layout(s),
	}
	for _, ref := range s.Refreshes {
		r.Refreshes = append(r.Refreshes, refreshDocOf(ref))
	}
	return r
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
		parts = append(parts, fmt.Sprintf("restored as `%s%s`, then swapped in by renaming: the previous target becomes `%s%s` and is %s",
			db.TargetCluster, spec.RestoreSuffix, db.TargetCluster, spec.OldSuffix, keptAs(db)))
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
	var out []string
	for _, o := range n.On {
		out = append(out, string(o))
	}
	topic := "refreshgen's topic"
	if n.SNSTopicARN != "" {
		topic = "`" + n.SNSTopicARN + "`"
	}
	return strings.Join(out, " and ") + " to " + topic
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
	return b.String()
}

// diagram draws the accounts and the refreshes between them in Mermaid.
func diagram(s *spec.Spec) string {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	for _, a := range s.Accounts {
		fmt.Fprintf(&b, "  %s[\"%s<br/>%s<br/>%s\"]\n", nodeID(a.Name), a.Name, a.ID, a.Role)
	}
	if o := s.Orchestrator(); o != nil {
		for _, r := range s.Refreshes {
			fmt.Fprintf(&b, "  %s -. \"orchestrates %s\" .-> %s\n", nodeID(o.Name), r.Name, nodeID(r.Destination.Name))
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
		fmt.Fprintf(&b, "  %s -- \"%s: %s\" --> %s\n", nodeID(r.Source.Name), r.Name, strings.Join(what, ", "), nodeID(r.Destination.Name))
	}
	return b.String()
}

// nodeID makes a block name safe as a Mermaid node id.
func nodeID(name string) string {
	return "acct_" + strings.ReplaceAll(name, "-", "_")
}

// layout describes the parts of the tree this spec produces.
func layout(s *spec.Spec) []layoutRow {
	var rows []layoutRow
	for _, r := range s.Refreshes {
		for _, db := range r.Databases {
			if len(db.PostRestoreSQL) > 0 {
				rows = append(rows, layoutRow{"sql/" + r.Name + "/" + db.Name + "/", "the post-restore SQL of refresh " + r.Name + ", database " + db.Name + ", in run order"})
			}
		}
	}
	return rows
}
