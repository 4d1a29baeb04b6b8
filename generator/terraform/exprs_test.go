package terraform

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclwrite"
)

// rendered is the body of block x holding items, as a file shows it.
func rendered(its ...item) string {
	f := hclwrite.NewEmptyFile()
	f.Body().AppendBlock(block("x", nil, its...))
	return strings.TrimSuffix(strings.TrimPrefix(string(f.Bytes()), "x {\n"), "}\n")
}

func TestExpressions(t *testing.T) {
	for _, tc := range []struct {
		name string
		e    expr
		want string
	}{
		{"a string escapes template sequences", str("${aws:username} %{if}"), `"$${aws:username} %%{if}"`},
		{"a template escapes its literal parts", interpolate("${a}/", ref("path.module"), "/%{b}"), `"$${a}/${path.module}/%%{b}"`},
		{"a reference", ref(`module.m["k"].arns`), `module.m["k"].arns`},
		{"a computed index", get(index(ref("aws_iam_role.this"), ref("each.value.role")), "arn"), "aws_iam_role.this[each.value.role].arn"},
		{"a conditional", cond(binary(ref("var.a"), "==", null()), num(0), num(1)), "var.a == null ? 0 : 1"},
		{"a for expression", forObject("k", "v", ref("var.m"), ident("k"), ref("v.id"), binary(ref("v.id"), "!=", null())),
			"{ for k, v in var.m : k => v.id if v.id != null }"},
		{"a map sorts its keys", mapping([]entry{{"b", num(2)}, {"a:b", num(1)}}), "{\n    \"a:b\" = 1\n    \"b\"   = 2\n  }"},
		{"an empty map", mapping(nil), "{}"},
		{"a type", mapOf(objectOf(field{"name", tString()}, field{"id", optional(tString())})),
			"map(object({\n    name = string\n    id   = optional(string)\n  }))"},
		{"a function call", call("file", interpolate("", ref("path.module"), "/../../a.json")), `file("${path.module}/../../a.json")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := "  a = " + tc.want + "\n"
			if got := rendered(attr("a", tc.e)); got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func TestCommentStaysOneLine(t *testing.T) {
	got := string(comment("from a\nresource \"x\" {", "", "b").Bytes())
	if want := "# from a resource \"x\" {\n#\n# b\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestRepetitionIsFollowedByABlankLine(t *testing.T) {
	got := rendered(forEach(ref("var.m")), attr("name", ref("each.key")))
	if want := "  for_each = var.m\n\n  name = each.key\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
