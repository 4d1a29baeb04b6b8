package awsmock

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/sim"
)

// key is a customer managed KMS key.
type key struct {
	arn, id string
	owner   *account
	grants  []*grant
}

// grant is a KMS grant on a key.
type grant struct {
	id, name   string
	grantee    string
	retiring   string
	operations []string
	issuer     string // the account that created it
	created    time.Time
}

// grantOperations are the operations KMS accepts in a grant.
var grantOperations = []string{
	"Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo",
	"Sign", "Verify", "GetPublicKey", "CreateGrant", "RetireGrant", "DescribeKey", "GenerateDataKeyPair",
	"GenerateDataKeyPairWithoutPlaintext", "GenerateMac", "VerifyMac", "DeriveSharedSecret",
}

// restoreOperations are what a principal of another account needs on the
// key of a snapshot or cluster to restore or clone it: RDS decrypts the
// data and creates a grant of its own for the copy.
var restoreOperations = []string{"Decrypt", "DescribeKey", "CreateGrant"}

// findKey resolves a KeyId as the caller names it: a key ARN (of any
// account) or a key ID of the caller's account.
func (w *World) findKey(caller *account, keyID string) *key {
	if strings.HasPrefix(keyID, "arn:") {
		return w.keyByARN(keyID)
	}
	for _, k := range caller.keys {
		if k.id == keyID {
			return k
		}
	}
	return nil
}

func (w *World) keyByARN(arn string) *key {
	for _, a := range w.accounts {
		for _, k := range a.keys {
			if k.arn == arn {
				return k
			}
		}
	}
	return nil
}

// canUseKey reports whether the caller may use k: its own account's keys
// (their key policy delegates to IAM), another account's only through a
// grant to the calling role with the operations a restore needs.
func (w *World) canUseKey(r *request, k *key) bool {
	if k.owner == r.acct {
		return true
	}
	return k.grantTo(r.role, restoreOperations) != nil
}

func (w *World) canUseKeyARN(r *request, arn string) bool {
	k := w.keyByARN(arn)
	return k != nil && w.canUseKey(r, k)
}

// grantTo returns a grant of k to principal holding every operation of ops.
func (k *key) grantTo(principal string, ops []string) *grant {
	if principal == "" {
		return nil
	}
	for _, g := range k.grants {
		if g.grantee == principal && containsAll(g.operations, ops) {
			return g
		}
	}
	return nil
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// keyFor finds the key of a call's KeyId and checks the caller may manage
// its grants: its owner, or for CreateGrant a grantee holding CreateGrant.
func (w *World) keyFor(r *request) (*key, *sim.Failure) {
	keyID, err := r.required("KeyId")
	if err != nil {
		return nil, err
	}
	k := w.findKey(r.acct, keyID)
	if k == nil {
		return nil, r.fail("NotFoundException", 400, "Key '%s' does not exist", keyID)
	}
	return k, nil
}

// createGrant grants operations on a key. A retry with the same Name and
// the same grant returns the grant it made then.
func (w *World) createGrant(r *request) (any, *sim.Failure) {
	k, err := w.keyFor(r)
	if err != nil {
		return nil, err
	}
	grantee, err := r.required("GranteePrincipal")
	if err != nil {
		return nil, err
	}
	retiring, err := r.str("RetiringPrincipal")
	if err != nil {
		return nil, err
	}
	ops, err := r.stringList("Operations")
	if err != nil {
		return nil, err
	}
	name, err := r.str("Name")
	if err != nil {
		return nil, err
	}
	if len(ops) == 0 {
		return nil, r.invalid("1 validation error detected: Value null at 'operations' failed to satisfy constraint: Member must not be null")
	}
	for _, op := range ops {
		if !slices.Contains(grantOperations, op) {
			return nil, r.invalid("1 validation error detected: Value '%s' at 'operations' failed to satisfy constraint: Member must satisfy enum value set", op)
		}
	}
	if k.owner != r.acct {
		parent := k.grantTo(r.role, []string{"CreateGrant"})
		if parent == nil || !containsAll(parent.operations, ops) {
			return nil, r.accessDenied("User: %s is not authorized to perform: kms:CreateGrant on resource: %s", r.role, k.arn)
		}
	}
	if name != "" {
		for _, g := range k.grants {
			if g.name == name && g.grantee == grantee && g.retiring == retiring && slices.Equal(g.operations, ops) {
				return map[string]any{"GrantId": g.id, "GrantToken": w.hexID(64)}, nil
			}
		}
	}
	g := &grant{id: w.hexID(64), name: name, grantee: grantee, retiring: retiring, operations: ops, issuer: r.acct.id, created: r.now}
	k.grants = append(k.grants, g)
	return map[string]any{"GrantId": g.id, "GrantToken": w.hexID(64)}, nil
}

// listGrants lists the grants of a key, Limit at a time.
func (w *World) listGrants(r *request) (any, *sim.Failure) {
	k, err := w.keyFor(r)
	if err != nil {
		return nil, err
	}
	if k.owner != r.acct {
		return nil, r.accessDenied("User: %s is not authorized to perform: kms:ListGrants on resource: %s", r.role, k.arn)
	}
	limit, set, err := r.number("Limit")
	if err != nil {
		return nil, err
	}
	if !set {
		limit = 50
	}
	if limit < 1 || limit > 100 {
		return nil, r.invalid("1 validation error detected: Value '%v' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100", limit)
	}
	grantID, _ := r.str("GrantId")
	grantee, _ := r.str("GranteePrincipal")
	var list []any
	for _, g := range k.grants {
		if grantID != "" && g.id != grantID || grantee != "" && g.grantee != grantee {
			continue
		}
		entry := map[string]any{
			"KeyId": k.arn, "GrantId": g.id, "GranteePrincipal": g.grantee, "CreationDate": sim.ISOTime(g.created),
			"IssuingAccount": "arn:" + w.partition + ":iam::" + g.issuer + ":root", "Operations": stringsJSON(g.operations),
		}
		if g.name != "" {
			entry["Name"] = g.name
		}
		if g.retiring != "" {
			entry["RetiringPrincipal"] = g.retiring
		}
		list = append(list, entry)
	}
	start := 0
	if m, _ := r.str("Marker"); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil || n < 0 || n > len(list) {
			return nil, r.fail("InvalidMarkerException", 400, "Invalid marker")
		}
		start = n
	}
	end := min(len(list), start+int(limit))
	out := map[string]any{"Grants": orEmpty(list[start:end]), "Truncated": end < len(list)}
	if end < len(list) {
		out["NextMarker"] = strconv.Itoa(end)
	}
	return out, nil
}

