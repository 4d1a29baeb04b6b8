package runsql

import (
	"crypto/x509"
	"fmt"
	"net"
	"regexp"
	"strings"

	"github.com/refreshgen/refreshgen/lambdas/internal/dbsession"
	"github.com/refreshgen/refreshgen/lambdas/internal/eventjson"
)

// Mode says how the statements of a run commit.
type Mode string

const (
	// ModeTransaction runs every statement of every script in one transaction: all or nothing.
	ModeTransaction Mode = "transaction"
	// ModeStatements commits each statement on its own and stops at the first failure.
	ModeStatements Mode = "statements"
)

// Limits and defaults of an event.
const (
	maxScripts            = 20
	maxScriptBytes        = 8 << 20
	defaultTimeoutSeconds = 300
	maxTimeoutSeconds     = 900 // the Lambda maximum
	defaultMaxRows        = 100
	maxMaxRows            = 1000
	maxDatabaseNameBytes  = 64
	maxHostnameBytes      = 253
	maxS3KeyBytes         = 1024
	maxCABundlePEMBytes   = 1 << 20
	secretARNForm         = "arn:<partition>:secretsmanager:<region>:<account>:secret:<name>"
	hostnameForm          = "a DNS name or IP address"
)

var (
	secretARNPattern = regexp.MustCompile(`^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@!-]+$`)
	hostnamePattern  = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$`)
	bucketPattern    = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
)

// Event is the input of the run-sql Lambda.
type Event struct {
	// Engine is "aurora-mysql" or "aurora-postgresql".
	Engine dbsession.Engine `json:"engine"`
	// SecretARN names the Secrets Manager secret with "username" and "password" (and optionally
	// "host", "port" and "dbname", which the event's own fields override).
	SecretARN string `json:"secret_arn"`
	// Host, Port and Database say where to connect; Port defaults to the engine's port.
	// Database is required for PostgreSQL unless the secret has "dbname".
	Host     string `json:"host,omitempty"`
	Port     int    `json:"port,omitempty"`
	Database string `json:"database,omitempty"`
	// Mode is "transaction" or "statements".
	Mode Mode `json:"mode"`
	// Scripts run in order; each is inline SQL or an S3 object.
	Scripts []Script `json:"scripts"`
	// StatementTimeoutSeconds bounds each statement: 1 to 900, default 300.
	StatementTimeoutSeconds int `json:"statement_timeout_seconds,omitempty"`
	// MaxRows caps the rows returned per result set: 1 to 1000, default 100.
	MaxRows int `json:"max_rows,omitempty"`
	// TLSServerName is the name the server certificate must carry, when it differs from Host
	// (e.g. Host is a CNAME of the cluster endpoint).
	TLSServerName string `json:"tls_server_name,omitempty"`
	// CABundlePEM replaces the CA bundle file as the only trusted CA certificates.
	CABundlePEM string `json:"ca_bundle_pem,omitempty"`
}

// Script is one SQL script: either SQL, or S3Bucket and S3Key.
type Script struct {
	SQL      string `json:"sql,omitempty"`
	S3Bucket string `json:"s3_bucket,omitempty"`
	S3Key    string `json:"s3_key,omitempty"`
}

// source names the script in results and messages.
func (s Script) source() string {
	if s.SQL != "" {
		return "inline"
	}
	return "s3://" + s.S3Bucket + "/" + s.S3Key
}

// decodeEvent decodes and validates raw, reporting every problem at once.
func decodeEvent(raw []byte) (*Event, error) {
	var ev Event
	if err := eventjson.Decode(raw, &ev); err != nil {
		return nil, err
	}
	ev.applyDefaults()
	return &ev, nil
}

// Problems lists what is wrong with the event.
func (ev *Event) Problems() []string {
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	switch ev.Engine {
	case dbsession.MySQL, dbsession.PostgreSQL:
	case "":
		add("engine: required")
	default:
		add("engine: must be %q or %q, not %q", dbsession.MySQL, dbsession.PostgreSQL, ev.Engine)
	}
	if !secretARNPattern.MatchString(ev.SecretARN) {
		add("secret_arn: must be a secret ARN (%s)", secretARNForm)
	}
	if ev.Host != "" && !validHost(ev.Host) {
		add("host: must be %s", hostnameForm)
	}
	if ev.Port < 0 || ev.Port > 65535 {
		add("port: must be 1 to 65535")
	}
	if len(ev.Database) > maxDatabaseNameBytes || strings.ContainsRune(ev.Database, 0) {
		add("database: must be at most %d bytes without NUL", maxDatabaseNameBytes)
	}
	if ev.Mode != ModeTransaction && ev.Mode != ModeStatements {
		add("mode: must be %q or %q", ModeTransaction, ModeStatements)
	}
	if len(ev.Scripts) == 0 || len(ev.Scripts) > maxScripts {
		add("scripts: must hold 1 to %d scripts", maxScripts)
	}
	for i, s := range ev.Scripts {
		p = append(p, s.problems(fmt.Sprintf("scripts[%d]", i))...)
	}
	if ev.StatementTimeoutSeconds < 0 || ev.StatementTimeoutSeconds > maxTimeoutSeconds {
		add("statement_timeout_seconds: must be 1 to %d", maxTimeoutSeconds)
	}
	if ev.MaxRows < 0 || ev.MaxRows > maxMaxRows {
		add("max_rows: must be 1 to %d", maxMaxRows)
	}
	if ev.TLSServerName != "" && !validHost(ev.TLSServerName) {
		add("tls_server_name: must be %s", hostnameForm)
	}
	if ev.CABundlePEM != "" && (len(ev.CABundlePEM) > maxCABundlePEMBytes || !x509.NewCertPool().AppendCertsFromPEM([]byte(ev.CABundlePEM))) {
		add("ca_bundle_pem: must hold PEM CA certificates (at most %d bytes)", maxCABundlePEMBytes)
	}
	return p
}

func (s Script) problems(path string) []string {
	switch {
	case s.SQL != "" && (s.S3Bucket != "" || s.S3Key != ""):
		return []string{path + ": give either sql or s3_bucket and s3_key, not both"}
	case s.SQL != "":
		if len(s.SQL) > maxScriptBytes {
			return []string{fmt.Sprintf("%s.sql: longer than %d bytes", path, maxScriptBytes)}
		}
		return nil
	case s.S3Bucket == "" && s.S3Key == "":
		return []string{path + ": give sql, or s3_bucket and s3_key"}
	}
	var p []string
	if !bucketPattern.MatchString(s.S3Bucket) {
		p = append(p, path+".s3_bucket: must be an S3 bucket name")
	}
	if s.S3Key == "" || len(s.S3Key) > maxS3KeyBytes {
		p = append(p, fmt.Sprintf("%s.s3_key: must be 1 to %d bytes", path, maxS3KeyBytes))
	}
	return p
}

func (ev *Event) applyDefaults() {
	if ev.StatementTimeoutSeconds == 0 {
		ev.StatementTimeoutSeconds = defaultTimeoutSeconds
	}
	if ev.MaxRows == 0 {
		ev.MaxRows = defaultMaxRows
	}
}

func validHost(h string) bool {
	return net.ParseIP(h) != nil || (len(h) <= maxHostnameBytes && hostnamePattern.MatchString(h))
}
