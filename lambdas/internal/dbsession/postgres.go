package dbsession

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

type pgSession struct {
	conn    *pgconn.PgConn
	types   *pgtype.Map
	timeout time.Duration
}

func openPostgres(ctx context.Context, p Params) (Session, error) {
	// The connection string only stops PG* environment variables from choosing a mode; the TLS
	// configuration is replaced below and the fallbacks, which would include plaintext, dropped.
	cfg, err := pgconn.ParseConfig("sslmode=require")
	if err != nil {
		return nil, err
	}
	cfg.Host, cfg.Port = p.Host, uint16(p.Port)
	cfg.User, cfg.Password, cfg.Database = p.User, p.Password, p.Database
	cfg.TLSConfig, cfg.Fallbacks = p.TLS, nil
	cfg.ConnectTimeout = connectTimeout
	cfg.RuntimeParams = map[string]string{
		"application_name": "refreshgen-run-sql",
		// The server enforces the timeout and keeps the session usable afterwards.
		"statement_timeout": strconv.FormatInt(p.StatementTimeout.Milliseconds(), 10),
		// Text formats that values.go reads: ISO dates in UTC, hex bytea, shortest exact floats.
		"TimeZone":           "UTC",
		"DateStyle":          "ISO, YMD",
		"IntervalStyle":      "iso_8601",
		"bytea_output":       "hex",
		"extra_float_digits": "1",
	}
	conn, err := pgconn.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return &pgSession{conn: conn, types: pgtype.NewMap(), timeout: p.StatementTimeout}, nil
}

func (s *pgSession) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	return s.conn.Close(ctx)
}

// Run uses the simple query protocol: no prepare step, text results, one command tag.
func (s *pgSession) Run(ctx context.Context, statement string, sink Sink) (int64, error) {
	results := s.conn.Exec(ctx, statement)
	affected := int64(-1)
	for results.NextResult() {
		rr := results.ResultReader()
		fields := rr.FieldDescriptions()
		if len(fields) > 0 {
			s.readRows(rr, fields, sink)
		}
		tag, err := rr.Close()
		if err != nil {
			results.Close()
			return -1, s.classify(err)
		}
		// A SELECT tag counts returned rows; only DML (also with RETURNING) changes rows.
		if len(fields) == 0 || tag.Insert() || tag.Update() || tag.Delete() {
			affected = tag.RowsAffected()
		}
	}
	return affected, s.classify(results.Close())
}

func (s *pgSession) readRows(rr *pgconn.ResultReader, fields []pgconn.FieldDescription, sink Sink) {
	columns := make([]Column, len(fields))
	kinds := make([]kind, len(fields))
	for i, f := range fields {
		columns[i] = Column{Name: f.Name, Type: s.typeName(f.DataTypeOID)}
		kinds[i] = pgKind(f.DataTypeOID)
	}
	sink.ResultSet(columns)
	for rr.NextRow() {
		values := make([]any, len(fields))
		for i, raw := range rr.Values() {
			if raw != nil {
				values[i] = kinds[i].value(raw)
			}
		}
		sink.Row(values)
	}
}

func (s *pgSession) typeName(oid uint32) string {
	if t, ok := s.types.TypeForOID(oid); ok {
		return t.Name
	}
	return fmt.Sprintf("oid:%d", oid)
}

// classify reports the server's statement_timeout cancellation as ErrStatementTimeout.
func (s *pgSession) classify(err error) error {
	if pgErr, ok := errors.AsType[*pgconn.PgError](err); ok && pgErr.Code == "57014" && strings.Contains(pgErr.Message, "statement timeout") {
		return timeoutError(s.timeout)
	}
	return err
}

func pgKind(oid uint32) kind {
	switch oid {
	case pgtype.Int2OID, pgtype.Int4OID, pgtype.Int8OID, pgtype.OIDOID:
		return kindInt
	case pgtype.Float4OID:
		return kindFloat32
	case pgtype.Float8OID:
		return kindFloat64
	case pgtype.BoolOID:
		return kindBool
	case pgtype.TimestampOID:
		return kindTimestamp
	case pgtype.TimestamptzOID:
		return kindTimestampTZ
	case pgtype.ByteaOID:
		return kindHexBytes
	case pgtype.JSONOID, pgtype.JSONBOID:
		return kindJSON
	}
	return kindText
}
