package iam

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Builder collects statements and turns them into a small policy: derived
// policies are written one permission at a time, and would otherwise be
// long lists of one-action statements.
type Builder struct {
	statements []Statement
}

// Add adds statements. Statements with a Sid are kept exactly as given;
// the others may be merged with each other and get a Sid from Policy.
func (b *Builder) Add(s ...Statement) {
	b.statements = append(b.statements, s...)
}

// Policy returns the policy, statements sorted by Sid. Unnamed statements
// that differ only in their actions are merged (their actions joined), and
// so are those that differ only in their resources; both keep exactly the
// permissions of the statements they replace. Each gets a Sid derived from
// its actions (see sid), with a number appended when two would collide.
func (b *Builder) Policy() (Policy, error) {
	var named, unnamed []Statement
	taken := map[string]bool{}
	for _, s := range b.statements {
		if s.Sid == "" {
			unnamed = append(unnamed, normalize(s))
			continue
		}
		if taken[s.Sid] {
			return Policy{}, fmt.Errorf("iam: two statements named %q", s.Sid)
		}
		taken[s.Sid] = true
		named = append(named, s)
	}
	merged := merge(unnamed)
	nameAll(merged, taken)
	all := slices.Concat(named, merged)
	slices.SortFunc(all, func(a, b Statement) int { return cmp.Compare(a.Sid, b.Sid) })
	return Policy{Statement: all}, nil
}

// normalize sorts and de-duplicates every list of s and orders its
// conditions, so that equal statements have equal signatures.
func normalize(s Statement) Statement {
	s.Action, s.NotAction = set(s.Action), set(s.NotAction)
	s.Resource, s.NotResource = set(s.Resource), set(s.NotResource)
	if s.Principal != nil {
		s.Principal = &Principal{AWS: set(s.Principal.AWS), Service: set(s.Principal.Service)}
	}
	conds := make([]Condition, len(s.Condition))
	for i, c := range s.Condition {
		conds[i] = Condition{Operator: c.Operator, Key: c.Key, Values: set(c.Values)}
	}
	slices.SortFunc(conds, func(a, b Condition) int {
		return cmp.Or(cmp.Compare(a.Operator, b.Operator), cmp.Compare(a.Key, b.Key))
	})
	s.Condition = conds
	return s
}

// merge joins statements until no two share everything but their actions
// or everything but their resources. Each join can enable another (two
// statements joined on resources may then match a third on actions).
func merge(stmts []Statement) []Statement {
	for {
		n := len(stmts)
		stmts = joinOn(stmts, actionsOf)
		stmts = joinOn(stmts, resourcesOf)
		if len(stmts) == n {
			return stmts
		}
	}
}

func actionsOf(s *Statement) *[]string   { return &s.Action }
func resourcesOf(s *Statement) *[]string { return &s.Resource }

// joinOn joins the statements that are equal once the list picked by list
// is ignored, keeping the first one's place.
func joinOn(stmts []Statement, list func(*Statement) *[]string) []Statement {
	var out []Statement
	at := make(map[string]int, len(stmts))
	var parts map[int][][]string // the lists of each statement joined into out[i]
	for _, s := range stmts {
		rest := s
		*list(&rest) = nil
		key := signature(rest)
		i, seen := at[key]
		if !seen {
			at[key] = len(out)
			out = append(out, s)
			continue
		}
		if parts == nil {
			parts = map[int][][]string{}
		}
		if parts[i] == nil {
			parts[i] = [][]string{*list(&out[i])}
		}
		parts[i] = append(parts[i], *list(&s))
	}
	// One set per joined statement: joining them one at a time would sort
	// the growing list again for each.
	for i, lists := range parts {
		*list(&out[i]) = set(slices.Concat(lists...))
	}
	return out
}

