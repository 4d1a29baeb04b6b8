package iam_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/iam"
)

// TestPolicyJSON pins the canonical layout: key order, sorted and
// de-duplicated lists, conditions by operator then key, no HTML escaping,
// one trailing newline.
func TestPolicyJSON(t *testing.T) {
	p := iam.Policy{Statement: []iam.Statement{{
		Sid:       "DenyOthers",
		Effect:    iam.Deny,
		NotAction: []string{"s3:PutObject", "s3:GetObject", "s3:PutObject"},
		Resource:  []string{"arn:aws:s3:::b/<x>&y", "arn:aws:s3:::a"},
		Condition: []iam.Condition{
			iam.Cond(iam.StringEquals, "aws:ResourceTag/refresh", "true"),
			iam.Cond(iam.ArnLike, "aws:SourceArn", "b", "a", "b"),
			iam.Cond(iam.StringEquals, "aws:PrincipalOrgID", "o-1"),
		},
	}}}
	want := `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DenyOthers",
      "Effect": "Deny",
      "NotAction": [
        "s3:GetObject",
        "s3:PutObject"
      ],
      "Resource": [
        "arn:aws:s3:::a",
        "arn:aws:s3:::b/<x>&y"
      ],
      "Condition": {
        "ArnLike": {
          "aws:SourceArn": [
            "a",
            "b"
          ]
        },
        "StringEquals": {
          "aws:PrincipalOrgID": [
            "o-1"
          ],
          "aws:ResourceTag/refresh": [
            "true"
          ]
        }
      }
    }
  ]
}
`
	if got := mustJSON(t, p); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestMarshalJSONEmbeds checks that a policy inside other JSON (a
// Terraform .tf.json file) is written in the same canonical form.
func TestMarshalJSONEmbeds(t *testing.T) {
	doc := map[string]iam.Policy{"policy": {Statement: []iam.Statement{{
		Effect: iam.Allow, Action: []string{"sns:Publish"}, Resource: []string{"arn:aws:sns:eu-west-1:222222222222:t"},
	}}}}
	got, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sns:Publish"],"Resource":["arn:aws:sns:eu-west-1:222222222222:t"]}]}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestPolicyJSONRefuses lists the shapes IAM would refuse.
func TestPolicyJSONRefuses(t *testing.T) {
	ok := iam.Statement{Effect: iam.Allow, Action: []string{"sns:Publish"}, Resource: []string{"*"}}
	for name, change := range map[string]func(*iam.Statement){
		"no effect":             func(s *iam.Statement) { s.Effect = "" },
		"Action and NotAction":  func(s *iam.Statement) { s.NotAction = []string{"sns:Subscribe"} },
		"no action":             func(s *iam.Statement) { s.Action = nil },
		"Resource, NotResource": func(s *iam.Statement) { s.NotResource = []string{"*"} },
		"condition key twice":   func(s *iam.Statement) { s.Condition = twice() },
		"condition without value": func(s *iam.Statement) {
			s.Condition = []iam.Condition{iam.Cond(iam.StringEquals, "aws:SourceAccount")}
		},
	} {
		s := ok
		change(&s)
		if _, err := (iam.Policy{Statement: []iam.Statement{s}}).JSON(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := (iam.Policy{}).JSON(); err == nil {
		t.Error("policy without statement: no error")
	}
}

func twice() []iam.Condition {
	return []iam.Condition{
		iam.Cond(iam.StringEquals, "aws:SourceAccount", "1"),
		iam.Cond(iam.StringEquals, "aws:SourceAccount", "2"),
	}
}

func TestSize(t *testing.T) {
	p := iam.Policy{Statement: []iam.Statement{{Effect: iam.Allow, Action: []string{"s3:GetObject"}, Resource: []string{"*"}}}}
	n, err := p.Size()
	if err != nil {
		t.Fatal(err)
	}
	compact := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["*"]}]}`
	if n != len(compact) {
		t.Errorf("Size = %d, want %d", n, len(compact))
	}
	// Indentation and white space inside values do not count.
	if indented := strings.Join(strings.Fields(mustJSON(t, p)), ""); n != len(indented) {
		t.Errorf("Size = %d, the indented document has %d non-space characters", n, len(indented))
	}
	p.Statement[0].Condition = []iam.Condition{iam.Cond(iam.StringEquals, "aws:UserAgent", "a b")}
	withSpace, _ := p.Size()
	p.Statement[0].Condition = []iam.Condition{iam.Cond(iam.StringEquals, "aws:UserAgent", "ab")}
	if without, _ := p.Size(); withSpace != without {
		t.Errorf("a space in a value counts: %d != %d", withSpace, without)
	}
}

func TestSizeOverManagedLimit(t *testing.T) {
	var b iam.Builder
	for i := range 200 {
		b.Add(iam.Statement{Effect: iam.Allow, Action: []string{"ssm:GetParameter"},
			Resource: []string{iam.SSMParameter.ARN(loc, fmt.Sprintf("refresh/parameter-%d", i))}})
	}
	p, err := b.Policy()
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := p.Size(); n <= iam.ManagedPolicyMaxSize {
		t.Errorf("Size = %d, want over %d", n, iam.ManagedPolicyMaxSize)
	}
}
