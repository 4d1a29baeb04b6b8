package runsql

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/refreshgen/refreshgen/lambdas/internal/awstest"
	"github.com/refreshgen/refreshgen/lambdas/internal/dbsession"
	"github.com/refreshgen/refreshgen/lambdas/internal/fault"
)

const testSecretARN = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:rds!cluster-test-AbCdEf"

// syncBuffer collects log lines from parallel statements safely.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// offlineHandler is a handler whose AWS calls go to a loopback fake and that fails the test if
// it ever tries to connect to a database.
func offlineHandler(t *testing.T) (*Handler, *awstest.Server) {
	t.Helper()
	aws := awstest.New(t)
	return &Handler{
		Secrets: aws.SecretsManager(),
		Objects: aws.S3(),
		Connect: func(context.Context, dbsession.Params) (dbsession.Session, error) {
			t.Fatal("the handler connected although the event or scripts were bad")
			return nil, nil
		},
		CAFile: "/nonexistent",
		Logger: slog.New(slog.DiscardHandler),
	}, aws
}

func eventJSON(t *testing.T, ev map[string]any) json.RawMessage {
	t.Helper()
	data, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func validEvent() map[string]any {
	return map[string]any{
		"engine": "aurora-postgresql", "secret_arn": testSecretARN, "host": "db.example.com", "database": "app",
		"mode": "transaction", "scripts": []map[string]any{{"sql": "SELECT 1"}},
	}
}

func TestHandleRejectsBadEvents(t *testing.T) {
	tests := []struct {
		name   string
		change func(ev map[string]any)
		raw    string
		want   []string
	}{
		{name: "not JSON", raw: `[`, want: []string{"invalid event"}},
		{name: "unknown field", change: func(ev map[string]any) { ev["statment_timeout_seconds"] = 5 }, want: []string{`unknown field "statment_timeout_seconds"`}},
		{name: "every problem at once", change: func(ev map[string]any) {
			ev["engine"] = "oracle"
			ev["secret_arn"] = "my-secret"
			ev["host"] = "db host"
			ev["port"] = 70000
			ev["mode"] = "yolo"
			ev["statement_timeout_seconds"] = 901
			ev["max_rows"] = -1
			ev["tls_server_name"] = "-bad-"
			ev["ca_bundle_pem"] = "not a certificate"
			ev["scripts"] = []map[string]any{{"sql": "SELECT 1", "s3_bucket": "b"}, {}, {"s3_bucket": "B!", "s3_key": ""}}
		}, want: []string{
			`engine: must be "aurora-mysql" or "aurora-postgresql", not "oracle"`,
			"secret_arn: must be a secret ARN",
			"host: must be a DNS name or IP address",
			"port: must be 1 to 65535",
			`mode: must be "transaction" or "statements"`,
			"scripts[0]: give either sql or s3_bucket and s3_key, not both",
			"scripts[1]: give sql, or s3_bucket and s3_key",
			"scripts[2].s3_bucket: must be an S3 bucket name",
			"scripts[2].s3_key: must be 1 to 1024 bytes",
			"statement_timeout_seconds: must be 1 to 900",
			"max_rows: must be 1 to 1000",
			"tls_server_name: must be a DNS name or IP address",
			"ca_bundle_pem: must hold PEM CA certificates",
		}},
		{name: "missing fields", change: func(ev map[string]any) {
			delete(ev, "engine")
			delete(ev, "mode")
			delete(ev, "scripts")
		}, want: []string{"engine: required", "mode: must be", "scripts: must hold 1 to 20 scripts"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, aws := offlineHandler(t)
			raw := json.RawMessage(tt.raw)
			if tt.change != nil {
				ev := validEvent()
				tt.change(ev)
				raw = eventJSON(t, ev)
			}
			_, err := h.Handle(context.Background(), raw)
			assertFault(t, err, fault.InvalidEvent, tt.want...)
			if ops := aws.Operations(); len(ops) != 0 {
				t.Errorf("an invalid event still called AWS: %v", ops)
			}
		})
	}
}

func TestHandleRejectsBadScripts(t *testing.T) {
	tests := []struct {
		name   string
		engine string
		mode   string
		script map[string]any
		fault  string
		want   string
	}{
		{"unterminated quote", "aurora-mysql", "statements", map[string]any{"sql": "SELECT 1;\nSELECT 'x"},
			fault.InvalidScript, "script 1 (inline): SQL script syntax: line 2: unterminated quoted text (')"},
		{"only comments", "aurora-postgresql", "statements", map[string]any{"sql": "-- nothing\n;"},
			fault.InvalidScript, "script 1 (inline): it holds no statement"},
		{"missing object", "aurora-postgresql", "statements", map[string]any{"s3_bucket": "scripts", "s3_key": "missing.sql"},
			fault.ScriptUnavailable, "reading s3://scripts/missing.sql: operation error S3: GetObject"},
		{"invalid UTF-8", "aurora-postgresql", "statements", map[string]any{"s3_bucket": "scripts", "s3_key": "latin1.sql"},
			fault.InvalidScript, "script 1 (s3://scripts/latin1.sql): line 2 is not valid UTF-8"},
		{"transaction control in mode transaction", "aurora-postgresql", "transaction", map[string]any{"sql": "BEGIN;\nUPDATE t SET a = 1;\nCOMMIT;"},
			fault.InvalidScript, "script 1 line 1 (BEGIN): it controls the transaction that the mode manages; script 1 line 3 (COMMIT)"},
		{"implicit commit on MySQL", "aurora-mysql", "transaction", map[string]any{"sql": "CREATE TEMPORARY TABLE x (a int);\nINSERT INTO x VALUES (1);\nALTER TABLE t ADD c int;"},
			fault.InvalidScript, "script 1 line 3 (ALTER TABLE t ADD c int): MySQL commits implicitly before it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, aws := offlineHandler(t)
			aws.PutObject("scripts", "latin1.sql", []byte("SELECT 1;\nSELECT 'caf\xe9';"))
			ev := validEvent()
			ev["engine"], ev["mode"], ev["scripts"] = tt.engine, tt.mode, []map[string]any{tt.script}
			_, err := h.Handle(context.Background(), eventJSON(t, ev))
			assertFault(t, err, tt.fault, tt.want)
			for _, op := range aws.Operations() {
				if op == "GetSecretValue" {
					t.Errorf("the secret was read although the script was bad")
				}
			}
		})
	}
}

