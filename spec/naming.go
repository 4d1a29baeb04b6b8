package spec

import (
	"strings"
)

// ResourceKind is a kind of AWS resource whose name refreshgen generates.
// Each kind may have its own prefix (project.prefixes), because corporate
// estates often name roles, functions and log groups by different rules.
type ResourceKind string

// The kinds of generated names.
const (
	KindIAMRole       ResourceKind = "iam_role"
	KindIAMPolicy     ResourceKind = "iam_policy"
	KindLambda        ResourceKind = "lambda"
	KindLogGroup      ResourceKind = "log_group"
	KindSecurityGroup ResourceKind = "security_group"
	KindStateMachine  ResourceKind = "state_machine"
	KindSnapshot      ResourceKind = "snapshot"
	KindSchedule      ResourceKind = "schedule"
	KindTopic         ResourceKind = "topic"
	KindTable         ResourceKind = "table"
)

// AWS name length limits, checked at validation time so that a name never
// fails at apply time.
const (
	MaxRDSIdentifier    = 63
	MaxIAMRoleName      = 64
	MaxLambdaName       = 64
	MaxStateMachineName = 80
	MaxScheduleName     = 64
	MaxSnapshotName     = 255
)

// Suffixes appended to a target cluster during a rename swap. Instances get
// a further "-<n>" (n up to 15), hence the two extra digits below.
const (
	RestoreSuffix = "-restore"
	OldSuffix     = "-old"
	// InstanceSuffixRoom is what "-<n>" adds to a cluster identifier.
	InstanceSuffixRoom = 3
)

// LongestWorkflowKey is the longest group-and-workflow part of a library
// state machine name ("efs" + "setup_cross_account_replication"). The
// workflow library's tests fail if a longer one is ever added, so a name
// checked against it here always fits.
var LongestWorkflowKey = []string{"efs", "setup_cross_account_replication"}

// LongestLambdaKey is the longest Lambda helper name part, kept in step with
// the helpers by the workflow library's tests.
var LongestLambdaKey = []string{"get_efs_subpath"}

// LongestRoleKey is the longest suffix of a refresh's role names: its
// orchestrator role, <prefix>-<refresh>-orchestrator.
var LongestRoleKey = []string{"orchestrator"}

// acronyms keep their capitals in pascal names (DB, not Db).
var acronyms = map[string]string{
	"db": "DB", "efs": "EFS", "eks": "EKS", "sql": "SQL", "ssm": "SSM",
	"asg": "ASG", "s3": "S3", "kms": "KMS", "sns": "SNS", "iam": "IAM",
}

// PrefixFor returns the name prefix of kind: its override, else the prefix.
func (p *Project) PrefixFor(kind ResourceKind) string {
	if v, ok := p.Prefixes[kind]; ok {
		return v
	}
	return p.Prefix
}

// NameFor builds a generated name of kind from snake_case parts, in the
// project's naming style: kebab gives prefix-db-restore-cluster, pascal gives
// prefix-DB-RestoreCluster. The prefix is used as written.
func (p *Project) NameFor(kind ResourceKind, parts ...string) string {
	words := []string{p.PrefixFor(kind)}
	for _, part := range parts {
		words = append(words, p.styled(part))
	}
	return strings.Join(words, "-")
}

// styled renders one snake_case part in the project's style.
func (p *Project) styled(part string) string {
	if p.Naming != NamingPascal {
		return strings.ReplaceAll(strings.ToLower(part), "_", "-")
	}
	var b strings.Builder
	for _, w := range strings.FieldsFunc(part, func(r rune) bool { return r == '_' || r == '-' }) {
		if a, ok := acronyms[strings.ToLower(w)]; ok {
			b.WriteString(a)
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]) + strings.ToLower(w[1:]))
	}
	return b.String()
}
