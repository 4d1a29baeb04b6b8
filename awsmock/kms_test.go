package awsmock

import (
	"testing"

	"github.com/refreshgen/refreshgen/asl"
)

// A named grant is created once per name and parameters, listed with its
// name, and revoked by its ID.
func TestGrants(t *testing.T) {
	h := newHarness(t, exampleSpec, Options{})
	prod, staging := h.role("production"), h.role("staging")
	key := h.s.Auroras[0].KMSKeyARN
	grant := map[string]any{"KeyId": key, "GranteePrincipal": staging, "Name": "run-1", "Operations": []any{"Decrypt", "CreateGrant"}}
	first := h.ok(prod, "aws-sdk:kms:createGrant", grant)
	again := h.ok(prod, "aws-sdk:kms:createGrant", grant)
	if first["GrantId"] != again["GrantId"] || first["GrantToken"] == again["GrantToken"] {
		t.Errorf("a retried CreateGrant with the same name: %v then %v", first, again)
	}
	list := h.ok(prod, "aws-sdk:kms:listGrants", map[string]any{"KeyId": key, "Limit": 100})
	grants := list["Grants"].([]any)
	if len(grants) != 3 || list["Truncated"] != false || list["NextMarker"] != nil {
		t.Fatalf("grants: %v", list)
	}
	named := 0
	for _, g := range grants {
		if get(g, "Name") == "run-1" {
			named++
		}
	}
	if named != 1 || get(grants, 0, "Name") != nil {
		t.Errorf("the RDS grants have no name, the run's has: %v", grants)
	}
	page := h.ok(prod, "aws-sdk:kms:listGrants", map[string]any{"KeyId": key, "Limit": 2})
	if page["Truncated"] != true || page["NextMarker"] != "2" {
		t.Errorf("first page of 2: %v", page)
	}
	h.fails(staging, "aws-sdk:kms:listGrants", map[string]any{"KeyId": key}, "Kms.KmsException")
	h.fails(prod, "aws-sdk:kms:createGrant", map[string]any{"KeyId": key, "GranteePrincipal": staging, "Operations": []any{"Dance"}}, "Kms.KmsException")
	h.ok(prod, "aws-sdk:kms:revokeGrant", map[string]any{"KeyId": key, "GrantId": first["GrantId"]})
	h.fails(prod, "aws-sdk:kms:revokeGrant", map[string]any{"KeyId": key, "GrantId": first["GrantId"]}, asl.ErrKmsNotFound)
	h.fails(prod, "aws-sdk:kms:createGrant", map[string]any{"KeyId": "arn:aws:kms:eu-west-1:111111111111:key/none", "GranteePrincipal": staging,
		"Operations": []any{"Decrypt"}}, asl.ErrKmsNotFound)
}

// A grantee holding RetireGrant retires its own grant.
func TestRetireGrant(t *testing.T) {
	h := newHarness(t, exampleSpec, Options{})
	prod, staging := h.role("production"), h.role("staging")
	key := h.s.Auroras[0].KMSKeyARN
	g := h.ok(prod, "aws-sdk:kms:createGrant", map[string]any{"KeyId": key, "GranteePrincipal": staging, "Operations": []any{"Decrypt"}})
	h.fails(staging, "aws-sdk:kms:retireGrant", map[string]any{"KeyId": key, "GrantId": g["GrantId"]}, "Kms.KmsException")
	g = h.ok(prod, "aws-sdk:kms:createGrant", map[string]any{"KeyId": key, "GranteePrincipal": staging, "Operations": []any{"Decrypt", "RetireGrant"}})
	h.ok(staging, "aws-sdk:kms:retireGrant", map[string]any{"KeyId": key, "GrantId": g["GrantId"]})
}
