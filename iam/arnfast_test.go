package iam

import (
	"strings"
	"testing"
)

// TestARNTemplates checks that the cut templates build exactly what
// replacing the placeholders of the patterns builds.
func TestARNTemplates(t *testing.T) {
	locs := []Location{
		{Partition: "aws", Region: "eu-west-1", Account: "123456789012"},
		{Partition: "aws-cn", Region: "*", Account: "*"},
		{Partition: "", Region: "", Account: ""},
		{Partition: "$", Region: "{x}", Account: "}"},
	}
	names := []string{"x", "", "refresh-*", "a/b", "rds!cluster-*", "$", "{", "}", "a:b", "${"[:1], "{Name}"}
	for typ, pattern := range arnPatterns {
		for _, loc := range locs {
			for _, name := range names {
				want := loc.expand(strings.ReplaceAll(pattern, "${Name}", name))
				if got := arnTemplates[typ].fill(loc, name); got != want {
					t.Errorf("%s %+v %q: got %q, want %q", typ, loc, name, got, want)
				}
				if got := typ.ARN(loc, name); got != want {
					t.Errorf("ARN %s %+v %q: got %q, want %q", typ, loc, name, got, want)
				}
			}
		}
		// A placeholder in the name or the location is expanded as before.
		loc := Location{Partition: "aws", Region: "${Account}", Account: "1"}
		if got, want := typ.ARN(loc, "${Region}"), loc.expand(strings.ReplaceAll(pattern, "${Name}", "${Region}")); got != want {
			t.Errorf("%s with placeholders: got %q, want %q", typ, got, want)
		}
	}
}
