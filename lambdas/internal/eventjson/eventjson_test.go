package eventjson

import (
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/lambdas/internal/fault"
)

type event struct {
	Path string `json:"path"`
	Size int    `json:"size"`
}

func (e *event) Problems() []string {
	var p []string
	if e.Path == "" {
		p = append(p, "path: required")
	}
	if e.Size < 0 {
		p = append(p, "size: must not be negative")
	}
	return p
}

func TestDecode(t *testing.T) {
	var v event
	if err := Decode([]byte(`{"path":"a"}`), &v); err != nil || v.Path != "a" {
		t.Fatalf("Decode = %v, %+v", err, v)
	}
	for raw, want := range map[string]string{
		`{"pth":"a"}`:     `unknown field "pth"`,
		`{"path":1}`:      "cannot unmarshal number",
		`{"path":"a"} {}`: "data after the event object",
		``:                "EOF",
	} {
		err := Decode([]byte(raw), &v)
		if fault.Name(err) != fault.InvalidEvent || !strings.Contains(err.Error(), want) {
			t.Errorf("Decode(%s) = %v, want InvalidEvent with %q", raw, err, want)
		}
	}
}
