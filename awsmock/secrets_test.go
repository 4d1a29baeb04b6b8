package awsmock

import (
	"testing"
	"time"

	"github.com/refreshgen/refreshgen/asl"
)

// A rotation moves LastRotatedDate when it completes; a second one is
// refused meanwhile; a stuck rotation never completes.
func TestRotateSecret(t *testing.T) {
	arn := "arn:aws:secretsmanager:eu-west-1:222222222222:secret:app-user-AbCdEf"
	for _, stuck := range []bool{false, true} {
		var opts Options
		if stuck {
			opts.Scenario = &Scenario{Faults: []Fault{{Stuck: &Stuck{Type: "secret-rotation", Status: "rotating"}}}}
		}
		h := newHarness(t, exampleSpec, opts)
		staging := h.role("staging")
		last := func() any {
			return h.ok(staging, "aws-sdk:secretsmanager:describeSecret", map[string]any{"SecretId": arn})["LastRotatedDate"]
		}
		before := last()
		if before != "2025-12-12T02:00:00.000Z" {
			t.Fatalf("seeded LastRotatedDate %v", before)
		}
		h.ok(staging, "aws-sdk:secretsmanager:rotateSecret", map[string]any{"SecretId": arn, "RotateImmediately": true})
		h.fails(staging, "aws-sdk:secretsmanager:rotateSecret", map[string]any{"SecretId": arn}, "SecretsManager.InvalidRequestException")
		h.after(time.Minute)
		want := "2026-01-01T00:00:50.000Z"
		if stuck {
			want = before.(string)
		}
		if got := last(); got != want {
			t.Errorf("stuck %v: LastRotatedDate %v, want %v", stuck, got, want)
		}
		h.fails(staging, "aws-sdk:secretsmanager:describeSecret", map[string]any{"SecretId": "nope"}, asl.ErrSecretsManagerResourceNotFound)
	}
}
