package dbsession

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
)

// killTimeout bounds the KILL that stops a timed-out statement on the server.
const killTimeout = 5 * time.Second

type mysqlSession struct {
	db      *sql.DB // the pool behind conn; lends a second connection for KILL
	conn    *sql.Conn
	id      int64 // CONNECTION_ID() of conn
	timeout time.Duration
}

func openMySQL(ctx context.Context, p Params) (Session, error) {
	cfg := mysql.NewConfig()
	cfg.Net = "tcp"
	cfg.Addr = net.JoinHostPort(p.Host, strconv.Itoa(p.Port))
	cfg.User, cfg.Passwd, cfg.DBName = p.User, p.Password, p.Database
	cfg.TLS = p.TLS
	cfg.Timeout = connectTimeout
	// TIMESTAMP values are shown in the session time zone: make it UTC for deterministic output.
	cfg.Params = map[string]string{"time_zone": "'+00:00'"}
	connector, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(connector)
	db.SetMaxOpenConns(2)
	s := &mysqlSession{db: db, timeout: p.StatementTimeout}
	if s.conn, err = db.Conn(ctx); err == nil {
		err = s.conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&s.id)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *mysqlSession) Close() error {
	return errors.Join(s.conn.Close(), s.db.Close())
}

// Run bounds the statement on the client side: Aurora MySQL's max_execution_time only covers
// SELECT, and MariaDB's max_statement_time does not exist there. When time runs out the driver
// drops the connection and Run kills the statement on the server, which would otherwise run on.
func (s *mysqlSession) Run(ctx context.Context, statement string, sink Sink) (int64, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, s.timeout, ErrStatementTimeout)
	defer cancel()
	n, err := s.run(ctx, statement, sink)
	if err != nil && errors.Is(context.Cause(ctx), ErrStatementTimeout) {
		s.kill()
		return -1, timeoutError(s.timeout)
	}
	return n, err
}

func (s *mysqlSession) run(ctx context.Context, statement string, sink Sink) (int64, error) {
	rows, err := s.conn.QueryContext(ctx, statement)
	if err != nil {
		return -1, err
	}
	defer rows.Close()
	returnedRows := false
	for more := true; more; more = rows.NextResultSet() {
		types, err := rows.ColumnTypes()
		if err != nil {
			return -1, err
		}
		if len(types) > 0 {
			returnedRows = true
			if err := readMySQLRows(rows, types, sink); err != nil {
				return -1, err
			}
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil || returnedRows {
		return -1, err
	}
	// Query does not expose the OK packet's affected rows; the server keeps them for ROW_COUNT().
	var n int64
	err = s.conn.QueryRowContext(ctx, "SELECT ROW_COUNT()").Scan(&n)
	return n, err
}

func readMySQLRows(rows *sql.Rows, types []*sql.ColumnType, sink Sink) error {
	columns := make([]Column, len(types))
	kinds := make([]kind, len(types))
	for i, t := range types {
		columns[i] = Column{Name: t.Name(), Type: t.DatabaseTypeName()}
		kinds[i] = mysqlKind(t.DatabaseTypeName())
	}
	sink.ResultSet(columns)
	scanned := make([]any, len(types))
	dest := make([]any, len(types))
	for i := range scanned {
		dest[i] = &scanned[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		values := make([]any, len(types))
		for i, v := range scanned {
			if v != nil {
				values[i] = kinds[i].value(mysqlText(v))
			}
		}
		sink.Row(values)
	}
	return rows.Err()
}

// mysqlText returns the text of a value as the server sent it; the driver parses integers and
// floats, the rest stays bytes.
func mysqlText(v any) []byte {
	switch v := v.(type) {
	case []byte:
		return v
	case int64:
		return strconv.AppendInt(nil, v, 10)
	case uint64:
		return strconv.AppendUint(nil, v, 10)
	case float32:
		return strconv.AppendFloat(nil, float64(v), 'g', -1, 32)
	case float64:
		return strconv.AppendFloat(nil, v, 'g', -1, 64)
	}
	return fmt.Append(nil, v)
}

func mysqlKind(typeName string) kind {
	switch strings.TrimPrefix(typeName, "UNSIGNED ") {
	case "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "BIGINT", "YEAR":
		return kindInt
	case "FLOAT":
		return kindFloat32
	case "DOUBLE":
		return kindFloat64
	case "DATETIME":
		return kindTimestamp
	case "TIMESTAMP":
		return kindTimestampTZ
	case "BINARY", "VARBINARY", "TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB", "GEOMETRY":
		return kindBytes
	case "BIT":
		return kindBits
	case "JSON":
		return kindJSON
	}
	return kindText
}

// kill ends the server side of the session after a timeout. It is best effort: if it fails the
// server still notices the dropped connection at its next write.
func (s *mysqlSession) kill() {
	ctx, cancel := context.WithTimeout(context.Background(), killTimeout)
	defer cancel()
	_, _ = s.db.ExecContext(ctx, "KILL "+strconv.FormatInt(s.id, 10))
}
