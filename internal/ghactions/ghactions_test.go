package ghactions

import (
	"strings"
	"testing"
)

func TestAnnotateEscapes(t *testing.T) {
	var b strings.Builder
	Annotate(&b, "error", []Property{{"file", "out,a:b/x.tf"}, {"title", "50% done"}}, "line one\nline two: 100%")
	want := "::error file=out%2Ca%3Ab/x.tf,title=50%25 done::line one%0Aline two: 100%25\n"
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
}
