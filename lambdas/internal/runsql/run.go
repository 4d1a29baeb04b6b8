package runsql

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/refreshgen/refreshgen/lambdas/internal/dbsession"
	"github.com/refreshgen/refreshgen/lambdas/internal/fault"
)

// Bounds that keep a result inside the 256 KiB that a Step Functions state may carry. They
// count statements and row bytes, never timings, so the same data truncates the same way.
const (
	maxListedStatements = 200
	rowBudgetBytes      = 128 << 10
	maxTextRunes        = 100
)

// Outcomes of a run.
const (
	OutcomeCommitted  = "committed"   // mode transaction, every statement succeeded
	OutcomeCompleted  = "completed"   // mode statements, every statement succeeded
	OutcomeRolledBack = "rolled_back" // mode transaction, a statement failed
	OutcomeStopped    = "stopped"     // mode statements, a statement failed
)

// Result is the output of a successful run. A failed run returns an error instead and logs
// its Result, with the failed statement's error, at level ERROR.
type Result struct {
	Engine              dbsession.Engine  `json:"engine"`
	Database            string            `json:"database"`
	Mode                Mode              `json:"mode"`
	Outcome             string            `json:"outcome"`
	DurationMS          int64             `json:"duration_ms"`
	Scripts             []ScriptSummary   `json:"scripts"`
	StatementsTotal     int               `json:"statements_total"`
	StatementsRun       int               `json:"statements_run"`
	RowsAffected        int64             `json:"rows_affected"`
	Statements          []StatementResult `json:"statements"`
	StatementsTruncated bool              `json:"statements_truncated"`
}

// ScriptSummary describes one script of the event.
type ScriptSummary struct {
	Source     string `json:"source"` // "inline" or "s3://bucket/key"
	Statements int    `json:"statements"`
}

// StatementResult is what one statement did.
type StatementResult struct {
	Index  int    `json:"index"`  // 1-based in the run
	Script int    `json:"script"` // 1-based in the event's scripts
	Line   int    `json:"line"`   // 1-based in its script
	Text   string `json:"text"`   // first line, at most 100 characters, "…" when cut
	// RowsAffected is what the server reported as changed; absent for statements that only
	// return rows.
	RowsAffected *int64      `json:"rows_affected,omitempty"`
	DurationMS   int64       `json:"duration_ms"`
	ResultSets   []ResultSet `json:"result_sets,omitempty"`
	Error        string      `json:"error,omitempty"`
}

// ResultSet holds the rows a statement returned, each row an array in column order.
type ResultSet struct {
	Columns   []dbsession.Column `json:"columns"`
	Rows      []json.RawMessage  `json:"rows"`
	RowCount  int64              `json:"row_count"` // all rows the server returned
	Truncated bool               `json:"truncated"` // Rows holds fewer than RowCount
}

// collector is the Sink of one statement: it keeps at most maxRows rows per result set, and
// a row whose JSON does not fit what is left of the run's budget truncates its result set.
type collector struct {
	maxRows int
	budget  *int
	sets    []ResultSet
	err     error
}

func (c *collector) ResultSet(columns []dbsession.Column) {
	c.sets = append(c.sets, ResultSet{Columns: columns, Rows: []json.RawMessage{}})
}

func (c *collector) Row(values []any) {
	set := &c.sets[len(c.sets)-1]
	set.RowCount++
	if set.Truncated || c.err != nil {
		return
	}
	row, err := json.Marshal(values)
	switch {
	case err != nil:
		c.err = fmt.Errorf("encoding row %d: %w", set.RowCount, err)
	case len(set.Rows) == c.maxRows || len(row) > *c.budget:
		set.Truncated = true
	default:
		*c.budget -= len(row)
		set.Rows = append(set.Rows, row)
	}
}

// runner executes the statements of one run on one session.
type runner struct {
	session dbsession.Session
	log     *slog.Logger
	red     redactor
	mode    Mode
	maxRows int
	budget  int
	result  *Result
}

