package awsmock

import (
	"maps"
	"slices"
)

// handlers is the model: the operations the World answers, by
// operation.key(), with the parameters each API takes (Java SDK v2 names,
// as Step Functions spells them). It is never changed after
// initialization.
var handlers = map[string]handler{
	// RDS: clusters
	"aws-sdk:rds:describeDBClusters": {(*World).describeDBClusters, []string{"DbClusterIdentifier", "Filters", "MaxRecords", "Marker", "IncludeShared"}},
	"aws-sdk:rds:restoreDBClusterFromSnapshot": {(*World).restoreDBClusterFromSnapshot, slices.Concat(newClusterParams, []string{
		"SnapshotIdentifier", "Engine", "EngineVersion", "EngineMode", "DatabaseName", "AvailabilityZones"})},
	"aws-sdk:rds:restoreDBClusterToPointInTime": {(*World).restoreDBClusterToPointInTime, slices.Concat(newClusterParams, []string{
		"SourceDBClusterIdentifier", "RestoreType", "UseLatestRestorableTime", "RestoreToTime", "SourceDbClusterResourceId", "EngineMode"})},
	"aws-sdk:rds:modifyDBCluster": {(*World).modifyDBCluster, []string{
		"DbClusterIdentifier", "NewDBClusterIdentifier", "ApplyImmediately", "BackupRetentionPeriod", "DbClusterParameterGroupName",
		"VpcSecurityGroupIds", "Port", "MasterUserPassword", "OptionGroupName", "PreferredBackupWindow", "PreferredMaintenanceWindow",
		"EnableIAMDatabaseAuthentication", "BacktrackWindow", "CloudwatchLogsExportConfiguration", "EngineVersion",
		"AllowMajorVersionUpgrade", "DbInstanceParameterGroupName", "Domain", "DomainIAMRoleName", "ScalingConfiguration",
		"DeletionProtection", "EnableHttpEndpoint", "CopyTagsToSnapshot", "EnableGlobalWriteForwarding", "DbClusterInstanceClass",
		"AllocatedStorage", "StorageType", "Iops", "AutoMinorVersionUpgrade", "MonitoringInterval", "MonitoringRoleArn",
		"DatabaseInsightsMode", "EnablePerformanceInsights", "PerformanceInsightsKMSKeyId", "PerformanceInsightsRetentionPeriod",
		"ServerlessV2ScalingConfiguration", "NetworkType", "ManageMasterUserPassword", "RotateMasterUserPassword",
		"MasterUserSecretKmsKeyId", "EngineMode", "AllowEngineModeChange", "EnableLocalWriteForwarding",
		"AwsBackupRecoveryPointArn", "EnableLimitlessDatabase", "CaCertificateIdentifier"}},
	"aws-sdk:rds:startDBCluster":     {(*World).startDBCluster, []string{"DbClusterIdentifier"}},
	"aws-sdk:rds:stopDBCluster":      {(*World).stopDBCluster, []string{"DbClusterIdentifier"}},
	"aws-sdk:rds:deleteDBCluster":    {(*World).deleteDBCluster, []string{"DbClusterIdentifier", "SkipFinalSnapshot", "FinalDBSnapshotIdentifier", "DeleteAutomatedBackups"}},
	"aws-sdk:rds:addRoleToDBCluster": {(*World).addRoleToDBCluster, []string{"DbClusterIdentifier", "RoleArn", "FeatureName"}},

	// RDS: instances
	"aws-sdk:rds:createDBInstance":    {(*World).createDBInstance, createInstanceParams},
	"aws-sdk:rds:describeDBInstances": {(*World).describeDBInstances, []string{"DbInstanceIdentifier", "Filters", "MaxRecords", "Marker"}},
	"aws-sdk:rds:modifyDBInstance": {(*World).modifyDBInstance, []string{
		"DbInstanceIdentifier", "NewDBInstanceIdentifier", "ApplyImmediately", "DbInstanceClass", "PromotionTier",
		"DbParameterGroupName", "CaCertificateIdentifier", "AutoMinorVersionUpgrade", "MonitoringInterval", "MonitoringRoleArn",
		"EnablePerformanceInsights", "PerformanceInsightsKMSKeyId", "PerformanceInsightsRetentionPeriod", "PubliclyAccessible",
		"PreferredMaintenanceWindow", "CopyTagsToSnapshot", "DeletionProtection"}},
	"aws-sdk:rds:deleteDBInstance": {(*World).deleteDBInstance, []string{"DbInstanceIdentifier", "SkipFinalSnapshot", "FinalDBSnapshotIdentifier", "DeleteAutomatedBackups"}},

	// RDS: snapshots and tags
	"aws-sdk:rds:describeDBClusterSnapshots": {(*World).describeDBClusterSnapshots, describeSnapshotsParams},
	"aws-sdk:rds:createDBClusterSnapshot":    {(*World).createDBClusterSnapshot, []string{"DbClusterSnapshotIdentifier", "DbClusterIdentifier", "Tags"}},
	"aws-sdk:rds:copyDBClusterSnapshot": {(*World).copyDBClusterSnapshot, []string{
		"SourceDBClusterSnapshotIdentifier", "TargetDBClusterSnapshotIdentifier", "KmsKeyId", "PreSignedUrl", "CopyTags", "Tags"}},
	"aws-sdk:rds:modifyDBClusterSnapshotAttribute":    {(*World).modifyDBClusterSnapshotAttribute, []string{"DbClusterSnapshotIdentifier", "AttributeName", "ValuesToAdd", "ValuesToRemove"}},
	"aws-sdk:rds:describeDBClusterSnapshotAttributes": {(*World).describeDBClusterSnapshotAttributes, []string{"DbClusterSnapshotIdentifier"}},
	"aws-sdk:rds:deleteDBClusterSnapshot":             {(*World).deleteDBClusterSnapshot, []string{"DbClusterSnapshotIdentifier"}},
	"aws-sdk:rds:addTagsToResource":                   {(*World).addTagsToResource, []string{"ResourceName", "Tags"}},
	"aws-sdk:rds:removeTagsFromResource":              {(*World).removeTagsFromResource, []string{"ResourceName", "TagKeys"}},
	"aws-sdk:rds:listTagsForResource":                 {(*World).listTagsForResource, []string{"ResourceName", "Filters"}},

	// KMS
	"aws-sdk:kms:createGrant": {(*World).createGrant, []string{"KeyId", "GranteePrincipal", "RetiringPrincipal", "Operations", "Constraints", "GrantTokens", "Name", "DryRun"}},
	"aws-sdk:kms:listGrants":  {(*World).listGrants, []string{"KeyId", "Limit", "Marker", "GrantId", "GranteePrincipal"}},
	"aws-sdk:kms:revokeGrant": {(*World).revokeGrant, []string{"KeyId", "GrantId", "DryRun"}},
	"aws-sdk:kms:retireGrant": {(*World).retireGrant, []string{"GrantToken", "KeyId", "GrantId", "DryRun"}},

	// AWS RAM
	"aws-sdk:ram:createResourceShare": {(*World).createResourceShare, []string{
		"Name", "ResourceArns", "Principals", "Tags", "AllowExternalPrincipals", "ClientToken", "PermissionArns", "Sources"}},
	"aws-sdk:ram:getResourceShareAssociations": {(*World).getResourceShareAssociations, []string{
		"AssociationType", "ResourceShareArns", "ResourceArn", "Principal", "AssociationStatus", "NextToken", "MaxResults"}},
	"aws-sdk:ram:getResourceShareInvitations":   {(*World).getResourceShareInvitations, []string{"ResourceShareInvitationArns", "ResourceShareArns", "NextToken", "MaxResults"}},
	"aws-sdk:ram:acceptResourceShareInvitation": {(*World).acceptResourceShareInvitation, []string{"ResourceShareInvitationArn", "ClientToken"}},
	"aws-sdk:ram:getResourceShares": {(*World).getResourceShares, []string{
		"ResourceShareArns", "ResourceShareStatus", "ResourceOwner", "Name", "TagFilters", "NextToken", "MaxResults",
		"PermissionArn", "PermissionVersion"}},
	"aws-sdk:ram:deleteResourceShare": {(*World).deleteResourceShare, []string{"ResourceShareArn", "ClientToken"}},

	// AWS Backup
	"aws-sdk:backup:listRecoveryPointsByBackupVault": {(*World).listRecoveryPointsByBackupVault, []string{
		"BackupVaultName", "BackupVaultAccountId", "NextToken", "MaxResults", "ByResourceArn", "ByResourceType", "ByBackupPlanId",
		"ByCreatedBefore", "ByCreatedAfter", "ByParentRecoveryPointArn"}},
	"aws-sdk:backup:startCopyJob": {(*World).startCopyJob, []string{
		"RecoveryPointArn", "SourceBackupVaultName", "DestinationBackupVaultArn", "IamRoleArn", "IdempotencyToken", "Lifecycle"}},
	"aws-sdk:backup:describeCopyJob": {(*World).describeCopyJob, []string{"CopyJobId"}},
	"aws-sdk:backup:startRestoreJob": {(*World).startRestoreJob, []string{
		"RecoveryPointArn", "Metadata", "IamRoleArn", "IdempotencyToken", "ResourceType", "CopySourceTagsToRestoredResource"}},
	"aws-sdk:backup:describeRestoreJob": {(*World).describeRestoreJob, []string{"RestoreJobId"}},

	// EFS
	"aws-sdk:efs:describeFileSystems": {(*World).describeFileSystems, []string{"MaxItems", "Marker", "CreationToken", "FileSystemId"}},
	"aws-sdk:efs:createFileSystem": {(*World).createFileSystem, []string{
		"CreationToken", "PerformanceMode", "Encrypted", "KmsKeyId", "ThroughputMode", "ProvisionedThroughputInMibps",
		"AvailabilityZoneName", "Backup", "Tags"}},
	"aws-sdk:efs:createMountTarget": {(*World).createMountTarget, []string{
		"FileSystemId", "SubnetId", "IpAddress", "IpAddressType", "Ipv6Address", "SecurityGroups"}},
	"aws-sdk:efs:describeMountTargets":              {(*World).describeMountTargets, []string{"MaxItems", "Marker", "FileSystemId", "MountTargetId", "AccessPointId"}},
	"aws-sdk:efs:deleteMountTarget":                 {(*World).deleteMountTarget, []string{"MountTargetId"}},
	"aws-sdk:efs:describeAccessPoints":              {(*World).describeAccessPoints, []string{"MaxResults", "NextToken", "AccessPointId", "FileSystemId"}},
	"aws-sdk:efs:deleteAccessPoint":                 {(*World).deleteAccessPoint, []string{"AccessPointId"}},
	"aws-sdk:efs:deleteFileSystem":                  {(*World).deleteFileSystem, []string{"FileSystemId"}},
	"aws-sdk:efs:tagResource":                       {(*World).efsTagResource, []string{"ResourceId", "Tags"}},
	"aws-sdk:efs:updateFileSystemProtection":        {(*World).updateFileSystemProtection, []string{"FileSystemId", "ReplicationOverwriteProtection"}},
	"aws-sdk:efs:createReplicationConfiguration":    {(*World).createReplicationConfiguration, []string{"SourceFileSystemId", "Destinations"}},
	"aws-sdk:efs:describeReplicationConfigurations": {(*World).describeReplicationConfigurations, []string{"FileSystemId", "NextToken", "MaxResults"}},
	"aws-sdk:efs:deleteReplicationConfiguration":    {(*World).deleteReplicationConfiguration, []string{"SourceFileSystemId", "DeletionMode"}},

	// EKS and Kubernetes
	"aws-sdk:eks:describeCluster":   {(*World).describeEKSCluster, []string{"Name"}},
	"aws-sdk:eks:describeNodegroup": {(*World).describeNodegroup, []string{"ClusterName", "NodegroupName"}},
	"aws-sdk:eks:updateNodegroupConfig": {(*World).updateNodegroupConfig, []string{
		"ClusterName", "NodegroupName", "Labels", "Taints", "ScalingConfig", "UpdateConfig", "NodeRepairConfig", "ClientRequestToken"}},
	"aws-sdk:eks:describeUpdate": {(*World).describeUpdate, []string{"Name", "UpdateId", "NodegroupName", "AddonName", "CapabilityName"}},
	"eks:call":                   {(*World).eksCall, []string{"ClusterName", "CertificateAuthority", "Endpoint", "Method", "Path", "QueryParameters", "RequestBody"}},
	"eks:runJob.sync":            {(*World).runJob, []string{"ClusterName", "CertificateAuthority", "Endpoint", "Namespace", "Job", "LogOptions"}},

	// Secrets Manager and SSM
	"aws-sdk:secretsmanager:describeSecret": {(*World).describeSecret, []string{"SecretId"}},
	"aws-sdk:secretsmanager:rotateSecret": {(*World).rotateSecret, []string{
		"SecretId", "ClientRequestToken", "RotationLambdaARN", "RotationRules", "RotateImmediately"}},
	"aws-sdk:ssm:putParameter": {(*World).putParameter, []string{
		"Name", "Description", "Value", "Type", "KeyId", "Overwrite", "AllowedPattern", "Tags", "Tier", "Policies", "DataType"}},
	"aws-sdk:ssm:getParameter": {(*World).getParameter, []string{"Name", "WithDecryption"}},

	// Lambda, SNS, DynamoDB (optimized integrations, and the aws-sdk forms
	// of the notification calls)
	"lambda:invoke":               {(*World).invoke, []string{"FunctionName", "Payload", "InvocationType", "LogType", "ClientContext", "Qualifier"}},
	"sns:publish":                 {(*World).publish, publishParams},
	"aws-sdk:sns:publish":         {(*World).publish, publishParams},
	"dynamodb:putItem":            {(*World).putItem, putItemParams},
	"dynamodb:getItem":            {(*World).getItem, getItemParams},
	"dynamodb:updateItem":         {(*World).updateItem, updateItemParams},
	"aws-sdk:dynamodb:putItem":    {(*World).putItem, putItemParams},
	"aws-sdk:dynamodb:getItem":    {(*World).getItem, getItemParams},
	"aws-sdk:dynamodb:updateItem": {(*World).updateItem, updateItemParams},

	// Resource Groups Tagging API
	"aws-sdk:resourcegroupstaggingapi:tagResources": {(*World).tagResources, []string{"ResourceARNList", "Tags"}},
}

