package english

import "testing"

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n    int
		noun string
		want string
	}{
		{0, "change", "0 changes"}, {1, "change", "1 change"}, {2, "refresh", "2 refreshes"},
		{1, "refresh", "1 refresh"}, {3, "box", "3 boxes"}, {2, "bus", "2 buses"}, {2, "role", "2 roles"},
	} {
		if got := Plural(c.n, c.noun); got != c.want {
			t.Errorf("Plural(%d, %q) = %q, want %q", c.n, c.noun, got, c.want)
		}
	}
}
