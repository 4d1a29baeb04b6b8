package awsmock

import (
	"testing"
	"time"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/sim"
)

// TestTags reads the tags of resources by ARN, as IAM would.
func TestTags(t *testing.T) {
	h := newHarness(t, exampleSpec, Options{})
	dev := h.role("dev")
	arn := "arn:aws:rds:eu-west-1:333333333333:cluster:dev-app"
	if got := h.w.Tags(arn, h.now); got["Environment"] != "dev" || got["refreshgen:managed"] != "" {
		t.Errorf("the target before adoption: %v", got)
	}
	h.ok(dev, "aws-sdk:rds:addTagsToResource", map[string]any{"ResourceName": arn, "Tags": []any{map[string]any{"Key": "refreshgen:managed", "Value": "true"}}})
	if got := h.w.Tags(arn, h.now); got["refreshgen:managed"] != "true" {
		t.Errorf("the target after adoption: %v", got)
	}
	for _, missing := range []string{
		"arn:aws:rds:eu-west-1:333333333333:cluster:nope", "arn:aws:rds:eu-west-1:999999999999:cluster:dev-app",
		"arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:nope", "not an arn",
	} {
		if got := h.w.Tags(missing, h.now); got != nil {
			t.Errorf("%s: %v", missing, got)
		}
	}
	fs := "arn:aws:elasticfilesystem:eu-west-1:222222222222:file-system/fs-0fedcba9876543210"
	if got := h.w.Tags(fs, h.now); got["Name"] != "staging-media" {
		t.Errorf("%s: %v", fs, got)
	}
}

// TestInspect reads the World's state through its read-only views.
func TestInspect(t *testing.T) {
	h := newHarness(t, exampleSpec, Options{})
	if cs := h.w.Clusters("dev", h.now); len(cs) != 1 || cs[0].ID != "dev-app" || cs[0].Status != "available" || len(cs[0].Instances) != 1 {
		t.Errorf("dev's clusters: %+v", cs)
	}
	prod := h.role("production")
	h.ok(prod, "aws-sdk:rds:createDBClusterSnapshot", map[string]any{"DbClusterIdentifier": "prod-app", "DbClusterSnapshotIdentifier": "myapp-refresh-dev-app-x"})
	h.after(time.Hour)
	h.ok(prod, "aws-sdk:rds:modifyDBClusterSnapshotAttribute", map[string]any{"DbClusterSnapshotIdentifier": "myapp-refresh-dev-app-x",
		"AttributeName": "restore", "ValuesToAdd": []any{"333333333333"}})
	var manual []SnapshotState
	for _, s := range h.w.Snapshots("production", h.now) {
		if s.Type == "manual" {
			manual = append(manual, s)
		}
	}
	if len(manual) != 1 || manual[0].ID != "myapp-refresh-dev-app-x" || manual[0].Status != "available" || len(manual[0].SharedWith) != 1 {
		t.Errorf("manual snapshots: %+v", manual)
	}
	if gs := h.w.Grants("production"); len(gs) != 2 || gs[0].Name != "" || gs[0].Grantee != "rds.eu-west-1.amazonaws.com" {
		t.Errorf("the source key's grants: %+v", gs)
	}
	if fss := h.w.FileSystems("staging", h.now); len(fss) != 1 || fss[0].Protection != "ENABLED" || fss[0].Replicating {
		t.Errorf("staging's file systems: %+v", fss)
	}
	if ngs := h.w.Nodegroups("staging", h.now); len(ngs) != 1 || ngs[0].Desired != 3 || ngs[0].BaseDesired != 3 {
		t.Errorf("staging's node groups: %+v", ngs)
	}
	if h.w.Shares("production", h.now) != nil || h.w.Clusters("nope", h.now) != nil {
		t.Error("shares, or an unknown account's clusters")
	}
}

// TestDeny records a call IAM refused without letting the model see it.
func TestDeny(t *testing.T) {
	h := newHarness(t, exampleSpec, Options{})
	in, _, _ := asl.ParseIntegration("arn:aws:states:::aws-sdk:rds:deleteDBCluster")
	c := sim.Call{ExecutionArn: "arn:aws:states:eu-west-1:000000000000:execution:test:run", State: "Delete",
		Resource: "arn:aws:states:::aws-sdk:rds:deleteDBCluster", Integration: &in, RoleArn: h.role("dev"), Time: h.now,
		Parameters: map[string]any{"DbClusterIdentifier": "dev-app", "SkipFinalSnapshot": true}}
	res := h.w.Deny(c, &sim.Failure{Name: "Rds.RdsException", Cause: "User: x is not authorized"})
	if res.Err == nil || res.Err.Name != "Rds.RdsException" || res.Duration != DefaultClock().Latency {
		t.Errorf("the result: %+v", res)
	}
	tl := h.w.Timeline()
	if len(tl) != 1 || !tl[0].Denied || tl[0].Account != "dev" || tl[0].Call != "rds:deleteDBCluster" || tl[0].Fault != -1 || tl[0].Outcome() != "Rds.RdsException" {
		t.Errorf("the timeline: %+v", tl)
	}
	if len(h.w.Clusters("dev", h.now.Add(time.Hour))) != 1 {
		t.Error("the denied deletion deleted the cluster")
	}
}

// TestMatchGlob: * in a fault's match or a stuck id stands for any run of
// characters.
func TestMatchGlob(t *testing.T) {
	for _, tt := range []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true}, {"*", "anything", true}, {"*-restore", "dev-app-restore", true}, {"*-restore", "dev-app", false},
		{"dev-*-restore", "dev-app-restore", true}, {"dev-*-restore", "dev-restore", false}, {"a*b*c", "axxbyyc", true},
		{"a*b*c", "acb", false}, {"exact", "exact", true}, {"exact", "exactly", false},
	} {
		if got := glob(tt.pattern, tt.s); got != tt.want {
			t.Errorf("glob(%q, %q) = %v", tt.pattern, tt.s, got)
		}
	}
	if !subset(map[string]any{"Payload": map[string]any{"engine": "*"}}, map[string]any{"Payload": map[string]any{"engine": "aurora-mysql", "x": 1.0}}) ||
		subset(map[string]any{"Payload": map[string]any{"engine": "*"}}, map[string]any{"Payload": map[string]any{"x": 1.0}}) {
		t.Error("a glob in match")
	}
}