// run executes all statements as the mode says and fills r.result.
func (r *runner) run(ctx context.Context, stmts []statement) error {
	if r.mode == ModeTransaction {
		if err := r.control(ctx, "BEGIN"); err != nil {
			return err
		}
	}
	for _, st := range stmts {
		sr, err := r.exec(ctx, st)
		r.record(sr, err != nil)
		if err != nil {
			return r.fail(ctx, st, err)
		}
	}
	if r.mode == ModeTransaction {
		if err := r.control(ctx, "COMMIT"); err != nil {
			r.result.Outcome = OutcomeRolledBack
			return err
		}
		r.result.Outcome = OutcomeCommitted
		return nil
	}
	r.result.Outcome = OutcomeCompleted
	return nil
}

func (r *runner) exec(ctx context.Context, st statement) (StatementResult, error) {
	sink := &collector{maxRows: r.maxRows, budget: &r.budget}
	start := time.Now()
	affected, err := r.session.Run(ctx, st.Text, sink)
	sr := StatementResult{Index: st.index, Script: st.script, Line: st.Line, Text: r.red.text(summary(st.Text)),
		DurationMS: time.Since(start).Milliseconds(), ResultSets: sink.sets}
	err = errors.Join(err, sink.err)
	if err != nil {
		sr.Error = r.red.text(err.Error())
		r.log.Error("statement failed", "index", sr.Index, "script", sr.Script, "line", sr.Line, "duration_ms", sr.DurationMS, "error", sr.Error)
		return sr, err
	}
	if affected >= 0 {
		sr.RowsAffected = &affected
		r.result.RowsAffected += affected
	}
	r.log.Info("statement done", "index", sr.Index, "script", sr.Script, "line", sr.Line, "duration_ms", sr.DurationMS, "rows_affected", affected)
	return sr, nil
}

// record lists the statement while the list has room; a failed statement is always listed.
func (r *runner) record(sr StatementResult, failed bool) {
	r.result.StatementsRun++
	if len(r.result.Statements) < maxListedStatements || failed {
		r.result.Statements = append(r.result.Statements, sr)
		return
	}
	r.result.StatementsTruncated = true
}

// control runs BEGIN or COMMIT of mode transaction.
func (r *runner) control(ctx context.Context, statement string) error {
	if _, err := r.session.Run(ctx, statement, nil); err != nil {
		return fault.Errorf(fault.StatementFailed, "%s failed: %s; nothing of this run is committed", statement, r.red.text(err.Error()))
	}
	return nil
}

// fail ends a run after statement st failed with err and says what became of the others.
func (r *runner) fail(ctx context.Context, st statement, err error) error {
	var consequence string
	if r.mode == ModeTransaction {
		r.result.Outcome = OutcomeRolledBack
		// After a timeout on MySQL the connection is gone and the server has rolled back already.
		_, _ = r.session.Run(ctx, "ROLLBACK", nil)
		consequence = "the transaction was rolled back: nothing of this run is committed"
	} else {
		r.result.Outcome = OutcomeStopped
		consequence = fmt.Sprintf("statements before it (%d) stay committed, except in a transaction the script opened itself, which is rolled back; statements after it (%d) were not run",
			st.index-1, r.result.StatementsTotal-st.index)
	}
	name, what := fault.StatementFailed, "failed"
	if errors.Is(err, dbsession.ErrStatementTimeout) {
		name, what = fault.StatementTimeout, "timed out"
	}
	return fault.Errorf(name, "statement %d of %d (script %d %s, line %d: %s) %s: %s; %s",
		st.index, r.result.StatementsTotal, st.script, r.result.Scripts[st.script-1].Source, st.Line,
		r.red.text(summary(st.Text)), what, r.red.text(err.Error()), consequence)
}

// summary returns the first line of a statement, at most maxTextRunes characters, with "…"
// when anything was left out.
func summary(text string) string {
	first, rest, more := strings.Cut(text, "\n")
	first = strings.TrimRight(first, " \t\r")
	if utf8.RuneCountInString(first) > maxTextRunes {
		return string([]rune(first)[:maxTextRunes]) + "…"
	}
	if more && strings.TrimSpace(rest) != "" {
		return first + " …"
	}
	return first
}
