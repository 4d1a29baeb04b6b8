package awsmock

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/sim"
)

// operation is what a Task calls: an aws-sdk integration
// (aws-sdk:rds:describeDBClusters) or an optimized one (lambda:invoke,
// eks:runJob.sync).
type operation struct {
	sdk             bool
	service, action string
	pattern         asl.Pattern
}

// key names the operation in the handler table.
func (o operation) key() string {
	k := o.service + ":" + o.action + string(o.pattern)
	if o.sdk {
		return "aws-sdk:" + k
	}
	return k
}

func (o operation) String() string { return o.service + ":" + o.action + string(o.pattern) }

// request is one call as a handler sees it.
type request struct {
	w    *World
	call sim.Call
	op   operation
	acct *account // the account the call acts in
	role string   // Credentials.RoleArn, "" for the machine's role
	now  time.Time
	// params is the call's effective Parameters.
	params map[string]any
	// duration, when a handler sets it, is how long the call takes
	// instead of the API latency: a Lambda invocation, a Kubernetes Job.
	duration time.Duration
}

// handler answers one operation. params lists the parameters the API
// takes: Step Functions refuses a definition whose Parameters name any
// other, so meeting one is a bug in the workflow, reported loudly. A nil
// list accepts anything.
type handler struct {
	fn     func(*World, *request) (any, *sim.Failure)
	params []string
}

// checkParams fails on a parameter the API does not take.
func (r *request) checkParams(known []string) *sim.Failure {
	if known == nil {
		return nil
	}
	var unknown []string
	for k := range r.params {
		if !slices.Contains(known, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	return failf(asl.ErrRuntime, "awsmock: %s takes no parameter %s (Step Functions refuses such a definition: SCHEMA_VALIDATION_FAILED); it takes %s",
		r.op, strings.Join(unknown, ", "), strings.Join(known, ", "))
}

// has reports whether the call sets key.
func (r *request) has(key string) bool {
	_, ok := r.params[key]
	return ok
}

// str returns the string parameter key, "" when absent.
func (r *request) str(key string) (string, *sim.Failure) {
	v, ok := r.params[key]
	if !ok || v == nil {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", r.badType(key, "a string", v)
	}
	return s, nil
}

// required returns the string parameter key, failing as the service
// does when it is absent or empty.
func (r *request) required(key string) (string, *sim.Failure) {
	s, err := r.str(key)
	if err != nil {
		return "", err
	}
	if s == "" {
		return "", r.missing(key)
	}
	return s, nil
}

// boolean returns the boolean parameter key and whether it is set.
func (r *request) boolean(key string) (bool, bool, *sim.Failure) {
	v, ok := r.params[key]
	if !ok || v == nil {
		return false, false, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, false, r.badType(key, "a boolean", v)
	}
	return b, true, nil
}

// number returns the numeric parameter key and whether it is set.
func (r *request) number(key string) (float64, bool, *sim.Failure) {
	v, ok := r.params[key]
	if !ok || v == nil {
		return 0, false, nil
	}
	f, ok := toFloat(v)
	if !ok {
		return 0, false, r.badType(key, "a number", v)
	}
	return f, true, nil
}

// stringList returns the list-of-strings parameter key.
func (r *request) stringList(key string) ([]string, *sim.Failure) {
	v, ok := r.params[key]
	if !ok || v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, r.badType(key, "a list of strings", v)
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, ok := e.(string)
		if !ok {
			return nil, r.badType(key, "a list of strings", v)
		}
		out = append(out, s)
	}
	return out, nil
}

// object returns the object parameter key, nil when absent.
func (r *request) object(key string) (map[string]any, *sim.Failure) {
	v, ok := r.params[key]
	if !ok || v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, r.badType(key, "an object", v)
	}
	return m, nil
}

// tagList reads a list of {Key, Value}, the tags of RDS, EFS and Backup.
func (r *request) tagList(key string) (tags, *sim.Failure) {
	v, ok := r.params[key]
	if !ok || v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, r.badType(key, "a list of {Key, Value}", v)
	}
	var out tags
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, r.badType(key, "a list of {Key, Value}", v)
		}
		k, _ := m["Key"].(string)
		val, _ := m["Value"].(string)
		if k == "" {
			return nil, r.invalid("%s: a tag has no Key", key)
		}
		for f := range m {
			if f != "Key" && f != "Value" {
				return nil, r.badType(key, "a list of {Key, Value}", v)
			}
		}
		out = out.set(k, val)
	}
	return out, nil
}

// badType is the failure of a parameter of the wrong JSON type: the SDK
// cannot build the request.
func (r *request) badType(key, want string, got any) *sim.Failure {
	text, _ := json.Marshal(got)
	return failf(asl.ErrRuntime, "awsmock: parameter %s of %s must be %s, not %s", key, r.op, want, text)
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}

// jsonText is the JSON of a value, for a cause.
func jsonText(v any) string {
	text, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(text)
}

// decodeJSON decodes data into out with numbers as json.Number, as the
// simulator passes parameters.
func decodeJSON(data []byte, out any) error {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	return dec.Decode(out)
}
