package workflows

import (
	"fmt"
	"maps"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/spec"
)

// The SQL workflows of the db group: they run SQL on a destination cluster
// through the run-sql Lambda helper, whose event and result
// lambdas/README.md describes.

func dbSQLWorkflows() []*Workflow {
	return []*Workflow{runSQLLambda(), runSQLFromS3()}
}

// maxSQLScripts is the most scripts one run-sql event may hold; a run of
// run_sql_from_s3 takes as many keys.
const maxSQLScripts = 20

// sqlInput is the input of a workflow running SQL through run-sql: the
// function, where to connect, how to commit, and fields of its own.
func sqlInput(fields ...Field) *Shape {
	return Obj(append([]Field{
		Req("Account", account()),
		Req("FunctionArn", Str("the run-sql Lambda function")),
		Req("Engine", Str("aurora-mysql or aurora-postgresql")),
		Req("SecretArn", Str("the secret holding the user name and password")),
		Req("Host", Str("the cluster endpoint")),
		Req("Port", Num("")),
		Req("Mode", Str(`"transaction" (all or nothing) or "statements" (each statement commits; the first failure stops the run)`)),
		Opt("Database", Str("the database; run-sql takes the secret's dbname without it")),
	}, fields...)...)
}

// sqlOutput is what a run of SQL reports: its counts, never its rows.
func sqlOutput() *Shape {
	return Obj(Req("Statements", Num("the statements run")), Req("RowsAffected", Num("the rows they changed")))
}

// exampleSQL is an example input of a SQL workflow for the first
// destination of the spec.
func exampleSQL(e *Env, extra map[string]any) map[string]any {
	dst := exampleAccount(e, spec.RoleDestination)
	in := map[string]any{
		"Account":     accountOf(e, dst),
		"FunctionArn": e.FunctionARN(dst, names.FnRunSQL),
		"Engine":      string(spec.EngineMySQL),
		"SecretArn":   e.ARN("secretsmanager", dst.ID, "secret:rds!cluster-example-AbCdEf"),
		"Host":        "example.cluster-c1x2y3.eu-west-1.rds.amazonaws.com",
		"Port":        3306,
		"Mode":        string(spec.SQLTransaction),
	}
	maps.Copy(in, extra)
	return in
}

// sqlEvent is the run-sql event for the connection in the state input and
// scripts. The database goes in only when the input names one.
func sqlEvent(scripts asl.Value, withDatabase bool) *asl.Object {
	event := asl.Obj(
		asl.Field("engine", asl.Ref("$.Engine")),
		asl.Field("secret_arn", asl.Ref("$.SecretArn")),
		asl.Field("host", asl.Ref("$.Host")),
		asl.Field("port", asl.Ref("$.Port")),
		asl.Field("mode", asl.Ref("$.Mode")),
		asl.Field("scripts", scripts),
	)
	if withDatabase {
		event.Members = append(event.Members, asl.Field("database", asl.Ref("$.Database")))
	}
	return event
}

// runSQL returns the states that invoke run-sql once with scripts, put
// the counts of its result at path into and go to next. The rest of the
// result (statement texts, rows) is dropped at once, so the state stays
// far below the 256 KiB limit. Nothing catches a function error: it fails
// the workflow with the function's error name and cause instead of
// passing for success (seed-workflows §1.15).
func (e *Env) runSQL(name string, scripts asl.Value, into, next string) asl.States {
	var s asl.States
	s.Add(name, &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, "$.Database", true), name+"InDatabase")},
		Default: name + "DefaultDatabase",
	})
	for _, v := range []struct {
		suffix   string
		database bool
	}{{"InDatabase", true}, {"DefaultDatabase", false}} {
		invoke := e.invoke("$.FunctionArn", "$.Account.RoleArn", sqlEvent(scripts, v.database))
		invoke.ResultSelector = asl.Obj(
			asl.Field("Statements", asl.Ref("$.Payload.statements_run")),
			asl.Field("RowsAffected", asl.Ref("$.Payload.rows_affected")),
		)
		invoke.ResultPath, invoke.Next = asl.At(into), next
		s.Add(name+v.suffix, invoke)
	}
	return s
}

func runSQLLambda() *Workflow {
	return &Workflow{
		Group: GroupDB, Key: "run_sql_lambda",
		Summary: "Run one inline SQL script on a destination cluster through the run-sql Lambda.",
		Input:   sqlInput(Req("Sql", Str("the script"))),
		Output:  sqlOutput(),
		Timeout: 3600,
		build: func(e *Env) *asl.Machine {
			script := asl.Array{asl.Obj(asl.Field("sql", asl.Ref("$.Sql")))}
			s := e.runSQL("Run", script, "$.Result", "Output")
			succeed(&s, "Output", asl.Obj(
				asl.Field("Statements", asl.Ref("$.Result.Statements")),
				asl.Field("RowsAffected", asl.Ref("$.Result.RowsAffected")),
			))
			return &asl.Machine{Comment: "Run one inline SQL script through the run-sql Lambda.", StartAt: "Run", States: s}
		},
		example: func(e *Env) map[string]any {
			return exampleSQL(e, map[string]any{"Sql": "UPDATE settings SET value = 'staging' WHERE name = 'env';"})
		},
	}
}

func runSQLFromS3() *Workflow {
	return &Workflow{
		Group: GroupDB, Key: "run_sql_from_s3",
		Summary: "Run SQL scripts stored in S3 on a destination cluster, in order, through the run-sql Lambda.",
		Input: sqlInput(
			Req("Bucket", Str("the bucket holding the scripts")),
			Req("Keys", List(Str("the object keys of the scripts, 1 to 20, in run order"))),
		),
		Output:  sqlOutput(),
		Timeout: 6 * 3600,
		build:   buildRunSQLFromS3,
		example: func(e *Env) map[string]any {
			dst := exampleAccount(e, spec.RoleDestination)
			return exampleSQL(e, map[string]any{
				"Bucket": e.SQLBucket(dst),
				"Keys":   []string{"sql/staging/app/01-anonymize.sql", "sql/staging/app/02-settings.sql"},
			})
		},
	}
}

