package jsonpointer

import "testing"

func TestRoundTrip(t *testing.T) {
	for _, tok := range []string{"", "a", "a/b", "~", "~1", "a~/b/~0"} {
		if got := Unescape(Escape(tok)); got != tok {
			t.Errorf("Unescape(Escape(%q)) = %q", tok, got)
		}
	}
	if got, want := From("refresh", "a/b", "x~y"), "/refresh/a~1b/x~0y"; got != want {
		t.Errorf("From = %q, want %q", got, want)
	}
	if From() != "" {
		t.Errorf("From() = %q, want the empty (whole-document) pointer", From())
	}
}
