package asl

import (
	"regexp"
	"strings"
)

// Path is the value of InputPath, OutputPath or ResultPath. These fields
// have three meanings that must stay distinct: absent (the default "$"),
// a JSONPath, and JSON null (discard: an empty input, an empty output, or
// a result thrown away so the output is the input).
type Path struct {
	expr string
	null bool
}

// At returns the path expr, e.g. At("$.Describe").
func At(expr string) Path { return Path{expr: expr} }

// Discard returns the JSON null path.
func Discard() Path { return Path{null: true} }

// IsSet reports whether the field is present (a path or null).
func (p Path) IsSet() bool { return p.null || p.expr != "" }

// IsNull reports whether the field is JSON null.
func (p Path) IsNull() bool { return p.null }

// Expr returns the JSONPath, or "" when the field is absent or null.
func (p Path) Expr() string { return p.expr }

// String returns the path as written in JSON, "null", or "" when absent.
func (p Path) String() string {
	if p.null {
		return "null"
	}
	return p.expr
}

// effective returns the path Step Functions applies: "$" when absent.
func (p Path) effective() string {
	if p.expr == "" && !p.null {
		return "$"
	}
	return p.expr
}

// A reference path selects a single node by names and indexes only, as
// ResultPath, ItemsPath, Choice variables and the *Path fields require.
var referencePath = regexp.MustCompile(`^\$\$?((\.[^.\[\]'"*?@(), ]+)|(\[[0-9]+\])|(\['[^']*'\]))*$`)

// A JSONPath (InputPath, OutputPath, ".$" values) may also use wildcards,
// slices, deep scans and filters; this only checks its outline.
var jsonPath = regexp.MustCompile(`^\$\$?([.\[].*)?$`)

// pathProblem returns why p is not a valid JSONPath ("" if it is).
// Reference paths get the stricter grammar, and context paths ("$$") are
// refused where only the state's data can be meant.
func pathProblem(p string, reference, context bool) string {
	switch {
	case p == "":
		return "empty path"
	case strings.HasPrefix(p, "$$") && !context:
		return "context object path " + quote(p) + " not allowed here"
	case !jsonPath.MatchString(p) || strings.Count(p, "[") != strings.Count(p, "]"):
		return quote(p) + " is not a JSONPath"
	case reference && !referencePath.MatchString(p):
		return quote(p) + " is not a reference path (names and [index] only)"
	}
	return ""
}

// overlaps reports whether writing at a can change the value at b or the
// other way round: one is b itself or an ancestor of the other.
func overlaps(a, b string) bool {
	return a == b || isAncestor(a, b) || isAncestor(b, a)
}

func isAncestor(parent, child string) bool {
	if parent == "$" {
		return strings.HasPrefix(child, "$") && !strings.HasPrefix(child, "$$")
	}
	rest, ok := strings.CutPrefix(child, parent)
	return ok && (strings.HasPrefix(rest, ".") || strings.HasPrefix(rest, "["))
}

// childPath returns the path of member key below parent.
func childPath(parent, key string) string {
	return parent + "." + key
}
