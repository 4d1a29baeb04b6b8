package iam

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
)

// Location is where a resource lives. Every part is explicit: the
// partition is never assumed to be "aws", nor the region to be "*".
type Location struct {
	Partition string // "aws", "aws-cn", "aws-us-gov", ...
	Region    string // "eu-west-1"
	Account   string // 12 digits
}

// expand fills the ${Partition}, ${Region} and ${Account} placeholders of
// an ARN pattern or condition value.
func (l Location) expand(s string) string {
	if !strings.Contains(s, "${") {
		return s
	}
	s = strings.ReplaceAll(s, "${Partition}", l.Partition)
	s = strings.ReplaceAll(s, "${Region}", l.Region)
	return strings.ReplaceAll(s, "${Account}", l.Account)
}

// ResourceType is an IAM resource type, "service:type" as the Service
// Authorization Reference (SAR) names it, e.g. "rds:cluster".
type ResourceType string

// The resource types refresh workflows authorise against.
const (
	RDSCluster               ResourceType = "rds:cluster"
	RDSClusterSnapshot       ResourceType = "rds:cluster-snapshot"
	RDSInstance              ResourceType = "rds:db"
	RDSClusterParameterGroup ResourceType = "rds:cluster-pg"
	RDSParameterGroup        ResourceType = "rds:pg"
	RDSOptionGroup           ResourceType = "rds:og"
	RDSSubnetGroup           ResourceType = "rds:subgrp"
	KMSKey                   ResourceType = "kms:key"
	EFSFileSystem            ResourceType = "elasticfilesystem:file-system"
	EFSAccessPoint           ResourceType = "elasticfilesystem:access-point"
	LambdaFunction           ResourceType = "lambda:function"
	Secret                   ResourceType = "secretsmanager:Secret"
	BackupRecoveryPoint      ResourceType = "backup:recoveryPoint"
	BackupVault              ResourceType = "backup:backupVault"
	EKSCluster               ResourceType = "eks:cluster"
	EKSNodegroup             ResourceType = "eks:nodegroup"
	AutoScalingGroup         ResourceType = "autoscaling:autoScalingGroup"
	SSMParameter             ResourceType = "ssm:parameter"
	S3Bucket                 ResourceType = "s3:bucket"
	S3Object                 ResourceType = "s3:object"
	IAMRole                  ResourceType = "iam:role"
	StateMachine             ResourceType = "states:stateMachine"
	StateMachineExecution    ResourceType = "states:execution"
	EventsRule               ResourceType = "events:rule"
	EventBus                 ResourceType = "events:event-bus"
	SNSTopic                 ResourceType = "sns:topic"
	DynamoDBTable            ResourceType = "dynamodb:table"
	EC2Subnet                ResourceType = "ec2:subnet"
	EC2SecurityGroup         ResourceType = "ec2:security-group"
	EC2NetworkInterface      ResourceType = "ec2:network-interface"
	RAMResourceShare         ResourceType = "ram:resource-share"
	RAMShareInvitation       ResourceType = "ram:resource-share-invitation"
)

