// Package sqlsplit splits SQL scripts into single statements the way the mysql and psql clients do,
// so that each statement can be sent to the server on its own, with its own result and error.
//
// Sending a whole script as one multi-statement call hides which statement failed, cannot handle
// the client-side DELIMITER command and lets a script smuggle statements past any per-statement
// check. The splitter understands enough lexical structure (quotes, comments, dollar quotes,
// DELIMITER, BEGIN ATOMIC bodies) to find the real statement ends; it does not parse SQL.
package sqlsplit

import (
	"errors"
	"fmt"
	"strings"
)

// Dialect selects the lexical rules of one database engine.
type Dialect int

const (
	// MySQL follows the mysql client with the server's default SQL mode: backslash escapes in
	// quoted strings, backtick identifiers, "#" comments, "-- " comments that need a space or
	// control character after the dashes, and DELIMITER lines.
	MySQL Dialect = iota + 1
	// PostgreSQL follows psql with standard_conforming_strings on: backslashes are literal except
	// in E'...' strings, /* */ comments nest, dollar quotes ($$ or $tag$) hold bodies, and semicolons
	// inside parentheses or inside a CREATE FUNCTION/PROCEDURE ... BEGIN ATOMIC body do not end a
	// statement.
	PostgreSQL
)

// Statement is one statement of a script.
type Statement struct {
	// Text is the statement without its terminator, leading comments or surrounding white space.
	Text string
	// Line is the 1-based line of the script on which the statement text starts.
	Line int
}

// ErrSyntax is wrapped by every error Split returns.
var ErrSyntax = errors.New("SQL script syntax")

// Split returns the statements of script in order. Statements that hold nothing but white space
// and comments are skipped; the last statement needs no terminator. It fails on an unterminated
// quote, comment or dollar quote, and on a malformed DELIMITER line.
func Split(script string, d Dialect) ([]Statement, error) {
	if d != MySQL && d != PostgreSQL {
		return nil, fmt.Errorf("%w: unknown dialect %d", ErrSyntax, d)
	}
	s := &splitter{src: strings.TrimPrefix(script, "\uFEFF"), dialect: d, delim: ";", start: -1, lineNo: 1}
	if err := s.run(); err != nil {
		return nil, err
	}
	return s.stmts, nil
}

type splitter struct {
	src     string
	dialect Dialect
	pos     int
	stmts   []Statement

	delim string // MySQL: the current DELIMITER

	start     int // offset of the pending statement's first code byte, -1 when none
	startLine int

	lineOff, lineNo int // a known offset and its line, so that counting lines stays linear

	// PostgreSQL only, as psql tracks them.
	parens    int
	beginDeep int
	words     []string // first words of the pending statement, lower case
}

func (s *splitter) run() error {
	for s.pos < len(s.src) {
		if err := s.step(); err != nil {
			return err
		}
	}
	s.flush(len(s.src))
	return nil
}

// step consumes one lexical element at s.pos.
func (s *splitter) step() error {
	c := s.src[s.pos]
	switch {
	case s.dialect == MySQL && s.start < 0 && s.atDelimiterCommand():
		return s.delimiterCommand()
	case s.atTerminator():
		end := s.pos
		s.pos += len(s.delim)
		s.flush(end)
		return nil
	case isSpace(c):
		s.pos++
		return nil
	case s.atLineComment():
		s.skipLine()
		return nil
	case c == '/' && s.peek(1) == '*':
		return s.blockComment()
	case c == '\'' || c == '"' || (c == '`' && s.dialect == MySQL):
		s.markCode()
		return s.quoted(c, s.dialect == MySQL && c != '`')
	case s.dialect == PostgreSQL && c == '$':
		return s.dollar()
	case s.dialect == PostgreSQL && isIdentStart(c):
		return s.word()
	}
	s.markCode()
	if s.dialect == PostgreSQL {
		s.trackParen(c)
	}
	s.pos++
	return nil
}

