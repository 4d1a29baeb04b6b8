package policyeval

import (
	"regexp"
	"slices"
	"strings"

	"github.com/refreshgen/refreshgen/iam"
)

// principal is the caller of a request.
type principal struct {
	arn       string
	service   bool   // a service principal, e.g. "states.amazonaws.com"
	partition string // of an ARN principal
	account   string // of an ARN principal
	role      string // the role's name, for a role or one of its sessions
}

var (
	roleARN    = regexp.MustCompile(`^arn:([^:]+):iam::([0-9]{12}):role/(?:.*/)?([^/]+)$`)
	sessionARN = regexp.MustCompile(`^arn:([^:]+):sts::([0-9]{12}):assumed-role/([^/]+)/.+$`)
	otherARN   = regexp.MustCompile(`^arn:([^:]+):[^:]+::([0-9]{12}):`)
	accountID  = regexp.MustCompile(`^[0-9]{12}$`)
)

func parsePrincipal(s string) principal {
	p := principal{arn: s}
	if m := roleARN.FindStringSubmatch(s); m != nil {
		p.partition, p.account, p.role = m[1], m[2], m[3]
	} else if m := sessionARN.FindStringSubmatch(s); m != nil {
		p.partition, p.account, p.role = m[1], m[2], m[3]
	} else if m := otherARN.FindStringSubmatch(s); m != nil {
		p.partition, p.account = m[1], m[2]
	} else {
		p.service = true
	}
	return p
}

// match is how a Principal element matches the caller.
type match int

const (
	nobody  match = iota
	account       // the caller's account: its IAM policies decide
	caller        // the caller itself
)

// matchPrincipal tells how the Principal element p names the caller.
func matchPrincipal(p *iam.Principal, c principal) match {
	if p == nil {
		return nobody
	}
	best := nobody
	if c.service {
		if slices.Contains(p.Service, c.arn) {
			best = caller
		}
		return best
	}
	for _, entry := range p.AWS {
		best = max(best, matchAWS(entry, c))
	}
	return best
}

func matchAWS(entry string, c principal) match {
	switch {
	case entry == "*" || entry == c.arn:
		return caller
	case entry == c.account && accountID.MatchString(entry):
		return account
	case entry == "arn:"+c.partition+":iam::"+c.account+":root":
		return account
	}
	// A role ARN also names the sessions of the role.
	if m := roleARN.FindStringSubmatch(entry); m != nil && c.role != "" &&
		m[1] == c.partition && m[2] == c.account && strings.EqualFold(m[3], c.role) && sessionARN.MatchString(c.arn) {
		return caller
	}
	return nobody
}

// matchActions reports whether the statement's Action (or NotAction)
// element covers the action.
func matchActions(st iam.Statement, action string) bool {
	if len(st.NotAction) > 0 {
		return !slices.ContainsFunc(st.NotAction, func(p string) bool { return matchAction(p, action) })
	}
	return slices.ContainsFunc(st.Action, func(p string) bool { return matchAction(p, action) })
}

// matchAction matches one action pattern: "*", or "service:name" where
// both parts are case-insensitive and the name may hold * and ?.
func matchAction(pattern, action string) bool {
	if pattern == "*" {
		return true
	}
	ps, pn, ok := strings.Cut(pattern, ":")
	as, an, ok2 := strings.Cut(action, ":")
	return ok && ok2 && strings.EqualFold(ps, as) && glob(strings.ToLower(pn), strings.ToLower(an))
}

// matchResources reports whether the statement's Resource (or
// NotResource) element covers the resource. A statement with neither (a
// trust policy's) covers every resource.
func matchResources(st iam.Statement, resource string) bool {
	covers := func(p string) bool { return matchARN(p, resource) }
	switch {
	case len(st.NotResource) > 0:
		return !slices.ContainsFunc(st.NotResource, covers)
	case len(st.Resource) > 0:
		return slices.ContainsFunc(st.Resource, covers)
	}
	return true
}

// matchARN matches a Resource pattern against the resource of a request.
func matchARN(pattern, arn string) bool {
	switch {
	case pattern == "*":
		return true
	case arn == "*":
		return false // the action is authorised on "*" only
	}
	ps, as := strings.SplitN(pattern, ":", 6), strings.SplitN(arn, ":", 6)
	if len(ps) < 6 || len(as) < 6 {
		return glob(pattern, arn)
	}
	for i := range ps {
		if !glob(ps[i], as[i]) {
			return false
		}
	}
	return true
}

// glob matches s against pattern, where * stands for any run of
// characters and ? for exactly one. It backtracks only to the last *,
// which is enough: a later * can always absorb what an earlier one would.
func glob(pattern, s string) bool {
	p, i := []rune(pattern), []rune(s)
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(i) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == i[si]):
			pi, si = pi+1, si+1
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			mark++
			pi, si = star+1, mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
