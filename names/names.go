// Package names derives every AWS name and ARN refreshgen generates from a
// spec: state machines, roles, functions, buckets, topics, tables, log
// groups and schedules. Workflows, IAM and Terraform all ask here, so the
// name a policy grants is the name a state machine calls and the name
// Terraform creates.
package names

import (
	"fmt"
	"path"
	"strings"

	"github.com/refreshgen/refreshgen/spec"
)

// Names answers name questions for one spec.
type Names struct {
	spec *spec.Spec
	p    *spec.Project
}

// New returns the names of a validated spec.
func New(s *spec.Spec) *Names {
	return &Names{spec: s, p: &s.Project}
}

// ARN builds an ARN in the project's partition and region; GlobalARN
// builds those of global services, which have no region.
func (n *Names) ARN(service, account, resource string) string {
	return "arn:" + n.p.Partition + ":" + service + ":" + n.p.Region + ":" + account + ":" + resource
}

// GlobalARN builds an ARN of a global service such as IAM.
func (n *Names) GlobalARN(service, account, resource string) string {
	return "arn:" + n.p.Partition + ":" + service + "::" + account + ":" + resource
}

// orchestratorID is the account every state machine runs in.
func (n *Names) orchestratorID() string {
	if o := n.spec.Orchestrator(); o != nil {
		return o.ID
	}
	return ""
}

// StateMachine is the name of a state machine of group (db, efs, eks,
// utils, orchestrator) and key (restore_cluster, or a refresh's name).
func (n *Names) StateMachine(group, key string) string {
	return n.p.NameFor(spec.KindStateMachine, group, key)
}

// StateMachineARN is the ARN of that state machine.
func (n *Names) StateMachineARN(group, key string) string {
	return n.ARN("states", n.orchestratorID(), "stateMachine:"+n.StateMachine(group, key))
}

// WorkflowRole is the role the state machines of a library group run as.
func (n *Names) WorkflowRole(group string) string {
	return n.p.NameFor(spec.KindIAMRole, "workflows", group)
}

// OrchestratorRole is the role a refresh's orchestrator runs as: one per
// refresh, so a refresh can only reach its own accounts.
func (n *Names) OrchestratorRole(r *spec.Refresh) string {
	return n.p.NameFor(spec.KindIAMRole, r.Name, "orchestrator")
}

// SchedulerRole is the role EventBridge Scheduler starts refreshes with.
func (n *Names) SchedulerRole() string {
	return n.p.NameFor(spec.KindIAMRole, "scheduler")
}

// AccountRole is the role the workflows assume in a source or destination
// account: the account's existing role when the spec names one.
func (n *Names) AccountRole(a *spec.Account) string {
	if a.ExistingRoleName != "" {
		return a.ExistingRoleName
	}
	return n.p.NameFor(spec.KindIAMRole, string(a.Role))
}

// RoleARN is the ARN of role name in account.
func (n *Names) RoleARN(account, name string) string {
	return n.GlobalARN("iam", account, "role/"+name)
}

// AccountRoleARN is the ARN of AccountRole.
func (n *Names) AccountRoleARN(a *spec.Account) string {
	return n.RoleARN(a.ID, n.AccountRole(a))
}

// kindKubernetesGroup names Kubernetes groups. No project.prefixes key
// overrides it, so the group takes the project's prefix.
const kindKubernetesGroup spec.ResourceKind = "kubernetes_group"

// KubernetesGroup is the Kubernetes group a destination role's EKS access
// entry maps it to in the clusters where refreshes repoint volumes: the
// RBAC refreshgen renders for each such cluster grants this group what
// the manage_storage workflow does to persistent volumes and claims, which
// no EKS access policy short of cluster-admin allows. The project prefix
// and "storage" in the naming style: myapp-refresh-storage, or
// myapp-refresh-Storage with pascal naming.
func (n *Names) KubernetesGroup() string {
	return n.p.NameFor(kindKubernetesGroup, "storage")
}