func TestHandleRejectsBadSecrets(t *testing.T) {
	tests := []struct {
		name   string
		secret string
		want   string
	}{
		{"missing secret", "", "ResourceNotFoundException"},
		{"not JSON", "hunter2-not-json", "is not a JSON object"},
		{"no password", `{"username":"admin"}`, "is not a JSON object"},
		{"bad port", `{"username":"admin","password":"hunter2-secret","port":"http"}`, "is not a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, aws := offlineHandler(t)
			if tt.secret != "" {
				aws.PutSecret(testSecretARN, tt.secret)
			}
			_, err := h.Handle(context.Background(), eventJSON(t, validEvent()))
			assertFault(t, err, fault.SecretUnavailable, tt.want)
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the error quotes the secret: %v", err)
			}
		})
	}
}

func TestHandleNeedsHostAndCABundle(t *testing.T) {
	tests := []struct {
		name   string
		change func(ev map[string]any)
		secret string
		fault  string
		want   string
	}{
		{"no host anywhere", func(ev map[string]any) { delete(ev, "host") }, `{"username":"u","password":"p4ss"}`,
			fault.InvalidEvent, "host: required, the secret has no host either"},
		{"bad host in secret", func(ev map[string]any) { delete(ev, "host") }, `{"username":"u","password":"p4ss","host":"a b"}`,
			fault.InvalidEvent, "the secret's host must be a DNS name or IP address"},
		{"no database for postgres", func(ev map[string]any) { delete(ev, "database") }, `{"username":"u","password":"p4ss"}`,
			fault.InvalidEvent, "database: required for aurora-postgresql"},
		{"no CA bundle", func(map[string]any) {}, `{"username":"u","password":"p4ss"}`,
			fault.ConnectionFailed, "reading the CA bundle (set CA_BUNDLE_FILE or ship rds-global-bundle.pem)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, aws := offlineHandler(t)
			aws.PutSecret(testSecretARN, tt.secret)
			ev := validEvent()
			tt.change(ev)
			_, err := h.Handle(context.Background(), eventJSON(t, ev))
			assertFault(t, err, tt.fault, tt.want)
		})
	}
}

func TestCABundlePath(t *testing.T) {
	env := map[string]string{"LAMBDA_TASK_ROOT": "/var/task"}
	if got := CABundlePath(func(k string) string { return env[k] }); got != "/var/task/rds-global-bundle.pem" {
		t.Errorf("default = %s", got)
	}
	env[CABundleEnv] = "/opt/ca.pem"
	if got := CABundlePath(func(k string) string { return env[k] }); got != "/opt/ca.pem" {
		t.Errorf("override = %s", got)
	}
}

func TestSummary(t *testing.T) {
	long := strings.Repeat("é", 101)
	for text, want := range map[string]string{
		"SELECT 1":                    "SELECT 1",
		"CREATE PROCEDURE p()\nBEGIN": "CREATE PROCEDURE p() …",
		"SELECT 1 \n  \n":             "SELECT 1",
		long:                          strings.Repeat("é", 100) + "…",
	} {
		if got := summary(text); got != want {
			t.Errorf("summary(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestRedactor(t *testing.T) {
	r := newRedactor(`p"w<&>`)
	msg := `ERROR: relation "p"w<&>" does not exist`
	if got := r.text(msg); got != `ERROR: relation "[REDACTED]" does not exist` {
		t.Errorf("text = %s", got)
	}
	out := string(r.json(map[string]string{"v": `x p"w<&> y`}))
	if out != `{"v":"x [REDACTED] y"}` {
		t.Errorf("json = %s", out)
	}
	if got := newRedactor("").text("unchanged"); got != "unchanged" {
		t.Errorf("empty secret changed text: %s", got)
	}
}

// assertFault checks the error's fault name and that its message holds every want.
func assertFault(t *testing.T, err error, name string, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s", name)
	}
	if got := fault.Name(err); got != name {
		t.Errorf("fault %s, want %s: %v", got, name, err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q:\n%v", w, err)
		}
	}
}
