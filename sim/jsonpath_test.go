package sim

import (
	"strings"
	"testing"
)

// mustJSON parses a JSON test fixture.
func mustJSON(t *testing.T, s string) any {
	t.Helper()
	v, err := parseJSON([]byte(s))
	if err != nil {
		t.Fatalf("bad fixture %s: %v", s, err)
	}
	return v
}

const storeDoc = `{
	"store": {
		"book": [
			{"title": "A", "price": 8, "tags": ["x"]},
			{"title": "B", "price": 12, "isbn": "1"},
			{"title": "C", "price": 30, "isbn": "2"}
		],
		"bike": {"color": "red", "price": 19}
	},
	"odd key": {"a-b": 1},
	"limit": 10
}`

func TestJSONPathEval(t *testing.T) {
	doc := mustJSON(t, storeDoc)
	tests := []struct {
		path, want string
	}{
		{"$", ""}, // compared below to the whole document
		{"$.store.bike.color", `"red"`},
		{"$['store']['bike']['price']", `19`},
		{`$["store"].bike`, `{"color":"red","price":19}`},
		{"$.store.book[0].title", `"A"`},
		{"$.store.book[-1].title", `"C"`},
		{"$.odd key.a-b", `1`},
		{"$['odd key']['a-b']", `1`},
		{"$.store.book[*].title", `["A","B","C"]`},
		{"$.store.book.*.price", `[8,12,30]`},
		{"$.store.book[0,2].title", `["A","C"]`},
		{"$.store.book[1:].title", `["B","C"]`},
		{"$.store.book[:-1].title", `["A","B"]`},
		{"$.store.book[::2].title", `["A","C"]`},
		{"$..price", `[19,8,12,30]`},
		{"$..book[0].title", `["A"]`},
		{"$.store['bike','nothing'].color", `["red"]`},
		{"$.store.book[?(@.price < 10)].title", `["A"]`},
		{"$.store.book[?(@.price >= 12 && @.isbn == '2')].title", `["C"]`},
		{"$.store.book[?(@.price < 10 || @.isbn == '1')].title", `["A","B"]`},
		{"$.store.book[?(@.isbn)].title", `["B","C"]`},
		{"$.store.book[?(!(@.isbn))].title", `["A"]`},
		{"$.store.book[?(@.price > $.limit)].title", `["B","C"]`},
		{"$.store.book[?(@.title =~ /^[ab]$/i)].price", `[8,12]`},
		{"$.store.book[?(@.tags[0] == 'x')].title", `["A"]`},
		{"$.store.book[?(@.price != 12)].title", `["A","C"]`},
		{"$.store.bike[?(@.color == 'red')].price", `[19]`},
		{"$.store.book[?(@.price > 100)]", `[]`},
		{"$.missing[*]", `[]`},
	}
	for _, tt := range tests {
		p, err := parsePath(tt.path)
		if err != nil {
			t.Errorf("%s: %v", tt.path, err)
			continue
		}
		got, ok := p.eval(doc)
		want := tt.want
		if want == "" {
			want = jsonText(doc)
		}
		if !ok || jsonText(got) != want {
			t.Errorf("%s = %s (found %v), want %s", tt.path, jsonText(got), ok, want)
		}
	}
}

func TestJSONPathMissing(t *testing.T) {
	doc := mustJSON(t, storeDoc)
	for _, path := range []string{"$.nope", "$.store.book[3]", "$.store.bike.color.x", "$.limit[0]", "$.store.book[-4]"} {
		p, err := parsePath(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if v, ok := p.eval(doc); ok {
			t.Errorf("%s found %s, want missing", path, jsonText(v))
		}
		if !p.definite() {
			t.Errorf("%s should be definite", path)
		}
	}
}

func TestJSONPathParse(t *testing.T) {
	normalized := map[string]string{
		"$.a.b[0]":           "$['a']['b'][0]",
		"$$.Execution.Id":    "$['Execution']['Id']",
		"$..x[*]":            "$..['x'][*]",
		"$.a[1:3]":           "$['a'][1:3:1]",
		"$['a','b']":         "$['a','b']",
		"$.a[?(@.x == 1)]":   "$['a'][?(@.x == 1)]",
		"$['it\\'s']":        "$['it's']",
		"$.a['x.y'][-1]":     "$['a']['x.y'][-1]",
		"$.a[?(@.s == ']')]": "$['a'][?(@.s == ']')]",
	}
	for path, want := range normalized {
		p, err := parsePath(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if got := p.normalized(); got != want {
			t.Errorf("%s normalizes to %s, want %s", path, got, want)
		}
	}
	for path, want := range map[string]string{
		"a.b":            "does not start with '$'",
		"$.":             "empty member name",
		"$.a[":           "unclosed",
		"$.a[x]":         "bad index",
		"$.a[::0]":       "step must be positive",
		"$.a[?(@.x ==)]": "missing operand",
		"$.a[?@.x]":      "want ?(expression)",
		"$.a['x]":        "unclosed",
		"$x":             "unexpected",
	} {
		_, err := parsePath(path)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: want an error containing %q, got %v", path, want, err)
		}
	}
}

func TestSetAt(t *testing.T) {
	input := mustJSON(t, `{"a": {"b": 1}, "list": [1, 2], "s": "x"}`)
	tests := []struct {
		path, want string
		ok         bool
	}{
		{"$.a.c", `{"a":{"b":1,"c":"R"},"list":[1,2],"s":"x"}`, true},
		{"$.new.deep", `{"a":{"b":1},"list":[1,2],"new":{"deep":"R"},"s":"x"}`, true},
		{"$.list[1]", `{"a":{"b":1},"list":[1,"R"],"s":"x"}`, true},
		{"$.list[5]", "", false},
		{"$.s.x", "", false},
	}
	for _, tt := range tests {
		p, _ := parsePath(tt.path)
		got, ok := setAt(input, p.steps, "R")
		if ok != tt.ok || ok && jsonText(got) != tt.want {
			t.Errorf("%s: got %s %v, want %s %v", tt.path, jsonText(got), ok, tt.want, tt.ok)
		}
	}
	if jsonText(input) != `{"a":{"b":1},"list":[1,2],"s":"x"}` {
		t.Errorf("setAt changed its input: %s", jsonText(input))
	}
}
