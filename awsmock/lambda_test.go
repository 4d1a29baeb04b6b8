package awsmock

import (
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/names"
)

// run-sql checks its event as the helper does and connects only to an
// available cluster of the account with an available instance.
func TestRunSQL(t *testing.T) {
	h := newHarness(t, exampleSpec, Options{})
	staging := h.role("staging")
	fn := h.w.names.FunctionARN(h.s.Account("staging"), names.FnRunSQL)
	secret := "arn:aws:secretsmanager:eu-west-1:222222222222:secret:app-user-AbCdEf"
	event := func(host string, extra map[string]any) map[string]any {
		e := map[string]any{"engine": "aurora-mysql", "secret_arn": secret, "host": host, "port": 3306, "mode": "transaction",
			"scripts": []any{map[string]any{"s3_bucket": "myapp-refresh-sql-222222222222", "s3_key": "sql/staging/app/01-anonymize.sql"}}}
		for k, v := range extra {
			e[k] = v
		}
		return map[string]any{"FunctionName": fn, "Payload": e}
	}
	host := h.w.endpoint(h.w.byID["222222222222"], "staging-app", "cluster")
	out := h.ok(staging, "lambda:invoke", event(host, nil))
	if get(out, "StatusCode") != jsonNumber(200) || get(out, "Payload", "statements_run") != jsonNumber(2) || get(out, "Payload", "rows_affected") != jsonNumber(84) {
		t.Errorf("run: %v", out)
	}
	for _, c := range []struct {
		host  string
		extra map[string]any
		err   string
	}{
		{host, map[string]any{"extra": 1}, "InvalidEvent"},
		{host, map[string]any{"engine": "aurora-postgresql"}, "InvalidEvent"},
		{host, map[string]any{"scripts": []any{map[string]any{"sql": "ALTER TABLE users ADD x int"}}}, "InvalidScript"},
		{host, map[string]any{"scripts": []any{map[string]any{"s3_bucket": "myapp-refresh-sql-222222222222", "s3_key": "nope"}}}, "ScriptUnavailable"},
		{host, map[string]any{"secret_arn": "arn:aws:secretsmanager:eu-west-1:222222222222:secret:nope-AbCdEf"}, "SecretUnavailable"},
		{"nope.cluster-x.eu-west-1.rds.amazonaws.com", nil, "ConnectionFailed"},
	} {
		err := h.fails(staging, "lambda:invoke", event(c.host, c.extra), c.err)
		if !strings.Contains(err.Cause, `"errorType":"`+c.err+`"`) {
			t.Errorf("the cause is the function's error object: %s", err.Cause)
		}
	}
	h.fails(staging, "lambda:invoke", map[string]any{"FunctionName": "nope", "Payload": map[string]any{}}, "Lambda.ResourceNotFoundException")
}
