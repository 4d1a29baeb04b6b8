package awsmock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/sim"
)

// function is a Lambda helper deployed in an account.
type function struct {
	helper string      // names.FnRunSQL, FnGetEFSSubpath or FnCheckFlagFile
	mount  *fileSystem // the file system an EFS helper mounts
}

// functionError is a function's own failure: Step Functions raises its
// errorType as the error, with the error object as the cause.
type functionError struct{ typ, msg string }

func (e *functionError) failure() *sim.Failure {
	return failf(e.typ, "%s", jsonText(map[string]any{"errorMessage": e.msg, "errorType": e.typ, "stackTrace": []any{}}))
}

func errorf(typ, format string, args ...any) *functionError {
	return &functionError{typ: typ, msg: fmt.Sprintf(format, args...)}
}

// findFunction resolves a FunctionName: a name, an ARN or a partial ARN
// of the caller's account.
func (w *World) findFunction(r *request, ref string) (*function, *sim.Failure) {
	name := ref
	if i := strings.Index(ref, ":function:"); i >= 0 {
		acct := ref[:i]
		if j := strings.LastIndexByte(acct, ':'); j >= 0 {
			acct = acct[j+1:]
		}
		if acct != r.acct.id {
			return nil, r.generic("AccessDeniedException", 403, "User: %s is not authorized to perform: lambda:InvokeFunction on resource: %s", r.role, ref)
		}
		name, _, _ = strings.Cut(ref[i+len(":function:"):], ":")
	}
	f := r.acct.functions[name]
	if f == nil {
		return nil, r.fail("ResourceNotFoundException", 404, "Function not found: %s", w.arn("lambda", r.acct.id, "function:"+name))
	}
	return f, nil
}

// invoke runs a Lambda helper (the optimized lambda:invoke integration):
// the result is the function's payload and invocation metadata.
func (w *World) invoke(r *request) (any, *sim.Failure) {
	ref, err := r.required("FunctionName")
	if err != nil {
		return nil, err
	}
	f, err := w.findFunction(r, ref)
	if err != nil {
		return nil, err
	}
	if typ, _ := r.str("InvocationType"); typ != "" && typ != "RequestResponse" {
		return nil, failf("States.TaskFailed", "awsmock: models only RequestResponse invocations, not %s", typ)
	}
	event, _ := json.Marshal(r.params["Payload"])
	var payload map[string]any
	var ferr *functionError
	switch f.helper {
	case names.FnRunSQL:
		r.duration = w.clock.d(DurRunSQL)
		payload, ferr = w.runSQL(r, event)
	case names.FnGetEFSSubpath:
		r.duration = w.clock.d(DurGetSubpath)
		payload, ferr = w.getEFSSubpath(r, f, event)
	default:
		r.duration = w.clock.d(DurCheckFlagFile)
		payload, ferr = w.checkFlagFile(event)
	}
	if ferr != nil {
		return nil, ferr.failure()
	}
	return map[string]any{
		"ExecutedVersion": "$LATEST", "Payload": payload, "StatusCode": 200,
		"SdkHttpMetadata":     map[string]any{"HttpStatusCode": 200, "HttpHeaders": map[string]any{"X-Amz-Executed-Version": "$LATEST"}},
		"SdkResponseMetadata": map[string]any{"RequestId": w.uuid()},
	}, nil
}

// decodeStrict decodes a function event the way the helpers do: an
// unknown field is an InvalidEvent.
func decodeStrict(event []byte, into any) *functionError {
	dec := json.NewDecoder(bytes.NewReader(event))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return errorf("InvalidEvent", "the event is not valid: %v", err)
	}
	return nil
}

// sqlEvent is run-sql's event (lambdas/README.md).
type sqlEvent struct {
	Engine                  string      `json:"engine"`
	SecretARN               string      `json:"secret_arn"`
	Host                    string      `json:"host"`
	Port                    int         `json:"port"`
	Database                string      `json:"database"`
	Mode                    string      `json:"mode"`
	Scripts                 []sqlScript `json:"scripts"`
	StatementTimeoutSeconds int         `json:"statement_timeout_seconds"`
	MaxRows                 int         `json:"max_rows"`
	TLSServerName           string      `json:"tls_server_name"`
	CABundlePEM             string      `json:"ca_bundle_pem"`
}

