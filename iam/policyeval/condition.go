package policyeval

import (
	"slices"
	"strconv"
	"strings"

	"github.com/refreshgen/refreshgen/iam"
)

// context is a request context with its keys lower-cased: condition key
// names are case-insensitive.
type context map[string][]string

func newContext(m map[string][]string) context {
	c := context{}
	for k, v := range m {
		if len(v) > 0 {
			k = strings.ToLower(k)
			c[k] = append(c[k], v...)
		}
	}
	return c
}

func (c context) lookup(key string) ([]string, bool) {
	v, ok := c[strings.ToLower(key)]
	return v, ok
}

// multivalued are the global keys AWS documents as multivalued: a request
// may carry several values of them, so they need a set operator even when
// one is sent.
var multivalued = map[string]bool{
	"aws:tagkeys": true, "aws:calledvia": true, "aws:principalorgpaths": true,
	"aws:principalservicenameslist": true, "kms:grantoperations": true, "kms:encryptioncontextkeys": true,
}

func isMultivalued(key string, values []string) bool {
	return len(values) > 1 || multivalued[strings.ToLower(key)]
}

// matchConditions reports whether every condition holds (AND).
func matchConditions(conds []iam.Condition, c context) bool {
	for _, cond := range conds {
		if !matchCondition(cond, c) {
			return false
		}
	}
	return true
}

// operator is a condition operator taken apart:
// [ForAnyValue:|ForAllValues:]base[IfExists].
type operator struct {
	set      string
	base     string
	ifExists bool
}

func parseOperator(op iam.Operator) operator {
	var o operator
	s := string(op)
	if set, rest, ok := strings.Cut(s, ":"); ok {
		o.set, s = set, rest
	}
	if base, ok := strings.CutSuffix(s, "IfExists"); ok {
		o.base, o.ifExists = base, true
	} else {
		o.base = s
	}
	return o
}

// matchCondition evaluates one condition: operator, key and its values.
func matchCondition(cond iam.Condition, c context) bool {
	op := parseOperator(cond.Operator)
	values, present := c.lookup(cond.Key)
	if op.base == "Null" {
		// true: the key is absent; false: it is present.
		want := strconv.FormatBool(!present)
		return slices.ContainsFunc(cond.Values, func(v string) bool { return strings.EqualFold(v, want) })
	}
	test, known := comparisons[op.base]
	switch {
	case !known:
		return false
	case !present:
		// ForAllValues is vacuously true; negated operators and IfExists
		// are true when there is nothing to compare.
		return op.ifExists || op.set == "ForAllValues" || (op.set == "" && test.negated)
	case op.set == "ForAllValues":
		return allOf(values, func(v string) bool { return test.holds(v, cond.Values) })
	case op.set == "ForAnyValue":
		return slices.ContainsFunc(values, func(v string) bool { return test.holds(v, cond.Values) })
	case op.set != "" || isMultivalued(cond.Key, values):
		return false // unknown set operator, or a single-valued operator on a multivalued key
	}
	return test.holds(values[0], cond.Values)
}

func allOf(values []string, f func(string) bool) bool {
	for _, v := range values {
		if !f(v) {
			return false
		}
	}
	return true
}

// comparison compares one request value with the policy's values: true
// when any policy value matches, or for a negated comparison when none
// does.
type comparison struct {
	match   func(value, policy string) (bool, bool) // matches, comparable
	negated bool
}

func (t comparison) holds(value string, policy []string) bool {
	for _, p := range policy {
		matches, ok := t.match(value, p)
		if !ok {
			return false // a value of the wrong type never satisfies the operator
		}
		if matches {
			return !t.negated
		}
	}
	return t.negated
}

// comparisons are the base operators, by name.
var comparisons = map[string]comparison{
	"StringEquals":              {match: always(func(v, p string) bool { return v == p })},
	"StringNotEquals":           {match: always(func(v, p string) bool { return v == p }), negated: true},
	"StringEqualsIgnoreCase":    {match: always(strings.EqualFold)},
	"StringNotEqualsIgnoreCase": {match: always(strings.EqualFold), negated: true},
	"StringLike":                {match: always(func(v, p string) bool { return glob(p, v) })},
	"StringNotLike":             {match: always(func(v, p string) bool { return glob(p, v) }), negated: true},
	"ArnEquals":                 {match: arnCondition},
	"ArnLike":                   {match: arnCondition},
	"ArnNotEquals":              {match: arnCondition, negated: true},
	"ArnNotLike":                {match: arnCondition, negated: true},
	"Bool":                      {match: boolean},
	"NumericEquals":             {match: numeric(func(v, p float64) bool { return v == p })},
	"NumericNotEquals":          {match: numeric(func(v, p float64) bool { return v == p }), negated: true},
	"NumericLessThan":           {match: numeric(func(v, p float64) bool { return v < p })},
	"NumericLessThanEquals":     {match: numeric(func(v, p float64) bool { return v <= p })},
	"NumericGreaterThan":        {match: numeric(func(v, p float64) bool { return v > p })},
	"NumericGreaterThanEquals":  {match: numeric(func(v, p float64) bool { return v >= p })},
}

func always(f func(v, p string) bool) func(v, p string) (bool, bool) {
	return func(v, p string) (bool, bool) { return f(v, p), true }
}

// arnCondition compares ARNs: "Each of the six colon-delimited components
// of the ARN is checked separately and each can include multi-character
// match wildcards (*) or single-character match wildcards (?)". ArnEquals
// and ArnLike behave the same. A request value that is no ARN compares
// with nothing.
func arnCondition(v, p string) (bool, bool) {
	vs, ps := strings.SplitN(v, ":", 6), strings.SplitN(p, ":", 6)
	if len(vs) < 6 || len(ps) < 6 || vs[0] != "arn" {
		return false, false
	}
	for i := range ps {
		if !glob(ps[i], vs[i]) {
			return false, true
		}
	}
	return true, true
}

// boolean compares "true" and "false", case-insensitively.
func boolean(v, p string) (bool, bool) {
	bv, err1 := strconv.ParseBool(strings.ToLower(v))
	bp, err2 := strconv.ParseBool(strings.ToLower(p))
	if err1 != nil || err2 != nil || !isBoolWord(v) || !isBoolWord(p) {
		return false, false
	}
	return bv == bp, true
}

// isBoolWord excludes the "1", "t" and "F" that strconv also accepts.
func isBoolWord(s string) bool {
	s = strings.ToLower(s)
	return s == "true" || s == "false"
}

func numeric(f func(v, p float64) bool) func(v, p string) (bool, bool) {
	return func(v, p string) (bool, bool) {
		nv, err1 := strconv.ParseFloat(v, 64)
		np, err2 := strconv.ParseFloat(p, 64)
		if err1 != nil || err2 != nil {
			return false, false
		}
		return f(nv, np), true
	}
}
