package iam

import (
	"fmt"
	"slices"

	"github.com/refreshgen/refreshgen/asl"
)

// Need is one IAM permission that a service integration, or a feature of
// the state machine, requires of the role that makes the call.
type Need struct {
	// Action is the IAM action; LookupAction says what it authorises against.
	Action string
	// On are the resource types this use authorises against, a subset of
	// the action's; empty means all of them.
	On []ResourceType
	// Name is the resource's name when AWS fixes it (the EventBridge rule
	// Step Functions manages for .sync calls); empty when the spec names it.
	Name string
	// Condition is what every grant of the need carries. Values may hold
	// ${Partition}, ${Region} and ${Account}, filled in by Statement.
	Condition []Condition
	// If is the request field whose presence makes the need apply, dotted
	// for a field inside an object or array ("Destinations.RoleArn");
	// empty means always.
	If string
	// CustomerKey says the need applies only when the resource is encrypted
	// with a customer managed KMS key: the key policy of an AWS managed key
	// already lets its service use it for the account's principals.
	CustomerKey bool
	// Why says, for a permission beyond the call's own action, why the call
	// needs it and where that is documented.
	Why string
}

// Statement grants n at loc on arns, each an ARN of a type n authorises
// against, with one ARN at least of each required type. An action with
// no resource type is granted on "*" without any ARN; an ARN "*" is
// accepted only for an action whose Wildcard says why.
func (n Need) Statement(loc Location, arns ...string) (Statement, error) {
	return n.CheckedStatement(nil, loc, arns...)
}

// ShapeChecks remembers which ARNs have the shape of which resource types
// (ResourceType.Matches), for a caller that builds many statements on the
// same ARNs. The zero value is ready to use; it is not safe for concurrent
// use.
type ShapeChecks struct {
	matches map[shapeCheck]bool
}

type shapeCheck struct {
	t   ResourceType
	arn string
}

// Matches is t.Matches(arn), computed once for each type and ARN.
func (c *ShapeChecks) Matches(t ResourceType, arn string) bool {
	if c == nil {
		return t.Matches(arn)
	}
	k := shapeCheck{t, arn}
	m, ok := c.matches[k]
	if !ok {
		if c.matches == nil {
			c.matches = map[shapeCheck]bool{}
		}
		m = t.Matches(arn)
		c.matches[k] = m
	}
	return m
}

// CheckedStatement is Statement, with the shape of each ARN checked
// through checks (nil checks every ARN anew).
func (n Need) CheckedStatement(checks *ShapeChecks, loc Location, arns ...string) (Statement, error) {
	a, ok := LookupAction(n.Action)
	if !ok {
		return Statement{}, fmt.Errorf("iam: %s is not in the action table", n.Action)
	}
	resources, err := n.resources(a, loc, arns, checks)
	if err != nil {
		return Statement{}, fmt.Errorf("iam: %s: %w", n.Action, err)
	}
	conds := make([]Condition, len(n.Condition))
	for i, c := range n.Condition {
		conds[i] = Condition{Operator: c.Operator, Key: c.Key, Values: make([]string, len(c.Values))}
		for j, v := range c.Values {
			conds[i].Values[j] = loc.expand(v)
		}
	}
	return Statement{Effect: Allow, Action: []string{n.Action}, Resource: resources, Condition: conds}, nil
}

// resources checks arns against the types n authorises against.
func (n Need) resources(a Action, loc Location, arns []string, checks *ShapeChecks) ([]string, error) {
	types := n.On
	if len(types) == 0 {
		types = a.Types()
	}
	switch {
	case (n.Name != "" || len(types) == 0) && len(arns) > 0:
		return nil, fmt.Errorf("the resource is fixed, give no ARN (got %q)", arns)
	case n.Name != "":
		return []string{types[0].ARN(loc, n.Name)}, nil
	case len(types) == 0:
		return []string{"*"}, nil
	case len(arns) == 0:
		return nil, fmt.Errorf("give the ARNs of the resources, of types %q", types)
	case slices.Contains(arns, "*"):
		if a.Wildcard == "" {
			return nil, fmt.Errorf(`"*" for an action that supports resource-level permissions (types %q)`, types)
		}
		return []string{"*"}, nil
	}
	for _, arn := range arns {
		if !slices.ContainsFunc(types, func(t ResourceType) bool { return checks.Matches(t, arn) }) {
			return nil, fmt.Errorf("%q is not an ARN of %q", arn, types)
		}
	}
	for _, t := range a.Required {
		if slices.Contains(types, t) && !slices.ContainsFunc(arns, func(arn string) bool { return checks.Matches(t, arn) }) {
			return nil, fmt.Errorf("no ARN of %s, which the action requires", t)
		}
	}
	return arns, nil
}