type sqlScript struct {
	SQL      string `json:"sql"`
	S3Bucket string `json:"s3_bucket"`
	S3Key    string `json:"s3_key"`
}

var secretARN = regexp.MustCompile(`^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$`)

// runSQL is the run-sql helper: it connects to the cluster at host with
// the secret's credentials and runs the scripts.
func (w *World) runSQL(r *request, event []byte) (map[string]any, *functionError) {
	var ev sqlEvent
	if err := decodeStrict(event, &ev); err != nil {
		return nil, err
	}
	var problems []string
	if ev.Engine != "aurora-mysql" && ev.Engine != "aurora-postgresql" {
		problems = append(problems, "engine: must be \"aurora-mysql\" or \"aurora-postgresql\"")
	}
	if !secretARN.MatchString(ev.SecretARN) {
		problems = append(problems, "secret_arn: must be a secret ARN")
	}
	if ev.Mode != "transaction" && ev.Mode != "statements" {
		problems = append(problems, "mode: must be \"transaction\" or \"statements\"")
	}
	if len(ev.Scripts) == 0 || len(ev.Scripts) > 20 {
		problems = append(problems, "scripts: must hold 1 to 20 scripts")
	}
	for i, s := range ev.Scripts {
		if (s.SQL != "") == (s.S3Bucket != "" || s.S3Key != "") || s.SQL == "" && (s.S3Bucket == "" || s.S3Key == "") {
			problems = append(problems, fmt.Sprintf("scripts[%d]: give either sql or s3_bucket and s3_key", i))
		}
	}
	if ev.Engine == "aurora-postgresql" && ev.Database == "" {
		problems = append(problems, "database: required for aurora-postgresql")
	}
	if len(problems) > 0 {
		return nil, errorf("InvalidEvent", "the event is not valid: %s", strings.Join(problems, "; "))
	}
	texts := make([]string, len(ev.Scripts))
	var summaries []any
	for i, s := range ev.Scripts {
		texts[i], summaries = s.SQL, append(summaries, map[string]any{"source": "inline"})
		if s.SQL == "" {
			body, ok := w.object(s.S3Bucket, s.S3Key)
			if !ok {
				return nil, errorf("ScriptUnavailable", "scripts[%d]: s3://%s/%s: NoSuchKey: The specified key does not exist.", i, s.S3Bucket, s.S3Key)
			}
			texts[i], summaries[i] = body, map[string]any{"source": "s3://" + s.S3Bucket + "/" + s.S3Key}
		}
	}
	var statements [][]string
	for i, text := range texts {
		stmts := splitSQL(text)
		if ev.Mode == "transaction" {
			for _, s := range stmts {
				if refused(ev.Engine, s) {
					return nil, errorf("InvalidScript", "scripts[%d]: %q cannot run in mode transaction (it commits or controls the transaction): use mode statements", i, firstLine(s))
				}
			}
		}
		summaries[i].(map[string]any)["statements"] = len(stmts)
		statements = append(statements, stmts)
	}
	s := w.findSecret(r.acct, ev.SecretARN)
	if s == nil {
		return nil, errorf("SecretUnavailable", "secret %s: ResourceNotFoundException: Secrets Manager can't find the specified secret.", ev.SecretARN)
	}
	if err := w.connect(r, ev, s); err != nil {
		return nil, err
	}
	var list []any
	total, rows := 0, 0
	for i, stmts := range statements {
		for _, st := range stmts {
			total++
			entry := map[string]any{"index": total, "script": i + 1, "line": 1, "text": firstLine(st), "duration_ms": 4}
			if n := affected(st); n >= 0 {
				entry["rows_affected"] = n
				rows += n
			}
			list = append(list, entry)
		}
	}
	outcome := "committed"
	if ev.Mode == "statements" {
		outcome = "completed"
	}
	return map[string]any{
		"engine": ev.Engine, "database": ev.Database, "mode": ev.Mode, "outcome": outcome,
		"duration_ms": r.duration.Milliseconds(), "scripts": summaries, "statements_total": total, "statements_run": total,
		"rows_affected": rows, "statements": orEmpty(list), "statements_truncated": false,
	}, nil
}

