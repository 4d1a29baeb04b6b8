package workflows

import (
	"fmt"
	"testing"

	"github.com/refreshgen/refreshgen/sim"
)

// sqlResult is a run-sql result as lambda:invoke returns it.
func sqlResult(statements, rows int) sim.Result {
	return answer(map[string]any{"StatusCode": 200, "Payload": map[string]any{
		"outcome": "committed", "statements_run": statements, "rows_affected": rows,
		"statements": []map[string]any{{"index": 1, "text": "UPDATE users SET email = …"}},
	}})
}

func TestRunSQLLambda(t *testing.T) {
	in := exampleInput(t, GroupDB, "run_sql_lambda", nil)
	t.Run("sends the README's event and keeps the counts", func(t *testing.T) {
		x := simulate(t, GroupDB, "run_sql_lambda", in, map[string][]sim.Result{"RunDefaultDatabase": {sqlResult(1, 4)}})
		wantStatus(t, x, sim.Succeeded, "")
		wantJSON(t, "output", x.Output, `{"RowsAffected":4,"Statements":1}`)
		call := callsIn(x, "RunDefaultDatabase")[0]
		wantJSON(t, "function", param(call, "FunctionName"), asJSON(t, in["FunctionArn"]))
		wantJSON(t, "event", param(call, "Payload"), asJSON(t, map[string]any{
			"engine": in["Engine"], "host": in["Host"], "mode": in["Mode"], "port": in["Port"],
			"scripts": []any{map[string]any{"sql": in["Sql"]}}, "secret_arn": in["SecretArn"],
		}))
		if call.RoleArn != in["Account"].(map[string]any)["RoleArn"] {
			t.Errorf("invoked as %s", call.RoleArn)
		}
	})
	t.Run("names the database when given one", func(t *testing.T) {
		withDB := exampleInput(t, GroupDB, "run_sql_lambda", map[string]any{"Database": "app"})
		x := simulate(t, GroupDB, "run_sql_lambda", withDB, map[string][]sim.Result{"RunInDatabase": {sqlResult(1, 4)}})
		wantStatus(t, x, sim.Succeeded, "")
		wantJSON(t, "database", param(callsIn(x, "RunInDatabase")[0], "Payload").(map[string]any)["database"], `"app"`)
	})
	t.Run("a function error fails the workflow with its name and cause", func(t *testing.T) {
		x := simulate(t, GroupDB, "run_sql_lambda", in, map[string][]sim.Result{"RunDefaultDatabase": {failure("StatementFailed")}})
		wantStatus(t, x, sim.Failed, "StatementFailed")
		if x.Cause != "simulated StatementFailed" {
			t.Errorf("cause %q", x.Cause)
		}
		if n := len(x.Calls); n != 1 {
			t.Errorf("a function error was retried: %d calls", n)
		}
	})
}

func TestRunSQLFromS3(t *testing.T) {
	in := exampleInput(t, GroupDB, "run_sql_from_s3", nil)
	bucket, keys := in["Bucket"], in["Keys"].([]string)
	script := func(key string) map[string]any { return map[string]any{"s3_bucket": bucket, "s3_key": key} }
	t.Run("transaction: one invocation with every script", func(t *testing.T) {
		x := simulate(t, GroupDB, "run_sql_from_s3", in, map[string][]sim.Result{"RunAllDefaultDatabase": {sqlResult(3, 7)}})
		wantStatus(t, x, sim.Succeeded, "")
		wantJSON(t, "output", x.Output, `{"RowsAffected":7,"Statements":3}`)
		wantJSON(t, "scripts", param(callsIn(x, "RunAllDefaultDatabase")[0], "Payload").(map[string]any)["scripts"],
			asJSON(t, []any{script(keys[0]), script(keys[1])}))
	})
	statements := exampleInput(t, GroupDB, "run_sql_from_s3", map[string]any{
		"Mode": "statements", "Database": "app", "Keys": []string{"a.sql", "b.sql", "c.sql"}})
	t.Run("statements: one invocation per script, in order, counts added up", func(t *testing.T) {
		x := simulate(t, GroupDB, "run_sql_from_s3", statements, map[string][]sim.Result{
			"RunScriptInDatabase": {sqlResult(2, 5), sqlResult(1, 0), sqlResult(4, 10)}})
		wantStatus(t, x, sim.Succeeded, "")
		wantJSON(t, "output", x.Output, `{"RowsAffected":15,"Statements":7}`)
		var sent []any
		for _, c := range callsIn(x, "RunScriptInDatabase") {
			sent = append(sent, param(c, "Payload").(map[string]any)["scripts"])
		}
		wantJSON(t, "scripts", sent, asJSON(t, [][]any{{script("a.sql")}, {script("b.sql")}, {script("c.sql")}}))
	})
	t.Run("statements: the first failure stops the run", func(t *testing.T) {
		x := simulate(t, GroupDB, "run_sql_from_s3", statements, map[string][]sim.Result{
			"RunScriptInDatabase": {sqlResult(2, 5), failure("StatementFailed"), sqlResult(4, 10)}})
		wantStatus(t, x, sim.Failed, "StatementFailed")
		if n := len(callsIn(x, "RunScriptInDatabase")); n != 2 {
			t.Errorf("%d invocations, want 2", n)
		}
	})
	for name, change := range map[string]map[string]any{
		"no keys":       {"Keys": []string{}},
		"too many keys": {"Keys": make([]string, maxSQLScripts+1)},
		"unknown mode":  {"Mode": "autocommit"},
	} {
		t.Run(fmt.Sprintf("%s fails before running anything", name), func(t *testing.T) {
			x := simulate(t, GroupDB, "run_sql_from_s3", exampleInput(t, GroupDB, "run_sql_from_s3", change), nil)
			wantStatus(t, x, sim.Failed, ErrPreconditions)
			if len(x.Calls) != 0 {
				t.Errorf("made calls: %v", x.Calls)
			}
		})
	}
}
