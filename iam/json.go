package iam

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// The JSON shapes of the documents. encoding/json writes struct fields in
// declaration order and map keys sorted, which gives the canonical key
// order without a hand-written encoder.
type (
	policyJSON struct {
		Version   string          `json:"Version"`
		Statement []statementJSON `json:"Statement"`
	}
	statementJSON struct {
		Sid         string                           `json:"Sid,omitempty"`
		Effect      Effect                           `json:"Effect"`
		Principal   *principalJSON                   `json:"Principal,omitempty"`
		Action      []string                         `json:"Action,omitempty"`
		NotAction   []string                         `json:"NotAction,omitempty"`
		Resource    []string                         `json:"Resource,omitempty"`
		NotResource []string                         `json:"NotResource,omitempty"`
		Condition   map[Operator]map[string][]string `json:"Condition,omitempty"`
	}
	principalJSON struct {
		AWS     []string `json:"AWS,omitempty"`
		Service []string `json:"Service,omitempty"`
	}
)

// JSON returns the policy as a file: canonical key order, sorted lists,
// 2-space indent, no HTML escaping and exactly one trailing newline.
func (p Policy) JSON() ([]byte, error) {
	compact, err := p.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, compact, "", "  "); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// MarshalJSON writes the policy compactly in canonical form, so that a
// Policy embedded in other JSON (a Terraform .tf.json file) is canonical
// too. It refuses documents IAM would refuse for their shape.
func (p Policy) MarshalJSON() ([]byte, error) {
	if len(p.Statement) == 0 {
		return nil, errors.New("iam: policy has no statement")
	}
	doc := policyJSON{Version: Version}
	for i, s := range p.Statement {
		sj, err := s.canonical()
		if err != nil {
			return nil, fmt.Errorf("iam: statement %d (%s): %w", i+1, s.Sid, err)
		}
		doc.Statement = append(doc.Statement, sj)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// canonical checks the statement's shape and returns its JSON form.
func (s Statement) canonical() (statementJSON, error) {
	switch {
	case s.Effect != Allow && s.Effect != Deny:
		return statementJSON{}, fmt.Errorf("effect %q is neither Allow nor Deny", s.Effect)
	case (len(s.Action) == 0) == (len(s.NotAction) == 0):
		return statementJSON{}, errors.New("give exactly one of Action and NotAction")
	case len(s.Resource) > 0 && len(s.NotResource) > 0:
		return statementJSON{}, errors.New("give at most one of Resource and NotResource")
	}
	conds, err := conditionJSON(s.Condition)
	if err != nil {
		return statementJSON{}, err
	}
	sj := statementJSON{
		Sid:         s.Sid,
		Effect:      s.Effect,
		Action:      set(s.Action),
		NotAction:   set(s.NotAction),
		Resource:    set(s.Resource),
		NotResource: set(s.NotResource),
		Condition:   conds,
	}
	if s.Principal != nil {
		sj.Principal = &principalJSON{AWS: set(s.Principal.AWS), Service: set(s.Principal.Service)}
	}
	return sj, nil
}

// conditionJSON nests the conditions as operator -> key -> values. One key
// may appear once per operator: two entries would be one JSON key twice.
func conditionJSON(conds []Condition) (map[Operator]map[string][]string, error) {
	if len(conds) == 0 {
		return nil, nil
	}
	out := map[Operator]map[string][]string{}
	for _, c := range conds {
		if len(c.Values) == 0 {
			return nil, fmt.Errorf("condition %s %s has no value", c.Operator, c.Key)
		}
		if out[c.Operator] == nil {
			out[c.Operator] = map[string][]string{}
		}
		if _, dup := out[c.Operator][c.Key]; dup {
			return nil, fmt.Errorf("condition %s %s given twice", c.Operator, c.Key)
		}
		out[c.Operator][c.Key] = set(c.Values)
	}
	return out, nil
}

// set returns the values sorted and de-duplicated, as a new slice; nil
// when there are none, so that omitempty leaves the key out.
func set(values []string) []string {
	if len(values) == 0 {
		return nil
	}
	s := slices.Clone(values)
	slices.Sort(s)
	return slices.Compact(s)
}
