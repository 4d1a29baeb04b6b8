package workflows

import (
	"regexp"
	"testing"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/sim"
)

// dns1123 is what Kubernetes accepts as a Job name.
var dns1123 = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

// jobOf returns the Job a runJob call sent, checking what every Job must
// have: a unique valid name, no retries, time limits (the task's a little
// longer than the Job's) and a retention after it ends.
func jobOf(t *testing.T, c sim.Call, seconds int) map[string]any {
	t.Helper()
	if c.RoleArn == "" || param(c, "Endpoint") == nil || param(c, "CertificateAuthority") == nil || param(c, "Namespace") == nil {
		t.Errorf("runJob call without its cluster or role: %+v", c)
	}
	job := param(c, "Job").(map[string]any)
	name := job["metadata"].(map[string]any)["name"].(string)
	if len(name) > 63 || !dns1123.MatchString(name) {
		t.Errorf("Job name %q is not a DNS-1123 label", name)
	}
	spec := job["spec"].(map[string]any)
	wantJSON(t, "limits", []any{spec["backoffLimit"], spec["activeDeadlineSeconds"], spec["ttlSecondsAfterFinished"], c.TimeoutSeconds},
		asJSON(t, []any{0, seconds, jobKeptSeconds, seconds + jobGraceSeconds}))
	return job
}

// containerOf is the one container of a Job.
func containerOf(job map[string]any) map[string]any {
	pod := job["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)
	return pod["containers"].([]any)[0].(map[string]any)
}

func TestRunMysqldumpOnEKS(t *testing.T) {
	in := exampleInput(t, GroupDB, "run_mysqldump_on_eks", map[string]any{"Tables": []map[string]any{
		{"Database": "app", "Table": "users"}, {"Database": "app", "Table": "orders"}, {"Database": "crm", "Table": "leads"}}})
	x := simulate(t, GroupDB, "run_mysqldump_on_eks", in, map[string][]sim.Result{
		"DescribeEKS": {eksAnswer}, "DumpTable": {answer(map[string]any{})}})
	wantStatus(t, x, sim.Succeeded, "")
	wantJSON(t, "output", x.Output, `{"Jobs":3}`)
	names := map[string]bool{}
	for i, c := range callsIn(x, "DumpTable") {
		job := jobOf(t, c, 3600)
		names[job["metadata"].(map[string]any)["name"].(string)] = true
		table := in["Tables"].([]map[string]any)[i]
		wantJSON(t, "container", containerOf(job), asJSON(t, map[string]any{
			"name": "mysqldump", "image": in["Image"],
			"env": []map[string]any{
				{"name": "DATA_DIR", "value": "/data"}, {"name": "SECRET_ARN", "value": in["SecretArn"]},
				{"name": "DB_HOST", "value": in["Host"]}, {"name": "DB_NAME", "value": table["Database"]},
				{"name": "DB_TABLE", "value": table["Table"]},
			},
			"volumeMounts": []map[string]any{{"mountPath": "/data", "name": "data", "subPath": in["SubPath"]}},
		}))
	}
	if len(names) != 3 {
		t.Errorf("Job names are not unique: %v", names)
	}
	dump, _ := machineOf(t, GroupDB, "run_mysqldump_on_eks").Definition.States.Get("Dump")
	if m, ok := dump.(*asl.Map); !ok || m.MaxConcurrency != 2 {
		t.Error("the dumps do not run two at a time")
	}
}

func TestRunMysqlimportOnEKS(t *testing.T) {
	in := exampleInput(t, GroupDB, "run_mysqlimport_on_eks", map[string]any{"TimeoutSeconds": 7200})
	x := simulate(t, GroupDB, "run_mysqlimport_on_eks", in, map[string][]sim.Result{
		"DescribeEKS": {eksAnswer}, "Run": {answer(map[string]any{})}})
	wantStatus(t, x, sim.Succeeded, "")
	job := jobOf(t, callsIn(x, "Run")[0], 7200)
	wantJSON(t, "output", x.Output, asJSON(t, map[string]any{"Job": job["metadata"].(map[string]any)["name"]}))
	wantJSON(t, "env", containerOf(job)["env"], asJSON(t, []map[string]any{
		{"name": "DATA_DIR", "value": "/data"}, {"name": "SECRET_ARN", "value": in["SecretArn"]},
		{"name": "DB_HOST", "value": in["Host"]}, {"name": "DB_NAME", "value": in["Database"]},
	}))
}

func TestRunArchiveJob(t *testing.T) {
	in := exampleInput(t, GroupUtils, "run_archive_job", nil)
	t.Run("archives with one Job", func(t *testing.T) {
		x := simulate(t, GroupUtils, "run_archive_job", in, map[string][]sim.Result{
			"DescribeEKS": {eksAnswer}, "Run": {answer(map[string]any{})}})
		wantStatus(t, x, sim.Succeeded, "")
		job := jobOf(t, callsIn(x, "Run")[0], 2*3600)
		wantJSON(t, "env", containerOf(job)["env"], asJSON(t, []map[string]any{
			{"name": "DATA_DIR", "value": "/data"}, {"name": "S3_BUCKET", "value": in["S3Bucket"]},
			{"name": "S3_PREFIX", "value": in["S3Prefix"]},
		}))
	})
	t.Run("a failed Job fails the workflow once, unretried", func(t *testing.T) {
		x := simulate(t, GroupUtils, "run_archive_job", in, map[string][]sim.Result{
			"DescribeEKS": {eksAnswer}, "Run": {failure("States.TaskFailed")}})
		wantStatus(t, x, sim.Failed, "States.TaskFailed")
		if n := len(callsIn(x, "Run")); n != 1 {
			t.Errorf("the Job ran %d times", n)
		}
	})
}
