package runsql

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/refreshgen/refreshgen/lambdas/internal/fault"
)

// redactor removes a secret from text that leaves the Lambda: a server may echo it in an
// error, a script may select it. Text is redacted where it enters the result or an error, and
// the final result once more as JSON, where the secret may appear JSON-escaped.
type redactor struct {
	r *strings.Replacer
}

const redacted = "[REDACTED]"

func newRedactor(secret string) redactor {
	if secret == "" {
		return redactor{r: strings.NewReplacer()}
	}
	var pairs []string
	for _, form := range []string{secret, jsonEscaped(secret, true), jsonEscaped(secret, false)} {
		pairs = append(pairs, form, redacted)
	}
	return redactor{r: strings.NewReplacer(pairs...)}
}

func jsonEscaped(s string, html bool) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(strings.TrimPrefix(b.String(), `"`), "\"\n")
}

func (r redactor) text(s string) string { return r.r.Replace(s) }

// err returns err with its message redacted and its fault name kept.
func (r redactor) err(err error) error {
	if err == nil {
		return nil
	}
	return &fault.Error{Name: fault.Name(err), Err: errors.New(r.text(err.Error()))}
}

// json marshals v and redacts the encoding.
func (r redactor) json(v any) json.RawMessage {
	data, _ := json.Marshal(v) // results hold only encodable values
	return json.RawMessage(r.text(string(data)))
}
