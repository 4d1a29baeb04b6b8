package asl

import (
	"regexp"
	"strings"
	"unicode"
)

// Error names raised by Step Functions itself.
//
// ErrAll does not match ErrRuntime or ErrDataLimitExceeded: a JSONPath that
// does not resolve (States.Runtime) fails the execution whatever the Catch.
// ErrTaskFailed matches every task error except ErrTimeout.
const (
	ErrAll                             = "States.ALL"
	ErrTaskFailed                      = "States.TaskFailed"
	ErrTimeout                         = "States.Timeout"
	ErrHeartbeatTimeout                = "States.HeartbeatTimeout"
	ErrRuntime                         = "States.Runtime"
	ErrPermissions                     = "States.Permissions"
	ErrDataLimitExceeded               = "States.DataLimitExceeded"
	ErrResultPathMatchFailure          = "States.ResultPathMatchFailure"
	ErrParameterPathFailure            = "States.ParameterPathFailure"
	ErrIntrinsicFailure                = "States.IntrinsicFailure"
	ErrBranchFailed                    = "States.BranchFailed"
	ErrNoChoiceMatched                 = "States.NoChoiceMatched"
	ErrExceedToleratedFailureThreshold = "States.ExceedToleratedFailureThreshold"
)

// Error names refreshgen's own workflows raise from Fail states.
const (
	// ErrPollTimeout: a PollLoop ran out of attempts.
	ErrPollTimeout = "Refresh.PollTimeout"
)

// Errors of the optimized lambda:invoke and dynamodb integrations. They
// are not derived by SDKError (AWSLambdaException keeps its acronym); AWS
// recommends retrying the first four on every Lambda task.
const (
	ErrLambdaServiceException     = "Lambda.ServiceException"
	ErrLambdaAWSLambdaException   = "Lambda.AWSLambdaException"
	ErrLambdaSdkClientException   = "Lambda.SdkClientException"
	ErrLambdaTooManyRequests      = "Lambda.TooManyRequestsException"
	ErrLambdaUnknown              = "Lambda.Unknown" // unhandled: timeout, out of memory
	ErrLambdaResourceNotFound     = "Lambda.ResourceNotFoundException"
	ErrDynamoDBThroughputExceeded = "DynamoDB.ProvisionedThroughputExceededException"
)

// aws-sdk integration errors the refresh workflows handle, as SDKError
// derives them from the service's API model (errors_test.go checks each).
const (
	ErrRdsDbClusterNotFound                 = "Rds.DbClusterNotFoundException"
	ErrRdsDbClusterAlreadyExists            = "Rds.DbClusterAlreadyExistsException"
	ErrRdsDbClusterSnapshotNotFound         = "Rds.DbClusterSnapshotNotFoundException"
	ErrRdsDbClusterSnapshotAlreadyExists    = "Rds.DbClusterSnapshotAlreadyExistsException"
	ErrRdsInvalidDbClusterState             = "Rds.InvalidDbClusterStateException"
	ErrRdsInvalidDbClusterSnapshotState     = "Rds.InvalidDbClusterSnapshotStateException"
	ErrRdsDbClusterQuotaExceeded            = "Rds.DbClusterQuotaExceededException"
	ErrRdsDbClusterRoleAlreadyExists        = "Rds.DbClusterRoleAlreadyExistsException"
	ErrRdsDbInstanceNotFound                = "Rds.DbInstanceNotFoundException"
	ErrRdsDbInstanceAlreadyExists           = "Rds.DbInstanceAlreadyExistsException"
	ErrRdsInvalidDbInstanceState            = "Rds.InvalidDbInstanceStateException"
	ErrRdsSnapshotQuotaExceeded             = "Rds.SnapshotQuotaExceededException"
	ErrRdsSharedSnapshotQuotaExceeded       = "Rds.SharedSnapshotQuotaExceededException"
	ErrRdsStorageQuotaExceeded              = "Rds.StorageQuotaExceededException"
	ErrRdsInsufficientDbClusterCapacity     = "Rds.InsufficientDbClusterCapacityException"
	ErrRdsKmsKeyNotAccessible               = "Rds.KmsKeyNotAccessibleException"
	ErrEfsFileSystemNotFound                = "Efs.FileSystemNotFoundException"
	ErrEfsFileSystemAlreadyExists           = "Efs.FileSystemAlreadyExistsException"
	ErrEfsFileSystemInUse                   = "Efs.FileSystemInUseException"
	ErrEfsAccessPointNotFound               = "Efs.AccessPointNotFoundException"
	ErrEfsAccessPointAlreadyExists          = "Efs.AccessPointAlreadyExistsException"
	ErrEfsReplicationNotFound               = "Efs.ReplicationNotFoundException"
	ErrEfsIncorrectFileSystemLifeCycleState = "Efs.IncorrectFileSystemLifeCycleStateException"
	ErrEfsMountTargetNotFound               = "Efs.MountTargetNotFoundException"
	ErrEfsMountTargetConflict               = "Efs.MountTargetConflictException"
	ErrEfsIncorrectMountTargetState         = "Efs.IncorrectMountTargetStateException"
	ErrBackupResourceNotFound               = "Backup.ResourceNotFoundException"
	ErrBackupInvalidRequest                 = "Backup.InvalidRequestException"
	ErrBackupInvalidParameterValue          = "Backup.InvalidParameterValueException"
	ErrBackupMissingParameterValue          = "Backup.MissingParameterValueException"
	ErrBackupServiceUnavailable             = "Backup.ServiceUnavailableException"
	ErrSsmParameterNotFound                 = "Ssm.ParameterNotFoundException"
	ErrSsmParameterAlreadyExists            = "Ssm.ParameterAlreadyExistsException"
	ErrSecretsManagerResourceNotFound       = "SecretsManager.ResourceNotFoundException"
	ErrSecretsManagerResourceExists         = "SecretsManager.ResourceExistsException"
	ErrKmsNotFound                          = "Kms.NotFoundException"
	ErrKmsAlreadyExists                     = "Kms.AlreadyExistsException"
	ErrEksResourceNotFound                  = "Eks.ResourceNotFoundException"
	ErrS3NoSuchKey                          = "S3.NoSuchKeyException"
)