// arnPatterns holds the ARN of each resource type as in the SAR's
// "Resource types" tables, with ${Name} standing for the part the caller
// names. Where the SAR has parts the generator cannot know (an Auto
// Scaling group's id, a node group's or execution's generated suffix, a
// secret's random suffix) the pattern matches any value there, so that
// ${Name} stays the name the spec gives. Never modified.
var arnPatterns = map[ResourceType]string{
	RDSCluster:               "arn:${Partition}:rds:${Region}:${Account}:cluster:${Name}",
	RDSClusterSnapshot:       "arn:${Partition}:rds:${Region}:${Account}:cluster-snapshot:${Name}",
	RDSInstance:              "arn:${Partition}:rds:${Region}:${Account}:db:${Name}",
	RDSClusterParameterGroup: "arn:${Partition}:rds:${Region}:${Account}:cluster-pg:${Name}",
	RDSParameterGroup:        "arn:${Partition}:rds:${Region}:${Account}:pg:${Name}",
	RDSOptionGroup:           "arn:${Partition}:rds:${Region}:${Account}:og:${Name}",
	RDSSubnetGroup:           "arn:${Partition}:rds:${Region}:${Account}:subgrp:${Name}",
	KMSKey:                   "arn:${Partition}:kms:${Region}:${Account}:key/${Name}",
	EFSFileSystem:            "arn:${Partition}:elasticfilesystem:${Region}:${Account}:file-system/${Name}",
	EFSAccessPoint:           "arn:${Partition}:elasticfilesystem:${Region}:${Account}:access-point/${Name}",
	LambdaFunction:           "arn:${Partition}:lambda:${Region}:${Account}:function:${Name}",
	Secret:                   "arn:${Partition}:secretsmanager:${Region}:${Account}:secret:${Name}-??????",
	BackupRecoveryPoint:      "arn:${Partition}:backup:${Region}:${Account}:recovery-point:${Name}",
	BackupVault:              "arn:${Partition}:backup:${Region}:${Account}:backup-vault:${Name}",
	EKSCluster:               "arn:${Partition}:eks:${Region}:${Account}:cluster/${Name}",
	EKSNodegroup:             "arn:${Partition}:eks:${Region}:${Account}:nodegroup/${Name}/*",
	AutoScalingGroup:         "arn:${Partition}:autoscaling:${Region}:${Account}:autoScalingGroup:*:autoScalingGroupName/${Name}",
	SSMParameter:             "arn:${Partition}:ssm:${Region}:${Account}:parameter/${Name}",
	S3Bucket:                 "arn:${Partition}:s3:::${Name}",
	S3Object:                 "arn:${Partition}:s3:::${Name}",
	IAMRole:                  "arn:${Partition}:iam::${Account}:role/${Name}",
	StateMachine:             "arn:${Partition}:states:${Region}:${Account}:stateMachine:${Name}",
	StateMachineExecution:    "arn:${Partition}:states:${Region}:${Account}:execution:${Name}:*",
	EventsRule:               "arn:${Partition}:events:${Region}:${Account}:rule/${Name}",
	EventBus:                 "arn:${Partition}:events:${Region}:${Account}:event-bus/${Name}",
	SNSTopic:                 "arn:${Partition}:sns:${Region}:${Account}:${Name}",
	DynamoDBTable:            "arn:${Partition}:dynamodb:${Region}:${Account}:table/${Name}",
	EC2Subnet:                "arn:${Partition}:ec2:${Region}:${Account}:subnet/${Name}",
	EC2SecurityGroup:         "arn:${Partition}:ec2:${Region}:${Account}:security-group/${Name}",
	EC2NetworkInterface:      "arn:${Partition}:ec2:${Region}:${Account}:network-interface/${Name}",
	RAMResourceShare:         "arn:${Partition}:ram:${Region}:${Account}:resource-share/${Name}",
	RAMShareInvitation:       "arn:${Partition}:ram:${Region}:${Account}:resource-share-invitation/${Name}",
}

// ARN returns the ARN of the resource of type t named name at loc. The
// name is what follows the type in the ARN, and may be a pattern ("*",
// "refresh-*"). Some types take a compound name: "cluster/nodegroup" for
// EKSNodegroup, "bucket/key" for S3Object, the state machine's name for
// StateMachineExecution (all its executions), a parameter name without its
// leading "/" for SSMParameter. It panics on a type without a pattern,
// which only a conversion from an arbitrary string can produce.
func (t ResourceType) ARN(loc Location, name string) string {
	pattern, ok := arnPatterns[t]
	if !ok {
		panic(fmt.Sprintf("iam: resource type %q has no ARN pattern", t))
	}
	if !strings.Contains(name, "${") && !loc.hasPlaceholder() {
		return arnTemplates[t].fill(loc, name)
	}
	return loc.expand(strings.ReplaceAll(pattern, "${Name}", name))
}