// connect checks run-sql could open a session: host must be the endpoint
// of an available cluster of the account with an available instance, the
// engine and port its own, and the secret its master user's (or one of the
// account's other secrets) and active.
func (w *World) connect(r *request, ev sqlEvent, s *secret) *functionError {
	if ev.Host == "" {
		return errorf("ConnectionFailed", "awsmock: the secret holds no host: pass host")
	}
	for _, c := range r.acct.clusters {
		id := w.visibleID(c, r.now)
		if ev.Host != w.endpoint(r.acct, id, "cluster") && ev.Host != w.endpoint(r.acct, id, "cluster-ro") && !slices.Contains(c.hosts, ev.Host) ||
			w.clusterStatus(r.acct, c, r.now) == gone {
			continue
		}
		switch st := w.clusterStatus(r.acct, c, r.now); {
		case st != "available":
			return errorf("ConnectionFailed", "dial tcp %s:%d: connect: connection refused (the cluster %s is %s)", ev.Host, ev.Port, id, st)
		case !slices.ContainsFunc(w.members(r.acct, c, r.now), func(i *instance) bool { return w.instanceStatus(r.acct, i, r.now) == "available" }):
			return errorf("ConnectionFailed", "dial tcp %s:%d: connect: connection refused (the cluster %s has no available instance)", ev.Host, ev.Port, id)
		case ev.Engine != c.engine:
			return errorf("ConnectionFailed", "%s: the server at %s speaks %s", ev.Engine, ev.Host, c.engine)
		case ev.Port != 0 && ev.Port != enginePort(c.engine):
			return errorf("ConnectionFailed", "dial tcp %s:%d: i/o timeout", ev.Host, ev.Port)
		}
		for _, other := range r.acct.clusters {
			if other.secret != nil && other.secret.secret == s && other != c {
				return errorf("ConnectionFailed", "authentication failed: the secret %s holds the master user of another cluster", s.arn)
			}
		}
		if c.secret != nil && c.secret.secret == s && w.statusAt("master-secret", r.acct, c.id, c.secret.lc, r.now) != "active" {
			return errorf("SecretUnavailable", "secret %s is not active yet", s.arn)
		}
		return nil
	}
	return errorf("ConnectionFailed", "dial tcp: lookup %s: no such host", ev.Host)
}

// splitSQL splits a script into its statements at semicolons, dropping
// comments and blank statements (enough for the scripts of a spec).
func splitSQL(text string) []string {
	var out []string
	for _, part := range strings.Split(text, ";") {
		var lines []string
		for _, l := range strings.Split(part, "\n") {
			if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "--") {
				lines = append(lines, t)
			}
		}
		if len(lines) > 0 {
			out = append(out, strings.Join(lines, " "))
		}
	}
	return out
}

// refused reports whether run-sql refuses a statement in mode
// transaction: transaction control, and on MySQL statements that commit
// implicitly.
func refused(engine, stmt string) bool {
	word := strings.ToUpper(strings.Fields(stmt)[0])
	if slices.Contains([]string{"BEGIN", "COMMIT", "ROLLBACK", "START", "SAVEPOINT", "END"}, word) {
		return true
	}
	return engine == "aurora-mysql" && slices.Contains([]string{"CREATE", "ALTER", "DROP", "TRUNCATE", "RENAME", "GRANT", "REVOKE", "LOCK", "UNLOCK"}, word)
}

// affected is the row count a statement reports, -1 for one that only
// returns rows; the copy is a fixed size, so the count is too.
func affected(stmt string) int {
	switch strings.ToUpper(strings.Fields(stmt)[0]) {
	case "SELECT", "SHOW", "WITH":
		return -1
	case "UPDATE", "DELETE", "INSERT":
		return 42
	}
	return 0
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	if len(line) > 100 {
		return line[:99] + "…"
	}
	return line
}