// signature is a string equal for two normalized statements exactly when
// they grant or deny the same thing; the Sid is not part of it.
func signature(s Statement) string {
	var b strings.Builder
	field := func(name string, values []string) {
		b.WriteString(name)
		for _, v := range values {
			b.WriteByte(0)
			b.WriteString(v)
		}
		b.WriteByte(1)
	}
	field("Effect", []string{string(s.Effect)})
	if s.Principal != nil {
		field("AWS", s.Principal.AWS)
		field("Service", s.Principal.Service)
	}
	field("Action", s.Action)
	field("NotAction", s.NotAction)
	field("Resource", s.Resource)
	field("NotResource", s.NotResource)
	for _, c := range s.Condition {
		field(string(c.Operator)+" "+c.Key, c.Values)
	}
	return b.String()
}

// nameAll gives each statement its derived Sid, skipping taken names. The
// statements are ordered by Sid and signature first, so that the numbers
// of colliding names do not depend on the order statements were added in.
func nameAll(stmts []Statement, taken map[string]bool) {
	type named struct {
		st        Statement
		sig, base string
	}
	all := make([]named, len(stmts))
	for i, s := range stmts {
		all[i] = named{st: s, sig: signature(s), base: sid(s)}
	}
	// Merged statements have distinct signatures: the order is total.
	slices.SortFunc(all, func(a, b named) int {
		return cmp.Or(cmp.Compare(a.base, b.base), cmp.Compare(a.sig, b.sig))
	})
	for i := range stmts {
		stmts[i] = all[i].st
		want := all[i].base
		name := want
		for n := 2; taken[name]; n++ {
			name = want + strconv.Itoa(n)
		}
		taken[name] = true
		stmts[i].Sid = name
	}
}

// sid derives a name from a normalized statement's actions: the service
// and the action for one action ("RdsDescribeDBClusters"); for several,
// each service followed by the verbs of its actions ("RdsDescribeList"),
// or by its one action. "Deny" and "Not" say what Effect and NotAction do.
func sid(s Statement) string {
	var b strings.Builder
	if s.Effect == Deny {
		b.WriteString("Deny")
	}
	actions := s.Action
	if len(actions) == 0 {
		b.WriteString("Not")
		actions = s.NotAction
	}
	for _, group := range byService(actions) {
		b.WriteString(title(group.service))
		if len(group.names) == 1 {
			b.WriteString(alnum(group.names[0]))
			continue
		}
		var verbs []string
		for _, n := range group.names {
			verbs = append(verbs, verb(n))
		}
		for _, v := range set(verbs) {
			b.WriteString(v)
		}
	}
	if b.Len() == 0 {
		return "Statement"
	}
	return b.String()
}

type serviceActions struct {
	service string
	names   []string
}

// byService groups sorted "service:Name" actions by service.
func byService(actions []string) []serviceActions {
	var groups []serviceActions
	for _, a := range actions {
		service, name, _ := strings.Cut(a, ":")
		if n := len(groups); n > 0 && groups[n-1].service == service {
			groups[n-1].names = append(groups[n-1].names, name)
			continue
		}
		groups = append(groups, serviceActions{service: service, names: []string{name}})
	}
	return groups
}

// title turns a service prefix into a Sid word: "rds" -> "Rds",
// "resource-groups" -> "ResourceGroups".
func title(service string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(service, func(r rune) bool { return !isAlnum(r) }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// verb is the first word of a CamelCase action name: "DescribeDBClusters"
// -> "Describe".
func verb(name string) string {
	name = alnum(name)
	end := len(name)
	for i, r := range name {
		if i > 0 && !unicode.IsLower(r) {
			end = i
			break
		}
	}
	return name[:end]
}

// alnum drops what a Sid may not hold, such as the "*" of "GenerateDataKey*".
func alnum(s string) string {
	return strings.Map(func(r rune) rune {
		if isAlnum(r) {
			return r
		}
		return -1
	}, s)
}

func isAlnum(r rune) bool {
	return r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
