package spec

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// checkRequiredVersion reads refreshgen { required_version } straight from
// the syntax tree, before anything else is decoded: a spec written for a
// newer refreshgen may use language this version does not know, and the
// version mismatch is then the one diagnostic worth showing.
func checkRequiredVersion(body *hclsyntax.Body, toolVersion string) *hcl.Diagnostic {
	for _, block := range body.Blocks {
		if block.Type != "refreshgen" {
			continue
		}
		attr, ok := block.Body.Attributes["required_version"]
		if !ok {
			continue
		}
		return checkConstraintAttr(attr, toolVersion)
	}
	return nil
}

func checkConstraintAttr(attr *hclsyntax.Attribute, toolVersion string) *hcl.Diagnostic {
	rng := attr.Expr.Range()
	v, diags := attr.Expr.Value(nil)
	if diags.HasErrors() || v.IsNull() || !v.Type().Equals(cty.String) {
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid required_version",
			Detail:   `required_version must be a literal string of version constraints, such as ">= 0.1, < 2.0".`,
			Subject:  &rng,
		}
	}
	constraint := v.AsString()
	ok, err := satisfies(toolVersion, constraint)
	if err != nil {
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid required_version",
			Detail:   fmt.Sprintf("%s. Write comma-separated constraints made of an operator (=, !=, >, >=, <, <=, ~>) and a version, such as \">= 0.1, < 2.0\".", err),
			Subject:  &rng,
		}
	}
	if !ok {
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unsupported refreshgen version",
			Detail: fmt.Sprintf("This spec requires refreshgen %s, but this is refreshgen %s. "+
				"Run a refreshgen release that satisfies the constraint, or change required_version.", constraint, toolVersion),
			Subject: &rng,
		}
	}
	return nil
}

// satisfies reports whether version meets every comma-separated constraint.
// "~> 1.2" means >= 1.2 and < 2.0; "~> 1.2.3" means >= 1.2.3 and < 1.3.0.
func satisfies(version, constraints string) (bool, error) {
	have, err := parseVersion(version)
	if err != nil {
		return false, fmt.Errorf("refreshgen's own version %q: %w", version, err)
	}
	ok := true
	for _, c := range strings.Split(constraints, ",") {
		c = strings.TrimSpace(c)
		op, rest := splitOperator(c)
		want, err := parseVersion(rest)
		if err != nil {
			return false, fmt.Errorf("constraint %q: %w", c, err)
		}
		ok = ok && holds(op, have, want)
	}
	return ok, nil
}

func splitOperator(c string) (op, rest string) {
	for _, op := range []string{">=", "<=", "!=", "~>", ">", "<", "="} {
		if strings.HasPrefix(c, op) {
			return op, strings.TrimSpace(c[len(op):])
		}
	}
	return "=", c
}

// version is a dotted release version; parts holds the numbers as written
// (1 to 3 of them), which ~> needs to know how much may vary.
type version struct {
	parts []int
}

func parseVersion(s string) (version, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "v")
	if i := strings.IndexAny(s, "-+"); i >= 0 {
		s = s[:i] // pre-release and build metadata do not take part
	}
	fields := strings.Split(s, ".")
	if s == "" || len(fields) > 3 {
		return version{}, fmt.Errorf("%q is not a version like 1.2.3", s)
	}
	v := version{}
	for _, f := range fields {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 {
			return version{}, fmt.Errorf("%q is not a version like 1.2.3", s)
		}
		v.parts = append(v.parts, n)
	}
	return v, nil
}

func (v version) at(i int) int {
	if i < len(v.parts) {
		return v.parts[i]
	}
	return 0
}

func (v version) compare(w version) int {
	for i := range 3 {
		if d := v.at(i) - w.at(i); d != 0 {
			if d < 0 {
				return -1
			}
			return 1
		}
	}
	return 0
}

func holds(op string, have, want version) bool {
	c := have.compare(want)
	switch op {
	case ">=":
		return c >= 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case "<":
		return c < 0
	case "!=":
		return c != 0
	case "~>":
		return c >= 0 && have.compare(pessimisticCeiling(want)) < 0
	default:
		return c == 0
	}
}

// pessimisticCeiling is the first version ~> want excludes: the last
// written part may grow, the one before it may not.
func pessimisticCeiling(want version) version {
	n := len(want.parts)
	if n == 1 {
		return version{parts: []int{want.parts[0] + 1}}
	}
	ceil := append([]int(nil), want.parts[:n-1]...)
	ceil[n-2]++
	return version{parts: ceil}
}
