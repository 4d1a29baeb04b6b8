// Package dbsession runs single SQL statements on one Aurora MySQL or Aurora PostgreSQL
// connection and hands every result row to the caller as deterministic JSON values.
//
// Statements go over the text protocols (COM_QUERY, the simple query protocol), never as
// prepared statements, so that any statement a client could send works, including CREATE
// PROCEDURE bodies. TLS with certificate and host name verification is mandatory: Params
// without a TLS configuration are refused and no plaintext fallback exists.
package dbsession

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/refreshgen/refreshgen/lambdas/internal/sqlsplit"
)

// Engine names a database engine as the event and RDS name it.
type Engine string

// The supported engines.
const (
	MySQL      Engine = "aurora-mysql"
	PostgreSQL Engine = "aurora-postgresql"
)

// Dialect returns the splitter rules of the engine.
func (e Engine) Dialect() sqlsplit.Dialect {
	if e == MySQL {
		return sqlsplit.MySQL
	}
	return sqlsplit.PostgreSQL
}

// DefaultPort returns the port the engine listens on unless told otherwise.
func (e Engine) DefaultPort() int {
	if e == MySQL {
		return 3306
	}
	return 5432
}

// connectTimeout bounds the TCP connect and TLS and login handshakes.
const connectTimeout = 15 * time.Second

// ErrStatementTimeout is wrapped by the error of a statement that ran out of time.
var ErrStatementTimeout = errors.New("statement timeout")

func timeoutError(d time.Duration) error {
	return fmt.Errorf("%w of %s exceeded", ErrStatementTimeout, d)
}

// Params say where and how to connect.
type Params struct {
	Engine   Engine
	Host     string
	Port     int
	User     string
	Password string
	Database string // may be empty for MySQL
	// TLS must verify the server; build it with TLSConfig.
	TLS *tls.Config
	// StatementTimeout bounds every statement; it must be positive.
	StatementTimeout time.Duration
}

// Column describes one column of a result set.
type Column struct {
	Name string `json:"name"`
	// Type is the engine's own type name, e.g. DECIMAL or timestamptz.
	Type string `json:"type"`
}

// Sink receives what a statement returns.
type Sink interface {
	// ResultSet starts a result set; the rows that follow belong to it.
	ResultSet(columns []Column)
	// Row receives one row as JSON-ready values: nil, bool, string, json.Number or
	// json.RawMessage. The slice is the sink's to keep.
	Row(values []any)
}

// Session is one open database connection.
type Session interface {
	// Run executes one statement and returns the rows it changed, or -1 when the server reports
	// none (for statements that return rows). sink may be nil for statements that return no rows.
	Run(ctx context.Context, statement string, sink Sink) (rowsAffected int64, err error)
	// Close ends the connection; an open transaction is rolled back by the server.
	Close() error
}

// Open connects to the database that p describes.
func Open(ctx context.Context, p Params) (Session, error) {
	switch {
	case p.TLS == nil || p.TLS.InsecureSkipVerify || p.TLS.ServerName == "":
		return nil, errors.New("a verifying TLS configuration is required")
	case p.StatementTimeout <= 0:
		return nil, errors.New("a positive statement timeout is required")
	case p.Engine == MySQL:
		return openMySQL(ctx, p)
	case p.Engine == PostgreSQL:
		return openPostgres(ctx, p)
	}
	return nil, fmt.Errorf("unknown engine %q", p.Engine)
}

// TLSConfig returns a client configuration that trusts only the CA certificates in caPEM and
// checks that the server certificate is valid for serverName.
func TLSConfig(caPEM []byte, serverName string) (*tls.Config, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, errors.New("the CA bundle holds no PEM certificate")
	}
	return &tls.Config{RootCAs: pool, ServerName: serverName, MinVersion: tls.VersionTLS12}, nil
}