// NeedsOf returns the permissions a Task calling the integration needs,
// the call's own action first. Waiting for a task token needs nothing
// more than the call: the worker, not the role, sends the token back.
func NeedsOf(call asl.Integration) ([]Need, bool) {
	if call.Pattern == asl.WaitForTaskToken {
		call.Pattern = asl.RequestResponse
	}
	i := slices.IndexFunc(integrationTable, func(e integration) bool { return e.call == call })
	if i < 0 {
		return nil, false
	}
	return cloneNeeds(integrationTable[i].needs), true
}

// Integrations lists the integrations the table covers, in table order.
func Integrations() []asl.Integration {
	out := make([]asl.Integration, len(integrationTable))
	for i, e := range integrationTable {
		out[i] = e.call
	}
	return out
}

// Feature is something a state machine or Task does besides its calls
// that needs permissions of the role.
type Feature string

// Features.
const (
	// Logging is a state machine's LoggingConfiguration to CloudWatch Logs.
	Logging Feature = "logging"
	// Tracing is a state machine's X-Ray tracing.
	Tracing Feature = "tracing"
	// TaskCredentials is a Task's Credentials: the execution role assumes
	// the role named there for the call.
	TaskCredentials Feature = "credentials"
)

// FeatureNeeds returns the permissions the feature needs.
func FeatureNeeds(f Feature) ([]Need, bool) {
	needs, ok := featureTable[f]
	return cloneNeeds(needs), ok
}

// cloneNeeds copies needs so that callers cannot change the tables.
func cloneNeeds(needs []Need) []Need {
	out := make([]Need, len(needs))
	for i, n := range needs {
		n.On = slices.Clone(n.On)
		n.Condition = slices.Clone(n.Condition)
		for j := range n.Condition {
			n.Condition[j].Values = slices.Clone(n.Condition[j].Values)
		}
		out[i] = n
	}
	return out
}

type integration struct {
	call  asl.Integration
	needs []Need
}

// tagOnCreate is the tag action a create call also needs when it passes
// tags, on the type of what it creates.
func tagOnCreate(action string, on ResourceType, field string) Need {
	return Need{Action: action, On: []ResourceType{on}, If: field,
		Why: "the call tags what it creates, so the service's tag action is authorised too (SAR, API operations table)"}
}

// passRole is iam:PassRole of the role in the request field to service,
// which then assumes it.
func passRole(service, field, why string) Need {
	return Need{Action: "iam:PassRole", If: field, Why: why,
		Condition: []Condition{Cond(StringEquals, "iam:PassedToService", service)}}
}

// kmsVia is a KMS action the service performs with the caller's
// permissions, only through that service in the caller's region.
func kmsVia(action, service, field, why string) Need {
	return Need{Action: action, If: field, CustomerKey: true, Why: why,
		Condition: []Condition{Cond(StringEquals, keyViaService, service+".${Region}.amazonaws.com")}}
}

// Why texts shared by several needs.
const (
	whyRDSKey = "RDS uses the encryption key with the caller's permissions: it creates a grant and describes the key " +
		"(Aurora User Guide, AWS KMS key management). For a shared snapshot or a cross-account clone the key's own " +
		"policy must also allow this account"
	whyRDSSecret = "with ManageMasterUserPassword RDS creates and tags the rds!... secret as the caller and describes its key " +
		"(Aurora User Guide, Password management with Amazon Aurora and AWS Secrets Manager: Permissions required)"
	whyRDSSecretKey = "a customer managed key for the master user secret (MasterUserSecretKmsKeyId) is used with the " +
		"caller's permissions (Aurora User Guide, Password management with Amazon Aurora and AWS Secrets Manager)"
	whySecretKey = "Secrets Manager encrypts and decrypts secret values with the caller's permissions on the secret's key " +
		"(Secrets Manager User Guide, Secret encryption and decryption)"
	whyNetworkInterface = "EFS creates or deletes the mount target's network interface with the caller's permissions " +
		"(EFS User Guide, identity-based policy examples)"
	whyVPCLambda = "a function in a VPC needs the caller to describe the subnets, security groups and VPC it names " +
		"(Lambda Developer Guide, Giving Lambda functions access to resources in a VPC)"
	whyLambdaCode = "Lambda reads the deployment package from S3 with the caller's permissions (Lambda Developer Guide)"
	whySync       = "waiting for the child (.sync) needs its executions described and, on abort, stopped, and the " +
		"EventBridge rule Step Functions manages in this account (Step Functions Developer Guide, IAM policies " +
		"for AWS Step Functions, Synchronous)"
	whyEKSAccess = "Step Functions signs the Kubernetes call as the role, which must also be mapped to Kubernetes " +
		"permissions with an EKS access entry; that part is not IAM (Step Functions Developer Guide, Call Amazon " +
		"EKS with Step Functions: Permissions)"
	whyPassBackup = "AWS Backup assumes the role named in IamRoleArn (AWS Backup Developer Guide, API permissions)"
)