func (l Location) hasPlaceholder() bool {
	return strings.Contains(l.Partition, "${") || strings.Contains(l.Region, "${") || strings.Contains(l.Account, "${")
}

// arnTemplate is an ARN pattern cut at its placeholders, so that an ARN is
// built in one allocation. fill gives what ARN's replacements give when
// neither the name nor the location holds a placeholder themselves.
type arnTemplate struct {
	literals []string // literals[i] comes before parts[i]; the last one ends the ARN
	parts    []string // "Partition", "Region", "Account" or "Name"
}

func (a arnTemplate) fill(loc Location, name string) string {
	value := func(part string) string {
		switch part {
		case "Partition":
			return loc.Partition
		case "Region":
			return loc.Region
		case "Account":
			return loc.Account
		}
		return name
	}
	n := 0
	for i, p := range a.parts {
		n += len(a.literals[i]) + len(value(p))
	}
	var b strings.Builder
	b.Grow(n + len(a.literals[len(a.parts)]))
	for i, p := range a.parts {
		b.WriteString(a.literals[i])
		b.WriteString(value(p))
	}
	b.WriteString(a.literals[len(a.parts)])
	return b.String()
}

// arnTemplates are arnPatterns cut into templates, built once. Never
// modified.
var arnTemplates = func() map[ResourceType]arnTemplate {
	out := make(map[ResourceType]arnTemplate, len(arnPatterns))
	for t, pattern := range arnPatterns {
		var a arnTemplate
		rest := pattern
		for {
			before, after, found := strings.Cut(rest, "${")
			if !found {
				break
			}
			part, tail, closed := strings.Cut(after, "}")
			if !closed || (part != "Partition" && part != "Region" && part != "Account" && part != "Name") {
				panic(fmt.Sprintf("iam: ARN pattern %q: unknown placeholder", pattern))
			}
			a.literals = append(a.literals, before)
			a.parts = append(a.parts, part)
			rest = tail
		}
		out[t] = arnTemplate{literals: append(a.literals, rest), parts: a.parts}
	}
	return out
}()

// Matches reports whether arn has the shape of t's ARNs, in any partition,
// region and account. iam-check cannot tell an ARN of the wrong type, or a
// string that is no ARN at all; this can.
func (t ResourceType) Matches(arn string) bool {
	re, ok := arnShapes[t]
	return ok && re.MatchString(arn)
}

// arnShapes are the compiled shapes of arnPatterns, built once: a
// generation checks thousands of ARNs. Never modified.
var arnShapes = func() map[ResourceType]*regexp.Regexp {
	out := make(map[ResourceType]*regexp.Regexp, len(arnPatterns))
	for t, pattern := range arnPatterns {
		re := strings.NewReplacer(
			`\$\{Partition\}`, `aws(-[a-z]+)*`,
			`\$\{Region\}`, `[a-z0-9*-]+`,
			`\$\{Account\}`, `([0-9]{12}|\*)`,
			`\$\{Name\}`, `.+`,
			`\*`, `[^:]*`,
			`\?`, `.`,
		).Replace(regexp.QuoteMeta(pattern))
		out[t] = regexp.MustCompile("^" + re + "$")
	}
	return out
}()

var roleARN = regexp.MustCompile(`^arn:(aws(?:-[a-z]+)*):iam::([0-9]{12}):role/[\w+=,.@/-]+$`)

// splitRoleARN returns the partition and account of an IAM role ARN.
func splitRoleARN(arn string) (partition, account string, err error) {
	m := roleARN.FindStringSubmatch(arn)
	if m == nil {
		return "", "", fmt.Errorf("iam: %q is not an IAM role ARN (arn:<partition>:iam::<account>:role/<name>)", arn)
	}
	return m[1], m[2], nil
}

// AccountOf is the account ID of an ARN; "" when s is not an ARN or names
// no account (an AWS managed policy's "aws", a global S3 bucket).
func AccountOf(s string) string {
	a, err := arn.Parse(s)
	if err != nil {
		return ""
	}
	return a.AccountID
}