var (
	publishParams = []string{"TopicArn", "TargetArn", "PhoneNumber", "Message", "Subject", "MessageStructure",
		"MessageAttributes", "MessageDeduplicationId", "MessageGroupId"}
	putItemParams = []string{"TableName", "Item", "Expected", "ReturnValues", "ReturnConsumedCapacity", "ReturnItemCollectionMetrics",
		"ConditionalOperator", "ConditionExpression", "ExpressionAttributeNames", "ExpressionAttributeValues", "ReturnValuesOnConditionCheckFailure"}
	getItemParams    = []string{"TableName", "Key", "AttributesToGet", "ConsistentRead", "ReturnConsumedCapacity", "ProjectionExpression", "ExpressionAttributeNames"}
	updateItemParams = []string{"TableName", "Key", "AttributeUpdates", "Expected", "ConditionalOperator", "ReturnValues", "ReturnConsumedCapacity",
		"ReturnItemCollectionMetrics", "UpdateExpression", "ConditionExpression", "ExpressionAttributeNames", "ExpressionAttributeValues",
		"ReturnValuesOnConditionCheckFailure"}
)

// Models lists the operations the World answers, sorted: service:action
// for the optimized integrations (lambda:invoke, eks:runJob.sync), and
// aws-sdk:service:action for the AWS SDK ones.
func Models() []string {
	return slices.Sorted(maps.Keys(handlers))
}
