package awsmock

import (
	"slices"
	"time"

	"github.com/refreshgen/refreshgen/sim"
)

// resourceShare is an AWS RAM resource share, owned by the account that
// holds it.
type resourceShare struct {
	arn, name     string
	owner         *account
	resources     []*shareResource
	principals    []*shareAssociation
	allowExternal bool
	tags          tags
	token         string // the ClientToken that created it
	created       time.Time
	lc            lifecycle // ACTIVE, or DELETING -> DELETED
}

// shareResource is a resource of a share: associated a moment after the
// share is created.
type shareResource struct {
	arn string
	lc  lifecycle // ASSOCIATING -> ASSOCIATED
}

// shareAssociation is a principal (an account) of a share. Inside the
// organization of the spec (organization_id) it is associated at once;
// outside, through an invitation the principal accepts.
type shareAssociation struct {
	principal  string
	created    time.Time
	invitation *invitation // nil inside the organization
	lc         lifecycle   // ASSOCIATING -> ASSOCIATED once it may start
}

type invitation struct {
	arn    string
	status string // PENDING, ACCEPTED or REJECTED
}

func (w *World) shareStatus(s *resourceShare, t time.Time) string {
	return w.statusAt("resource-share", s.owner, s.name, s.lc, t)
}

// associationStatus is the status of a principal's association: it waits
// for the principal's invitation, and ends with the share.
func (w *World) associationStatus(s *resourceShare, a *shareAssociation, t time.Time) string {
	switch w.shareStatus(s, t) {
	case "DELETING":
		return "DISASSOCIATING"
	case "DELETED":
		return "DISASSOCIATED"
	}
	if a.invitation != nil && a.invitation.status != "ACCEPTED" {
		if a.invitation.status == "REJECTED" {
			return "DISASSOCIATED"
		}
		return "ASSOCIATING"
	}
	return w.statusAt("share-association", s.owner, a.principal, a.lc, t)
}

func (w *World) resourceStatus(s *resourceShare, x *shareResource, t time.Time) string {
	switch w.shareStatus(s, t) {
	case "DELETING":
		return "DISASSOCIATING"
	case "DELETED":
		return "DISASSOCIATED"
	}
	return w.statusAt("share-association", s.owner, x.arn, x.lc, t)
}

// sharedWith reports whether owner shares the resource arn with the
// account principal through RAM at t.
func (w *World) sharedWith(owner *account, arn, principal string, t time.Time) bool {
	for _, s := range owner.shares {
		if !slices.ContainsFunc(s.resources, func(x *shareResource) bool {
			return x.arn == arn && w.resourceStatus(s, x, t) == "ASSOCIATED"
		}) {
			continue
		}
		for _, a := range s.principals {
			if a.principal == principal && w.associationStatus(s, a, t) == "ASSOCIATED" {
				return true
			}
		}
	}
	return false
}

// createResourceShare shares resources of the caller's account with
// other accounts.
func (w *World) createResourceShare(r *request) (any, *sim.Failure) {
	name, err := r.required("Name")
	if err != nil {
		return nil, err
	}
	resources, err := r.stringList("ResourceArns")
	if err != nil {
		return nil, err
	}
	principals, err := r.stringList("Principals")
	if err != nil {
		return nil, err
	}
	external, set, err := r.boolean("AllowExternalPrincipals")
	if err != nil {
		return nil, err
	}
	if !set {
		external = true
	}
	t, err := r.tagList("Tags")
	if err != nil {
		return nil, err
	}
	token, err := r.str("ClientToken")
	if err != nil {
		return nil, err
	}
	if token != "" {
		for _, s := range r.acct.shares {
			if s.token != token {
				continue
			}
			if s.name != name {
				return nil, r.fail("IdempotentParameterMismatchException", 400, "The client token %s was used with other parameters.", token)
			}
			return map[string]any{"ResourceShare": w.shareJSON(s, r.now), "ClientToken": token}, nil
		}
	}
	for _, arn := range resources {
		if owner, _, ok := rdsARN(arn, "cluster"); !ok || owner != r.acct.id || w.findCluster(r.acct, arn, r.now) == nil {
			return nil, r.fail("UnknownResourceException", 400, "The specified resource ARN %s is not found or cannot be shared from this account.", arn)
		}
	}
	inOrg := w.spec.Project.OrganizationID != ""
	s := &resourceShare{arn: w.arn("ram", r.acct.id, "resource-share/"+w.uuid()), name: name, owner: r.acct,
		allowExternal: external, tags: t, token: token, created: r.now, lc: steady("ACTIVE")}
	for _, arn := range resources {
		s.resources = append(s.resources, &shareResource{arn: arn,
			lc: transition(r.now, "ASSOCIATED", phase{"ASSOCIATING", w.clock.d(DurShareAssociation)})})
	}
	for _, p := range principals {
		if !isAccountID(p) {
			return nil, r.fail("MalformedArnException", 400, "The principal %s is not an account ID.", p)
		}
		if !inOrg && !external {
			return nil, r.fail("OperationNotPermittedException", 400, "The principal %s is outside your organization and the share does not allow external principals.", p)
		}
		a := &shareAssociation{principal: p, created: r.now,
			lc: transition(r.now, "ASSOCIATED", phase{"ASSOCIATING", w.clock.d(DurShareAssociation)})}
		if !inOrg {
			a.invitation = &invitation{arn: w.arn("ram", r.acct.id, "resource-share-invitation/"+w.uuid()), status: "PENDING"}
		}
		s.principals = append(s.principals, a)
	}
	r.acct.shares = append(r.acct.shares, s)
	out := map[string]any{"ResourceShare": w.shareJSON(s, r.now)}
	if token != "" {
		out["ClientToken"] = token
	}
	return out, nil
}

