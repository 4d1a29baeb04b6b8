package iam_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/iam"
)

func TestARN(t *testing.T) {
	gov := iam.Location{Partition: "aws-us-gov", Region: "us-gov-west-1", Account: "123456789012"}
	for _, tc := range []struct {
		t    iam.ResourceType
		loc  iam.Location
		name string
		want string
	}{
		{iam.RDSCluster, loc, "refresh-*", "arn:aws:rds:eu-west-1:222222222222:cluster:refresh-*"},
		{iam.RDSOptionGroup, loc, "default:aurora-mysql-8-0", "arn:aws:rds:eu-west-1:222222222222:og:default:aurora-mysql-8-0"},
		{iam.StateMachineExecution, loc, "refresh-db", "arn:aws:states:eu-west-1:222222222222:execution:refresh-db:*"},
		{iam.EKSNodegroup, loc, "apps/workers", "arn:aws:eks:eu-west-1:222222222222:nodegroup/apps/workers/*"},
		{iam.AutoScalingGroup, loc, "eks-workers", "arn:aws:autoscaling:eu-west-1:222222222222:autoScalingGroup:*:autoScalingGroupName/eks-workers"},
		{iam.Secret, loc, "refresh/db", "arn:aws:secretsmanager:eu-west-1:222222222222:secret:refresh/db-??????"},
		{iam.S3Object, loc, "bucket/config/*", "arn:aws:s3:::bucket/config/*"},
		{iam.IAMRole, gov, "refresh-backup", "arn:aws-us-gov:iam::123456789012:role/refresh-backup"},
		{iam.SSMParameter, gov, "refresh/efs/subpath", "arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/refresh/efs/subpath"},
	} {
		if got := tc.t.ARN(tc.loc, tc.name); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.t, got, tc.want)
		}
	}
}

// TestMatches checks that each type's sample ARN, as pattern and as a
// concrete resource, matches its type and no type of another service.
func TestMatches(t *testing.T) {
	types := slices.Sorted(maps.Keys(sampleNames))
	for _, rt := range types {
		for _, arn := range []string{sampleARN(rt), concrete(sampleARN(rt))} {
			if !rt.Matches(arn) {
				t.Errorf("%s does not match its own ARN %s", rt, arn)
			}
			for _, other := range types {
				if service(other) != service(rt) && other.Matches(arn) {
					t.Errorf("%s matches %s", other, arn)
				}
			}
		}
	}
	for _, bad := range []string{"refresh-db", "cluster:refresh-db", "arn:aws:rds:eu-west-1:222222222222:cluster-snapshot:x", "arn:aws:rds:eu-west-1:12:cluster:x"} {
		if iam.RDSCluster.Matches(bad) {
			t.Errorf("rds:cluster matches %q", bad)
		}
	}
	if !iam.RDSCluster.Matches("arn:aws-cn:rds:cn-north-1:123456789012:cluster:x") {
		t.Error("rds:cluster does not match an aws-cn cluster")
	}
}

func service(t iam.ResourceType) string {
	s, _, _ := strings.Cut(string(t), ":")
	return s
}

func TestARNPanicsOnUnknownType(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	iam.ResourceType("rds:nope").ARN(loc, "x")
}