// SDKError returns the error name an aws-sdk integration raises for the
// error shape shape of the service whose API-model serviceId is serviceID
// ("RDS", "EFS", "Secrets Manager", "DynamoDB"...).
//
// Step Functions names these errors after the AWS SDK for Java 2.x
// exception classes: service and error are PascalCased word by word
// ("DB" -> "Db", "Secrets Manager" -> "SecretsManager"), a "Fault" suffix
// becomes "Exception", and "Exception" is appended when missing. So RDS's
// DBClusterNotFoundFault surfaces as "Rds.DbClusterNotFoundException" and
// S3's BucketAlreadyExists as "S3.BucketAlreadyExistsException".
func SDKError(serviceID, shape string) string {
	var name string
	switch {
	case strings.HasSuffix(shape, "Fault"):
		name = pascalCase(strings.TrimSuffix(shape, "Fault")) + "Exception"
	case strings.HasSuffix(shape, "Exception"):
		name = pascalCase(shape)
	default:
		name = pascalCase(shape) + "Exception"
	}
	return pascalCase(serviceID) + "." + name
}

// ServiceID is the API-model service ID of a service refreshgen calls
// through aws-sdk integrations ("rds" -> "RDS"), from which Step Functions
// names its errors (SDKError); "" for any other service.
func ServiceID(service string) string { return serviceIDs[service] }

var serviceIDs = map[string]string{
	"autoscaling": "Auto Scaling", "backup": "Backup", "cloudwatch": "CloudWatch", "dynamodb": "DynamoDB",
	"efs": "EFS", "eks": "EKS", "eventbridge": "EventBridge", "kms": "KMS", "lambda": "Lambda", "ram": "RAM",
	"rds": "RDS", "resourcegroupstaggingapi": "Resource Groups Tagging API", "s3": "S3",
	"secretsmanager": "Secrets Manager", "sfn": "SFN", "sns": "SNS", "ssm": "SSM",
}

// SDKServiceException returns the name of the service's base exception,
// which the Java SDK raises for errors its model does not list, such as
// RDS throttling ("Rds.RdsException"). Unconfirmed in a sandbox account.
func SDKServiceException(serviceID string) string {
	service := pascalCase(serviceID)
	return service + "." + service + "Exception"
}

// The word splitting of the Java SDK 2.x code generator
// (CodegenNamingUtils.splitOnWordBoundaries), step by step.
var (
	nonAlphanumeric = regexp.MustCompile(`[^A-Za-z0-9]+`)
	upperVersion    = regexp.MustCompile(`([^a-z]{2,})v([0-9]+)`)
	lowerVersion    = regexp.MustCompile(`([^A-Z]{2,})V([0-9]+)`)
	acronymEnd      = regexp.MustCompile(`([A-Z]+)([A-Z][a-z])`)
	digitLetter     = regexp.MustCompile(`([0-9])([a-zA-Z])`)
)

// pascalCase lower-cases every word and capitalises its first letter.
func pascalCase(s string) string {
	var b strings.Builder
	for _, w := range splitWords(s) {
		r := []rune(strings.ToLower(w))
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	return b.String()
}

func splitWords(s string) []string {
	s = nonAlphanumeric.ReplaceAllString(s, " ")
	s = upperVersion.ReplaceAllString(s, "$1 v$2 ")
	s = lowerVersion.ReplaceAllString(s, "$1 V$2 ")
	s = splitCamel(s)
	s = acronymEnd.ReplaceAllString(s, "$1 $2")
	s = digitLetter.ReplaceAllString(s, "$1 $2")
	return strings.Fields(s)
}

// splitCamel puts a space before an upper-case letter that follows a
// lower-case one and precedes a letter or digit: the Java lookaround
// (?<=[a-z])(?=[A-Z]([a-zA-Z]|[0-9])), which Go's regexp cannot express.
func splitCamel(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if i > 0 && i+1 < len(s) && isLower(s[i-1]) && isUpper(s[i]) && isAlnum(s[i+1]) {
			b.WriteByte(' ')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isLower(c byte) bool { return 'a' <= c && c <= 'z' }
func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }
func isAlnum(c byte) bool { return isLower(c) || isUpper(c) || '0' <= c && c <= '9' }
