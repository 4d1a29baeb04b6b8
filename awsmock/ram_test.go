package awsmock

import (
	"testing"
	"time"

	"github.com/refreshgen/refreshgen/asl"
)

// Sharing a cluster outside an organization: the destination sees it
// only once it accepted the invitation, and not after the share is
// deleted.
func TestClusterShare(t *testing.T) {
	h := newHarness(t, exampleSpec, Options{})
	prod, staging := h.role("production"), h.role("staging")
	src := "arn:aws:rds:eu-west-1:111111111111:cluster:prod-app"
	key := h.s.Auroras[0].KMSKeyARN
	h.ok(prod, "aws-sdk:kms:createGrant", map[string]any{"KeyId": key, "GranteePrincipal": staging, "Operations": []any{"Decrypt", "DescribeKey", "CreateGrant"}})
	clone := map[string]any{"DbClusterIdentifier": "staging-clone", "SourceDBClusterIdentifier": src, "RestoreType": "copy-on-write",
		"UseLatestRestorableTime": true, "DbSubnetGroupName": "staging-db"}
	h.fails(staging, "aws-sdk:rds:restoreDBClusterToPointInTime", clone, asl.ErrRdsDbClusterNotFound)
	create := map[string]any{"Name": "run-1", "ResourceArns": []any{src}, "Principals": []any{"222222222222"}, "ClientToken": "exec-1",
		"Tags": []any{map[string]any{"Key": "refreshgen:managed", "Value": "true"}}}
	share := get(h.ok(prod, "aws-sdk:ram:createResourceShare", create), "ResourceShare", "ResourceShareArn")
	if again := get(h.ok(prod, "aws-sdk:ram:createResourceShare", create), "ResourceShare", "ResourceShareArn"); again != share {
		t.Errorf("a retry with the same ClientToken made a second share")
	}
	found := h.ok(prod, "aws-sdk:ram:getResourceShares", map[string]any{"ResourceOwner": "SELF", "Name": "run-1", "ResourceShareStatus": "ACTIVE",
		"TagFilters": []any{map[string]any{"TagKey": "refreshgen:managed", "TagValues": []any{"true"}}}})
	if get(found, "ResourceShares", 0, "ResourceShareArn") != share || !tagsOf(get(found, "ResourceShares", 0, "Tags")).has("refreshgen:managed", "true") {
		t.Errorf("getResourceShares: %v", found)
	}
	h.after(time.Minute)
	assoc := func(kind string) any {
		out := h.ok(prod, "aws-sdk:ram:getResourceShareAssociations", map[string]any{"AssociationType": kind, "ResourceShareArns": []any{share}})
		return get(out, "ResourceShareAssociations", 0, "Status")
	}
	if assoc("RESOURCE") != "ASSOCIATED" || assoc("PRINCIPAL") != "ASSOCIATING" {
		t.Errorf("before the invitation is accepted: %v %v", assoc("RESOURCE"), assoc("PRINCIPAL"))
	}
	h.fails(staging, "aws-sdk:rds:restoreDBClusterToPointInTime", clone, asl.ErrRdsDbClusterNotFound)
	inv := h.ok(staging, "aws-sdk:ram:getResourceShareInvitations", map[string]any{"ResourceShareArns": []any{share}})
	arn := get(inv, "ResourceShareInvitations", 0, "ResourceShareInvitationArn")
	h.ok(staging, "aws-sdk:ram:acceptResourceShareInvitation", map[string]any{"ResourceShareInvitationArn": arn})
	h.fails(staging, "aws-sdk:ram:acceptResourceShareInvitation", map[string]any{"ResourceShareInvitationArn": arn}, "Ram.ResourceShareInvitationAlreadyAcceptedException")
	h.after(time.Minute)
	if assoc("PRINCIPAL") != "ASSOCIATED" {
		t.Errorf("after accepting: %v", assoc("PRINCIPAL"))
	}
	if c := h.ok(staging, "aws-sdk:rds:restoreDBClusterToPointInTime", clone); get(c, "DbCluster", "Status") != "creating" {
		t.Errorf("clone: %v", c)
	}
	h.ok(prod, "aws-sdk:ram:deleteResourceShare", map[string]any{"ResourceShareArn": share})
	h.fails(prod, "aws-sdk:ram:deleteResourceShare", map[string]any{"ResourceShareArn": share}, "Ram.InvalidStateTransitionException")
	h.after(time.Minute)
	clone["DbClusterIdentifier"] = "staging-clone-2"
	h.fails(staging, "aws-sdk:rds:restoreDBClusterToPointInTime", clone, asl.ErrRdsDbClusterNotFound)
	if st := assoc("PRINCIPAL"); st != "DISASSOCIATED" {
		t.Errorf("after deletion: %v", st)
	}
}