// subpathEvent is get-efs-subpath's event.
type subpathEvent struct {
	SSMParameterName string `json:"ssm_parameter_name"`
	BaseDir          string `json:"base_dir"`
}

// getEFSSubpath is the get-efs-subpath helper: it finds the newest AWS
// Backup restore folder of the file system it mounts and writes it to an
// SSM parameter.
func (w *World) getEFSSubpath(r *request, f *function, event []byte) (map[string]any, *functionError) {
	var ev subpathEvent
	if err := decodeStrict(event, &ev); err != nil {
		return nil, err
	}
	if ev.SSMParameterName == "" {
		return nil, errorf("InvalidEvent", "the event is not valid: ssm_parameter_name: required")
	}
	if strings.HasPrefix(ev.BaseDir, "/") || slices.Contains(strings.Split(ev.BaseDir, "/"), "..") {
		return nil, errorf("UnsafePath", "base_dir %q must be relative and must not contain ..", ev.BaseDir)
	}
	fs := f.mount
	if fs == nil || w.fsStatus(fs, r.now) != "available" ||
		!slices.ContainsFunc(w.liveMountTargets(fs, r.now), func(m *mountTarget) bool {
			return w.statusAt("mount-target", fs.owner, m.id, m.lc, r.now) == "available"
		}) {
		return nil, errorf("MountUnavailable", "the file system is not mounted at /mnt/efs")
	}
	var folders []string
	if strings.Trim(ev.BaseDir, "/") == "" {
		folders = w.folders(fs, r.now)
	}
	if len(folders) == 0 {
		return nil, errorf("RestoreFolderNotFound", "no folder aws-backup-restore_YYYY-MM-DDTHH-MM-SS[-fraction]Z in /mnt/efs/%s", ev.BaseDir)
	}
	slices.Sort(folders) // the names hold the time: sorted is oldest first
	newest := folders[len(folders)-1]
	subpath := strings.Trim(strings.Trim(ev.BaseDir, "/")+"/"+newest, "/")
	p, ferr := w.setParameter(r, r.acct, ev.SSMParameterName, subpath, "String", true)
	if ferr != nil {
		return nil, errorf("ParameterWriteFailed", "%s: %s", ev.SSMParameterName, ferr.Cause)
	}
	stamp := strings.TrimPrefix(newest, "aws-backup-restore_")
	restored := stamp[:10] + "T" + strings.ReplaceAll(stamp[11:19], "-", ":") + ".000Z"
	return map[string]any{
		"subpath": subpath, "restored_at": restored, "ssm_parameter_name": ev.SSMParameterName,
		"ssm_parameter_version": p.version, "candidates": len(folders), "skipped": []any{}, "skipped_total": 0,
	}, nil
}

// checkFlagFile is the check-flag-file helper; the model holds no files,
// so the flag file is never there.
func (w *World) checkFlagFile(event []byte) (map[string]any, *functionError) {
	var ev struct {
		Path            string  `json:"path"`
		ExpectedContent *string `json:"expected_content"`
	}
	if err := decodeStrict(event, &ev); err != nil {
		return nil, err
	}
	if ev.Path == "" || strings.HasPrefix(ev.Path, "/") || slices.Contains(strings.Split(ev.Path, "/"), "..") {
		return nil, errorf("InvalidEvent", "path %q must be relative and must not contain ..", ev.Path)
	}
	out := map[string]any{"path": ev.Path, "exists": false}
	if ev.ExpectedContent != nil {
		out["matches"] = false
	}
	return out, nil
}

// object reads an S3 object of any account's bucket (bucket names are
// global).
func (w *World) object(bucket, key string) (string, bool) {
	for _, a := range w.accounts {
		if objects, ok := a.buckets[bucket]; ok {
			body, ok := objects[key]
			return body, ok
		}
	}
	return "", false
}