func (w *World) shareJSON(s *resourceShare, t time.Time) map[string]any {
	return map[string]any{
		"ResourceShareArn": s.arn, "Name": s.name, "OwningAccountId": s.owner.id, "AllowExternalPrincipals": s.allowExternal,
		"Status": w.shareStatus(s, t), "CreationTime": sim.ISOTime(s.created), "LastUpdatedTime": sim.ISOTime(s.created),
		"FeatureSet": "STANDARD", "Tags": s.tags.list(),
	}
}

// getResourceShares lists the shares the caller owns (ResourceOwner SELF)
// or that other accounts share with it, filtered by name, status and tags.
func (w *World) getResourceShares(r *request) (any, *sim.Failure) {
	owner, err := r.required("ResourceOwner")
	if err != nil {
		return nil, err
	}
	if owner != "SELF" && owner != "OTHER-ACCOUNTS" {
		return nil, r.fail("InvalidParameterException", 400, "ResourceOwner must be SELF or OTHER-ACCOUNTS, not %s.", owner)
	}
	name, _ := r.str("Name")
	status, _ := r.str("ResourceShareStatus")
	arns, err := r.stringList("ResourceShareArns")
	if err != nil {
		return nil, err
	}
	filters, _ := r.params["TagFilters"].([]any)
	list := []any{}
	for _, a := range w.accounts {
		for _, s := range a.shares {
			mine := a == r.acct
			shared := slices.ContainsFunc(s.principals, func(p *shareAssociation) bool { return p.principal == r.acct.id })
			if owner == "SELF" && !mine || owner == "OTHER-ACCOUNTS" && (mine || !shared) {
				continue
			}
			st := w.shareStatus(s, r.now)
			if name != "" && s.name != name || status != "" && st != status || len(arns) > 0 && !slices.Contains(arns, s.arn) ||
				!matchesTagFilters(s.tags, filters) {
				continue
			}
			list = append(list, w.shareJSON(s, r.now))
		}
	}
	return map[string]any{"ResourceShares": list}, nil
}

