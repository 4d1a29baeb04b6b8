package workflows

import (
	"maps"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/spec"
)

// The Kubernetes Job workflows: mysqldump and mysqlimport (db group) and
// the archive job (utils group) each run Jobs on the destination's EKS
// cluster with eks:runJob.sync. A Job gets what it works on from its
// environment and reads any secret itself, as its service account (IRSA
// or EKS Pod Identity): no password ever goes through the state data or
// the Job spec, which the execution history and the Kubernetes API show
// (seed-workflows §1.12).

func dbJobWorkflows() []*Workflow {
	return []*Workflow{runMysqldumpOnEKS(), runMysqlimportOnEKS(), runArchiveJob()}
}

const (
	// jobDataDir is where a Job's container finds the claim's SubPath.
	jobDataDir = "/data"
	// jobKeptSeconds is how long Kubernetes keeps a finished Job, and so
	// its pod's logs, before deleting it (ttlSecondsAfterFinished).
	jobKeptSeconds = 24 * 3600
	// jobGraceSeconds is how much longer than its Job may run the Task
	// waits: Kubernetes stops the Job first (activeDeadlineSeconds) and
	// the Task reports that failure rather than a bare States.Timeout.
	jobGraceSeconds = 300
)

// jobInput is the input of a workflow running Jobs on an EKS cluster of
// the destination account.
func jobInput(fields ...Field) *Shape {
	return Obj(append([]Field{
		Req("Account", account()),
		Req("ClusterName", Str("the EKS cluster")),
		Req("Namespace", Str("the Kubernetes namespace the Jobs run in")),
		Req("Image", Str("the container image, pinned by digest by the caller")),
		Req("ServiceAccount", Str("the Kubernetes service account the Jobs run as")),
		Req("Claim", Str("the persistent volume claim holding the data")),
		Req("SubPath", Str("the folder of the claim the Jobs work in")),
		Opt("TimeoutSeconds", Num("how long one Job may run")),
	}, fields...)...)
}

// exampleJob is an example input of a Job workflow on the first
// destination of the spec.
func exampleJob(e *Env, extra map[string]any) map[string]any {
	in := map[string]any{
		"Account":        accountOf(e, exampleAccount(e, spec.RoleDestination)),
		"ClusterName":    "example-eks",
		"Namespace":      "refresh",
		"Image":          "public.ecr.aws/example/mysql-tools@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"ServiceAccount": "refreshgen",
		"Claim":          "media",
		"SubPath":        "refresh/example",
	}
	maps.Copy(in, extra)
	return in
}

// exampleDatabase adds the database fields of the dump and import
// examples.
func exampleDatabase(e *Env, extra map[string]any) map[string]any {
	dst := exampleAccount(e, spec.RoleDestination)
	extra["SecretArn"] = e.ARN("secretsmanager", dst.ID, "secret:rds!cluster-example-AbCdEf")
	extra["Host"] = "example.cluster-c1x2y3.eu-west-1.rds.amazonaws.com"
	return exampleJob(e, extra)
}

// jobStart sets $.Limit.Seconds, how long each Job may run (the input's
// TimeoutSeconds, or seconds), reads what runJob needs of the EKS cluster
// into $.EKS, and goes to next.
func (e *Env) jobStart(seconds int, next string) asl.States {
	describe := e.describeEKS("$.ClusterName", "$.Account.RoleArn")
	describe.Next = next
	var s asl.States
	s.Add("HasTimeout", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, "$.TimeoutSeconds", true), "Limit")},
		Default: "DefaultLimit",
	})
	s.Add("Limit", &asl.Pass{Parameters: asl.Obj(asl.Field("Seconds", asl.Ref("$.TimeoutSeconds"))), ResultPath: asl.At("$.Limit"), Next: "DescribeEKS"})
	s.Add("DefaultLimit", &asl.Pass{Parameters: asl.Obj(asl.Field("Seconds", asl.Num(float64(seconds)))), ResultPath: asl.At("$.Limit"), Next: "DescribeEKS"})
	s.Add("DescribeEKS", describe)
	return s
}

// jobSettings is what runJob needs beyond the workflow input, to place at
// $.Job: a name of its own for each Job (kind-<UUID>: lower case, at most
// 63 characters, as Kubernetes wants), so that a rerun never meets a Job
// Kubernetes still keeps, and the time limits from $.Limit.Seconds.
func jobSettings(kind string) *asl.Object {
	return asl.Obj(
		asl.Field("Name", asl.Format(kind+"-{}", asl.Call(asl.FnUUID))),
		asl.Field("Seconds", asl.Ref("$.Limit.Seconds")),
		asl.Field("TaskSeconds", asl.Call(asl.FnMathAdd, asl.Ref("$.Limit.Seconds"), asl.Num(jobGraceSeconds))),
	)
}

