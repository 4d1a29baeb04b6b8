package awsmock

import (
	"testing"
)

// The run history and the notification topic of the orchestrator account.
func TestNotify(t *testing.T) {
	h := newHarness(t, exampleSpec, Options{})
	topic := "arn:aws:sns:eu-west-1:000000000000:myapp-refresh-events"
	h.ok("", "sns:publish", map[string]any{"TopicArn": topic, "Subject": "refreshgen: staging SUCCEEDED", "Message": "done",
		"MessageAttributes": map[string]any{"status": map[string]any{"DataType": "String", "StringValue": "SUCCEEDED"}}})
	if m := h.w.Published(topic); len(m) != 1 || m[0].Attributes["status"] != "SUCCEEDED" {
		t.Errorf("published: %v", m)
	}
	h.fails("", "sns:publish", map[string]any{"TopicArn": topic, "Subject": "two\nlines", "Message": "x"}, "SNS.InvalidParameterException")
	h.fails("", "sns:publish", map[string]any{"TopicArn": topic + "-nope", "Message": "x"}, "SNS.NotFoundException")
	table := "myapp-refresh-history"
	h.ok("", "dynamodb:putItem", map[string]any{"TableName": table, "Item": map[string]any{"RunId": map[string]any{"S": "run-1"},
		"Status": map[string]any{"S": "RUNNING"}}})
	h.ok("", "dynamodb:updateItem", map[string]any{"TableName": table, "Key": map[string]any{"RunId": map[string]any{"S": "run-1"}},
		"UpdateExpression": "SET #s = :s", "ExpressionAttributeNames": map[string]any{"#s": "Status"},
		"ExpressionAttributeValues": map[string]any{":s": map[string]any{"S": "SUCCEEDED"}}})
	if item := h.w.Item("shared_services", table, "run-1"); get(item, "Status", "S") != "SUCCEEDED" {
		t.Errorf("item: %v", item)
	}
	h.fails("", "dynamodb:putItem", map[string]any{"TableName": table, "Item": map[string]any{"Status": map[string]any{"S": "x"}}}, "DynamoDB.AmazonDynamoDBException")
	h.fails("", "dynamodb:putItem", map[string]any{"TableName": "nope", "Item": map[string]any{}}, "DynamoDB.ResourceNotFoundException")
}
