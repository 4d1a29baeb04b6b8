package runsql

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/refreshgen/refreshgen/lambdas/internal/awstest"
	"github.com/refreshgen/refreshgen/lambdas/internal/dbsession"
	"github.com/refreshgen/refreshgen/lambdas/internal/dbtest"
	"github.com/refreshgen/refreshgen/lambdas/internal/fault"
)

// The tests below run the handler end to end against the real MariaDB and PostgreSQL servers of
// scripts/dbservers, with the AWS calls going to awstest. Every run also checks that the
// database password appears in neither the result, the error nor the logs.

// harness is one engine's server with a fresh database, a fake AWS holding its secret, and a
// handler wired to both.
type harness struct {
	t      *testing.T
	server dbtest.Server
	aws    *awstest.Server
	logs   *syncBuffer
	h      *Handler
}

func newHarness(t *testing.T, engine dbsession.Engine) *harness {
	t.Helper()
	server := dbtest.For(t, engine).NewDatabase(t)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, server.CAPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	aws := awstest.New(t)
	secret, _ := json.Marshal(map[string]string{"username": server.User, "password": server.Password})
	aws.PutSecret(testSecretARN, string(secret))
	logs := &syncBuffer{}
	return &harness{t: t, server: server, aws: aws, logs: logs, h: &Handler{
		Secrets: aws.SecretsManager(), Objects: aws.S3(), Connect: dbsession.Open, CAFile: caFile,
		Logger: slog.New(slog.NewJSONHandler(logs, nil)),
	}}
}

// event returns an event for the harness database running scripts in mode.
func (hs *harness) event(mode Mode, scripts ...string) map[string]any {
	list := make([]map[string]any, len(scripts))
	for i, s := range scripts {
		list[i] = map[string]any{"sql": s}
	}
	return map[string]any{
		"engine": hs.server.Engine, "secret_arn": testSecretARN, "host": hs.server.Host, "port": hs.server.Port,
		"database": hs.server.Database, "mode": mode, "scripts": list, "statement_timeout_seconds": 10,
	}
}

// run invokes the handler and checks that the password leaked nowhere.
func (hs *harness) run(ev map[string]any) (*Result, error) {
	hs.t.Helper()
	out, err := hs.h.Handle(context.Background(), eventJSON(hs.t, ev))
	for what, text := range map[string]string{"result": string(out), "logs": hs.logs.String()} {
		if strings.Contains(text, hs.server.Password) {
			hs.t.Errorf("the password appears in the %s:\n%s", what, text)
		}
	}
	if err != nil {
		if strings.Contains(err.Error(), hs.server.Password) {
			hs.t.Errorf("the password appears in the error: %v", err)
		}
		return nil, err
	}
	var res Result
	if err := json.Unmarshal(out, &res); err != nil {
		hs.t.Fatalf("result is not JSON: %v\n%s", err, out)
	}
	return &res, nil
}

// mustRun runs the scripts and fails the test on error.
func (hs *harness) mustRun(mode Mode, scripts ...string) *Result {
	hs.t.Helper()
	res, err := hs.run(hs.event(mode, scripts...))
	if err != nil {
		hs.t.Fatalf("run failed: %v", err)
	}
	return res
}

// rows returns the JSON rows of the first result set of the last statement.
func (hs *harness) rows(res *Result) string {
	hs.t.Helper()
	last := res.Statements[len(res.Statements)-1]
	if len(last.ResultSets) == 0 {
		hs.t.Fatalf("statement %d returned no rows", last.Index)
	}
	data, _ := json.Marshal(last.ResultSets[0].Rows)
	return string(data)
}

// forEachEngine runs test against both servers in parallel.
func forEachEngine(t *testing.T, test func(t *testing.T, hs *harness)) {
	for _, engine := range dbtest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			test(t, newHarness(t, engine))
		})
	}
}

// assertRows checks the rows of the last statement.
func (hs *harness) assertRows(res *Result, want string) {
	hs.t.Helper()
	if got := hs.rows(res); got != want {
		hs.t.Errorf("rows\n got %s\nwant %s", got, want)
	}
}

// ddlMode is the mode for scripts with DDL: MySQL commits DDL implicitly, so mode transaction
// refuses it there; PostgreSQL DDL is transactional.
func (hs *harness) ddlMode() Mode {
	if hs.server.Engine == dbsession.MySQL {
		return ModeStatements
	}
	return ModeTransaction
}

// perEngine picks the engine's variant of a script.
func perEngine(hs *harness, mysql, postgres string) string {
	if hs.server.Engine == dbsession.MySQL {
		return mysql
	}
	return postgres
}

