// Package dbtest connects tests to the real MariaDB and PostgreSQL servers that
// scripts/dbservers starts on loopback, and gives each test an empty database of its own.
//
// Without the servers' environment a test is skipped with the command that starts them, except
// under CI (CI non-empty), where it fails: CI must never pass by skipping.
package dbtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/refreshgen/refreshgen/internal/validators"
	"github.com/refreshgen/refreshgen/lambdas/internal/dbsession"
)

// StartCommand starts the servers and exports their environment, from the repository root.
const StartCommand = `eval "$(scripts/dbservers start)"`

// Environment variables that scripts/dbservers exports.
const (
	MySQLDSNVar    = "REFRESHGEN_TEST_MYSQL_DSN"    // mysql://user:password@127.0.0.1:port/database
	PostgresDSNVar = "REFRESHGEN_TEST_POSTGRES_DSN" // postgres://user:password@127.0.0.1:port/database
	CAVar          = "REFRESHGEN_TEST_DB_CA"        // PEM file of the CA that signed both server certificates
)

// Server is one running test server and a database on it.
type Server struct {
	Engine   dbsession.Engine
	Host     string
	Port     int
	User     string
	Password string
	Database string
	CAPEM    []byte
}

// Engines lists the engines the servers cover.
var Engines = []dbsession.Engine{dbsession.MySQL, dbsession.PostgreSQL}

// For returns the test server of engine, or skips (fails under CI) when it is not configured.
func For(t testing.TB, engine dbsession.Engine) Server {
	t.Helper()
	dsnVar := PostgresDSNVar
	if engine == dbsession.MySQL {
		dsnVar = MySQLDSNVar
	}
	dsn, caFile := os.Getenv(dsnVar), os.Getenv(CAVar)
	if dsn == "" || caFile == "" {
		validators.SkipOrFail(t, fmt.Sprintf("%s or %s is not set; start the test servers from the repository root: %s", dsnVar, CAVar, StartCommand))
	}
	s, err := parse(engine, dsn)
	if err == nil {
		s.CAPEM, err = os.ReadFile(caFile)
	}
	if err != nil {
		t.Fatalf("%s: %v", dsnVar, err)
	}
	return s
}

func parse(engine dbsession.Engine, dsn string) (Server, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return Server{}, err
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		return Server{}, fmt.Errorf("port: %w", err)
	}
	password, _ := u.User.Password()
	return Server{Engine: engine, Host: u.Hostname(), Port: port, User: u.User.Username(), Password: password,
		Database: u.Path[1:]}, nil
}

var databases atomic.Int64

// NewDatabase creates an empty database for the test, dropped when the test ends, and returns
// the server with that database selected.
func (s Server) NewDatabase(t testing.TB) Server {
	t.Helper()
	name := fmt.Sprintf("rgt_%d_%d", os.Getpid(), databases.Add(1))
	s.Exec(t, "CREATE DATABASE "+name)
	drop := "DROP DATABASE " + name
	if s.Engine == dbsession.PostgreSQL {
		drop += " WITH (FORCE)"
	}
	admin := s
	t.Cleanup(func() { admin.Exec(t, drop) })
	s.Database = name
	return s
}

// Params returns connection parameters for the server with a statement timeout.
func (s Server) Params(t testing.TB, timeout time.Duration) dbsession.Params {
	t.Helper()
	tlsConfig, err := dbsession.TLSConfig(s.CAPEM, s.Host)
	if err != nil {
		t.Fatal(err)
	}
	return dbsession.Params{Engine: s.Engine, Host: s.Host, Port: s.Port, User: s.User, Password: s.Password,
		Database: s.Database, TLS: tlsConfig, StatementTimeout: timeout}
}

// Exec runs one statement that returns no rows on a connection of its own and fails the test
// on error.
func (s Server) Exec(t testing.TB, statement string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	session, err := dbsession.Open(ctx, s.Params(t, 30*time.Second))
	if err != nil {
		t.Fatalf("connecting to the %s test server: %v", s.Engine, err)
	}
	defer session.Close()
	if _, err := session.Run(ctx, statement, nil); err != nil {
		t.Fatalf("%s: %v", statement, err)
	}
}
