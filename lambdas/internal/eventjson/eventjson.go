// Package eventjson decodes Lambda events strictly: an unknown field is an error, because a
// misspelt optional field would otherwise be ignored without a word.
package eventjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"github.com/refreshgen/refreshgen/lambdas/internal/fault"
)

// Event is an event that can list what is wrong with it.
type Event interface {
	// Problems returns one line per wrong field ("field: must be ..."), none when it is valid.
	Problems() []string
}

// Decode decodes the single JSON object raw into ev and validates it, reporting every problem
// at once. Its error is named fault.InvalidEvent.
func Decode(raw []byte, ev Event) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(ev)
	if err == nil && dec.More() {
		err = errors.New("data after the event object")
	}
	if err != nil {
		return fault.Errorf(fault.InvalidEvent, "invalid event: %v", err)
	}
	if problems := ev.Problems(); len(problems) > 0 {
		return fault.Errorf(fault.InvalidEvent, "invalid event: %s", strings.Join(problems, "; "))
	}
	return nil
}