// buildRunSQLFromS3 runs every script in one invocation in mode
// "transaction", so that they commit all or nothing. In mode "statements"
// it invokes run-sql once per script, in order, and stops at the first
// failure; it does so in a bounded loop rather than a Map with
// MaxConcurrency 1 because the counts must be added up, which ASL can do
// only one addition (States.MathAdd) at a time.
func buildRunSQLFromS3(e *Env) *asl.Machine {
	var s asl.States
	s.Add("Count", &asl.Pass{
		Parameters: asl.Obj(asl.Field("Keys", asl.Call(asl.FnArrayLength, asl.Ref("$.Keys")))),
		ResultPath: asl.At("$.Count"),
		Next:       "CheckCount",
	})
	s.Add("CheckCount", &asl.Choice{
		Choices: []asl.Rule{
			asl.When(asl.CompareNumber("$.Count.Keys", asl.LessThan, 1), "BadKeys"),
			asl.When(asl.CompareNumber("$.Count.Keys", asl.GreaterThan, maxSQLScripts), "BadKeys"),
		},
		Default: "Scripts",
	})
	s.Add("BadKeys", &asl.Fail{
		Error:     ErrPreconditions,
		CausePath: asl.Format(fmt.Sprintf("Keys lists {} scripts; run-sql takes 1 to %d.", maxSQLScripts), asl.Ref("$.Count.Keys")),
	})
	var script asl.States
	script.Add("Script", &asl.Pass{End: true})
	s.Add("Scripts", &asl.Map{
		Comment:       "Name each object as a script of the run-sql event.",
		ItemsPath:     "$.Keys",
		ItemSelector:  asl.Obj(asl.Field("s3_bucket", asl.Ref("$.Bucket")), asl.Field("s3_key", asl.Ref("$$.Map.Item.Value"))),
		ItemProcessor: &asl.Processor{StartAt: "Script", States: script},
		ResultPath:    asl.At("$.Scripts"),
		Next:          "ByMode",
	})
	s.Add("ByMode", &asl.Choice{
		Choices: []asl.Rule{
			asl.When(asl.CompareString("$.Mode", asl.Equals, string(spec.SQLTransaction)), "RunAll"),
			asl.When(asl.CompareString("$.Mode", asl.Equals, string(spec.SQLStatements)), "StartCounts"),
		},
		Default: "BadMode",
	})
	s.Add("BadMode", &asl.Fail{
		Error:     ErrPreconditions,
		CausePath: asl.Format("Mode is {}, not transaction or statements.", asl.Ref("$.Mode")),
	})
	s = merge(s, e.runSQL("RunAll", asl.Ref("$.Scripts"), "$.Result", "Output"), e.eachScript("Output"))
	succeed(&s, "Output", asl.Obj(
		asl.Field("Statements", asl.Ref("$.Result.Statements")),
		asl.Field("RowsAffected", asl.Ref("$.Result.RowsAffected")),
	))
	return &asl.Machine{Comment: "Run SQL scripts stored in S3 through the run-sql Lambda, in order.", StartAt: "Count", States: s}
}

// eachScript invokes run-sql for the scripts at $.Scripts one at a time
// and adds their counts up at $.Result. An invocation that fails fails the
// workflow, so no later script runs.
func (e *Env) eachScript(done string) asl.States {
	var s asl.States
	s.Add("StartCounts", &asl.Pass{
		Parameters: asl.Obj(asl.Field("Statements", asl.Num(0)), asl.Field("RowsAffected", asl.Num(0))),
		ResultPath: asl.At("$.Result"),
		Next:       "FirstScript",
	})
	s.Add("FirstScript", &asl.Pass{Parameters: asl.Obj(asl.Field("Index", asl.Num(0))), ResultPath: asl.At("$.Step"), Next: "NextScript"})
	s.Add("NextScript", &asl.Choice{
		Comment: fmt.Sprintf("Stop after the last script (there are at most %d).", maxSQLScripts),
		Choices: []asl.Rule{
			asl.When(asl.ComparePaths(asl.KindNumeric, "$.Step.Index", asl.GreaterThanEquals, "$.Count.Keys"), done),
			asl.When(asl.CompareNumber("$.Step.Index", asl.GreaterThanEquals, maxSQLScripts), done),
		},
		Default: "RunScript",
	})
	one := asl.Call(asl.FnArray, asl.Call(asl.FnArrayGetItem, asl.Ref("$.Scripts"), asl.Ref("$.Step.Index")))
	s = merge(s, e.runSQL("RunScript", one, "$.Ran", "AddCounts"))
	s.Add("AddCounts", &asl.Pass{
		Parameters: asl.Obj(
			asl.Field("Statements", asl.Call(asl.FnMathAdd, asl.Ref("$.Result.Statements"), asl.Ref("$.Ran.Statements"))),
			asl.Field("RowsAffected", asl.Call(asl.FnMathAdd, asl.Ref("$.Result.RowsAffected"), asl.Ref("$.Ran.RowsAffected"))),
		),
		ResultPath: asl.At("$.Result"),
		Next:       "Advance",
	})
	s.Add("Advance", &asl.Pass{
		Parameters: asl.Obj(asl.Field("Index", asl.Call(asl.FnMathAdd, asl.Ref("$.Step.Index"), asl.Num(1)))),
		ResultPath: asl.At("$.Step"),
		Next:       "NextScript",
	})
	return s
}