// syncRule is the EventBridge rule Step Functions creates and uses to
// learn that a child execution started with .sync has finished.
const syncRule = "StepFunctionsGetEventsForStepFunctionsExecutionRule"

// integrationTable maps each integration refresh workflows use to the
// permissions it needs. The aws-sdk service names are the SDK's ("efs",
// "sfn", "eventbridge", "resourcegroupstaggingapi"); the actions are
// IAM's, which mostly are the API names with an upper-case first letter.
// Never modified: NeedsOf hands out copies.
var integrationTable = []integration{
	// Amazon RDS. Sources: SAR (Amazon RDS); Aurora User Guide: AWS KMS key
	// management; Password management with Amazon Aurora and AWS Secrets
	// Manager; Cross-account cloning with AWS RAM and Amazon Aurora.
	{asl.SDKCall("rds", "addRoleToDBCluster"), []Need{
		{Action: "rds:AddRoleToDBCluster"},
		passRole("rds.amazonaws.com", "RoleArn", "RDS assumes the role it is given, for S3 integration (SAR: dependent action iam:PassRole)"),
	}},
	{asl.SDKCall("rds", "addTagsToResource"), []Need{{Action: "rds:AddTagsToResource"}}},
	{asl.SDKCall("rds", "copyDBClusterSnapshot"), []Need{
		{Action: "rds:CopyDBClusterSnapshot"},
		tagOnCreate("rds:AddTagsToResource", RDSClusterSnapshot, "Tags"),
		kmsVia("kms:CreateGrant", "rds", "KmsKeyId", whyRDSKey),
		kmsVia("kms:DescribeKey", "rds", "KmsKeyId", whyRDSKey),
	}},
	{asl.SDKCall("rds", "createDBClusterSnapshot"), []Need{
		{Action: "rds:CreateDBClusterSnapshot"},
		tagOnCreate("rds:AddTagsToResource", RDSClusterSnapshot, "Tags"),
	}},
	{asl.SDKCall("rds", "createDBInstance"), []Need{
		{Action: "rds:CreateDBInstance"},
		tagOnCreate("rds:AddTagsToResource", RDSInstance, "Tags"),
	}},
	{asl.SDKCall("rds", "deleteDBCluster"), []Need{{Action: "rds:DeleteDBCluster",
		Why: "the SAR requires the final snapshot's ARN too, even with SkipFinalSnapshot"}}},
	{asl.SDKCall("rds", "deleteDBClusterSnapshot"), []Need{{Action: "rds:DeleteDBClusterSnapshot"}}},
	{asl.SDKCall("rds", "deleteDBInstance"), []Need{{Action: "rds:DeleteDBInstance"}}},
	{asl.SDKCall("rds", "describeDBClusterSnapshotAttributes"), []Need{{Action: "rds:DescribeDBClusterSnapshotAttributes"}}},
	{asl.SDKCall("rds", "describeDBClusterSnapshots"), []Need{{Action: "rds:DescribeDBClusterSnapshots"}}},
	{asl.SDKCall("rds", "describeDBClusters"), []Need{{Action: "rds:DescribeDBClusters"}}},
	{asl.SDKCall("rds", "describeDBInstances"), []Need{{Action: "rds:DescribeDBInstances"}}},
	{asl.SDKCall("rds", "listTagsForResource"), []Need{{Action: "rds:ListTagsForResource"}}},
	{asl.SDKCall("rds", "modifyDBCluster"), []Need{
		{Action: "rds:ModifyDBCluster", Why: "a rename (NewDBClusterIdentifier) is authorised on both the old and the new cluster ARN"},
		{Action: "secretsmanager:CreateSecret", If: "ManageMasterUserPassword", Why: whyRDSSecret},
		{Action: "secretsmanager:TagResource", If: "ManageMasterUserPassword", Why: whyRDSSecret},
		{Action: "kms:DescribeKey", If: "ManageMasterUserPassword", Why: whyRDSSecret},
		{Action: "kms:CreateGrant", If: "MasterUserSecretKmsKeyId", CustomerKey: true, Why: whyRDSSecretKey},
		{Action: "kms:Decrypt", If: "MasterUserSecretKmsKeyId", CustomerKey: true, Why: whyRDSSecretKey},
		{Action: "kms:GenerateDataKey", If: "MasterUserSecretKmsKeyId", CustomerKey: true, Why: whyRDSSecretKey},
		{Action: "secretsmanager:RotateSecret", If: "RotateMasterUserPassword",
			Why: "rotating the managed secret at once is a Secrets Manager rotation done as the caller (Aurora User Guide, Password management: Permissions required)"},
	}},
	{asl.SDKCall("rds", "modifyDBClusterParameterGroup"), []Need{{Action: "rds:ModifyDBClusterParameterGroup"}}},
	{asl.SDKCall("rds", "modifyDBClusterSnapshotAttribute"), []Need{{Action: "rds:ModifyDBClusterSnapshotAttribute",
		Why: "no condition key names the accounts a snapshot is shared with: scope it to the tool's own snapshots by name and tag"}}},
	{asl.SDKCall("rds", "modifyDBInstance"), []Need{{Action: "rds:ModifyDBInstance"}}},
	{asl.SDKCall("rds", "restoreDBClusterFromSnapshot"), []Need{
		{Action: "rds:RestoreDBClusterFromSnapshot"},
		tagOnCreate("rds:AddTagsToResource", RDSCluster, "Tags"),
		kmsVia("kms:CreateGrant", "rds", "", whyRDSKey),
		kmsVia("kms:DescribeKey", "rds", "", whyRDSKey),
	}},
	{asl.SDKCall("rds", "restoreDBClusterToPointInTime"), []Need{
		{Action: "rds:RestoreDBClusterToPointInTime",
			Why: "a clone (RestoreType copy-on-write) is authorised on the source cluster, which may be shared from another account with AWS RAM"},
		tagOnCreate("rds:AddTagsToResource", RDSCluster, "Tags"),
		kmsVia("kms:CreateGrant", "rds", "", whyRDSKey),
		kmsVia("kms:DescribeKey", "rds", "", whyRDSKey),
	}},
	{asl.SDKCall("rds", "startDBCluster"), []Need{{Action: "rds:StartDBCluster"}}},
	{asl.SDKCall("rds", "stopDBCluster"), []Need{{Action: "rds:StopDBCluster"}}},

	// AWS KMS grants. Source: SAR (AWS KMS); AWS KMS Developer Guide,
	// Grants in AWS KMS (a grant is not limited by the key policy's
	// conditions, so CreateGrant is scoped by kms:GranteePrincipal and
	// kms:GrantOperations).
	{asl.SDKCall("kms", "createGrant"), []Need{{Action: "kms:CreateGrant"}}},
	{asl.SDKCall("kms", "describeKey"), []Need{{Action: "kms:DescribeKey"}}},
	{asl.SDKCall("kms", "listGrants"), []Need{{Action: "kms:ListGrants"}}},
	{asl.SDKCall("kms", "retireGrant"), []Need{{Action: "kms:RetireGrant"}}},
	{asl.SDKCall("kms", "revokeGrant"), []Need{{Action: "kms:RevokeGrant"}}},

	// AWS RAM, sharing an Aurora cluster for a cross-account clone. Source:
	// SAR (AWS RAM); Aurora User Guide, Cross-account cloning with AWS RAM
	// and Amazon Aurora.
	{asl.SDKCall("ram", "acceptResourceShareInvitation"), []Need{{Action: "ram:AcceptResourceShareInvitation"}}},
	{asl.SDKCall("ram", "associateResourceShare"), []Need{{Action: "ram:AssociateResourceShare"}}},
	{asl.SDKCall("ram", "createResourceShare"), []Need{{Action: "ram:CreateResourceShare",
		Why: "scope it with ram:ResourceArn (the cluster) and ram:Principal (the destination account)"}}},
	{asl.SDKCall("ram", "deleteResourceShare"), []Need{{Action: "ram:DeleteResourceShare"}}},
	{asl.SDKCall("ram", "getResourceShareAssociations"), []Need{{Action: "ram:GetResourceShareAssociations"}}},
	{asl.SDKCall("ram", "getResourceShareInvitations"), []Need{{Action: "ram:GetResourceShareInvitations"}}},
	{asl.SDKCall("ram", "getResourceShares"), []Need{{Action: "ram:GetResourceShares"}}},

	// AWS Backup. Source: SAR (AWS Backup); AWS Backup Developer Guide,
	// API permissions and Creating backup copies across AWS accounts.
	{asl.SDKCall("backup", "describeCopyJob"), []Need{{Action: "backup:DescribeCopyJob"}}},
	{asl.SDKCall("backup", "describeRecoveryPoint"), []Need{{Action: "backup:DescribeRecoveryPoint"}}},
	{asl.SDKCall("backup", "describeRestoreJob"), []Need{{Action: "backup:DescribeRestoreJob"}}},
	{asl.SDKCall("backup", "getRecoveryPointRestoreMetadata"), []Need{{Action: "backup:GetRecoveryPointRestoreMetadata"}}},
	{asl.SDKCall("backup", "listRecoveryPointsByBackupVault"), []Need{{Action: "backup:ListRecoveryPointsByBackupVault"}}},
	{asl.SDKCall("backup", "listRecoveryPointsByResource"), []Need{{Action: "backup:ListRecoveryPointsByResource"}}},
	{asl.SDKCall("backup", "startCopyJob"), []Need{
		{Action: "backup:StartCopyJob",
			Why: "a copy to another account's vault also needs that vault's access policy to allow backup:CopyIntoBackupVault (a resource policy, not this role)"},
		passRole("backup.amazonaws.com", "IamRoleArn", whyPassBackup),
	}},
	{asl.SDKCall("backup", "startRestoreJob"), []Need{
		{Action: "backup:StartRestoreJob"},
		passRole("backup.amazonaws.com", "IamRoleArn", whyPassBackup),
	}},

	// Amazon EFS (SDK service efs, IAM prefix elasticfilesystem). Source:
	// SAR (Amazon Elastic File System: API operations and Actions tables);
	// EFS User Guide, Required permissions for replication, Replicating
	// across AWS accounts.
	{asl.SDKCall("efs", "createAccessPoint"), []Need{
		{Action: "elasticfilesystem:CreateAccessPoint"},
		tagOnCreate("elasticfilesystem:TagResource", EFSAccessPoint, "Tags"),
	}},
	{asl.SDKCall("efs", "createFileSystem"), []Need{
		{Action: "elasticfilesystem:CreateFileSystem"},
		tagOnCreate("elasticfilesystem:TagResource", EFSFileSystem, "Tags"),
		kmsVia("kms:CreateGrant", "elasticfilesystem", "KmsKeyId", "EFS creates a grant on the file system's key as the caller (EFS User Guide, Using AWS KMS keys for Amazon EFS)"),
		kmsVia("kms:DescribeKey", "elasticfilesystem", "KmsKeyId", "EFS describes the file system's key as the caller (EFS User Guide, Using AWS KMS keys for Amazon EFS)"),
	}},
	{asl.SDKCall("efs", "createMountTarget"), []Need{
		{Action: "elasticfilesystem:CreateMountTarget"},
		{Action: "ec2:CreateNetworkInterface", Why: whyNetworkInterface},
		{Action: "ec2:DescribeNetworkInterfaces", Why: whyNetworkInterface},
		{Action: "ec2:DescribeSubnets", Why: whyNetworkInterface},
	}},
	{asl.SDKCall("efs", "createReplicationConfiguration"), []Need{
		{Action: "elasticfilesystem:CreateReplicationConfiguration",
			Why: "to an existing file system its replication overwrite protection must be off (UpdateFileSystemProtection, in its account); across accounts its file system policy must allow elasticfilesystem:ReplicationWrite"},
		passRole("elasticfilesystem.amazonaws.com", "Destinations.RoleArn",
			"across accounts EFS replicates as the role given in the destination (SAR, API operations table: iam:PassRole)"),
	}},
	{asl.SDKCall("efs", "deleteAccessPoint"), []Need{{Action: "elasticfilesystem:DeleteAccessPoint"}}},
	{asl.SDKCall("efs", "deleteFileSystem"), []Need{{Action: "elasticfilesystem:DeleteFileSystem"}}},
	{asl.SDKCall("efs", "deleteMountTarget"), []Need{
		{Action: "elasticfilesystem:DeleteMountTarget"},
		{Action: "ec2:DeleteNetworkInterface", Why: whyNetworkInterface},
	}},
	{asl.SDKCall("efs", "deleteReplicationConfiguration"), []Need{{Action: "elasticfilesystem:DeleteReplicationConfiguration"}}},
	{asl.SDKCall("efs", "describeAccessPoints"), []Need{{Action: "elasticfilesystem:DescribeAccessPoints"}}},
	{asl.SDKCall("efs", "describeFileSystems"), []Need{{Action: "elasticfilesystem:DescribeFileSystems"}}},
	{asl.SDKCall("efs", "describeMountTargets"), []Need{{Action: "elasticfilesystem:DescribeMountTargets"}}},
	{asl.SDKCall("efs", "describeReplicationConfigurations"), []Need{{Action: "elasticfilesystem:DescribeReplicationConfigurations"}}},
	{asl.SDKCall("efs", "describeTags"), []Need{{Action: "elasticfilesystem:DescribeTags"}}},
	{asl.SDKCall("efs", "putLifecycleConfiguration"), []Need{{Action: "elasticfilesystem:PutLifecycleConfiguration"}}},
	{asl.SDKCall("efs", "tagResource"), []Need{{Action: "elasticfilesystem:TagResource"}}},
	{asl.SDKCall("efs", "updateFileSystemProtection"), []Need{{Action: "elasticfilesystem:UpdateFileSystemProtection"}}},

	// AWS Lambda. Source: SAR (AWS Lambda); Lambda Developer Guide,
	// Defining Lambda function permissions with an execution role, Giving
	// Lambda functions access to resources in a VPC; Step Functions
	// Developer Guide, IAM policies for AWS Lambda (grant the function and
	// its versions and aliases, "function:name:*").
	{asl.SDKCall("lambda", "createFunction"), []Need{
		{Action: "lambda:CreateFunction"},
		passRole("lambda.amazonaws.com", "Role", "Lambda assumes the execution role it is given (Lambda Developer Guide, execution role)"),
		tagOnCreate("lambda:TagResource", LambdaFunction, "Tags"),
		{Action: "s3:GetObject", If: "Code.S3Bucket", Why: whyLambdaCode},
		{Action: "ec2:DescribeSecurityGroups", If: "VpcConfig", Why: whyVPCLambda},
		{Action: "ec2:DescribeSubnets", If: "VpcConfig", Why: whyVPCLambda},
		{Action: "ec2:DescribeVpcs", If: "VpcConfig", Why: whyVPCLambda},
	}},
	{asl.SDKCall("lambda", "deleteFunction"), []Need{{Action: "lambda:DeleteFunction"}}},
	{asl.SDKCall("lambda", "getFunction"), []Need{{Action: "lambda:GetFunction"}}},
	{asl.SDKCall("lambda", "updateFunctionCode"), []Need{
		{Action: "lambda:UpdateFunctionCode"},
		{Action: "s3:GetObject", If: "S3Bucket", Why: whyLambdaCode},
	}},
	{asl.SDKCall("lambda", "updateFunctionConfiguration"), []Need{
		{Action: "lambda:UpdateFunctionConfiguration"},
		passRole("lambda.amazonaws.com", "Role", "Lambda assumes the execution role it is given (Lambda Developer Guide, execution role)"),
		{Action: "ec2:DescribeSecurityGroups", If: "VpcConfig", Why: whyVPCLambda},
		{Action: "ec2:DescribeSubnets", If: "VpcConfig", Why: whyVPCLambda},
		{Action: "ec2:DescribeVpcs", If: "VpcConfig", Why: whyVPCLambda},
	}},
	{asl.LambdaInvoke(), []Need{{Action: "lambda:InvokeFunction",
		Why: "grant both the function ARN and its versions and aliases (name and name:*) when the Task may call a qualified ARN"}}},

	// AWS Secrets Manager. Source: SAR (AWS Secrets Manager); Secrets
	// Manager User Guide, Secret encryption and decryption; RotateSecret
	// API reference (rotation with a Lambda function).
	{asl.SDKCall("secretsmanager", "createSecret"), []Need{
		{Action: "secretsmanager:CreateSecret"},
		tagOnCreate("secretsmanager:TagResource", Secret, "Tags"),
		kmsVia("kms:GenerateDataKey", "secretsmanager", "", whySecretKey),
	}},
	{asl.SDKCall("secretsmanager", "describeSecret"), []Need{{Action: "secretsmanager:DescribeSecret"}}},
	{asl.SDKCall("secretsmanager", "getSecretValue"), []Need{
		{Action: "secretsmanager:GetSecretValue"},
		kmsVia("kms:Decrypt", "secretsmanager", "", whySecretKey),
	}},
	{asl.SDKCall("secretsmanager", "putSecretValue"), []Need{
		{Action: "secretsmanager:PutSecretValue"},
		kmsVia("kms:GenerateDataKey", "secretsmanager", "", whySecretKey),
	}},
	{asl.SDKCall("secretsmanager", "rotateSecret"), []Need{
		{Action: "secretsmanager:RotateSecret"},
		{Action: "lambda:InvokeFunction", If: "RotationLambdaARN",
			Why: "setting a rotation function needs the caller to be allowed to invoke it (RotateSecret API reference)"},
	}},
	{asl.SDKCall("secretsmanager", "updateSecret"), []Need{
		{Action: "secretsmanager:UpdateSecret"},
		kmsVia("kms:GenerateDataKey", "secretsmanager", "", whySecretKey),
		kmsVia("kms:Decrypt", "secretsmanager", "KmsKeyId", whySecretKey+"; a new KmsKeyId re-encrypts the current value"),
	}},

	// AWS Systems Manager Parameter Store. Source: SAR (AWS Systems
	// Manager); Systems Manager User Guide, How AWS Systems Manager
	// Parameter Store uses AWS KMS.
	{asl.SDKCall("ssm", "getParameter"), []Need{
		{Action: "ssm:GetParameter"},
		kmsVia("kms:Decrypt", "ssm", "WithDecryption", "a SecureString is decrypted with the caller's permissions on its key"),
	}},
	{asl.SDKCall("ssm", "putParameter"), []Need{
		{Action: "ssm:PutParameter"},
		tagOnCreate("ssm:AddTagsToResource", SSMParameter, "Tags"),
		kmsVia("kms:Encrypt", "ssm", "KeyId", "a SecureString is encrypted with the caller's permissions on its key"),
	}},

	// Amazon EKS. Source: SAR (Amazon EKS); Step Functions Developer Guide,
	// Call Amazon EKS with Step Functions, IAM policies for Amazon EKS.
	{asl.SDKCall("eks", "describeCluster"), []Need{{Action: "eks:DescribeCluster"}}},
	{asl.SDKCall("eks", "describeUpdate"), []Need{{Action: "eks:DescribeUpdate"}}},
	{asl.SDKCall("eks", "describeNodegroup"), []Need{{Action: "eks:DescribeNodegroup"}}},
	{asl.SDKCall("eks", "listNodegroups"), []Need{{Action: "eks:ListNodegroups"}}},
	{asl.SDKCall("eks", "updateNodegroupConfig"), []Need{{Action: "eks:UpdateNodegroupConfig"}}},
	{asl.EKSCall(), []Need{{Action: "eks:DescribeCluster", Why: whyEKSAccess}}},
	{asl.EKSRunJob(asl.RequestResponse), []Need{{Action: "eks:DescribeCluster", Why: whyEKSAccess}}},
	{asl.EKSRunJob(asl.Sync), []Need{{Action: "eks:DescribeCluster", Why: whyEKSAccess}}},

	// Amazon EC2 Auto Scaling. Source: SAR (Amazon EC2 Auto Scaling).
	{asl.SDKCall("autoscaling", "describeAutoScalingGroups"), []Need{{Action: "autoscaling:DescribeAutoScalingGroups"}}},
	{asl.SDKCall("autoscaling", "setDesiredCapacity"), []Need{{Action: "autoscaling:SetDesiredCapacity"}}},
	{asl.SDKCall("autoscaling", "updateAutoScalingGroup"), []Need{{Action: "autoscaling:UpdateAutoScalingGroup"}}},

	// Amazon S3. Source: SAR (Amazon S3: ListObjectsV2 is authorised by
	// s3:ListBucket); S3 User Guide, Using server-side encryption with AWS
	// KMS keys (reading an SSE-KMS object needs kms:Decrypt).
	{asl.SDKCall("s3", "getObject"), []Need{
		{Action: "s3:GetObject"},
		kmsVia("kms:Decrypt", "s3", "", "an SSE-KMS object is decrypted with the caller's permissions on its key"),
	}},
	{asl.SDKCall("s3", "listObjectsV2"), []Need{{Action: "s3:ListBucket"}}},

	// Resource Groups Tagging API (SDK service resourcegroupstaggingapi,
	// IAM prefix tag). Source: SAR (Resource Group Tagging API); Tagging
	// API Reference, TagResources (the caller also needs each target
	// service's own tag action, e.g. rds:AddTagsToResource, on its ARN).
	{asl.SDKCall("resourcegroupstaggingapi", "getResources"), []Need{{Action: "tag:GetResources"}}},
	{asl.SDKCall("resourcegroupstaggingapi", "tagResources"), []Need{{Action: "tag:TagResources",
		Why: "add each target's own tag action (the tagResource and addTagsToResource entries) on its ARN"}}},

	// Amazon CloudWatch. Source: SAR (Amazon CloudWatch).
	{asl.SDKCall("cloudwatch", "getMetricData"), []Need{{Action: "cloudwatch:GetMetricData"}}},

	// AWS Step Functions (SDK service sfn, IAM prefix states). Source: SAR
	// (AWS Step Functions); Step Functions Developer Guide, IAM policies for
	// AWS Step Functions (Synchronous and Asynchronous).
	{asl.StartExecution(asl.RequestResponse), []Need{{Action: "states:StartExecution"}}},
	{asl.StartExecution(asl.Sync), syncNeeds()},
	{asl.StartExecution(asl.Sync2), syncNeeds()},
	{asl.SDKCall("sfn", "describeExecution"), []Need{{Action: "states:DescribeExecution"}}},
	{asl.SDKCall("sfn", "startExecution"), []Need{{Action: "states:StartExecution"}}},

	// Amazon EventBridge (optimized service events, SDK service eventbridge,
	// IAM prefix events). Source: SAR (Amazon EventBridge); Step Functions
	// Developer Guide, IAM policies for Amazon EventBridge.
	{asl.Integration{Service: "events", Action: "putEvents"}, []Need{{Action: "events:PutEvents"}}},
	{asl.SDKCall("eventbridge", "putEvents"), []Need{{Action: "events:PutEvents"}}},

	// Amazon SNS and DynamoDB. Source: SAR; Step Functions Developer Guide,
	// IAM policies for Amazon SNS and for DynamoDB; SNS Developer Guide,
	// Encryption at rest (publishing to an encrypted topic).
	{asl.SNSPublish(), []Need{
		{Action: "sns:Publish"},
		kmsVia("kms:GenerateDataKey", "sns", "", "SNS encrypts the message with the publisher's permissions on the topic's key"),
		kmsVia("kms:Decrypt", "sns", "", "SNS encrypts the message with the publisher's permissions on the topic's key"),
	}},
	{asl.DynamoDBPutItem(), []Need{{Action: "dynamodb:PutItem"}}},
}