// matchesTagFilters applies RAM's TagFilters: every filter's key must be
// present with one of its values (any value when it lists none).
func matchesTagFilters(t tags, filters []any) bool {
	for _, f := range filters {
		m, _ := f.(map[string]any)
		k, _ := m["TagKey"].(string)
		values, _ := m["TagValues"].([]any)
		found := false
		for _, x := range t {
			if x.Key == k && (len(values) == 0 || slices.Contains(values, any(x.Value))) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// deleteResourceShare deletes a share of the caller's: the sharing stops,
// the resources stay.
func (w *World) deleteResourceShare(r *request) (any, *sim.Failure) {
	arn, err := r.required("ResourceShareArn")
	if err != nil {
		return nil, err
	}
	token, _ := r.str("ClientToken")
	for _, s := range r.acct.shares {
		if s.arn != arn {
			continue
		}
		switch w.shareStatus(s, r.now) {
		case "DELETED":
			return nil, r.fail("UnknownResourceException", 400, "The resource share %s does not exist.", arn)
		case "DELETING":
			return nil, r.fail("InvalidStateTransitionException", 400, "The resource share %s is already being deleted.", arn)
		}
		s.lc = transition(r.now, "DELETED", phase{"DELETING", w.clock.d(DurShareAssociation)})
		out := map[string]any{"ReturnValue": true}
		if token != "" {
			out["ClientToken"] = token
		}
		return out, nil
	}
	return nil, r.fail("UnknownResourceException", 400, "The resource share %s does not exist.", arn)
}

// getResourceShareAssociations lists the resources or principals of the
// caller's shares.
func (w *World) getResourceShareAssociations(r *request) (any, *sim.Failure) {
	kind, err := r.required("AssociationType")
	if err != nil {
		return nil, err
	}
	if kind != "RESOURCE" && kind != "PRINCIPAL" {
		return nil, r.fail("InvalidParameterException", 400, "AssociationType must be RESOURCE or PRINCIPAL.")
	}
	arns, err := r.stringList("ResourceShareArns")
	if err != nil {
		return nil, err
	}
	want, _ := r.str("AssociationStatus")
	resource, _ := r.str("ResourceArn")
	principal, _ := r.str("Principal")
	list := []any{}
	for _, s := range r.acct.shares {
		if len(arns) > 0 && !slices.Contains(arns, s.arn) {
			continue
		}
		add := func(entity, status string, external bool) {
			if want == "" || want == status {
				list = append(list, map[string]any{
					"ResourceShareArn": s.arn, "ResourceShareName": s.name, "AssociatedEntity": entity,
					"AssociationType": kind, "Status": status, "External": external, "CreationTime": sim.ISOTime(s.created),
				})
			}
		}
		if kind == "RESOURCE" {
			for _, x := range s.resources {
				if resource == "" || x.arn == resource {
					add(x.arn, w.resourceStatus(s, x, r.now), false)
				}
			}
			continue
		}
		for _, a := range s.principals {
			if principal == "" || a.principal == principal {
				add(a.principal, w.associationStatus(s, a, r.now), a.invitation != nil)
			}
		}
	}
	return map[string]any{"ResourceShareAssociations": list}, nil
}

// getResourceShareInvitations lists the invitations the caller received.
func (w *World) getResourceShareInvitations(r *request) (any, *sim.Failure) {
	arns, err := r.stringList("ResourceShareArns")
	if err != nil {
		return nil, err
	}
	ids, err := r.stringList("ResourceShareInvitationArns")
	if err != nil {
		return nil, err
	}
	list := []any{}
	for _, a := range w.accounts {
		for _, s := range a.shares {
			for _, p := range s.principals {
				if p.principal != r.acct.id || p.invitation == nil ||
					len(arns) > 0 && !slices.Contains(arns, s.arn) || len(ids) > 0 && !slices.Contains(ids, p.invitation.arn) {
					continue
				}
				list = append(list, w.invitationJSON(s, p))
			}
		}
	}
	return map[string]any{"ResourceShareInvitations": list}, nil
}

func (w *World) invitationJSON(s *resourceShare, p *shareAssociation) map[string]any {
	return map[string]any{
		"ResourceShareInvitationArn": p.invitation.arn, "ResourceShareName": s.name, "ResourceShareArn": s.arn,
		"SenderAccountId": s.owner.id, "ReceiverAccountId": p.principal, "InvitationTimestamp": sim.ISOTime(p.created),
		"Status": p.invitation.status,
	}
}

// acceptResourceShareInvitation accepts an invitation the caller received;
// the association completes a moment later.
func (w *World) acceptResourceShareInvitation(r *request) (any, *sim.Failure) {
	arn, err := r.required("ResourceShareInvitationArn")
	if err != nil {
		return nil, err
	}
	for _, a := range w.accounts {
		for _, s := range a.shares {
			for _, p := range s.principals {
				if p.invitation == nil || p.invitation.arn != arn || p.principal != r.acct.id {
					continue
				}
				if st := w.shareStatus(s, r.now); st != "ACTIVE" {
					return nil, r.fail("ResourceShareInvitationExpiredException", 400, "The invitation %s expired: its share is %s.", arn, st)
				}
				switch p.invitation.status {
				case "ACCEPTED":
					return nil, r.fail("ResourceShareInvitationAlreadyAcceptedException", 400, "The invitation %s was already accepted.", arn)
				case "REJECTED":
					return nil, r.fail("ResourceShareInvitationAlreadyRejectedException", 400, "The invitation %s was already rejected.", arn)
				}
				p.invitation.status = "ACCEPTED"
				p.lc = transition(r.now, "ASSOCIATED", phase{"ASSOCIATING", w.clock.d(DurShareAssociation)})
				return map[string]any{"ResourceShareInvitation": w.invitationJSON(s, p)}, nil
			}
		}
	}
	return nil, r.fail("ResourceShareInvitationArnNotFoundException", 400, "The invitation %s was not found.", arn)
}