// runJob returns the Task that runs the Job $.Job describes on the EKS
// cluster of the input ($.EKS from describeEKS) and waits for it: one
// container called kind, of the input's Image, with the claim's SubPath
// at jobDataDir and the environment env. The Job is never retried, neither
// by Kubernetes (backoffLimit 0) nor by the Task: a half-done dump or
// import is not safe to run again blindly.
func (e *Env) runJob(kind string, env ...asl.Value) *asl.Task {
	labels := asl.Obj(asl.Field("app.kubernetes.io/name", asl.Str(kind)), asl.Field("app.kubernetes.io/managed-by", asl.Str("refreshgen")))
	container := asl.Obj(
		asl.Field("name", asl.Str(kind)),
		asl.Field("image", asl.Ref("$.Image")),
		asl.Field("env", append(asl.Array{jobEnv("DATA_DIR", asl.Str(jobDataDir))}, env...)),
		asl.Field("volumeMounts", asl.Array{asl.Obj(
			asl.Field("name", asl.Str("data")),
			asl.Field("mountPath", asl.Str(jobDataDir)),
			asl.Field("subPath", asl.Ref("$.SubPath")),
		)}),
	)
	job := asl.Obj(
		asl.Field("apiVersion", asl.Str("batch/v1")),
		asl.Field("kind", asl.Str("Job")),
		asl.Field("metadata", asl.Obj(asl.Field("name", asl.Ref("$.Job.Name")), asl.Field("labels", labels))),
		asl.Field("spec", asl.Obj(
			asl.Field("backoffLimit", asl.Num(0)),
			asl.Field("activeDeadlineSeconds", asl.Ref("$.Job.Seconds")),
			asl.Field("ttlSecondsAfterFinished", asl.Num(jobKeptSeconds)),
			asl.Field("template", asl.Obj(
				asl.Field("metadata", asl.Obj(asl.Field("labels", labels))),
				asl.Field("spec", asl.Obj(
					asl.Field("serviceAccountName", asl.Ref("$.ServiceAccount")),
					asl.Field("restartPolicy", asl.Str("Never")),
					asl.Field("containers", asl.Array{container}),
					asl.Field("volumes", asl.Array{asl.Obj(
						asl.Field("name", asl.Str("data")),
						asl.Field("persistentVolumeClaim", asl.Obj(asl.Field("claimName", asl.Ref("$.Claim")))),
					)}),
				)),
			)),
		)),
	)
	return &asl.Task{
		Comment:            "Run the " + kind + " Job and wait until it ends.",
		Resource:           asl.EKSRunJob(asl.Sync).ARN(e.Partition),
		Credentials:        &asl.Credentials{RoleArn: asl.Ref("$.Account.RoleArn")},
		TimeoutSecondsPath: "$.Job.TaskSeconds",
		Parameters: asl.Obj(
			asl.Field("ClusterName", asl.Ref("$.ClusterName")),
			asl.Field("CertificateAuthority", asl.Ref("$.EKS.CertificateAuthority")),
			asl.Field("Endpoint", asl.Ref("$.EKS.Endpoint")),
			asl.Field("Namespace", asl.Ref("$.Namespace")),
			asl.Field("Job", job),
		),
		ResultPath: asl.Discard(),
	}
}

// jobEnv is one environment variable of a Job's container.
func jobEnv(name string, value asl.Value) asl.Value {
	return asl.Obj(asl.Field("name", asl.Str(name)), asl.Field("value", value))
}

// databaseEnv tells a dump or import Job where the database is and which
// secret holds its credentials.
func databaseEnv() []asl.Value {
	return []asl.Value{
		jobEnv("SECRET_ARN", asl.Ref("$.SecretArn")),
		jobEnv("DB_HOST", asl.Ref("$.Host")),
		jobEnv("DB_NAME", asl.Ref("$.Database")),
	}
}

// oneJob builds the machine of a workflow that runs a single Job of kind,
// with a default time limit of seconds, and outputs the Job's name.
func (e *Env) oneJob(kind, comment string, seconds int, env ...asl.Value) *asl.Machine {
	job := e.runJob(kind, env...)
	job.Next = "Output"
	s := e.jobStart(seconds, "Prepare")
	s.Add("Prepare", &asl.Pass{Parameters: jobSettings(kind), ResultPath: asl.At("$.Job"), Next: "Run"})
	s.Add("Run", job)
	succeed(&s, "Output", asl.Obj(asl.Field("Job", asl.Ref("$.Job.Name"))))
	return &asl.Machine{Comment: comment, StartAt: "HasTimeout", States: s}
}

