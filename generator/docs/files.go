package docs

import (
	"path"
	"slices"
	"strings"

	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/generator/iampolicies"
	"github.com/refreshgen/refreshgen/generator/kubernetes"
	"github.com/refreshgen/refreshgen/generator/lambdazips"
	"github.com/refreshgen/refreshgen/generator/stepfunctions"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/roles"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/workflows"
)

// filesDoc is what the tree holds, folder by folder. Each path comes from
// the function the renderer that writes it uses (stepfunctions.Path,
// iampolicies.Dir, lambdazips.Path, names.SQLKey), so the table lists
// exactly the folders this spec produces.
type filesDoc struct {
	Roots []rootDoc
	// SourceModule and DestinationModule are set when a root calls
	// modules/source-account or modules/destination-account; every tree
	// has modules/orchestrator and modules/step-functions, since it has an
	// orchestrator account and at least one refresh.
	SourceModule, DestinationModule bool
	Groups                          []groupFolder
	IAM                             []iamFolder
	Lambdas                         []string
	SQL                             []sqlFolder
	Kubernetes                      []kubeFolder
	RBAC                            []rbacFile
}

// rbacFile is the Kubernetes RBAC of one cluster.
type rbacFile struct{ Path, Cluster, Account string }

// kubeFolder is kubernetes/<account>/: the RBAC of the account's clusters
// where refreshes repoint volume claims.
type kubeFolder struct {
	Dir, Account string
	Files        []string
}

// groupFolder is stepfunctions/<group>/.
type groupFolder struct {
	Dir, Group   string
	Orchestrator bool
	// Keys are the workflows whose definitions the folder holds.
	Keys []string
}

// iamFolder is iam/<account>/.
type iamFolder struct {
	Dir, Account string
	Roles        []string
}

// sqlFolder is sql/<refresh>/<database>/.
type sqlFolder struct {
	Dir, Refresh, Database string
	Scripts                int
}

func filesOf(in generator.Input) filesDoc {
	f := filesDoc{Roots: rootsOf(in), Groups: groupFolders(in.Machines), IAM: iamFolders(in.Roles)}
	for _, r := range f.Roots {
		if r.Deploys && r.Account.Role == spec.RoleSource {
			f.SourceModule = true
		}
		if r.Deploys && r.Account.Role == spec.RoleDestination {
			f.DestinationModule = true
		}
	}
	for _, fn := range names.Helpers(in.Spec, nil) {
		f.Lambdas = append(f.Lambdas, path.Base(lambdazips.Path(fn)))
	}
	for _, r := range in.Spec.Refreshes {
		for _, db := range r.Databases {
			if len(db.PostRestoreSQL) > 0 {
				dir := path.Dir(names.SQLKey(r.Name, db.Name, 0, db.PostRestoreSQL[0])) + "/"
				f.SQL = append(f.SQL, sqlFolder{Dir: dir, Refresh: r.Name, Database: db.Name, Scripts: len(db.PostRestoreSQL)})
			}
		}
	}
	for _, c := range kubernetes.Clusters(in.Spec) {
		p := kubernetes.Path(c)
		dir := path.Dir(p) + "/"
		i := slices.IndexFunc(f.Kubernetes, func(k kubeFolder) bool { return k.Dir == dir })
		if i < 0 {
			f.Kubernetes = append(f.Kubernetes, kubeFolder{Dir: dir, Account: c.Account.Name})
			i = len(f.Kubernetes) - 1
		}
		f.Kubernetes[i].Files = append(f.Kubernetes[i].Files, path.Base(p))
		f.RBAC = append(f.RBAC, rbacFile{Path: p, Cluster: c.ClusterName, Account: c.Account.Name})
	}
	return f
}

// groupFolders lists the folders of the state machine definitions in
// name order, as a file browser shows them.
func groupFolders(machines []workflows.Machine) []groupFolder {
	var out []groupFolder
	for _, m := range machines {
		dir := path.Dir(stepfunctions.Path(m.Workflow)) + "/"
		i := slices.IndexFunc(out, func(g groupFolder) bool { return g.Dir == dir })
		if i < 0 {
			out = append(out, groupFolder{Dir: dir, Group: string(m.Workflow.Group), Orchestrator: m.Workflow.Group == workflows.GroupOrchestrator})
			i = len(out) - 1
		}
		out[i].Keys = append(out[i].Keys, m.Workflow.Key)
	}
	slices.SortFunc(out, func(a, b groupFolder) int { return strings.Compare(a.Dir, b.Dir) })
	return out
}

// iamFolders lists iam/<account>/ with the roles that have files there:
// an existing role the spec names gets no trust policy, so it has a
// folder only when refreshgen attaches policies to it.
func iamFolders(rs []roles.Role) []iamFolder {
	var out []iamFolder
	for _, r := range rs {
		if r.Existing && len(r.Policies) == 0 {
			continue
		}
		dir := path.Dir(iampolicies.Dir(r)) + "/"
		i := slices.IndexFunc(out, func(f iamFolder) bool { return f.Dir == dir })
		if i < 0 {
			out = append(out, iamFolder{Dir: dir, Account: r.Account.Name})
			i = len(out) - 1
		}
		out[i].Roles = append(out[i].Roles, r.Name)
	}
	for _, f := range out {
		slices.Sort(f.Roles)
	}
	slices.SortFunc(out, func(a, b iamFolder) int { return strings.Compare(a.Dir, b.Dir) })
	return out
}
