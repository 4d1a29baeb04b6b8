package asl

import (
	"fmt"
	"regexp"
	"strings"
)

// Pattern is a service integration pattern, the suffix of the action.
type Pattern string

// Integration patterns.
const (
	// RequestResponse returns as soon as the service answers.
	RequestResponse Pattern = ""
	// Sync waits for the job to finish (e.g. eks:runJob.sync).
	Sync Pattern = ".sync"
	// Sync2 waits for a child execution and returns its output as JSON
	// (states:startExecution.sync:2).
	Sync2 Pattern = ".sync:2"
	// WaitForTaskToken waits until SendTaskSuccess/Failure with the token.
	WaitForTaskToken Pattern = ".waitForTaskToken"
)

// Integration is a Step Functions service integration: what a Task calls.
// It is kept typed so that IAM can be derived from it (Service and Action
// map to an IAM action) instead of from ARN strings.
type Integration struct {
	// SDK is true for "aws-sdk:<service>:<action>" integrations, false for
	// the optimized ones ("lambda:invoke", "states:startExecution", ...).
	SDK bool
	// Service is the service name as in the ARN, e.g. "rds", "states".
	Service string
	// Action is the API action in camelCase, e.g. "describeDBClusters".
	Action  string
	Pattern Pattern
}

// SDKCall returns the aws-sdk integration for service:action, e.g.
// SDKCall("rds", "describeDBClusters").
func SDKCall(service, action string) Integration {
	return Integration{SDK: true, Service: service, Action: action}
}

// StartExecution starts a child state machine; Sync2 waits for it.
func StartExecution(p Pattern) Integration {
	return Integration{Service: "states", Action: "startExecution", Pattern: p}
}

// LambdaInvoke invokes a Lambda function (optimized integration).
func LambdaInvoke() Integration { return Integration{Service: "lambda", Action: "invoke"} }

// SNSPublish publishes to an SNS topic.
func SNSPublish() Integration { return Integration{Service: "sns", Action: "publish"} }

// DynamoDBPutItem writes one DynamoDB item.
func DynamoDBPutItem() Integration { return Integration{Service: "dynamodb", Action: "putItem"} }

// EKSCall calls the Kubernetes API of an EKS cluster.
func EKSCall() Integration { return Integration{Service: "eks", Action: "call"} }

// EKSRunJob runs a Kubernetes Job; Sync waits for it to finish.
func EKSRunJob(p Pattern) Integration {
	return Integration{Service: "eks", Action: "runJob", Pattern: p}
}

// ARN returns the Task Resource for the integration in partition ("aws",
// "aws-cn", "aws-us-gov", ...): the partition is never assumed.
func (i Integration) ARN(partition string) string {
	service := i.Service
	if i.SDK {
		service = "aws-sdk:" + service
	}
	return "arn:" + partition + ":states:::" + service + ":" + i.Action + string(i.Pattern)
}

var partitionName = regexp.MustCompile(`^aws(-[a-z]+)*$`)

// ParseIntegration reads a service-integration Task Resource back into an
// Integration and its partition.
func ParseIntegration(arn string) (Integration, string, error) {
	var i Integration
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "states" || parts[3] != "" || parts[4] != "" {
		return i, "", fmt.Errorf("%q is not a service integration ARN (arn:<partition>:states:::<service>:<action>)", arn)
	}
	partition, rest := parts[1], parts[5]
	if !partitionName.MatchString(partition) {
		return i, "", fmt.Errorf("%q: bad partition %q", arn, partition)
	}
	rest, i.SDK = strings.CutPrefix(rest, "aws-sdk:")
	service, action, ok := strings.Cut(rest, ":")
	if !ok || service == "" || action == "" {
		return i, "", fmt.Errorf("%q: want <service>:<action>", arn)
	}
	i.Service, i.Action = service, action
	if dot := strings.IndexByte(action, '.'); dot >= 0 {
		i.Action, i.Pattern = action[:dot], Pattern(action[dot:])
	}
	switch {
	case i.Pattern != RequestResponse && i.Pattern != Sync && i.Pattern != Sync2 && i.Pattern != WaitForTaskToken:
		return i, "", fmt.Errorf("%q: unknown integration pattern %q", arn, i.Pattern)
	case i.SDK && (i.Pattern == Sync || i.Pattern == Sync2):
		return i, "", fmt.Errorf("%q: aws-sdk integrations have no %s pattern", arn, i.Pattern)
	}
	return i, partition, nil
}