func (s *splitter) peek(n int) byte {
	if s.pos+n < len(s.src) {
		return s.src[s.pos+n]
	}
	return 0
}

// line returns the 1-based line of offset. Offsets mostly grow, so it counts on from the last one.
func (s *splitter) line(offset int) int {
	if offset < s.lineOff {
		s.lineOff, s.lineNo = 0, 1
	}
	s.lineNo += strings.Count(s.src[s.lineOff:offset], "\n")
	s.lineOff = offset
	return s.lineNo
}

func (s *splitter) markCode() {
	if s.start < 0 {
		s.start = s.pos
		s.startLine = s.line(s.pos)
	}
}

// flush ends the pending statement at offset end and resets the per-statement state.
func (s *splitter) flush(end int) {
	if s.start >= 0 {
		text := strings.TrimRight(s.src[s.start:end], " \t\r\n\f\v")
		s.stmts = append(s.stmts, Statement{Text: text, Line: s.startLine})
	}
	s.start, s.parens, s.beginDeep, s.words = -1, 0, 0, nil
}

func (s *splitter) atTerminator() bool {
	if s.dialect == MySQL {
		return strings.HasPrefix(s.src[s.pos:], s.delim)
	}
	return s.src[s.pos] == ';' && s.parens == 0 && s.beginDeep == 0
}

func (s *splitter) atLineComment() bool {
	c := s.src[s.pos]
	if s.dialect == MySQL && c == '#' {
		return true
	}
	if c != '-' || s.peek(1) != '-' {
		return false
	}
	// MySQL only treats "--" as a comment when a space or control character follows, as its
	// server does: "1--1" is an expression, and so is "--" at the very end.
	return s.dialect == PostgreSQL || s.pos+2 < len(s.src) && (s.src[s.pos+2] <= ' ' || s.src[s.pos+2] == 0x7f)
}

func (s *splitter) skipLine() {
	if i := strings.IndexByte(s.src[s.pos:], '\n'); i >= 0 {
		s.pos += i + 1
		return
	}
	s.pos = len(s.src)
}

// blockComment skips a /* */ comment. MySQL's /*! and /*M! comments hold code the server runs,
// so they count as statement text; PostgreSQL comments nest.
func (s *splitter) blockComment() error {
	open := s.pos
	if s.dialect == MySQL && (s.peek(2) == '!' || (s.peek(2) == 'M' && s.peek(3) == '!')) {
		s.markCode()
	}
	depth := 0
	for s.pos < len(s.src) {
		switch {
		case strings.HasPrefix(s.src[s.pos:], "/*") && (depth == 0 || s.dialect == PostgreSQL):
			depth++
			s.pos += 2
		case strings.HasPrefix(s.src[s.pos:], "*/"):
			depth--
			s.pos += 2
			if depth == 0 {
				return nil
			}
		default:
			s.pos++
		}
	}
	return s.unterminated("comment", open)
}

// quoted skips a string or quoted identifier that opens with q at s.pos. A doubled quote stands
// for itself; with backslashes set, a backslash escapes the next byte.
func (s *splitter) quoted(q byte, backslashes bool) error {
	open := s.pos
	s.pos++
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case c == '\\' && backslashes:
			s.pos += 2
		case c == q && s.peek(1) == q:
			s.pos += 2
		case c == q:
			s.pos++
			return nil
		default:
			s.pos++
		}
	}
	return s.unterminated(fmt.Sprintf("quoted text (%c)", q), open)
}

// dollar skips a PostgreSQL dollar-quoted string; a "$" that opens none ($1, a$) is plain text.
func (s *splitter) dollar() error {
	s.markCode()
	tag, ok := dollarTag(s.src[s.pos:])
	if !ok {
		s.pos++
		return nil
	}
	open := s.pos
	s.pos += len(tag)
	i := strings.Index(s.src[s.pos:], tag)
	if i < 0 {
		return s.unterminated("dollar-quoted string "+tag, open)
	}
	s.pos += i + len(tag)
	return nil
}

