package spec

import (
	"github.com/hashicorp/hcl/v2"
)

// The types below are refresh.hcl as written. gohcl decodes them strictly:
// an unknown or misspelled attribute or block, a missing required attribute,
// a wrong label count or a value of the wrong type is a diagnostic at its
// source range. References (account.production) stay expressions until
// the builder (build.go) turns them into pointers; post_restore_sql stays an expression
// so the names of the files it reads can be recovered.

type document struct {
	Settings    *settingsBlock  `hcl:"refreshgen,block"`
	Project     *projectBlock   `hcl:"project,block"`
	Accounts    []*accountBlock `hcl:"account,block"`
	Auroras     []*auroraBlock  `hcl:"aurora,block"`
	FileSystems []*efsBlock     `hcl:"efs,block"`
	EKSClusters []*eksBlock     `hcl:"eks,block"`
	Refreshes   []*refreshBlock `hcl:"refresh,block"`
}

type settingsBlock struct {
	RequiredVersion *string   `hcl:"required_version,optional"`
	OutputDir       *string   `hcl:"output_dir,optional"`
	DefRange        hcl.Range `hcl:",def_range"`
}

type projectBlock struct {
	Name               string            `hcl:"name,label"`
	Prefix             string            `hcl:"prefix"`
	Region             string            `hcl:"region"`
	Naming             *string           `hcl:"naming,optional"`
	Prefixes           map[string]string `hcl:"prefixes,optional"`
	Tags               map[string]string `hcl:"tags,optional"`
	ManagedTag         map[string]string `hcl:"managed_tag,optional"`
	LambdaArchitecture *string           `hcl:"lambda_architecture,optional"`
	OrganizationID     *string           `hcl:"organization_id,optional"`
	RDSCABundle        *string           `hcl:"rds_ca_bundle,optional"`
	DefRange           hcl.Range         `hcl:",def_range"`
}

type accountBlock struct {
	Name              string    `hcl:"name,label"`
	ID                string    `hcl:"id"`
	Role              string    `hcl:"role"`
	VPCID             *string   `hcl:"vpc_id,optional"`
	SubnetIDs         []string  `hcl:"subnet_ids,optional"`
	SecurityGroupIDs  []string  `hcl:"security_group_ids,optional"`
	ExistingRoleName  *string   `hcl:"existing_role_name,optional"`
	TrustedPrincipals []string  `hcl:"trusted_principals,optional"`
	ExternalID        *string   `hcl:"external_id,optional"`
	DefRange          hcl.Range `hcl:",def_range"`
}

type auroraBlock struct {
	Name       string         `hcl:"name,label"`
	Account    hcl.Expression `hcl:"account" ref:"account"`
	Identifier string         `hcl:"identifier"`
	Engine     string         `hcl:"engine"`
	KMSKeyARN  string         `hcl:"kms_key_arn"`
	DefRange   hcl.Range      `hcl:",def_range"`
}

type efsBlock struct {
	Name         string         `hcl:"name,label"`
	Account      hcl.Expression `hcl:"account" ref:"account"`
	FileSystemID string         `hcl:"file_system_id"`
	BackupVault  *string        `hcl:"backup_vault,optional"`
	DefRange     hcl.Range      `hcl:",def_range"`
}

type eksBlock struct {
	Name           string               `hcl:"name,label"`
	Account        hcl.Expression       `hcl:"account" ref:"account"`
	ClusterName    string               `hcl:"cluster_name"`
	Nodegroups     []string             `hcl:"nodegroups,optional"`
	AccessPolicies []*accessPolicyBlock `hcl:"access_policy,block"`
	DefRange       hcl.Range            `hcl:",def_range"`
}

type accessPolicyBlock struct {
	Name       string    `hcl:"name,label"`
	PolicyARN  string    `hcl:"policy_arn"`
	Namespaces []string  `hcl:"namespaces,optional"`
	DefRange   hcl.Range `hcl:",def_range"`
}

type refreshBlock struct {
	Name             string             `hcl:"name,label"`
	Source           hcl.Expression     `hcl:"source" ref:"account"`
	Destination      hcl.Expression     `hcl:"destination" ref:"account"`
	Schedule         *string            `hcl:"schedule,optional"`
	ScheduleTimezone *string            `hcl:"schedule_timezone,optional"`
	Timeout          *string            `hcl:"timeout,optional"`
	Databases        []*databaseBlock   `hcl:"database,block"`
	FileSystems      []*filesystemBlock `hcl:"filesystem,block"`
	EKS              *refreshEKSBlock   `hcl:"eks,block"`
	Notify           *notifyBlock       `hcl:"notify,block"`
	DefRange         hcl.Range          `hcl:",def_range"`
}

type databaseBlock struct {
	Name                  string           `hcl:"name,label"`
	From                  hcl.Expression   `hcl:"from" ref:"aurora"`
	TargetCluster         string           `hcl:"target_cluster"`
	Strategy              *string          `hcl:"strategy,optional"`
	InstanceClass         string           `hcl:"instance_class"`
	Instances             *int             `hcl:"instances,optional"`
	Serverless            *serverlessBlock `hcl:"serverless,block"`
	SubnetGroup           string           `hcl:"subnet_group"`
	SecurityGroupIDs      []string         `hcl:"security_group_ids"`
	KMSKeyARN             string           `hcl:"kms_key_arn"`
	ClusterParameterGroup *string          `hcl:"cluster_parameter_group,optional"`
	ParameterGroup        *string          `hcl:"parameter_group,optional"`
	Swap                  *string          `hcl:"swap,optional"`
	KeepOld               *string          `hcl:"keep_old,optional"`
	FinalSnapshot         *bool            `hcl:"final_snapshot,optional"`
	PostRestoreSQL        hcl.Expression   `hcl:"post_restore_sql,optional"`
	SQLMode               *string          `hcl:"sql_mode,optional"`
	SQLDatabase           *string          `hcl:"sql_database,optional"`
	RotateSecrets         []string         `hcl:"rotate_secrets,optional"`
	DefRange              hcl.Range        `hcl:",def_range"`
}

type serverlessBlock struct {
	MinCapacity float64   `hcl:"min_capacity"`
	MaxCapacity float64   `hcl:"max_capacity"`
	DefRange    hcl.Range `hcl:",def_range"`
}

type filesystemBlock struct {
	Name               string         `hcl:"name,label"`
	From               hcl.Expression `hcl:"from" ref:"efs"`
	Strategy           *string        `hcl:"strategy,optional"`
	TargetFileSystemID string         `hcl:"target_file_system_id"`
	TargetBackupVault  *string        `hcl:"target_backup_vault,optional"`
	SubpathParameter   *string        `hcl:"subpath_parameter,optional"`
	VerifyFile         *string        `hcl:"verify_file,optional"`
	DefRange           hcl.Range      `hcl:",def_range"`
}

type refreshEKSBlock struct {
	Cluster   hcl.Expression `hcl:"cluster" ref:"eks"`
	ScaleDown *bool          `hcl:"scale_down_during,optional"`
	Volumes   []*volumeBlock `hcl:"volume,block"`
	DefRange  hcl.Range      `hcl:",def_range"`
}

type volumeBlock struct {
	FileSystem string    `hcl:"filesystem,label"`
	Namespace  string    `hcl:"namespace"`
	Claim      string    `hcl:"claim"`
	DefRange   hcl.Range `hcl:",def_range"`
}

type notifyBlock struct {
	SNSTopicARN *string   `hcl:"sns_topic_arn,optional"`
	On          []string  `hcl:"on,optional"`
	DefRange    hcl.Range `hcl:",def_range"`
}
