package spec

import (
	"fmt"
	"path"
	"strings"

	"github.com/refreshgen/refreshgen/internal/jsonpointer"
)

// target is something a refresh writes in a destination account.
type target struct {
	what string // for the message: refresh "a" database "b"
	ptr  string
}

// uniqueTargets reports two writers of the same thing in one destination
// account: two refreshes restoring the same cluster would destroy each
// other's work, and a rename swap's -restore/-old names must not hit
// another target either.
func (c *checker) uniqueTargets() {
	clusters := map[string]target{}
	filesystems := map[string]target{}
	parameters := map[string]target{}
	mounted := map[string]target{}
	for _, r := range c.spec.Refreshes {
		if r.Destination == nil {
			continue
		}
		acct := r.Destination.Name + "/"
		for _, d := range r.Databases {
			t := target{fmt.Sprintf("refresh %q database %q", r.Name, d.Name), jsonpointer.From("refresh", r.Name, "database", d.Name, "target_cluster")}
			names := []string{d.TargetCluster}
			if d.Swap == SwapRename {
				names = append(names, d.TargetCluster+RestoreSuffix, d.TargetCluster+OldSuffix)
			}
			for _, n := range names { // one report per database is enough
				if !c.claim(clusters, acct+n, t, "cluster "+quote(n)) {
					break
				}
			}
		}
		for _, f := range r.FileSystems {
			at := func(attr string) string { return jsonpointer.From("refresh", r.Name, "filesystem", f.Name, attr) }
			what := fmt.Sprintf("refresh %q filesystem %q", r.Name, f.Name)
			c.claim(filesystems, acct+f.TargetFileSystemID, target{what, at("target_file_system_id")}, "file system "+f.TargetFileSystemID)
			c.oneMountPerHelper(mounted, acct, f, target{what, at("target_file_system_id")})
			if f.SubpathParameter != "" {
				c.claim(parameters, acct+f.SubpathParameter, target{what, at("subpath_parameter")}, "SSM parameter "+f.SubpathParameter)
			}
		}
	}
}

// claim records that t writes key, or reports the earlier writer; it
// returns false when it reported.
func (c *checker) claim(taken map[string]target, key string, t target, thing string) bool {
	prev, dup := taken[key]
	if !dup || prev.what == t.what {
		taken[key] = t
		return true
	}
	account, _, _ := strings.Cut(key, "/")
	c.errorAt(t.ptr, "Two refreshes write the same target",
		"%s writes %s in account.%s, which %s already writes. Each target in an account has one writer: give one of them another target.",
		t.what, thing, account, prev.what)
	return false
}

// nameLengths checks the longest name of each kind refreshgen generates
// against AWS's limit, where the user can still shorten the prefix or the
// refresh's name.
func (c *checker) nameLengths() {
	p := &c.spec.Project
	if p.Prefix == "" {
		return
	}
	projectAt := jsonpointer.From("project", p.Name, "prefix")
	c.nameFits(projectAt, "state machine", p.NameFor(KindStateMachine, LongestWorkflowKey...), MaxStateMachineName, KindStateMachine)
	c.nameFits(projectAt, "Lambda function", p.NameFor(KindLambda, LongestLambdaKey...), MaxLambdaName, KindLambda)
	for _, r := range c.spec.Refreshes {
		refreshAt := jsonpointer.From("refresh", r.Name)
		c.nameFits(refreshAt, "state machine", p.NameFor(KindStateMachine, "orchestrator", r.Name), MaxStateMachineName, KindStateMachine)
		c.nameFits(refreshAt, "IAM role", p.NameFor(KindIAMRole, append([]string{r.Name}, LongestRoleKey...)...), MaxIAMRoleName, KindIAMRole)
		if r.Schedule != "" {
			c.nameFits(refreshAt, "schedule", p.NameFor(KindSchedule, r.Name), MaxScheduleName, KindSchedule)
		}
	}
}

func (c *checker) nameFits(ptr, kind, name string, limit int, rk ResourceKind) {
	if len(name) <= limit {
		return
	}
	c.errorAt(ptr, "Generated name too long",
		"The %s name %q would be %d characters; AWS allows %d. Shorten the prefix (or set prefixes.%s) or the block's name by %d characters.",
		kind, name, len(name), limit, rk, len(name)-limit)
}

// outputDir refuses an output folder that would mix the rendered tree with
// the spec's own files.
func (c *checker) outputDir() {
	dir := path.Clean(strings.ReplaceAll(c.spec.OutputDir, `\`, "/"))
	if dir == "." {
		c.errorAt(jsonpointer.From("refreshgen", "output_dir"), "Output folder is the spec's folder",
			`refreshgen owns every file of its output folder's manifest and deletes stale ones, so the output cannot share the spec's folder. Use a subfolder such as "out".`)
	}
}

// oneMountPerHelper refuses a second file system copy into an account that
// needs the same Lambda helper to mount another target: a destination
// account runs one function per helper, and a Lambda function mounts one
// file system.
func (c *checker) oneMountPerHelper(mounted map[string]target, acct string, f *FileSystemCopy, t target) {
	helper := f.MountingHelper()
	if helper == "" {
		return
	}
	first, taken := mounted[acct+helper]
	if !taken {
		mounted[acct+helper] = t
		return
	}
	c.errorAt(t.ptr, "Second file system for one Lambda helper",
		"%s and %s both need the %s helper of account %s to mount their target file system, and a Lambda function mounts only one. "+
			"Copy one of them another way (strategy, verify_file), or into another account.", first.what, t.what, helper, strings.TrimSuffix(acct, "/"))
}