// syncNeeds are the permissions of starting a child state machine and
// waiting for it (.sync and .sync:2 need the same).
func syncNeeds() []Need {
	return []Need{
		{Action: "states:StartExecution"},
		{Action: "states:DescribeExecution", Why: whySync},
		{Action: "states:StopExecution", Why: whySync},
		{Action: "events:PutTargets", On: []ResourceType{EventsRule}, Name: syncRule, Why: whySync},
		{Action: "events:PutRule", On: []ResourceType{EventsRule}, Name: syncRule, Why: whySync},
		{Action: "events:DescribeRule", On: []ResourceType{EventsRule}, Name: syncRule, Why: whySync},
	}
}

// featureTable holds the permissions of each feature. Never modified:
// FeatureNeeds hands out copies.
var featureTable = map[Feature][]Need{
	// Source: Step Functions Developer Guide, Logging using CloudWatch Logs
	// (IAM policies for logging to CloudWatch Logs).
	Logging: {
		{Action: "logs:CreateLogDelivery"},
		{Action: "logs:DeleteLogDelivery"},
		{Action: "logs:DescribeLogGroups"},
		{Action: "logs:DescribeResourcePolicies"},
		{Action: "logs:GetLogDelivery"},
		{Action: "logs:ListLogDeliveries"},
		{Action: "logs:PutResourcePolicy"},
		{Action: "logs:UpdateLogDelivery"},
	},
	// Source: Step Functions Developer Guide, Trace Step Functions request
	// data in AWS X-Ray (the AWSXRayDaemonWriteAccess actions).
	Tracing: {
		{Action: "xray:GetSamplingRules"},
		{Action: "xray:GetSamplingTargets"},
		{Action: "xray:PutTelemetryRecords"},
		{Action: "xray:PutTraceSegments"},
	},
	// Source: Step Functions Developer Guide, Accessing resources in other
	// AWS accounts (the execution role assumes the Task's role; Credentials
	// carries only a RoleArn, so no external ID or session tags are sent).
	TaskCredentials: {
		{Action: "sts:AssumeRole", Why: "the role named in the Task's Credentials must also trust the execution role (see RoleTrust)"},
	},
}
