package iam

import "slices"

// Action is what the Service Authorization Reference (SAR) says about one
// IAM action, as far as refresh workflows use it.
type Action struct {
	// Name is the IAM action, e.g. "rds:RestoreDBClusterFromSnapshot".
	Name string
	// Required are the resource types a statement scoped to ARNs must name
	// an ARN of each (the SAR marks them with "*").
	Required []ResourceType
	// Optional are the resource types checked only when the request names
	// such a resource.
	Optional []ResourceType
	// Wildcard, when set, is why Resource "*" may be granted: the action
	// has no resource type at all, or it is a List/Describe call with only
	// optional types that, called without an identifier, lists everything.
	// A "*" anywhere else is a mistake.
	Wildcard string
	// Keys are the condition keys the SAR lists for the action that can
	// scope it, besides the global keys every request carries.
	Keys []string
}

// Types returns every resource type the action authorises against.
func (a Action) Types() []ResourceType {
	return slices.Concat(a.Required, a.Optional)
}

// LookupAction returns what the table knows of the IAM action name.
func LookupAction(name string) (Action, bool) {
	i, ok := actionIndex[name]
	if !ok {
		return Action{}, false
	}
	return actionTable[i].clone(), true
}

// actionIndex is the place of each action in actionTable (the first, if
// one were listed twice), built once. Never modified.
var actionIndex = func() map[string]int {
	out := make(map[string]int, len(actionTable))
	for i, a := range actionTable {
		if _, dup := out[a.Name]; !dup {
			out[a.Name] = i
		}
	}
	return out
}()

// Actions returns the whole action table, in table order.
func Actions() []Action {
	out := make([]Action, len(actionTable))
	for i, a := range actionTable {
		out[i] = a.clone()
	}
	return out
}

// clone copies a so that callers cannot change the table through it.
func (a Action) clone() Action {
	a.Required, a.Optional, a.Keys = slices.Clone(a.Required), slices.Clone(a.Optional), slices.Clone(a.Keys)
	return a
}

// Condition keys that recur in the table.
const (
	keyResourceTag = "aws:ResourceTag/${TagKey}"
	keyRequestTag  = "aws:RequestTag/${TagKey}"
	keyTagKeys     = "aws:TagKeys"
	keyViaService  = "kms:ViaService"
	keyCaller      = "kms:CallerAccount"
)

// Why Resource "*" is needed, for the reasons shared by several actions.
const (
	starNoTypes    = "the SAR lists no resource type for this action: it is authorised on * only"
	starDescribe   = "EC2 and Auto Scaling Describe calls support no resource-level permissions (SAR)"
	starLogs       = "vended log delivery has no resource type (SAR); Step Functions documents these actions on * (Step Functions Developer Guide, Logging using CloudWatch Logs)"
	starXRay       = "X-Ray trace and sampling calls have no resource type (SAR, AWS X-Ray); Step Functions documents them on * (Trace Step Functions request data in AWS X-Ray)"
	starCreates    = "the call creates the resource, so no ARN exists before it; scope it with request tags and the listed keys"
	starListRDS    = "without an identifier (a Filters or shared-snapshot listing) the call lists every resource and is authorised on *; with one, the ARN is enough"
	starListEFS    = "without a FileSystemId the call lists every file system and is authorised on *; with one, the file system ARN is enough"
	starBackupJobs = "AWS Backup authorises job and by-resource listings on * only (SAR: no resource type)"
)

