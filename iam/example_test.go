package iam_test

import (
	"fmt"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/iam"
)

// A destination role's policy for restoring a cluster from a production
// snapshot, with tags, encrypted with a customer managed key, then reading
// it back; and its trust in the orchestrator's role.
func Example() {
	dest := iam.Location{Partition: "aws", Region: "eu-west-1", Account: "444455556666"}
	prod := iam.Location{Partition: "aws", Region: "eu-west-1", Account: "222222222222"}
	cluster := iam.RDSCluster.ARN(dest, "staging-db")
	key := iam.KMSKey.ARN(dest, "1234abcd-12ab-34cd-56ef-1234567890ab")

	var b iam.Builder
	grant := func(call asl.Integration, i int, arns ...string) {
		needs, _ := iam.NeedsOf(call)
		st, err := needs[i].Statement(dest, arns...)
		if err != nil {
			panic(err)
		}
		b.Add(st)
	}
	restore := asl.SDKCall("rds", "restoreDBClusterFromSnapshot")
	grant(restore, 0, cluster, // rds:RestoreDBClusterFromSnapshot, on every type it requires
		iam.RDSClusterSnapshot.ARN(prod, "refresh-prod-db-*"),
		iam.RDSClusterParameterGroup.ARN(dest, "default.aurora-mysql8.0"),
		iam.RDSOptionGroup.ARN(dest, "default:aurora-mysql-8-0"),
		iam.RDSSubnetGroup.ARN(dest, "staging"))
	grant(restore, 1, cluster) // rds:AddTagsToResource: the call passes Tags
	grant(restore, 2, key)     // kms:CreateGrant through RDS
	grant(restore, 3, key)     // kms:DescribeKey through RDS
	grant(asl.SDKCall("rds", "describeDBClusters"), 0, cluster)

	policy, err := b.Policy()
	if err != nil {
		panic(err)
	}
	out, _ := policy.JSON()
	size, _ := policy.Size()
	fmt.Printf("%s%d of %d characters\n", out, size, iam.ManagedPolicyMaxSize)

	trust, _ := iam.RoleTrust(iam.Trusted{Role: "arn:aws:iam::111122223333:role/refresh-orchestrator"})
	out, _ = trust.JSON()
	fmt.Print(string(out))
	// Output:
	// {
	//   "Version": "2012-10-17",
	//   "Statement": [
	//     {
	//       "Sid": "KmsCreateDescribe",
	//       "Effect": "Allow",
	//       "Action": [
	//         "kms:CreateGrant",
	//         "kms:DescribeKey"
	//       ],
	//       "Resource": [
	//         "arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	//       ],
	//       "Condition": {
	//         "StringEquals": {
	//           "kms:ViaService": [
	//             "rds.eu-west-1.amazonaws.com"
	//           ]
	//         }
	//       }
	//     },
	//     {
	//       "Sid": "RdsAddDescribe",
	//       "Effect": "Allow",
	//       "Action": [
	//         "rds:AddTagsToResource",
	//         "rds:DescribeDBClusters"
	//       ],
	//       "Resource": [
	//         "arn:aws:rds:eu-west-1:444455556666:cluster:staging-db"
	//       ]
	//     },
	//     {
	//       "Sid": "RdsRestoreDBClusterFromSnapshot",
	//       "Effect": "Allow",
	//       "Action": [
	//         "rds:RestoreDBClusterFromSnapshot"
	//       ],
	//       "Resource": [
	//         "arn:aws:rds:eu-west-1:222222222222:cluster-snapshot:refresh-prod-db-*",
	//         "arn:aws:rds:eu-west-1:444455556666:cluster-pg:default.aurora-mysql8.0",
	//         "arn:aws:rds:eu-west-1:444455556666:cluster:staging-db",
	//         "arn:aws:rds:eu-west-1:444455556666:og:default:aurora-mysql-8-0",
	//         "arn:aws:rds:eu-west-1:444455556666:subgrp:staging"
	//       ]
	//     }
	//   ]
	// }
	// 907 of 6144 characters
	// {
	//   "Version": "2012-10-17",
	//   "Statement": [
	//     {
	//       "Sid": "StsAssumeRole",
	//       "Effect": "Allow",
	//       "Principal": {
	//         "AWS": [
	//           "arn:aws:iam::111122223333:root"
	//         ]
	//       },
	//       "Action": [
	//         "sts:AssumeRole"
	//       ],
	//       "Condition": {
	//         "ArnEquals": {
	//           "aws:PrincipalArn": [
	//             "arn:aws:iam::111122223333:role/refresh-orchestrator"
	//           ]
	//         }
	//       }
	//     }
	//   ]
	// }
}
