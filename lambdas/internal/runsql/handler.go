// Package runsql is the run-sql Lambda: it runs SQL scripts, inline or from S3, statement by
// statement against Aurora MySQL or Aurora PostgreSQL over verified TLS, with credentials from
// Secrets Manager, and reports per statement what happened.
//
// The contract (event, result, error names) is documented on Event, Result and in package
// fault. A failed run fails the invocation: its error names the statement, its line, the
// database error and what became of the other statements.
package runsql

import (
	"cmp"
	"context"
	"crypto/tls"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/refreshgen/refreshgen/lambdas/internal/dbsession"
	"github.com/refreshgen/refreshgen/lambdas/internal/fault"
)

// SecretsAPI is the part of the Secrets Manager client the handler uses.
type SecretsAPI interface {
	GetSecretValue(context.Context, *secretsmanager.GetSecretValueInput, ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// ObjectsAPI is the part of the S3 client the handler uses.
type ObjectsAPI interface {
	GetObject(context.Context, *s3.GetObjectInput, ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// Handler runs the events of the run-sql Lambda. Every dependency is a field, so that tests can
// point it at loopback servers.
type Handler struct {
	Secrets SecretsAPI
	Objects ObjectsAPI
	// Connect opens database sessions; dbsession.Open in production.
	Connect func(context.Context, dbsession.Params) (dbsession.Session, error)
	// CAFile is the PEM bundle of trusted CA certificates used when the event has none.
	CAFile string
	Logger *slog.Logger
}

// CABundleEnv names the environment variable that overrides the CA bundle file.
const CABundleEnv = "CA_BUNDLE_FILE"

// CABundlePath returns the CA bundle file: $CA_BUNDLE_FILE, or rds-global-bundle.pem shipped
// next to the bootstrap binary in $LAMBDA_TASK_ROOT.
func CABundlePath(getenv func(string) string) string {
	if p := getenv(CABundleEnv); p != "" {
		return p
	}
	return filepath.Join(cmp.Or(getenv("LAMBDA_TASK_ROOT"), "."), "rds-global-bundle.pem")
}

// Handle runs one event and returns the JSON of its Result.
func (h *Handler) Handle(ctx context.Context, raw json.RawMessage) (json.RawMessage, error) {
	started := time.Now()
	ev, err := decodeEvent(raw)
	if err != nil {
		return nil, err
	}
	stmts, scripts, err := h.loadStatements(ctx, ev)
	if err != nil {
		return nil, err
	}
	creds, err := h.credentials(ctx, ev.SecretARN)
	if err != nil {
		return nil, err
	}
	red := newRedactor(creds.Password)
	params, err := h.params(ev, creds)
	if err != nil {
		return nil, red.err(err)
	}
	log := h.Logger.With("engine", ev.Engine, "host", params.Host, "port", params.Port, "database", params.Database, "mode", ev.Mode)
	log.Info("run starting", "scripts", len(scripts), "statements", len(stmts))
	session, err := h.Connect(ctx, params)
	if err != nil {
		err = red.err(fault.Errorf(fault.ConnectionFailed, "connecting to %s:%d: %w", params.Host, params.Port, err))
		log.Error("connection failed", "error", err.Error())
		return nil, err
	}
	defer session.Close()

	r := runner{session: session, log: log, red: red, mode: ev.Mode, maxRows: ev.MaxRows, budget: rowBudgetBytes,
		result: &Result{Engine: ev.Engine, Database: params.Database, Mode: ev.Mode, Scripts: scripts, StatementsTotal: len(stmts), Statements: []StatementResult{}}}
	err = r.run(ctx, stmts)
	r.result.DurationMS = time.Since(started).Milliseconds()
	out := red.json(r.result)
	if err != nil {
		log.Error("run failed", "error", err.Error(), "result", out)
		return nil, err
	}
	log.Info("run finished", "outcome", r.result.Outcome, "statements_run", r.result.StatementsRun, "rows_affected", r.result.RowsAffected, "duration_ms", r.result.DurationMS)
	return out, nil
}

// params combines event, secret and CA bundle into connection parameters; the event's fields
// win over the secret's.
func (h *Handler) params(ev *Event, c credentials) (dbsession.Params, error) {
	p := dbsession.Params{
		Engine: ev.Engine, User: c.Username, Password: c.Password,
		Host:             cmp.Or(ev.Host, c.Host),
		Port:             cmp.Or(ev.Port, int(c.Port), ev.Engine.DefaultPort()),
		Database:         cmp.Or(ev.Database, c.DBName),
		StatementTimeout: time.Duration(ev.StatementTimeoutSeconds) * time.Second,
	}
	switch {
	case p.Host == "":
		return p, fault.Errorf(fault.InvalidEvent, "invalid event: host: required, the secret has no host either")
	case !validHost(p.Host):
		return p, fault.Errorf(fault.InvalidEvent, "invalid event: the secret's host must be %s", hostnameForm)
	case p.Database == "" && ev.Engine == dbsession.PostgreSQL:
		return p, fault.Errorf(fault.InvalidEvent, "invalid event: database: required for %s, the secret has no dbname either", ev.Engine)
	}
	var err error
	p.TLS, err = h.tlsConfig(ev, p.Host)
	return p, err
}

func (h *Handler) tlsConfig(ev *Event, host string) (*tls.Config, error) {
	pem := []byte(ev.CABundlePEM)
	if len(pem) == 0 {
		var err error
		if pem, err = os.ReadFile(h.CAFile); err != nil {
			return nil, fault.Errorf(fault.ConnectionFailed, "reading the CA bundle (set %s or ship rds-global-bundle.pem): %w", CABundleEnv, err)
		}
	}
	cfg, err := dbsession.TLSConfig(pem, cmp.Or(ev.TLSServerName, host))
	return cfg, fault.Wrap(fault.ConnectionFailed, err)
}