// actionTable is the SAR, restricted to what refresh workflows call and
// the permissions those calls depend on. Never modified: LookupAction and
// Actions hand out copies.
var actionTable = []Action{
	// Amazon RDS. Source: SAR, "Actions, resources, and condition keys for
	// Amazon RDS" (resource types, required ones, condition keys).
	{Name: "rds:AddRoleToDBCluster", Required: []ResourceType{RDSCluster},
		Keys: []string{keyResourceTag, "rds:cluster-tag/${TagKey}"}},
	{Name: "rds:AddTagsToResource", Optional: []ResourceType{RDSCluster, RDSClusterSnapshot, RDSInstance},
		Keys: []string{keyRequestTag, keyTagKeys, keyResourceTag, "rds:req-tag/${TagKey}"}},
	{Name: "rds:CopyDBClusterSnapshot", Required: []ResourceType{RDSClusterSnapshot},
		Keys: []string{keyRequestTag, keyTagKeys, keyResourceTag, "rds:cluster-snapshot-tag/${TagKey}"}},
	{Name: "rds:CreateDBClusterSnapshot", Required: []ResourceType{RDSCluster, RDSClusterSnapshot},
		Keys: []string{keyRequestTag, keyTagKeys, keyResourceTag, "rds:cluster-tag/${TagKey}"}},
	{Name: "rds:CreateDBInstance", Required: []ResourceType{RDSInstance},
		Optional: []ResourceType{RDSCluster, RDSOptionGroup, RDSParameterGroup, RDSSubnetGroup},
		Keys:     []string{keyRequestTag, keyTagKeys, "rds:DatabaseClass", "rds:DatabaseEngine", "rds:cluster-tag/${TagKey}"}},
	{Name: "rds:DeleteDBCluster", Required: []ResourceType{RDSCluster, RDSClusterSnapshot},
		Keys: []string{keyResourceTag, "rds:cluster-tag/${TagKey}"}},
	{Name: "rds:DeleteDBClusterSnapshot", Required: []ResourceType{RDSClusterSnapshot},
		Keys: []string{keyResourceTag, "rds:cluster-snapshot-tag/${TagKey}"}},
	{Name: "rds:DeleteDBInstance", Required: []ResourceType{RDSInstance},
		Keys: []string{keyResourceTag, "rds:db-tag/${TagKey}"}},
	{Name: "rds:DescribeDBClusterSnapshotAttributes", Required: []ResourceType{RDSClusterSnapshot},
		Keys: []string{keyResourceTag, "rds:cluster-snapshot-tag/${TagKey}"}},
	{Name: "rds:DescribeDBClusterSnapshots", Optional: []ResourceType{RDSCluster, RDSClusterSnapshot}, Wildcard: starListRDS,
		Keys: []string{keyResourceTag, "rds:cluster-snapshot-tag/${TagKey}"}},
	{Name: "rds:DescribeDBClusters", Optional: []ResourceType{RDSCluster}, Wildcard: starListRDS,
		Keys: []string{keyResourceTag, "rds:cluster-tag/${TagKey}"}},
	{Name: "rds:DescribeDBInstances", Optional: []ResourceType{RDSInstance}, Wildcard: starListRDS,
		Keys: []string{keyResourceTag, "rds:db-tag/${TagKey}"}},
	{Name: "rds:ListTagsForResource", Optional: []ResourceType{RDSCluster, RDSClusterSnapshot, RDSInstance},
		Keys: []string{keyResourceTag}},
	{Name: "rds:ModifyDBCluster", Required: []ResourceType{RDSCluster},
		Optional: []ResourceType{RDSClusterParameterGroup, RDSOptionGroup},
		Keys:     []string{keyResourceTag, "rds:cluster-tag/${TagKey}", "rds:ManageMasterUserPassword"}},
	{Name: "rds:ModifyDBClusterParameterGroup", Required: []ResourceType{RDSClusterParameterGroup},
		Keys: []string{keyResourceTag, "rds:cluster-pg-tag/${TagKey}"}},
	{Name: "rds:ModifyDBClusterSnapshotAttribute", Required: []ResourceType{RDSClusterSnapshot},
		Keys: []string{keyResourceTag, "rds:cluster-snapshot-tag/${TagKey}"}},
	{Name: "rds:ModifyDBInstance", Required: []ResourceType{RDSInstance},
		Optional: []ResourceType{RDSOptionGroup, RDSParameterGroup, RDSSubnetGroup},
		Keys:     []string{keyResourceTag, "rds:db-tag/${TagKey}", "rds:DatabaseClass"}},
	{Name: "rds:RestoreDBClusterFromSnapshot",
		Required: []ResourceType{RDSCluster, RDSClusterParameterGroup, RDSOptionGroup, RDSSubnetGroup},
		Optional: []ResourceType{RDSClusterSnapshot},
		Keys:     []string{keyRequestTag, keyTagKeys, "rds:cluster-snapshot-tag/${TagKey}", "rds:DatabaseClass"}},
	{Name: "rds:RestoreDBClusterToPointInTime",
		Required: []ResourceType{RDSCluster, RDSClusterParameterGroup, RDSOptionGroup, RDSSubnetGroup},
		Keys:     []string{keyRequestTag, keyTagKeys, "rds:cluster-tag/${TagKey}", "rds:DatabaseClass"}},
	{Name: "rds:StartDBCluster", Required: []ResourceType{RDSCluster},
		Keys: []string{keyResourceTag, "rds:cluster-tag/${TagKey}"}},
	{Name: "rds:StopDBCluster", Required: []ResourceType{RDSCluster},
		Keys: []string{keyResourceTag, "rds:cluster-tag/${TagKey}"}},

	// AWS KMS. Source: SAR, "Actions, resources, and condition keys for
	// AWS Key Management Service"; the keys are those of the AWS KMS
	// Developer Guide, "AWS KMS condition keys".
	{Name: "kms:CreateGrant", Required: []ResourceType{KMSKey},
		Keys: []string{keyViaService, keyCaller, "kms:GranteePrincipal", "kms:GrantOperations", "kms:GrantIsForAWSResource", "kms:RetiringPrincipal"}},
	{Name: "kms:Decrypt", Required: []ResourceType{KMSKey}, Keys: []string{keyViaService, keyCaller, "kms:EncryptionContextKeys"}},
	{Name: "kms:DescribeKey", Required: []ResourceType{KMSKey}, Keys: []string{keyViaService, keyCaller}},
	{Name: "kms:Encrypt", Required: []ResourceType{KMSKey}, Keys: []string{keyViaService, keyCaller, "kms:EncryptionContextKeys"}},
	{Name: "kms:GenerateDataKey", Required: []ResourceType{KMSKey}, Keys: []string{keyViaService, keyCaller, "kms:EncryptionContextKeys"}},
	{Name: "kms:GenerateDataKeyWithoutPlaintext", Required: []ResourceType{KMSKey}, Keys: []string{keyViaService, keyCaller}},
	{Name: "kms:ListGrants", Required: []ResourceType{KMSKey}, Keys: []string{keyViaService, keyCaller, "kms:GrantIsForAWSResource"}},
	{Name: "kms:ReEncryptFrom", Required: []ResourceType{KMSKey}, Keys: []string{keyViaService, keyCaller, "kms:ReEncryptOnSameKey"}},
	{Name: "kms:ReEncryptTo", Required: []ResourceType{KMSKey}, Keys: []string{keyViaService, keyCaller, "kms:ReEncryptOnSameKey"}},
	{Name: "kms:RetireGrant", Required: []ResourceType{KMSKey}, Keys: []string{keyViaService, keyCaller}},
	{Name: "kms:RevokeGrant", Required: []ResourceType{KMSKey}, Keys: []string{keyViaService, keyCaller, "kms:GrantIsForAWSResource"}},

	// AWS RAM (Aurora cross-account clones). Source: SAR, "Actions,
	// resources, and condition keys for AWS Resource Access Manager".
	{Name: "ram:AcceptResourceShareInvitation", Required: []ResourceType{RAMShareInvitation},
		Keys: []string{"ram:ShareOwnerAccountId", "ram:ResourceShareName"}},
	{Name: "ram:AssociateResourceShare", Required: []ResourceType{RAMResourceShare},
		Keys: []string{keyResourceTag, "ram:Principal", "ram:ResourceArn", "ram:RequestedResourceType", "ram:ResourceShareName"}},
	{Name: "ram:CreateResourceShare", Wildcard: starCreates,
		Keys: []string{keyRequestTag, keyTagKeys, "ram:Principal", "ram:ResourceArn", "ram:RequestedResourceType", "ram:RequestedAllowsExternalPrincipals"}},
	{Name: "ram:DeleteResourceShare", Required: []ResourceType{RAMResourceShare},
		Keys: []string{keyResourceTag, "ram:ResourceShareName"}},
	{Name: "ram:GetResourceShareAssociations", Wildcard: starNoTypes},
	{Name: "ram:GetResourceShareInvitations", Wildcard: starNoTypes},
	{Name: "ram:GetResourceShares", Wildcard: starNoTypes},

	// AWS Backup. Source: SAR, "Actions, resources, and condition keys for
	// AWS Backup".
	{Name: "backup:DescribeCopyJob", Wildcard: starBackupJobs},
	{Name: "backup:DescribeRecoveryPoint", Required: []ResourceType{BackupRecoveryPoint}},
	{Name: "backup:DescribeRestoreJob", Wildcard: starBackupJobs},
	{Name: "backup:GetRecoveryPointRestoreMetadata", Required: []ResourceType{BackupRecoveryPoint}},
	{Name: "backup:ListRecoveryPointsByBackupVault", Required: []ResourceType{BackupVault}},
	{Name: "backup:ListRecoveryPointsByResource", Wildcard: starBackupJobs},
	{Name: "backup:StartCopyJob", Required: []ResourceType{BackupRecoveryPoint}},
	{Name: "backup:StartRestoreJob", Required: []ResourceType{BackupRecoveryPoint}},

	// Amazon EFS (IAM prefix elasticfilesystem). Source: SAR, "Actions,
	// resources, and condition keys for Amazon Elastic File System".
	{Name: "elasticfilesystem:CreateAccessPoint", Required: []ResourceType{EFSFileSystem},
		Keys: []string{keyRequestTag, keyTagKeys, keyResourceTag}},
	{Name: "elasticfilesystem:CreateFileSystem", Wildcard: starCreates,
		Keys: []string{keyRequestTag, keyTagKeys, "elasticfilesystem:Encrypted"}},
	{Name: "elasticfilesystem:CreateMountTarget", Required: []ResourceType{EFSFileSystem}, Keys: []string{keyResourceTag}},
	{Name: "elasticfilesystem:CreateReplicationConfiguration", Required: []ResourceType{EFSFileSystem}, Keys: []string{keyResourceTag}},
	{Name: "elasticfilesystem:DeleteAccessPoint", Required: []ResourceType{EFSAccessPoint}, Keys: []string{keyResourceTag}},
	{Name: "elasticfilesystem:DeleteFileSystem", Required: []ResourceType{EFSFileSystem}, Keys: []string{keyResourceTag}},
	{Name: "elasticfilesystem:DeleteMountTarget", Required: []ResourceType{EFSFileSystem}, Keys: []string{keyResourceTag}},
	{Name: "elasticfilesystem:DeleteReplicationConfiguration", Required: []ResourceType{EFSFileSystem}, Keys: []string{keyResourceTag}},
	{Name: "elasticfilesystem:DescribeAccessPoints", Optional: []ResourceType{EFSAccessPoint, EFSFileSystem},
		Keys: []string{keyResourceTag}},
	{Name: "elasticfilesystem:DescribeFileSystems", Optional: []ResourceType{EFSFileSystem}, Wildcard: starListEFS,
		Keys: []string{keyResourceTag}},
	{Name: "elasticfilesystem:DescribeMountTargets", Required: []ResourceType{EFSFileSystem},
		Optional: []ResourceType{EFSAccessPoint}, Keys: []string{keyResourceTag}},
	{Name: "elasticfilesystem:DescribeReplicationConfigurations", Optional: []ResourceType{EFSFileSystem}, Wildcard: starListEFS,
		Keys: []string{keyResourceTag}},
	{Name: "elasticfilesystem:DescribeTags", Required: []ResourceType{EFSFileSystem}, Keys: []string{keyResourceTag}},
	{Name: "elasticfilesystem:PutLifecycleConfiguration", Required: []ResourceType{EFSFileSystem}, Keys: []string{keyResourceTag}},
	{Name: "elasticfilesystem:TagResource", Optional: []ResourceType{EFSAccessPoint, EFSFileSystem},
		Keys: []string{keyRequestTag, keyTagKeys, keyResourceTag, "elasticfilesystem:CreateAction"}},
	{Name: "elasticfilesystem:UpdateFileSystemProtection", Required: []ResourceType{EFSFileSystem}, Keys: []string{keyResourceTag}},

	// Amazon EC2, for the network interfaces EFS mount targets and VPC
	// Lambdas use. Source: SAR, "Actions, resources, and condition keys for
	// Amazon EC2".
	{Name: "ec2:CreateNetworkInterface", Required: []ResourceType{EC2NetworkInterface, EC2Subnet},
		Optional: []ResourceType{EC2SecurityGroup}, Keys: []string{keyRequestTag, keyTagKeys, "ec2:Vpc", "ec2:Subnet"}},
	{Name: "ec2:DeleteNetworkInterface", Required: []ResourceType{EC2NetworkInterface}, Keys: []string{keyResourceTag, "ec2:Vpc"}},
	{Name: "ec2:DescribeNetworkInterfaces", Wildcard: starDescribe},
	{Name: "ec2:DescribeSecurityGroups", Wildcard: starDescribe},
	{Name: "ec2:DescribeSubnets", Wildcard: starDescribe},
	{Name: "ec2:DescribeVpcs", Wildcard: starDescribe},

	// AWS Lambda. Source: SAR, "Actions, resources, and condition keys for
	// AWS Lambda".
	{Name: "lambda:CreateFunction", Required: []ResourceType{LambdaFunction},
		Keys: []string{keyRequestTag, keyTagKeys, "lambda:VpcIds", "lambda:SubnetIds", "lambda:SecurityGroupIds", "lambda:Layer"}},
	{Name: "lambda:DeleteFunction", Required: []ResourceType{LambdaFunction}, Keys: []string{keyResourceTag}},
	{Name: "lambda:GetFunction", Required: []ResourceType{LambdaFunction}, Keys: []string{keyResourceTag}},
	{Name: "lambda:InvokeFunction", Required: []ResourceType{LambdaFunction}, Keys: []string{keyResourceTag}},
	{Name: "lambda:TagResource", Optional: []ResourceType{LambdaFunction}, Keys: []string{keyRequestTag, keyTagKeys, keyResourceTag}},
	{Name: "lambda:UpdateFunctionCode", Required: []ResourceType{LambdaFunction}, Keys: []string{keyResourceTag}},
	{Name: "lambda:UpdateFunctionConfiguration", Required: []ResourceType{LambdaFunction},
		Keys: []string{keyResourceTag, "lambda:VpcIds", "lambda:SubnetIds", "lambda:SecurityGroupIds", "lambda:Layer"}},

	// AWS Secrets Manager. Source: SAR, "Actions, resources, and condition
	// keys for AWS Secrets Manager".
	{Name: "secretsmanager:CreateSecret", Required: []ResourceType{Secret},
		Keys: []string{keyRequestTag, keyTagKeys, "secretsmanager:Name", "secretsmanager:KmsKeyArn"}},
	{Name: "secretsmanager:DescribeSecret", Required: []ResourceType{Secret}, Keys: []string{keyResourceTag, "secretsmanager:SecretId"}},
	{Name: "secretsmanager:GetSecretValue", Required: []ResourceType{Secret},
		Keys: []string{keyResourceTag, "secretsmanager:SecretId", "secretsmanager:VersionStage"}},
	{Name: "secretsmanager:PutSecretValue", Required: []ResourceType{Secret}, Keys: []string{keyResourceTag, "secretsmanager:SecretId"}},
	{Name: "secretsmanager:RotateSecret", Required: []ResourceType{Secret},
		Keys: []string{keyResourceTag, "secretsmanager:SecretId", "secretsmanager:RotationLambdaARN"}},
	{Name: "secretsmanager:TagResource", Required: []ResourceType{Secret}, Keys: []string{keyRequestTag, keyTagKeys, keyResourceTag}},
	{Name: "secretsmanager:UpdateSecret", Required: []ResourceType{Secret},
		Keys: []string{keyResourceTag, "secretsmanager:SecretId", "secretsmanager:KmsKeyArn"}},

	// AWS Systems Manager Parameter Store. Source: SAR, "Actions, resources,
	// and condition keys for AWS Systems Manager".
	{Name: "ssm:AddTagsToResource", Optional: []ResourceType{SSMParameter}, Keys: []string{keyRequestTag, keyTagKeys}},
	{Name: "ssm:GetParameter", Required: []ResourceType{SSMParameter}, Keys: []string{keyResourceTag}},
	{Name: "ssm:PutParameter", Required: []ResourceType{SSMParameter}, Keys: []string{keyRequestTag, keyTagKeys, "ssm:Overwrite"}},

	// Amazon EKS. Source: SAR, "Actions, resources, and condition keys for
	// Amazon Elastic Kubernetes Service".
	{Name: "eks:DescribeCluster", Required: []ResourceType{EKSCluster}, Keys: []string{keyResourceTag}},
	{Name: "eks:DescribeUpdate", Required: []ResourceType{EKSCluster}, Optional: []ResourceType{EKSNodegroup}},
	{Name: "eks:DescribeNodegroup", Required: []ResourceType{EKSNodegroup}, Keys: []string{keyResourceTag}},
	{Name: "eks:ListNodegroups", Required: []ResourceType{EKSCluster}, Keys: []string{keyResourceTag}},
	{Name: "eks:UpdateNodegroupConfig", Required: []ResourceType{EKSNodegroup}, Keys: []string{keyResourceTag}},

	// Amazon EC2 Auto Scaling. Source: SAR, "Actions, resources, and
	// condition keys for Amazon EC2 Auto Scaling".
	{Name: "autoscaling:DescribeAutoScalingGroups", Wildcard: starDescribe},
	{Name: "autoscaling:SetDesiredCapacity", Required: []ResourceType{AutoScalingGroup},
		Keys: []string{keyResourceTag, "autoscaling:ResourceTag/${TagKey}"}},
	{Name: "autoscaling:UpdateAutoScalingGroup", Required: []ResourceType{AutoScalingGroup},
		Keys: []string{keyResourceTag, "autoscaling:ResourceTag/${TagKey}", "autoscaling:MinSize", "autoscaling:MaxSize"}},

	// Amazon S3. Source: SAR, "Actions, resources, and condition keys for
	// Amazon S3".
	{Name: "s3:GetObject", Optional: []ResourceType{S3Object}, Keys: []string{"s3:ResourceAccount"}},
	{Name: "s3:ListBucket", Optional: []ResourceType{S3Bucket}, Keys: []string{"s3:ResourceAccount", "s3:prefix"}},

	// Resource Groups Tagging API (IAM prefix tag). Source: SAR, "Actions,
	// resources, and condition keys for Amazon Resource Group Tagging API".
	{Name: "tag:GetResources", Wildcard: starNoTypes},
	{Name: "tag:TagResources", Wildcard: starNoTypes},

	// Amazon CloudWatch. Source: SAR, "Actions, resources, and condition
	// keys for Amazon CloudWatch".
	{Name: "cloudwatch:GetMetricData", Wildcard: "metrics have no ARN; the only resource type of the call is for Metrics Insights datasets, which refresh does not read"},

	// IAM and AWS STS. Source: SAR, "Actions, resources, and condition keys
	// for AWS Identity and Access Management" and "... for AWS Security
	// Token Service".
	{Name: "iam:PassRole", Required: []ResourceType{IAMRole}, Keys: []string{"iam:PassedToService", "iam:AssociatedResourceArn"}},
	{Name: "sts:AssumeRole", Required: []ResourceType{IAMRole}, Keys: []string{keyResourceTag, "iam:ResourceTag/${TagKey}"}},

	// AWS Step Functions (IAM prefix states). Source: SAR, "Actions,
	// resources, and condition keys for AWS Step Functions".
	{Name: "states:DescribeExecution", Required: []ResourceType{StateMachineExecution}, Keys: []string{keyResourceTag}},
	{Name: "states:StartExecution", Required: []ResourceType{StateMachine}, Keys: []string{keyResourceTag}},
	{Name: "states:StopExecution", Required: []ResourceType{StateMachineExecution}, Keys: []string{keyResourceTag}},

	// Amazon EventBridge (IAM prefix events). Source: SAR, "Actions,
	// resources, and condition keys for Amazon EventBridge".
	{Name: "events:DescribeRule", Optional: []ResourceType{EventsRule}, Keys: []string{keyResourceTag, "events:creatorAccount"}},
	{Name: "events:PutEvents", Optional: []ResourceType{EventBus}, Keys: []string{keyResourceTag, "events:source", "events:detail-type"}},
	{Name: "events:PutRule", Optional: []ResourceType{EventsRule}, Keys: []string{keyRequestTag, keyTagKeys, "events:creatorAccount"}},
	{Name: "events:PutTargets", Optional: []ResourceType{EventsRule}, Keys: []string{keyResourceTag, "events:TargetArn", "events:creatorAccount"}},

	// Amazon SNS and DynamoDB, for notifications. Source: SAR, "Actions,
	// resources, and condition keys for Amazon SNS" and "... for Amazon
	// DynamoDB".
	{Name: "sns:Publish", Required: []ResourceType{SNSTopic}, Keys: []string{keyResourceTag}},
	{Name: "dynamodb:PutItem", Required: []ResourceType{DynamoDBTable}, Keys: []string{"dynamodb:LeadingKeys", "dynamodb:Attributes"}},

	// Amazon CloudWatch Logs, for state machine logging. Source: SAR,
	// "Actions, resources, and condition keys for Amazon CloudWatch Logs".
	{Name: "logs:CreateLogDelivery", Wildcard: starLogs},
	{Name: "logs:DeleteLogDelivery", Wildcard: starLogs},
	{Name: "logs:DescribeLogGroups", Wildcard: starLogs},
	{Name: "logs:DescribeResourcePolicies", Wildcard: starLogs},
	{Name: "logs:GetLogDelivery", Wildcard: starLogs},
	{Name: "logs:ListLogDeliveries", Wildcard: starLogs},
	{Name: "logs:PutResourcePolicy", Wildcard: starLogs},
	{Name: "logs:UpdateLogDelivery", Wildcard: starLogs},

	// AWS X-Ray, for state machine tracing. Source: SAR, "Actions,
	// resources, and condition keys for AWS X-Ray".
	{Name: "xray:GetSamplingRules", Wildcard: starXRay},
	{Name: "xray:GetSamplingTargets", Wildcard: starXRay},
	{Name: "xray:PutTelemetryRecords", Wildcard: starXRay},
	{Name: "xray:PutTraceSegments", Wildcard: starXRay},
}
