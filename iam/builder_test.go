package iam_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/iam"
)

func allow(actions []string, resources ...string) iam.Statement {
	return iam.Statement{Effect: iam.Allow, Action: actions, Resource: resources}
}

func mustPolicy(t *testing.T, stmts ...iam.Statement) iam.Policy {
	t.Helper()
	var b iam.Builder
	b.Add(stmts...)
	p, err := b.Policy()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// summary is each statement as "Sid: actions on resources [conditions]".
func summary(p iam.Policy) []string {
	var out []string
	for _, s := range p.Statement {
		line := s.Sid + ": " + strings.Join(slices.Concat(s.Action, s.NotAction), ",") + " on " + strings.Join(s.Resource, ",")
		for _, c := range s.Condition {
			line += " [" + string(c.Operator) + " " + c.Key + "=" + strings.Join(c.Values, ",") + "]"
		}
		out = append(out, line)
	}
	return out
}

func TestBuilderMerges(t *testing.T) {
	via := iam.Cond(iam.StringEquals, "kms:ViaService", "rds.eu-west-1.amazonaws.com")
	grant := func(key string, conds ...iam.Condition) iam.Statement {
		s := allow([]string{"kms:CreateGrant"}, key)
		s.Condition = conds
		return s
	}
	for _, tc := range []struct {
		name string
		in   []iam.Statement
		want []string
	}{{
		name: "actions on the same resources",
		in: []iam.Statement{
			allow([]string{"rds:DescribeDBClusters"}, "c"),
			allow([]string{"rds:ListTagsForResource"}, "c"),
			allow([]string{"rds:DescribeDBInstances", "rds:DescribeDBClusters"}, "c"),
		},
		want: []string{"RdsDescribeList: rds:DescribeDBClusters,rds:DescribeDBInstances,rds:ListTagsForResource on c"},
	}, {
		name: "resources of the same actions, same conditions",
		in:   []iam.Statement{grant("k2", via), grant("k1", via)},
		want: []string{"KmsCreateGrant: kms:CreateGrant on k1,k2 [StringEquals kms:ViaService=rds.eu-west-1.amazonaws.com]"},
	}, {
		name: "different conditions stay apart, numbered",
		in:   []iam.Statement{grant("k1", via), grant("k1")},
		want: []string{
			"KmsCreateGrant: kms:CreateGrant on k1",
			"KmsCreateGrant2: kms:CreateGrant on k1 [StringEquals kms:ViaService=rds.eu-west-1.amazonaws.com]",
		},
	}, {
		name: "a join on resources enables a join on actions",
		in: []iam.Statement{
			allow([]string{"a:X"}, "r1"),
			allow([]string{"b:Y"}, "r1", "r2"),
			allow([]string{"a:X"}, "r2"),
		},
		want: []string{"AXBY: a:X,b:Y on r1,r2"},
	}, {
		name: "duplicates collapse",
		in:   []iam.Statement{allow([]string{"sns:Publish"}, "t", "t"), allow([]string{"sns:Publish"}, "t")},
		want: []string{"SnsPublish: sns:Publish on t"},
	}, {
		name: "allow and deny stay apart",
		in: []iam.Statement{
			allow([]string{"rds:DeleteDBCluster"}, "c"),
			{Effect: iam.Deny, Action: []string{"rds:DeleteDBCluster"}, Resource: []string{"c"}},
		},
		want: []string{"DenyRdsDeleteDBCluster: rds:DeleteDBCluster on c", "RdsDeleteDBCluster: rds:DeleteDBCluster on c"},
	}, {
		name: "named statements are kept as they are",
		in: []iam.Statement{
			{Sid: "Guard", Effect: iam.Deny, NotAction: []string{"rds:Describe*"}, Resource: []string{"c"}},
			allow([]string{"rds:DescribeDBClusters"}, "c"),
		},
		want: []string{"Guard: rds:Describe* on c", "RdsDescribeDBClusters: rds:DescribeDBClusters on c"},
	}} {
		if got := summary(mustPolicy(t, tc.in...)); !slices.Equal(got, tc.want) {
			t.Errorf("%s:\ngot  %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// TestBuilderOrderFree checks that the order statements are added in
// changes nothing, numbered Sids included.
func TestBuilderOrderFree(t *testing.T) {
	stmts := []iam.Statement{
		allow([]string{"s3:GetObject"}, "arn:aws:s3:::a/*"),
		allow([]string{"s3:GetObject"}, "arn:aws:s3:::b/*"),
		{Effect: iam.Allow, Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::c/*"},
			Condition: []iam.Condition{iam.Cond(iam.StringEquals, "s3:ResourceAccount", "1")}},
		allow([]string{"logs:CreateLogDelivery", "xray:PutTraceSegments", "logs:GetLogDelivery"}, "*"),
		{Effect: iam.Deny, NotAction: []string{"rds:Describe*"}, Resource: []string{"*"}},
	}
	want := mustJSON(t, mustPolicy(t, stmts...))
	for range 10 {
		slices.Reverse(stmts)
		stmts = append(stmts[1:], stmts[0])
		if got := mustJSON(t, mustPolicy(t, stmts...)); got != want {
			t.Fatalf("order changed the policy:\n%s\nwant\n%s", got, want)
		}
	}
	if !strings.Contains(want, `"Sid": "LogsCreateGetXrayPutTraceSegments"`) || !strings.Contains(want, `"Sid": "DenyNotRdsDescribe"`) {
		t.Errorf("unexpected Sids:\n%s", want)
	}
}

func TestBuilderRefusesTwoNames(t *testing.T) {
	var b iam.Builder
	b.Add(iam.Statement{Sid: "A", Effect: iam.Allow, Action: []string{"a:X"}, Resource: []string{"*"}},
		iam.Statement{Sid: "A", Effect: iam.Allow, Action: []string{"b:Y"}, Resource: []string{"*"}})
	if _, err := b.Policy(); err == nil {
		t.Error("no error for two statements named A")
	}
}

// TestBuilderAvoidsNamesTaken checks that a derived Sid never takes the
// name of a statement named by the caller.
func TestBuilderAvoidsNamesTaken(t *testing.T) {
	p := mustPolicy(t,
		iam.Statement{Sid: "SnsPublish", Effect: iam.Deny, Action: []string{"sns:Publish"}, Resource: []string{"other"}},
		allow([]string{"sns:Publish"}, "t"))
	if got := summary(p); !slices.Equal(got, []string{"SnsPublish: sns:Publish on other", "SnsPublish2: sns:Publish on t"}) {
		t.Errorf("got %q", got)
	}
}
