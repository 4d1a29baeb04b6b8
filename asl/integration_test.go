package asl_test

import (
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/asl"
)

func TestIntegrationARN(t *testing.T) {
	tests := []struct {
		integration asl.Integration
		partition   string
		want        string
	}{
		{asl.SDKCall("rds", "describeDBClusters"), "aws", "arn:aws:states:::aws-sdk:rds:describeDBClusters"},
		{asl.SDKCall("efs", "describeFileSystems"), "aws-cn", "arn:aws-cn:states:::aws-sdk:efs:describeFileSystems"},
		{asl.StartExecution(asl.Sync2), "aws", "arn:aws:states:::states:startExecution.sync:2"},
		{asl.StartExecution(asl.RequestResponse), "aws", "arn:aws:states:::states:startExecution"},
		{asl.LambdaInvoke(), "aws-us-gov", "arn:aws-us-gov:states:::lambda:invoke"},
		{asl.SNSPublish(), "aws", "arn:aws:states:::sns:publish"},
		{asl.DynamoDBPutItem(), "aws", "arn:aws:states:::dynamodb:putItem"},
		{asl.EKSCall(), "aws", "arn:aws:states:::eks:call"},
		{asl.EKSRunJob(asl.Sync), "aws", "arn:aws:states:::eks:runJob.sync"},
		{asl.Integration{Service: "lambda", Action: "invoke", Pattern: asl.WaitForTaskToken}, "aws", "arn:aws:states:::lambda:invoke.waitForTaskToken"},
	}
	for _, tt := range tests {
		arn := tt.integration.ARN(tt.partition)
		if arn != tt.want {
			t.Errorf("ARN = %q, want %q", arn, tt.want)
		}
		back, partition, err := asl.ParseIntegration(arn)
		if err != nil || back != tt.integration || partition != tt.partition {
			t.Errorf("ParseIntegration(%q) = %+v, %q, %v", arn, back, partition, err)
		}
	}
}

func TestParseIntegrationErrors(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:lambda:eu-west-1:123456789012:function:f":       "not a service integration ARN",
		"arn:AWS:states:::lambda:invoke":                         "bad partition",
		"arn:aws:states:::lambda":                                "want <service>:<action>",
		"arn:aws:states:::lambda:invoke.later":                   `unknown integration pattern ".later"`,
		"arn:aws:states:::aws-sdk:rds:describeDBClusters.sync:2": "aws-sdk integrations have no .sync:2 pattern",
	} {
		_, _, err := asl.ParseIntegration(arn)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: want an error containing %q, got %v", arn, want, err)
		}
	}
}
