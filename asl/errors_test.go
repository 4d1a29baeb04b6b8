package asl_test

import (
	"testing"

	"github.com/refreshgen/refreshgen/asl"
)

func TestSDKError(t *testing.T) {
	tests := []struct{ service, shape, want string }{
		// From the AWS documentation of aws-sdk integrations.
		{"S3", "BucketAlreadyExists", "S3.BucketAlreadyExistsException"},
		{"ACM PCA", "ResourceNotFoundException", "AcmPca.ResourceNotFoundException"},
		// Names the seed workflows already used in their canonical form.
		{"RDS", "DBClusterNotFoundFault", asl.ErrRdsDbClusterNotFound},
		{"RDS", "DBInstanceNotFound", asl.ErrRdsDbInstanceNotFound},
		{"EFS", "FileSystemInUse", asl.ErrEfsFileSystemInUse},
		{"SSM", "ParameterNotFound", asl.ErrSsmParameterNotFound},
		{"Secrets Manager", "ResourceNotFoundException", asl.ErrSecretsManagerResourceNotFound},
		{"KMS", "AlreadyExistsException", asl.ErrKmsAlreadyExists},
		// Every constant, from its API-model shape name.
		{"RDS", "DBClusterAlreadyExistsFault", asl.ErrRdsDbClusterAlreadyExists},
		{"RDS", "DBClusterSnapshotNotFoundFault", asl.ErrRdsDbClusterSnapshotNotFound},
		{"RDS", "DBClusterSnapshotAlreadyExistsFault", asl.ErrRdsDbClusterSnapshotAlreadyExists},
		{"RDS", "InvalidDBClusterStateFault", asl.ErrRdsInvalidDbClusterState},
		{"RDS", "InvalidDBClusterSnapshotStateFault", asl.ErrRdsInvalidDbClusterSnapshotState},
		{"RDS", "DBClusterQuotaExceededFault", asl.ErrRdsDbClusterQuotaExceeded},
		{"RDS", "DBClusterRoleAlreadyExistsFault", asl.ErrRdsDbClusterRoleAlreadyExists},
		{"RDS", "DBInstanceNotFoundFault", asl.ErrRdsDbInstanceNotFound},
		{"RDS", "DBInstanceAlreadyExistsFault", asl.ErrRdsDbInstanceAlreadyExists},
		{"RDS", "InvalidDBInstanceStateFault", asl.ErrRdsInvalidDbInstanceState},
		{"RDS", "SnapshotQuotaExceededFault", asl.ErrRdsSnapshotQuotaExceeded},
		{"RDS", "SharedSnapshotQuotaExceededFault", asl.ErrRdsSharedSnapshotQuotaExceeded},
		{"RDS", "StorageQuotaExceededFault", asl.ErrRdsStorageQuotaExceeded},
		{"RDS", "InsufficientDBClusterCapacityFault", asl.ErrRdsInsufficientDbClusterCapacity},
		{"RDS", "KMSKeyNotAccessibleFault", asl.ErrRdsKmsKeyNotAccessible},
		{"EFS", "FileSystemNotFound", asl.ErrEfsFileSystemNotFound},
		{"EFS", "FileSystemAlreadyExists", asl.ErrEfsFileSystemAlreadyExists},
		{"EFS", "AccessPointNotFound", asl.ErrEfsAccessPointNotFound},
		{"EFS", "AccessPointAlreadyExists", asl.ErrEfsAccessPointAlreadyExists},
		{"EFS", "ReplicationNotFound", asl.ErrEfsReplicationNotFound},
		{"EFS", "IncorrectFileSystemLifeCycleState", asl.ErrEfsIncorrectFileSystemLifeCycleState},
		{"EFS", "MountTargetNotFound", asl.ErrEfsMountTargetNotFound},
		{"EFS", "MountTargetConflict", asl.ErrEfsMountTargetConflict},
		{"EFS", "IncorrectMountTargetState", asl.ErrEfsIncorrectMountTargetState},
		{"Backup", "ResourceNotFoundException", asl.ErrBackupResourceNotFound},
		{"Backup", "InvalidRequestException", asl.ErrBackupInvalidRequest},
		{"Backup", "InvalidParameterValueException", asl.ErrBackupInvalidParameterValue},
		{"Backup", "MissingParameterValueException", asl.ErrBackupMissingParameterValue},
		{"Backup", "ServiceUnavailableException", asl.ErrBackupServiceUnavailable},
		{"SSM", "ParameterAlreadyExists", asl.ErrSsmParameterAlreadyExists},
		{"Secrets Manager", "ResourceExistsException", asl.ErrSecretsManagerResourceExists},
		{"KMS", "NotFoundException", asl.ErrKmsNotFound},
		{"EKS", "ResourceNotFoundException", asl.ErrEksResourceNotFound},
		{"S3", "NoSuchKey", asl.ErrS3NoSuchKey},
		{"Lambda", "TooManyRequestsException", asl.ErrLambdaTooManyRequests},
		{"Lambda", "ServiceException", asl.ErrLambdaServiceException},
		// Word splitting corners of the Java SDK naming rules.
		{"DynamoDB", "ProvisionedThroughputExceededException", "DynamoDb.ProvisionedThroughputExceededException"},
		{"EC2", "InvalidInstanceID.NotFound", "Ec2.InvalidInstanceIdNotFoundException"},
		{"SFN", "ExecutionAlreadyExists", "Sfn.ExecutionAlreadyExistsException"},
		{"IoT", "S3ec2Fault", "Iot.S3Ec2Exception"},
	}
	for _, tt := range tests {
		if got := asl.SDKError(tt.service, tt.shape); got != tt.want {
			t.Errorf("SDKError(%q, %q) = %q, want %q", tt.service, tt.shape, got, tt.want)
		}
	}
}

func TestSDKServiceException(t *testing.T) {
	if got := asl.SDKServiceException("Secrets Manager"); got != "SecretsManager.SecretsManagerException" {
		t.Errorf("got %q", got)
	}
}
