package iam_test

import (
	"strings"

	"github.com/refreshgen/refreshgen/iam"
)

// The accounts of the test estate: shared services (the orchestrator),
// production (the source) and a non-production destination.
const (
	sharedAccount = "111111111111"
	sourceAccount = "222222222222"
	otherAccount  = "333333333333"
)

var loc = iam.Location{Partition: "aws", Region: "eu-west-1", Account: sourceAccount}

// sampleNames gives each resource type a realistic name, the part its ARN
// pattern leaves to the caller.
var sampleNames = map[iam.ResourceType]string{
	iam.RDSCluster:               "refresh-db",
	iam.RDSClusterSnapshot:       "refresh-db-snap",
	iam.RDSInstance:              "refresh-db-1",
	iam.RDSClusterParameterGroup: "default.aurora-mysql8.0",
	iam.RDSParameterGroup:        "default.aurora-mysql8.0",
	iam.RDSOptionGroup:           "default:aurora-mysql-8-0",
	iam.RDSSubnetGroup:           "refresh",
	iam.KMSKey:                   "1234abcd-12ab-34cd-56ef-1234567890ab",
	iam.EFSFileSystem:            "fs-0123456789abcdef0",
	iam.EFSAccessPoint:           "fsap-0123456789abcdef0",
	iam.LambdaFunction:           "refresh-check-flag-file",
	iam.Secret:                   "refresh/db",
	iam.BackupRecoveryPoint:      "1eb3b5e7-9eb0-435a-b38c-5e2a6c0a1f3e",
	iam.BackupVault:              "staging-vault",
	iam.EKSCluster:               "apps",
	iam.EKSNodegroup:             "apps/workers",
	iam.AutoScalingGroup:         "eks-workers",
	iam.SSMParameter:             "refresh/efs/subpath",
	iam.S3Bucket:                 "refresh-config",
	iam.S3Object:                 "refresh-config/refresh.json",
	iam.IAMRole:                  "refresh-service",
	iam.StateMachine:             "refresh-db",
	iam.StateMachineExecution:    "refresh-db",
	iam.EventsRule:               "refresh",
	iam.EventBus:                 "default",
	iam.SNSTopic:                 "refresh-notify",
	iam.DynamoDBTable:            "refresh-runs",
	iam.EC2Subnet:                "subnet-0123456789abcdef0",
	iam.EC2SecurityGroup:         "sg-0123456789abcdef0",
	iam.EC2NetworkInterface:      "eni-0123456789abcdef0",
	iam.RAMResourceShare:         "7ab63972-b505-7e2a-420d-6f5d3EXAMPLE",
	iam.RAMShareInvitation:       "9d4c2c35-6a40-4e8f-8c7b-3EXAMPLE0001",
}

// sampleARN is the ARN pattern of a sample resource of type t.
func sampleARN(t iam.ResourceType) string {
	return t.ARN(loc, sampleNames[t])
}

// concrete turns an ARN pattern into one resource it matches, as a
// simulated request names a single resource.
func concrete(arn string) string {
	return strings.NewReplacer("*", "x1", "?", "a").Replace(arn)
}
