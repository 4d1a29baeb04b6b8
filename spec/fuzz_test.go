package spec

import (
	"io/fs"
	"os"
	"testing"
	"time"
)

// FuzzLoad feeds arbitrary bytes through parse, decode, schema and semantic
// checks. Whatever the input, Load must not panic, must return a model
// exactly when there is no error, and must place every error in the file.
func FuzzLoad(f *testing.F) {
	for _, path := range specInputs(f) {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	files := map[string][]byte{"sql/anonymize.sql": []byte("UPDATE t SET a = 1;\n"), "anonymize.sql": []byte("SELECT 1;\n")}
	opts := Options{ToolVersion: "0.1.0", ReadFile: func(rel string) ([]byte, error) {
		if data, ok := files[rel]; ok {
			return data, nil
		}
		return nil, fs.ErrNotExist
	}}
	f.Fuzz(func(t *testing.T, src []byte) {
		done := make(chan Result, 1)
		go func() { done <- Load("refresh.hcl", src, opts) }()
		var res Result
		select {
		case res = <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("Load took over 10s on %q", src)
		}
		hasErrors := res.Diagnostics.HasErrors()
		if hasErrors == (res.Spec != nil) {
			t.Fatalf("errors=%v but model present=%v", hasErrors, res.Spec != nil)
		}
		for _, d := range res.Diagnostics {
			if d.Summary == "" {
				t.Fatalf("diagnostic without summary: %#v", d)
			}
			if IsInternal(d) {
				t.Fatalf("internal error: %s", d.Detail)
			}
			if d.Subject == nil || d.Subject.Filename != "refresh.hcl" {
				t.Fatalf("diagnostic %q has no range in the file", d.Summary)
			}
		}
	})
}