func runMysqldumpOnEKS() *Workflow {
	return &Workflow{
		Group: GroupDB, Key: "run_mysqldump_on_eks",
		Summary: "Dump tables of a destination MySQL cluster to a volume, one Kubernetes Job per table, two at a time.",
		Input: jobInput(
			Req("SecretArn", Str("the secret with the database user's credentials, which the Jobs read themselves")),
			Req("Host", Str("the cluster endpoint")),
			Req("Tables", List(Obj(Req("Database", Str("")), Req("Table", Str(""))))),
		),
		Output:  Obj(Req("Jobs", Num("the Jobs run, one per table"))),
		Timeout: 12 * 3600,
		build: func(e *Env) *asl.Machine {
			var each []asl.Member
			for _, f := range []string{"Account", "ClusterName", "EKS", "Namespace", "Image", "ServiceAccount", "SecretArn", "Host", "Claim", "SubPath"} {
				each = append(each, asl.Field(f, asl.Ref("$."+f)))
			}
			each = append(each,
				asl.Field("Database", asl.Ref("$$.Map.Item.Value.Database")),
				asl.Field("Table", asl.Ref("$$.Map.Item.Value.Table")),
				asl.Field("Job", jobSettings("mysqldump")),
			)
			var table asl.States
			dump := e.runJob("mysqldump", append(databaseEnv(), jobEnv("DB_TABLE", asl.Ref("$.Table")))...)
			dump.End = true
			table.Add("DumpTable", dump)
			s := e.jobStart(3600, "Dump")
			s.Add("Dump", &asl.Map{
				ItemsPath:      "$.Tables",
				ItemSelector:   asl.Obj(each...),
				ItemProcessor:  &asl.Processor{StartAt: "DumpTable", States: table},
				MaxConcurrency: 2,
				ResultPath:     asl.Discard(),
				Next:           "Output",
			})
			succeed(&s, "Output", asl.Obj(asl.Field("Jobs", asl.Call(asl.FnArrayLength, asl.Ref("$.Tables")))))
			return &asl.Machine{Comment: "Dump tables of a MySQL cluster with one Kubernetes Job per table.", StartAt: "HasTimeout", States: s}
		},
		example: func(e *Env) map[string]any {
			return exampleDatabase(e, map[string]any{"Tables": []map[string]any{{"Database": "app", "Table": "users"}}})
		},
	}
}

func runMysqlimportOnEKS() *Workflow {
	return &Workflow{
		Group: GroupDB, Key: "run_mysqlimport_on_eks",
		Summary: "Import the dumps on a volume into a destination MySQL cluster with one Kubernetes Job.",
		Input: jobInput(
			Req("SecretArn", Str("the secret with the database user's credentials, which the Job reads itself")),
			Req("Host", Str("the cluster endpoint")),
			Req("Database", Str("the database to import into")),
		),
		Output:  Obj(Req("Job", Str("the Job's name"))),
		Timeout: 6 * 3600,
		build: func(e *Env) *asl.Machine {
			return e.oneJob("mysqlimport", "Import dumps into a MySQL cluster with a Kubernetes Job.", 4*3600, databaseEnv()...)
		},
		example: func(e *Env) map[string]any { return exampleDatabase(e, map[string]any{"Database": "app"}) },
	}
}

func runArchiveJob() *Workflow {
	return &Workflow{
		Group: GroupUtils, Key: "run_archive_job",
		Summary: "Archive a folder of a volume to S3 with one Kubernetes Job.",
		Input: jobInput(
			Req("S3Bucket", Str("the bucket to archive to")),
			Req("S3Prefix", Str("the key prefix of the archive")),
		),
		Output:  Obj(Req("Job", Str("the Job's name"))),
		Timeout: 4 * 3600,
		build: func(e *Env) *asl.Machine {
			return e.oneJob("archive", "Archive a folder of a volume to S3 with a Kubernetes Job.", 2*3600,
				jobEnv("S3_BUCKET", asl.Ref("$.S3Bucket")), jobEnv("S3_PREFIX", asl.Ref("$.S3Prefix")))
		},
		example: func(e *Env) map[string]any {
			return exampleJob(e, map[string]any{"S3Bucket": "example-archive", "S3Prefix": "refresh/example/"})
		},
	}
}