// revokeGrant deletes a grant of a key of the caller's account.
func (w *World) revokeGrant(r *request) (any, *sim.Failure) {
	k, err := w.keyFor(r)
	if err != nil {
		return nil, err
	}
	id, err := r.required("GrantId")
	if err != nil {
		return nil, err
	}
	if k.owner != r.acct {
		return nil, r.accessDenied("User: %s is not authorized to perform: kms:RevokeGrant on resource: %s", r.role, k.arn)
	}
	if !k.drop(id) {
		return nil, r.fail("NotFoundException", 400, "Grant ID %s not found", id)
	}
	return map[string]any{}, nil
}

// retireGrant deletes a grant as its retiring principal, its grantee
// holding RetireGrant, or the key's account.
func (w *World) retireGrant(r *request) (any, *sim.Failure) {
	if tok, _ := r.str("GrantToken"); tok != "" && !r.has("GrantId") {
		return nil, r.fail("InvalidGrantTokenException", 400, "The grant token is not recognised: pass KeyId and GrantId")
	}
	k, err := w.keyFor(r)
	if err != nil {
		return nil, err
	}
	id, err := r.required("GrantId")
	if err != nil {
		return nil, err
	}
	for _, g := range k.grants {
		if g.id != id {
			continue
		}
		allowed := k.owner == r.acct || r.role != "" && (g.retiring == r.role || g.grantee == r.role && slices.Contains(g.operations, "RetireGrant"))
		if !allowed {
			return nil, r.accessDenied("User: %s is not authorized to perform: kms:RetireGrant on resource: %s", r.role, k.arn)
		}
		k.drop(id)
		return map[string]any{}, nil
	}
	return nil, r.fail("NotFoundException", 400, "Grant ID %s not found", id)
}

// drop removes the grant id and reports whether there was one.
func (k *key) drop(id string) bool {
	n := len(k.grants)
	k.grants = slices.DeleteFunc(k.grants, func(g *grant) bool { return g.id == id })
	return len(k.grants) < n
}

func stringsJSON(s []string) []any {
	out := []any{}
	for _, x := range s {
		out = append(out, x)
	}
	return out
}