// LambdaRole is the execution role of one Lambda helper: each helper gets
// only what it does (run-sql reads secrets, get-efs-subpath writes a
// parameter, check-flag-file only reads its file system).
func (n *Names) LambdaRole(fn string) string {
	return n.p.NameFor(spec.KindIAMRole, "lambda", fn)
}

// BackupRole is the service role AWS Backup copies (in a source account)
// and restores (in a destination account) with.
func (n *Names) BackupRole() string {
	return n.p.NameFor(spec.KindIAMRole, "backup")
}

// ReplicationRole is the role, in a source account, that EFS replicates a
// file system into another account's with.
func (n *Names) ReplicationRole() string {
	return n.p.NameFor(spec.KindIAMRole, "efs-replication")
}

// The Lambda helpers, by snake_case key.
const (
	FnRunSQL        = "run_sql"
	FnGetEFSSubpath = "get_efs_subpath"
	FnCheckFlagFile = "check_flag_file"
)

// Function is the name of a Lambda helper.
func (n *Names) Function(fn string) string {
	return n.p.NameFor(spec.KindLambda, fn)
}

// FunctionARN is the ARN of a Lambda helper in an account.
func (n *Names) FunctionARN(a *spec.Account, fn string) string {
	return n.ARN("lambda", a.ID, "function:"+n.Function(fn))
}

// SQLBucket is the bucket that holds the post-restore SQL of a destination
// account (bucket names are global, hence the account ID).
func (n *Names) SQLBucket(a *spec.Account) string {
	return fmt.Sprintf("%s-sql-%s", n.p.Prefix, a.ID)
}

// SQLKey is where a database's n-th script (0-based) lives, in the rendered
// tree and in the bucket: the number keeps the run order visible and two
// scripts with one base name apart.
func SQLKey(refresh, database string, i int, script spec.SQLScript) string {
	return fmt.Sprintf("sql/%s/%s/%02d-%s", refresh, database, i+1, path.Base(script.Name))
}

// Topic is refreshgen's notification topic in the orchestrator account.
func (n *Names) Topic() string {
	return n.p.NameFor(spec.KindTopic, "events")
}

// TopicARN is the topic a refresh notifies: the spec's, or refreshgen's.
func (n *Names) TopicARN(r *spec.Refresh) string {
	if r.Notify.SNSTopicARN != "" {
		return r.Notify.SNSTopicARN
	}
	return n.ARN("sns", n.orchestratorID(), n.Topic())
}

// HistoryTable is the DynamoDB table of refresh runs.
func (n *Names) HistoryTable() string {
	return n.p.NameFor(spec.KindTable, "history")
}

// Schedule is the EventBridge Scheduler schedule of a refresh.
func (n *Names) Schedule(r *spec.Refresh) string {
	return n.p.NameFor(spec.KindSchedule, r.Name)
}

// ScheduleGroup is the EventBridge Scheduler group of the project's
// schedules; the scheduler role trusts only schedules of this group.
func (n *Names) ScheduleGroup() string {
	return n.p.PrefixFor(spec.KindSchedule)
}

// LogGroup is the log group of a group of state machines.
func (n *Names) LogGroup(group string) string {
	return "/aws/vendedlogs/states/" + n.p.NameFor(spec.KindLogGroup, group)
}

// SnapshotPrefix starts the identifier of every snapshot a refresh makes of
// a database; IAM lets the source role create and delete only these.
func (n *Names) SnapshotPrefix(r *spec.Refresh, db *spec.Database) string {
	// RDS stores identifiers in lower case and IAM compares ARNs case by
	// case: a pascal-cased prefix would name no snapshot AWS returns.
	return strings.ToLower(n.p.NameFor(spec.KindSnapshot, r.Name, db.Name))
}

// RestoreCluster and OldCluster are the names a rename swap uses.
func RestoreCluster(db *spec.Database) string { return db.TargetCluster + spec.RestoreSuffix }

// OldCluster is the name the previous target takes in a rename swap.
func OldCluster(db *spec.Database) string { return db.TargetCluster + spec.OldSuffix }
