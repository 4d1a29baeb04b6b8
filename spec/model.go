package spec

import (
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Spec is a refresh.hcl that passed every check, normalised for renderers:
// references are resolved to pointers, defaults are filled in and every
// collection is sorted by name, so two loads of the same file are identical.
type Spec struct {
	// Filename is the spec's path as the user named it (used in prose only).
	Filename string
	// OutputDir is the rendered tree's folder, slash-separated and relative to
	// the spec's own folder.
	OutputDir   string
	Project     Project
	Accounts    []*Account
	Auroras     []*Aurora
	FileSystems []*FileSystem
	EKSClusters []*EKSCluster
	Refreshes   []*Refresh
}

// Project holds the settings every generated name and tag derives from.
type Project struct {
	Name      string
	Prefix    string
	Region    string
	Partition string // aws, aws-cn or aws-us-gov, derived from Region
	Naming    NamingStyle
	// Prefixes overrides Prefix for one kind of resource (iam_role, lambda, ...).
	Prefixes           map[ResourceKind]string
	Tags               []Tag
	ManagedTag         Tag // marks what refreshgen may modify or delete
	LambdaArchitecture Architecture
	OrganizationID     string
	// RDSCABundle is the PEM bundle of AWS's RDS certificate authorities;
	// the run-sql helper verifies Aurora's TLS certificate against it.
	RDSCABundle string
	DeclRange   hcl.Range
}

// Tag is one AWS tag.
type Tag struct {
	Key, Value string
}

// NamingStyle is how multi-word names are joined.
type NamingStyle string

// The naming styles.
const (
	NamingKebab  NamingStyle = "kebab"  // myapp-refresh-db-restore-cluster
	NamingPascal NamingStyle = "pascal" // myapp-refresh-DB-RestoreCluster
)

// Architecture is the CPU architecture of the Lambda helpers.
type Architecture string

// The Lambda architectures AWS offers.
const (
	ArchARM64 Architecture = "arm64"
	ArchX8664 Architecture = "x86_64"
)

// AccountRole is the part an account plays in every refresh.
type AccountRole string

// The account roles.
const (
	RoleOrchestrator AccountRole = "orchestrator"
	RoleSource       AccountRole = "source"
	RoleDestination  AccountRole = "destination"
)

// Account is one AWS account of the estate.
type Account struct {
	Name string
	ID   string
	Role AccountRole
	// VPCID, SubnetIDs and SecurityGroupIDs place the Lambda helpers of a
	// destination account; SecurityGroupIDs empty means refreshgen makes one.
	VPCID            string
	SubnetIDs        []string
	SecurityGroupIDs []string
	// ExistingRoleName names a role the account already has; refreshgen then
	// attaches its policies to that role instead of creating one.
	ExistingRoleName  string
	TrustedPrincipals []string
	ExternalID        string
	DeclRange         hcl.Range
}

// Engine is an Aurora engine.
type Engine string

// The Aurora engines.
const (
	EngineMySQL      Engine = "aurora-mysql"
	EnginePostgreSQL Engine = "aurora-postgresql"
)

// Aurora is a production Aurora cluster that refreshes copy from.
type Aurora struct {
	Name       string
	Account    *Account
	Identifier string
	Engine     Engine
	KMSKeyARN  string
	DeclRange  hcl.Range
}

// FileSystem is a production EFS file system that refreshes copy from.
type FileSystem struct {
	Name         string
	Account      *Account
	FileSystemID string
	BackupVault  string
	DeclRange    hcl.Range
}

// EKSCluster is a cluster that consumes refreshed data.
type EKSCluster struct {
	Name           string
	Account        *Account
	ClusterName    string
	Nodegroups     []string
	AccessPolicies []*AccessPolicy
	DeclRange      hcl.Range
}

// AccessPolicy is an EKS access policy granted to the destination role.
// No namespaces means cluster scope.
type AccessPolicy struct {
	Name       string
	PolicyARN  string
	Namespaces []string
}

// Refresh copies source data into one destination account, end to end.
type Refresh struct {
	Name        string
	Source      *Account
	Destination *Account
	// Schedule is an EventBridge Scheduler expression; empty means on demand.
	Schedule         string
	ScheduleTimezone string
	Timeout          time.Duration
	Databases        []*Database
	FileSystems      []*FileSystemCopy
	EKS              *EKSUsage
	Notify           Notify
	DeclRange        hcl.Range
}

// SnapshotStrategy is how a refresh obtains the source data.
type SnapshotStrategy string

// The snapshot strategies.
const (
	StrategySnapshot       SnapshotStrategy = "snapshot"        // a fresh manual snapshot
	StrategyLatestSnapshot SnapshotStrategy = "latest-snapshot" // copy of the newest existing snapshot
	StrategyClone          SnapshotStrategy = "clone"           // Aurora copy-on-write clone
)

// SwapStrategy is how the restored cluster takes the target's place.
type SwapStrategy string

// The swap strategies.
const (
	// SwapRename restores beside the target as <target>-restore, then renames:
	// the target becomes <target>-old and the restore becomes the target.
	SwapRename SwapStrategy = "rename"
	// SwapDeleteFirst deletes the target first and restores under its name:
	// no room needed for suffixes, but the target is gone while it restores.
	SwapDeleteFirst SwapStrategy = "delete-first"
)

// KeepOld is what happens to the previous target cluster after a swap.
type KeepOld string

// The fates of the previous target cluster.
const (
	KeepOldStop   KeepOld = "stop"
	KeepOldDelete KeepOld = "delete"
	KeepOldKeep   KeepOld = "keep"
)

// SQLMode is how the post-restore SQL scripts are applied.
type SQLMode string

// The SQL modes of the run-sql helper.
const (
	SQLTransaction SQLMode = "transaction" // all scripts in one transaction
	SQLStatements  SQLMode = "statements"  // each statement commits; stop at the first error
)

// Database copies one Aurora cluster into the destination account.
type Database struct {
	Name          string
	From          *Aurora
	TargetCluster string
	Strategy      SnapshotStrategy
	InstanceClass string // db.serverless selects Serverless v2
	Instances     int
	Serverless    *ServerlessScaling
	SubnetGroup   string
	// SecurityGroupIDs are the VPC security groups of the restored cluster.
	SecurityGroupIDs      []string
	KMSKeyARN             string
	ClusterParameterGroup string
	ParameterGroup        string
	Swap                  SwapStrategy
	KeepOld               KeepOld
	FinalSnapshot         bool
	PostRestoreSQL        []SQLScript
	SQLMode               SQLMode
	// SQLDatabase is the database the scripts connect to: PostgreSQL needs
	// one (default postgres); empty for MySQL means none (scripts may USE).
	SQLDatabase   string
	RotateSecrets []string
	DeclRange     hcl.Range
}

// ServerlessScaling is the Aurora Serverless v2 capacity range in ACUs.
type ServerlessScaling struct {
	MinCapacity, MaxCapacity float64
}

// SQLScript is one post-restore script. Name is the file's path relative to
// the spec's folder (slash-separated), or inline-<n> for a literal string.
type SQLScript struct {
	Name string
	SQL  string
}

// FileSystemStrategy is how a refresh copies an EFS file system.
type FileSystemStrategy string

// The file system strategies.
const (
	FSBackupRestore FileSystemStrategy = "backup-restore" // AWS Backup copy, then restore
	FSReplication   FileSystemStrategy = "replication"    // EFS replication into the target
)

// FileSystemCopy copies one EFS file system into the destination account.
type FileSystemCopy struct {
	Name               string
	From               *FileSystem
	Strategy           FileSystemStrategy
	TargetFileSystemID string
	// TargetBackupVault receives the recovery point copy (backup-restore).
	TargetBackupVault string
	// SubpathParameter is the SSM parameter that tells consumers where the
	// restored data lives inside the target file system.
	SubpathParameter string
	// VerifyFile (replication) is a file, relative to the file system's
	// root, that an application on the source rewrites regularly: after
	// replication the check-flag-file helper must find it on the target,
	// modified after the run started. Empty means AWS's own
	// LastReplicatedTimestamp is the only proof.
	VerifyFile string
	DeclRange  hcl.Range
}

// MountingHelper is the Lambda helper that mounts the copy's target file
// system: get-efs-subpath finds the folder a backup-restore copy restored,
// check-flag-file reads the verify_file of a replication copy; "" when no
// helper mounts it.
func (f *FileSystemCopy) MountingHelper() string {
	switch {
	case f.Strategy == FSBackupRestore:
		return "get-efs-subpath"
	case f.VerifyFile != "":
		return "check-flag-file"
	}
	return ""
}

// EKSUsage is how a refresh treats the EKS cluster that consumes its data.
type EKSUsage struct {
	Cluster *EKSCluster
	// ScaleDown scales the cluster's node groups to zero around the swap.
	ScaleDown bool
	Volumes   []*Volume
}

// Volume is a persistent volume claim repointed at a refreshed file system.
type Volume struct {
	FileSystem *FileSystemCopy
	Namespace  string
	Claim      string
}

// Outcome is a refresh result that can trigger a notification.
type Outcome string

// The outcomes.
const (
	OutcomeSuccess Outcome = "success"
	OutcomeFailure Outcome = "failure"
)

// Notify says where a refresh reports its outcome. An empty SNSTopicARN
// means the topic refreshgen creates in the orchestrator account.
type Notify struct {
	SNSTopicARN string
	On          []Outcome
}

// Account returns the account with the given name, or nil.
func (s *Spec) Account(name string) *Account {
	for _, a := range s.Accounts {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// Orchestrator returns the orchestrator account (validation ensures one).
func (s *Spec) Orchestrator() *Account {
	for _, a := range s.Accounts {
		if a.Role == RoleOrchestrator {
			return a
		}
	}
	return nil
}

// AccountsWithRole returns the accounts playing role, in name order.
func (s *Spec) AccountsWithRole(role AccountRole) []*Account {
	var out []*Account
	for _, a := range s.Accounts {
		if a.Role == role {
			out = append(out, a)
		}
	}
	return out
}
