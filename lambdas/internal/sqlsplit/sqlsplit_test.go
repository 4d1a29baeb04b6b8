package sqlsplit

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// st builds an expected statement.
func st(line int, text string) Statement { return Statement{Text: text, Line: line} }

func TestSplit(t *testing.T) {
	tests := []struct {
		name    string
		dialect Dialect
		script  string
		want    []Statement
	}{
		{"empty", MySQL, "", nil},
		{"only comments and semicolons", PostgreSQL, "-- a\n;;\n/* b */ ;\n", nil},
		{"trailing statement without terminator", MySQL, "SELECT 1;\nSELECT 2", []Statement{st(1, "SELECT 1"), st(2, "SELECT 2")}},
		{"leading comments are dropped, line of first code", PostgreSQL, "\n-- intro\n/* more */\n  SELECT 1 -- tail\n;",
			[]Statement{st(4, "SELECT 1 -- tail")}},
		{"byte order mark", MySQL, "\uFEFFSELECT 1;", []Statement{st(1, "SELECT 1")}},
		{"CRLF lines", MySQL, "SELECT 1;\r\nSELECT 2;\r\n", []Statement{st(1, "SELECT 1"), st(2, "SELECT 2")}},

		// MySQL quoting.
		{"mysql single quotes with doubled and backslash escapes", MySQL, `SELECT 'a;''b\';c';SELECT 2`,
			[]Statement{st(1, `SELECT 'a;''b\';c'`), st(1, "SELECT 2")}},
		{"mysql double quotes with backslash", MySQL, `SELECT "x\";y";SELECT 2`,
			[]Statement{st(1, `SELECT "x\";y"`), st(1, "SELECT 2")}},
		{"mysql backticks double, no backslash escape", MySQL, "SELECT `a;``b\\`;SELECT 2",
			[]Statement{st(1, "SELECT `a;``b\\`"), st(1, "SELECT 2")}},
		{"mysql hash comment", MySQL, "SELECT 1 # c;\n;SELECT 2", []Statement{st(1, "SELECT 1 # c;"), st(2, "SELECT 2")}},
		{"mysql -- needs a space", MySQL, "SELECT 1--1;\nSELECT 2 -- c;\n;", []Statement{st(1, "SELECT 1--1"), st(2, "SELECT 2 -- c;")}},
		{"mysql -- followed by tab or end", MySQL, "SELECT 1 --\t;\n;SELECT 2 --", []Statement{st(1, "SELECT 1 --\t;"), st(2, "SELECT 2 --")}},
		{"mysql block comments do not nest", MySQL, "SELECT /* /* */ 1; SELECT 2", []Statement{st(1, "SELECT /* /* */ 1"), st(1, "SELECT 2")}},
		{"mysql executable comment is code", MySQL, "/*!40101 SET NAMES utf8mb4 */;\n/*M!100100 SET @a=1 */;\n/* plain */;",
			[]Statement{st(1, "/*!40101 SET NAMES utf8mb4 */"), st(2, "/*M!100100 SET @a=1 */")}},
		{"mysql dollar is plain", MySQL, "SELECT '$$';SELECT $$", []Statement{st(1, "SELECT '$$'"), st(1, "SELECT $$")}},

		// DELIMITER.
		{"delimiter for a procedure", MySQL,
			"DELIMITER $$\nCREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\n  SELECT 2;\nEND$$\nDELIMITER ;\nCALL p();\n",
			[]Statement{st(2, "CREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\n  SELECT 2;\nEND"), st(8, "CALL p()")}},
		{"delimiter lower case, indented, trailing words ignored", MySQL,
			"  delimiter // ignored\nSELECT 1; SELECT 2//\n\tDELIMITER ;\nSELECT 3;",
			[]Statement{st(2, "SELECT 1; SELECT 2"), st(4, "SELECT 3")}},
		{"delimiter inside a statement is text", MySQL, "SELECT a,\ndelimiter FROM t;",
			[]Statement{st(1, "SELECT a,\ndelimiter FROM t")}},
		{"delimiter after a comment line", MySQL, "-- c\nDELIMITER ||\nSELECT 1||", []Statement{st(3, "SELECT 1")}},
		{"delimiterx is a word", MySQL, "delimiterx;", []Statement{st(1, "delimiterx")}},
		{"delimiter in a quote is text", MySQL, "DELIMITER $$\nSELECT '$$'$$", []Statement{st(2, "SELECT '$$'")}},

		// PostgreSQL quoting.
		{"pg standard strings keep backslashes", PostgreSQL, `SELECT 'a\';SELECT 'b'';c'`,
			[]Statement{st(1, `SELECT 'a\'`), st(1, `SELECT 'b'';c'`)}},
		{"pg E strings escape", PostgreSQL, `SELECT E'a\';b', e'\\';SELECT 2`,
			[]Statement{st(1, `SELECT E'a\';b', e'\\'`), st(1, "SELECT 2")}},
		{"pg word ending in e is not an E string", PostgreSQL, `SELECT type'a\';SELECT 2`,
			[]Statement{st(1, `SELECT type'a\'`), st(1, "SELECT 2")}},
		{"pg quoted identifier", PostgreSQL, `SELECT 1 AS "a;""b";SELECT 2`, []Statement{st(1, `SELECT 1 AS "a;""b"`), st(1, "SELECT 2")}},
		{"pg -- needs no space, # is an operator", PostgreSQL, "SELECT 1--;\n;SELECT 2 # 3;", []Statement{st(1, "SELECT 1--;"), st(2, "SELECT 2 # 3")}},
		{"pg nested block comments", PostgreSQL, "SELECT /* a /* ; */ ; */ 1;SELECT 2", []Statement{st(1, "SELECT /* a /* ; */ ; */ 1"), st(1, "SELECT 2")}},
		{"pg backtick is plain", PostgreSQL, "SELECT '`';SELECT `", []Statement{st(1, "SELECT '`'"), st(1, "SELECT `")}},
		{"pg dollar quotes", PostgreSQL,
			"CREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$ LANGUAGE plpgsql;\nSELECT $tag$ $$ ; $tag$;",
			[]Statement{st(1, "CREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$ LANGUAGE plpgsql"), st(6, "SELECT $tag$ $$ ; $tag$")}},
		{"pg positional parameter and identifier dollars", PostgreSQL, "SELECT $1, a$b$ FROM t;SELECT 2",
			[]Statement{st(1, "SELECT $1, a$b$ FROM t"), st(1, "SELECT 2")}},
		{"pg semicolon in parentheses", PostgreSQL, "CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2);SELECT 3",
			[]Statement{st(1, "CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2)"), st(1, "SELECT 3")}},
		{"pg begin atomic", PostgreSQL,
			"CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN true THEN 1 END;\n  SELECT 2;\nEND;\nBEGIN;\nEND;",
			[]Statement{st(1, "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN true THEN 1 END;\n  SELECT 2;\nEND"),
				st(6, "BEGIN"), st(7, "END")}},
		{"pg begin outside a routine", PostgreSQL, "BEGIN;\nSELECT 1;\nCOMMIT;", []Statement{st(1, "BEGIN"), st(2, "SELECT 1"), st(3, "COMMIT")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Split(tt.script, tt.dialect)
			if err != nil {
				t.Fatalf("Split: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Split(%q)\n got %+v\nwant %+v", tt.script, got, tt.want)
			}
		})
	}
}