func TestDBConnectionUsesVerifiedTLS(t *testing.T) {
	forEachEngine(t, func(t *testing.T, hs *harness) {
		res := hs.mustRun(ModeStatements, perEngine(hs,
			"SHOW SESSION STATUS LIKE 'Ssl_version'",
			"SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
		got := hs.rows(res)
		if !strings.Contains(got, `"TLSv1.`) {
			t.Errorf("the session is not encrypted: %s", got)
		}
	})
}

func TestDBRefusesUntrustedServer(t *testing.T) {
	otherCA := newCAPEM(t)
	forEachEngine(t, func(t *testing.T, hs *harness) {
		ev := hs.event(ModeStatements, "SELECT 1")
		ev["ca_bundle_pem"] = otherCA
		_, err := hs.run(ev)
		assertFault(t, err, fault.ConnectionFailed, "certificate signed by unknown authority")

		ev = hs.event(ModeStatements, "SELECT 1")
		ev["tls_server_name"] = "db.example.com"
		_, err = hs.run(ev)
		assertFault(t, err, fault.ConnectionFailed, "not db.example.com")

		ev = hs.event(ModeStatements, "SELECT 1")
		ev["tls_server_name"] = "localhost" // the certificate's other name: still verified
		hs.mustRunEvent(ev)
	})
}

func (hs *harness) mustRunEvent(ev map[string]any) *Result {
	hs.t.Helper()
	res, err := hs.run(ev)
	if err != nil {
		hs.t.Fatalf("run failed: %v", err)
	}
	return res
}

func TestDBWrongPasswordIsAConnectionFailure(t *testing.T) {
	forEachEngine(t, func(t *testing.T, hs *harness) {
		hs.aws.PutSecret(testSecretARN, `{"username":"`+hs.server.User+`","password":"wrong-password-x"}`)
		_, err := hs.run(hs.event(ModeStatements, "SELECT 1"))
		assertFault(t, err, fault.ConnectionFailed)
		if strings.Contains(err.Error(), "wrong-password-x") {
			t.Errorf("error quotes the password: %v", err)
		}
	})
}

func TestDBTypes(t *testing.T) {
	forEachEngine(t, func(t *testing.T, hs *harness) {
		want := perEngine(hs, mysqlTypesWant, postgresTypesWant)
		hs.assertRows(hs.mustRun(hs.ddlMode(), perEngine(hs, mysqlTypes, postgresTypes)), want)
		// Deterministic: the same query gives the same bytes.
		again := hs.mustRun(ModeStatements, "SELECT * FROM t")
		if hs.rows(again) != want {
			t.Errorf("second read differs: %s", hs.rows(again))
		}
	})
}

const mysqlTypes = `CREATE TABLE t (
  id INT PRIMARY KEY, ti TINYINT, big BIGINT, ubig BIGINT UNSIGNED, dec38 DECIMAL(38,10), f FLOAT, d DOUBLE,
  dt DATE, dtm DATETIME(6), ts TIMESTAMP(6) NULL, tm TIME(3), yr YEAR, ch CHAR(3), vc VARCHAR(20), tx TEXT,
  bl BLOB, vb VARBINARY(8), bt BIT(10), js JSON, en ENUM('a','b'), bo BOOLEAN, nul INT
);
INSERT INTO t VALUES (1, -128, -9223372036854775808, 18446744073709551615, 1234567890123456789012345678.0123456789,
  1.5, 0.1, '2024-02-29', '2024-02-29 13:45:00.123456', '2024-02-29 13:45:00.5', '-838:59:59.000', 2024, 'ab',
  'héllo ✓', 'multi\nline', X'00FF6162', X'0102', b'1000000001', '{"b": [1, 2.50, null], "a": "x"}', 'b', TRUE, NULL);
SELECT * FROM t`

// MariaDB's JSON is a LONGTEXT alias, so it arrives as text; MySQL 8 (Aurora) sends a JSON type.
const mysqlTypesWant = `[[1,-128,-9223372036854775808,18446744073709551615,"1234567890123456789012345678.0123456789",` +
	`1.5,0.1,"2024-02-29","2024-02-29T13:45:00.123456","2024-02-29T13:45:00.5Z","-838:59:59.000",2024,"ab",` +
	`"héllo ✓","multi\nline","AP9hYg==","AQI=",513,"{\"b\": [1, 2.50, null], \"a\": \"x\"}","b",1,null]]`

const postgresTypes = `CREATE TABLE t (id int PRIMARY KEY, b boolean, i2 smallint, i8 bigint, num numeric(40,20), nan numeric,
  f4 real, f8 double precision, inf double precision, tx text, by bytea, d date, ts timestamp(6), tstz timestamptz,
  iv interval, u uuid, j json, jb jsonb, tm time, arr int[], ip inet, nul text);
SET TimeZone = 'Asia/Kolkata';
INSERT INTO t VALUES (1, true, -32768, 9223372036854775807, 12345678901234567890.12345678901234567890, 'NaN',
  1.5, 0.1, '-Infinity', E'multi\nline ✓', '\x00ff6162', '2024-02-29', '2024-02-29 13:45:00.123456',
  '2024-02-29 13:45:00.5+00', '1 year 2 mons 3 days 04:05:06.5', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
  '{"b": [1, 2.50, null], "a": "x"}', '{"b": [1, 2.50, null], "a": "x"}', '13:45:00', '{1,2,3}', '10.0.0.1/8', NULL);
SELECT * FROM t`

// The timestamptz comes back in the script's Asia/Kolkata zone (+05:30) and is rendered in UTC.
const postgresTypesWant = `[[1,true,-32768,9223372036854775807,"12345678901234567890.12345678901234567890","NaN",` +
	`1.5,0.1,"-Infinity","multi\nline ✓","AP9hYg==","2024-02-29","2024-02-29T13:45:00.123456","2024-02-29T13:45:00.5Z",` +
	`"P1Y2M3DT4H5M6.5S","a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",{"b":[1,2.50,null],"a":"x"},{"a":"x","b":[1,2.50,null]},` +
	`"13:45:00","{1,2,3}","10.0.0.1/8",null]]`

func TestDBSplitterEdgeCases(t *testing.T) {
	forEachEngine(t, func(t *testing.T, hs *harness) {
		res := hs.mustRun(hs.ddlMode(), perEngine(hs, mysqlEdgeCases, postgresEdgeCases))
		hs.assertRows(res, perEngine(hs, mysqlEdgeCasesWant, postgresEdgeCasesWant))
		var lines []int
		for _, st := range res.Statements {
			lines = append(lines, st.Line)
		}
		if got, want := jsonText(lines), perEngine(hs, "[3,4,6,11,16,17]", "[3,4,5,11,12,16,17]"); got != want {
			t.Errorf("statement lines = %s, want %s", got, want)
		}
		call := res.Statements[len(res.Statements)-2]
		if len(call.ResultSets) != 1 || call.RowsAffected != nil {
			t.Errorf("the call returned %d result sets, rows_affected %v", len(call.ResultSets), call.RowsAffected)
		}
	})
}

func jsonText(v any) string {
	data, _ := json.Marshal(v)
	return string(data)
}

const mysqlEdgeCases = `-- a comment; with a semicolon
# a hash comment; too
CREATE TABLE items (id INT PRIMARY KEY, note VARCHAR(100), ` + "`weird;col`" + ` INT);
INSERT INTO items VALUES (1, 'it\'s; fine', 1), (2, "double \"quoted\"; ok", 2), (3, 'doubled '' quote', 3); /* block; comment */
DELIMITER $$
CREATE PROCEDURE add_item(IN n INT)
BEGIN
  INSERT INTO items VALUES (n, CONCAT('item ', n, '; done'), n);
  SELECT COUNT(*) AS total FROM items;
END$$
CREATE TRIGGER items_bi BEFORE INSERT ON items FOR EACH ROW
BEGIN
  SET NEW.note = UPPER(NEW.note);
END$$
DELIMITER ;
CALL add_item(4);
SELECT id, note, ` + "`weird;col`" + ` FROM items ORDER BY id`

const mysqlEdgeCasesWant = `[[1,"it's; fine",1],[2,"double \"quoted\"; ok",2],[3,"doubled ' quote",3],[4,"ITEM 4; DONE",4]]`

const postgresEdgeCases = `-- a comment; with a semicolon
/* a nested /* comment; */ still a comment; */
CREATE TABLE items (id int PRIMARY KEY, note text, "weird;col" int);
INSERT INTO items VALUES (1, 'it''s; fine', 1), (2, E'escaped \' quote; ok', 2), (3, 'back\slash', 3);
CREATE FUNCTION add_item(n int) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO items VALUES (n, 'item ' || n || '; $tag$', n);
  RETURN (SELECT count(*) FROM items);
END;
$$;
CREATE FUNCTION shout(s text) RETURNS text LANGUAGE sql AS $body$ SELECT upper(s) || ';' $body$;
CREATE FUNCTION twice(n int) RETURNS int LANGUAGE sql
BEGIN ATOMIC
  SELECT n * 2;
END;
SELECT add_item(4) AS total, shout('hi') AS shouted, twice(21) AS doubled;
SELECT id, note, "weird;col" FROM items ORDER BY id`

const postgresEdgeCasesWant = `[[1,"it's; fine",1],[2,"escaped ' quote; ok",2],[3,"back\\slash",3],[4,"item 4; $tag$",4]]`

func TestDBTransactionModeRollsBackEverything(t *testing.T) {
	forEachEngine(t, func(t *testing.T, hs *harness) {
		hs.mustRun(ModeStatements, "CREATE TABLE t (id INT PRIMARY KEY)")
		_, err := hs.run(hs.event(ModeTransaction, "INSERT INTO t VALUES (1);\nINSERT INTO t VALUES (2);", "INSERT INTO t VALUES (1);\nINSERT INTO t VALUES (3);"))
		assertFault(t, err, fault.StatementFailed, "statement 3 of 4 (script 2 inline, line 1: INSERT INTO t VALUES (1)) failed",
			perEngine(hs, "Duplicate entry '1'", "duplicate key value"), "the transaction was rolled back: nothing of this run is committed")
		if got := hs.rows(hs.mustRun(ModeStatements, "SELECT COUNT(*) FROM t")); got != "[[0]]" {
			t.Errorf("rows left after the rollback: %s", got)
		}
		res := hs.mustRun(ModeTransaction, "INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)")
		if res.Outcome != OutcomeCommitted || res.RowsAffected != 2 {
			t.Errorf("outcome %s, rows affected %d", res.Outcome, res.RowsAffected)
		}
	})
}

func TestDBStatementsModeStopsAtTheFailure(t *testing.T) {
	forEachEngine(t, func(t *testing.T, hs *harness) {
		hs.mustRun(ModeStatements, "CREATE TABLE t (id INT PRIMARY KEY)")
		_, err := hs.run(hs.event(ModeStatements, "INSERT INTO t VALUES (1);\nINSERT INTO t VALUES (2);\nINSERT INTO t VALUES (1);\nINSERT INTO t VALUES (3);"))
		assertFault(t, err, fault.StatementFailed, "statement 3 of 4 (script 1 inline, line 3: INSERT INTO t VALUES (1)) failed",
			"statements before it (2) stay committed", "statements after it (1) were not run")
		if got := hs.rows(hs.mustRun(ModeStatements, "SELECT id FROM t ORDER BY id")); got != "[[1],[2]]" {
			t.Errorf("rows = %s, want the two statements before the failure", got)
		}
		if !strings.Contains(hs.logs.String(), `"msg":"run failed"`) {
			t.Errorf("the failed run's result was not logged:\n%s", hs.logs)
		}
	})
}

func TestDBStatementTimeout(t *testing.T) {
	forEachEngine(t, func(t *testing.T, hs *harness) {
		hs.mustRun(ModeStatements, "CREATE TABLE t (id INT PRIMARY KEY)")
		sleep := perEngine(hs, "SELECT SLEEP(5)", "SELECT pg_sleep(5)")
		ev := hs.event(ModeTransaction, "INSERT INTO t VALUES (1);\n"+sleep+";\nINSERT INTO t VALUES (2)")
		ev["statement_timeout_seconds"] = 1
		start := time.Now()
		_, err := hs.run(ev)
		if elapsed := time.Since(start); elapsed > 4*time.Second {
			t.Errorf("the timed-out run took %s", elapsed)
		}
		assertFault(t, err, fault.StatementTimeout, "statement 2 of 3", "timed out: statement timeout of 1s exceeded", "rolled back")
		if got := hs.rows(hs.mustRun(ModeStatements, "SELECT COUNT(*) FROM t")); got != "[[0]]" {
			t.Errorf("rows left after the timeout: %s", got)
		}
		// The statement must not keep running on the server.
		running := perEngine(hs, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO = 'SELECT SLEEP(5)'",
			"SELECT COUNT(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(5)' AND state = 'active'")
		deadline := time.Now().Add(2 * time.Second)
		for hs.rows(hs.mustRun(ModeStatements, running)) != "[[0]]" {
			if time.Now().After(deadline) {
				t.Fatal("the timed-out statement still runs on the server")
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

func TestDBSecretNeverLeaves(t *testing.T) {
	forEachEngine(t, func(t *testing.T, hs *harness) {
		pw := hs.server.Password
		quoted := perEngine(hs, "`"+pw+"`", `"`+pw+`"`)
		_, err := hs.run(hs.event(ModeStatements, "SELECT '"+pw+"' AS leak;\nSELECT * FROM "+quoted))
		assertFault(t, err, fault.StatementFailed, "[REDACTED]")
		if !strings.Contains(hs.logs.String(), `\"rows\":[[\"[REDACTED]\"]]`) && !strings.Contains(hs.logs.String(), `"rows":[["[REDACTED]"]]`) {
			t.Errorf("the selected secret was not redacted in the logged result:\n%s", hs.logs)
		}
		res := hs.mustRun(ModeStatements, "SELECT '"+pw+"' AS leak")
		if got := hs.rows(res); got != `[["[REDACTED]"]]` {
			t.Errorf("rows = %s", got)
		}
	})
}

func TestDBRowCap(t *testing.T) {
	forEachEngine(t, func(t *testing.T, hs *harness) {
		const series = "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 150) SELECT n FROM s"
		res := hs.mustRun(ModeStatements, series)
		set := res.Statements[0].ResultSets[0]
		if len(set.Rows) != 100 || set.RowCount != 150 || !set.Truncated {
			t.Errorf("default cap: %d rows kept of %d, truncated %v", len(set.Rows), set.RowCount, set.Truncated)
		}
		ev := hs.event(ModeStatements, series)
		ev["max_rows"] = 5
		set = hs.mustRunEvent(ev).Statements[0].ResultSets[0]
		if len(set.Rows) != 5 || set.RowCount != 150 || !set.Truncated || string(set.Rows[4]) != "[5]" {
			t.Errorf("max_rows 5: rows %s of %d, truncated %v", jsonText(set.Rows), set.RowCount, set.Truncated)
		}
	})
}

func TestDBResultStaysWithinStepFunctionsLimits(t *testing.T) {
	forEachEngine(t, func(t *testing.T, hs *harness) {
		res := hs.mustRun(ModeStatements, strings.Repeat("SELECT 1;\n", maxListedStatements+10))
		if len(res.Statements) != maxListedStatements || !res.StatementsTruncated || res.StatementsRun != maxListedStatements+10 {
			t.Errorf("listed %d of %d statements, truncated %v", len(res.Statements), res.StatementsRun, res.StatementsTruncated)
		}
		// Two rows of 100 000 bytes: the second would exceed the run's row budget.
		big := perEngine(hs, "SELECT REPEAT('x', 100000) UNION ALL SELECT REPEAT('y', 100000)",
			"SELECT repeat('x', 100000) UNION ALL SELECT repeat('y', 100000)")
		set := hs.mustRun(ModeStatements, big).Statements[0].ResultSets[0]
		if len(set.Rows) != 1 || set.RowCount != 2 || !set.Truncated {
			t.Errorf("kept %d of %d big rows, truncated %v", len(set.Rows), set.RowCount, set.Truncated)
		}
		out, _ := json.Marshal(res)
		if len(out) > 256<<10 {
			t.Errorf("result of %d bytes exceeds the Step Functions payload limit", len(out))
		}
	})
}

func TestDBScriptsFromS3AndConnectionFromSecret(t *testing.T) {
	forEachEngine(t, func(t *testing.T, hs *harness) {
		secret, _ := json.Marshal(map[string]any{"username": hs.server.User, "password": hs.server.Password,
			"host": hs.server.Host, "port": hs.server.Port, "dbname": hs.server.Database})
		hs.aws.PutSecret(testSecretARN, string(secret))
		hs.aws.PutObject("refresh-scripts", "app/01-schema.sql", []byte("CREATE TABLE t (id INT);\nINSERT INTO t VALUES (7);\n"))
		ev := hs.event(ModeStatements, "SELECT id FROM t")
		delete(ev, "host")
		delete(ev, "port")
		delete(ev, "database")
		ev["scripts"] = []map[string]any{{"s3_bucket": "refresh-scripts", "s3_key": "app/01-schema.sql"}, {"sql": "SELECT id FROM t"}}
		res := hs.mustRunEvent(ev)
		want := []ScriptSummary{{Source: "s3://refresh-scripts/app/01-schema.sql", Statements: 2}, {Source: "inline", Statements: 1}}
		if jsonText(res.Scripts) != jsonText(want) || hs.rows(res) != "[[7]]" || res.Database != hs.server.Database {
			t.Errorf("scripts %s, rows %s, database %s", jsonText(res.Scripts), hs.rows(res), res.Database)
		}
		if s := res.Statements[1]; s.Script != 1 || s.Line != 2 || s.Index != 2 || *s.RowsAffected != 1 || s.Text != "INSERT INTO t VALUES (7)" {
			t.Errorf("statement 2 = %+v", s)
		}
	})
}

// newCAPEM makes a CA certificate unrelated to the test servers'.
func newCAPEM(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "unrelated test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}
