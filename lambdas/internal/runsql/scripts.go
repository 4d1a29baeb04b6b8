package runsql

import (
	"context"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/refreshgen/refreshgen/lambdas/internal/dbsession"
	"github.com/refreshgen/refreshgen/lambdas/internal/fault"
	"github.com/refreshgen/refreshgen/lambdas/internal/sqlsplit"
)

// statement is one statement of the run with its place in the scripts.
type statement struct {
	sqlsplit.Statement
	index  int // 1-based in the run
	script int // 1-based in the event
}

// loadStatements reads and splits every script, and checks that the statements can run in the
// event's mode, all before any connection is made.
func (h *Handler) loadStatements(ctx context.Context, ev *Event) ([]statement, []ScriptSummary, error) {
	var all []statement
	summaries := make([]ScriptSummary, len(ev.Scripts))
	for i, s := range ev.Scripts {
		text, err := h.scriptText(ctx, s)
		if err != nil {
			return nil, nil, err
		}
		stmts, err := parseScript(text, ev.Engine.Dialect())
		if err != nil {
			return nil, nil, fault.Errorf(fault.InvalidScript, "script %d (%s): %w", i+1, s.source(), err)
		}
		summaries[i] = ScriptSummary{Source: s.source(), Statements: len(stmts)}
		for _, st := range stmts {
			all = append(all, statement{Statement: st, index: len(all) + 1, script: i + 1})
		}
	}
	if ev.Mode == ModeTransaction {
		if err := checkTransactional(ev.Engine, all); err != nil {
			return nil, nil, err
		}
	}
	return all, summaries, nil
}

func (h *Handler) scriptText(ctx context.Context, s Script) (string, error) {
	if s.SQL != "" {
		return s.SQL, nil
	}
	out, err := h.Objects.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.S3Bucket), Key: aws.String(s.S3Key)})
	if err != nil {
		return "", fault.Errorf(fault.ScriptUnavailable, "reading %s: %w", s.source(), err)
	}
	defer out.Body.Close()
	data, err := io.ReadAll(io.LimitReader(out.Body, maxScriptBytes+1))
	switch {
	case err != nil:
		return "", fault.Errorf(fault.ScriptUnavailable, "reading %s: %w", s.source(), err)
	case len(data) > maxScriptBytes:
		return "", fault.Errorf(fault.InvalidScript, "%s is larger than %d bytes", s.source(), maxScriptBytes)
	}
	return string(data), nil
}

func parseScript(text string, d sqlsplit.Dialect) ([]sqlsplit.Statement, error) {
	if !utf8.ValidString(text) {
		return nil, fmt.Errorf("line %d is not valid UTF-8", invalidUTF8Line(text))
	}
	stmts, err := sqlsplit.Split(text, d)
	if err == nil && len(stmts) == 0 {
		err = fmt.Errorf("it holds no statement")
	}
	return stmts, err
}

func invalidUTF8Line(s string) int {
	line := 1
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") {
			break
		}
		if r == '\n' {
			line++
		}
	}
	return line
}

// checkTransactional refuses statements that would silently break the all-or-nothing promise
// of mode transaction: statements that end or start transactions themselves, and on MySQL the
// statements that commit implicitly (DDL, account and lock statements).
func checkTransactional(engine dbsession.Engine, stmts []statement) error {
	var problems []string
	for _, st := range stmts {
		if reason := nonTransactional(engine, st.Text); reason != "" {
			problems = append(problems, fmt.Sprintf("script %d line %d (%s): %s", st.script, st.Line, summary(st.Text), reason))
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return fault.Errorf(fault.InvalidScript, "mode transaction cannot hold these statements, use mode statements: %s",
		strings.Join(problems, "; "))
}

// mysqlImplicitCommit lists the first words of MySQL statements that commit the open transaction.
var mysqlImplicitCommit = map[string]bool{
	"alter": true, "create": true, "drop": true, "rename": true, "truncate": true, "grant": true, "revoke": true,
	"lock": true, "unlock": true, "flush": true, "analyze": true, "optimize": true, "repair": true,
	"install": true, "uninstall": true,
}

func nonTransactional(engine dbsession.Engine, text string) string {
	first, second := leadingWords(text)
	switch {
	case first == "commit" || first == "rollback" || first == "end" || first == "abort",
		first == "begin" && second != "not", // MariaDB's BEGIN NOT ATOMIC is a block, not a transaction
		first == "start" && second == "transaction",
		first == "prepare" && second == "transaction":
		return "it controls the transaction that the mode manages"
	case engine == dbsession.MySQL && mysqlImplicitCommit[first] && second != "temporary":
		return "MySQL commits implicitly before it, so it could not be rolled back"
	}
	return ""
}

// leadingWords returns the first two words of a statement in lower case; MySQL's /*!NNNNN
// version comments only add digits, which are not words.
func leadingWords(text string) (string, string) {
	words := strings.FieldsFunc(text[:min(len(text), 200)], func(r rune) bool { return !unicode.IsLetter(r) })
	words = append(words, "", "")
	return strings.ToLower(words[0]), strings.ToLower(words[1])
}