func TestSplitErrors(t *testing.T) {
	tests := []struct {
		name    string
		dialect Dialect
		script  string
		want    string
	}{
		{"unterminated single quote", MySQL, "SELECT 1;\nSELECT 'a", "line 2: unterminated quoted text (')"},
		{"backslash escapes the closing quote", MySQL, `SELECT 'a\'`, "line 1: unterminated quoted text (')"},
		{"unterminated backtick", MySQL, "SELECT `a", "line 1: unterminated quoted text (`)"},
		{"unterminated comment", PostgreSQL, "SELECT 1;\n\n/* a /* b */", "line 3: unterminated comment"},
		{"unterminated dollar quote", PostgreSQL, "SELECT $fn$ body $$", "line 1: unterminated dollar-quoted string $fn$"},
		{"unterminated E string", PostgreSQL, `SELECT E'\'`, "line 1: unterminated quoted text (')"},
		{"delimiter without value", MySQL, "SELECT 1;\nDELIMITER\nSELECT 2", "line 2: DELIMITER needs a delimiter"},
		{"delimiter with backslash", MySQL, `DELIMITER \\`, "line 1: DELIMITER cannot contain a backslash"},
		{"unknown dialect", Dialect(0), "SELECT 1", "unknown dialect 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Split(tt.script, tt.dialect)
			if !errors.Is(err, ErrSyntax) || !strings.HasSuffix(err.Error(), tt.want) {
				t.Errorf("Split(%q) error = %v, want ErrSyntax ending in %q", tt.script, err, tt.want)
			}
		})
	}
}

func TestSplitLongScriptIsLinear(t *testing.T) {
	script := strings.Repeat("INSERT INTO t VALUES (1, 'a;b');\n", 200_000)
	got, err := Split(script, MySQL)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 200_000 || got[len(got)-1].Line != 200_000 {
		t.Fatalf("got %d statements, last on line %d", len(got), got[len(got)-1].Line)
	}
}

func FuzzSplit(f *testing.F) {
	for _, seed := range []string{
		"SELECT 1; SELECT 'a;''b\\'';",
		"DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\nDELIMITER ;\nCALL p();",
		"SELECT $a$ ; $a$, E'\\'';\n/* /* */ */ -- x\n# y\n",
		"CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END; SELECT (1;2);",
		"SELECT `x;`, \"y;\" -- c\n;/*!40101 SET a=1 */;",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, script string) {
		for _, d := range []Dialect{MySQL, PostgreSQL} {
			checkSplit(t, script, d)
		}
	})
}

// checkSplit asserts what must hold for any script: statements are non-empty, trimmed, come from
// the script, in order of their lines; and, without DELIMITER, each statement split on its own
// is that one statement again.
func checkSplit(t *testing.T, script string, d Dialect) {
	stmts, err := Split(script, d)
	if err != nil {
		if !errors.Is(err, ErrSyntax) {
			t.Fatalf("error without ErrSyntax: %v", err)
		}
		return
	}
	lines := strings.Count(script, "\n") + 1
	prev := 1
	for i, s := range stmts {
		if s.Text == "" || strings.Trim(s.Text, " \t\r\n\f\v") != s.Text {
			t.Fatalf("statement %d not trimmed: %q", i, s.Text)
		}
		if !strings.Contains(script, s.Text) {
			t.Fatalf("statement %d not in the script: %q", i, s.Text)
		}
		if s.Line < prev || s.Line > lines {
			t.Fatalf("statement %d on line %d after line %d (script has %d lines)", i, s.Line, prev, lines)
		}
		prev = s.Line
		if d == MySQL && strings.Contains(strings.ToLower(script), "delimiter") {
			continue
		}
		alone, err := Split(s.Text, d)
		if err != nil || len(alone) != 1 || alone[0] != (Statement{Text: s.Text, Line: 1}) {
			t.Fatalf("statement %d %q split alone gives %+v, %v", i, s.Text, alone, err)
		}
	}
}