// dollarTag returns the dollar-quote delimiter ($$ or $tag$) that src starts with.
func dollarTag(src string) (string, bool) {
	for i := 1; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '$':
			return src[:i+1], true
		case isIdentStart(c), i > 1 && c >= '0' && c <= '9':
		default:
			return "", false
		}
	}
	return "", false
}

// word consumes a PostgreSQL identifier or keyword. It follows psql: E'...' strings need their
// own escape rules, and words decide whether a BEGIN ... END body is open.
func (s *splitter) word() error {
	s.markCode()
	begin := s.pos
	for s.pos < len(s.src) && isIdentPart(s.src[s.pos]) {
		s.pos++
	}
	w := strings.ToLower(s.src[begin:s.pos])
	if w == "e" && s.pos < len(s.src) && s.src[s.pos] == '\'' {
		return s.quoted('\'', true)
	}
	s.trackBeginAtomic(w)
	return nil
}

// trackBeginAtomic copies psql's heuristic: inside CREATE [OR REPLACE] FUNCTION|PROCEDURE,
// BEGIN opens a body that only a matching END closes (CASE ... END nests inside it).
func (s *splitter) trackBeginAtomic(w string) {
	if len(s.words) < 4 {
		s.words = append(s.words, w)
	}
	if s.parens > 0 || !s.inCreateRoutine() {
		return
	}
	switch {
	case w == "begin":
		s.beginDeep++
	case w == "case" && s.beginDeep > 0:
		s.beginDeep++
	case w == "end" && s.beginDeep > 0:
		s.beginDeep--
	}
}

func (s *splitter) inCreateRoutine() bool {
	w := append(s.words[:len(s.words):len(s.words)], "", "", "")
	routine := func(x string) bool { return x == "function" || x == "procedure" }
	return w[0] == "create" && (routine(w[1]) || (w[1] == "or" && w[2] == "replace" && routine(w[3])))
}

func (s *splitter) trackParen(c byte) {
	switch {
	case c == '(':
		s.parens++
	case c == ')' && s.parens > 0:
		s.parens--
	}
}

// atDelimiterCommand reports whether a mysql client DELIMITER command starts at s.pos: the word
// DELIMITER first on its line, between statements, followed by white space or the end.
func (s *splitter) atDelimiterCommand() bool {
	const kw = "delimiter"
	rest := s.src[s.pos:]
	if len(rest) < len(kw) || !strings.EqualFold(rest[:len(kw)], kw) || (len(rest) > len(kw) && !isSpace(rest[len(kw)])) {
		return false
	}
	lineStart := strings.LastIndexByte(s.src[:s.pos], '\n') + 1
	return strings.Trim(s.src[lineStart:s.pos], " \t") == ""
}

// delimiterCommand applies a DELIMITER line; like the mysql client it takes the first word after
// the command and ignores the rest of the line.
func (s *splitter) delimiterCommand() error {
	line := s.line(s.pos)
	end := strings.IndexByte(s.src[s.pos:], '\n')
	if end < 0 {
		end = len(s.src) - s.pos
	}
	fields := strings.Fields(s.src[s.pos+len("delimiter") : s.pos+end])
	s.pos += end
	switch {
	case len(fields) == 0:
		return fmt.Errorf("%w: line %d: DELIMITER needs a delimiter", ErrSyntax, line)
	case strings.ContainsRune(fields[0], '\\'):
		return fmt.Errorf("%w: line %d: DELIMITER cannot contain a backslash", ErrSyntax, line)
	}
	s.delim = fields[0]
	return nil
}

func (s *splitter) unterminated(what string, open int) error {
	return fmt.Errorf("%w: line %d: unterminated %s", ErrSyntax, s.line(open), what)
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// isIdentStart and isIdentPart follow PostgreSQL's lexer; bytes >= 0x80 belong to identifiers.
func isIdentStart(c byte) bool {
	return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') || c >= 0x80
}

func isIdentPart(c byte) bool {
	return isIdentStart(c) || (c >= '0' && c <= '9') || c == '$'
}
