// Package policyeval decides an AWS request against IAM policies the way
// AWS does for one account's identity-based policies plus an optional
// resource-based policy (a trust policy, a key policy). It is what the
// workflow simulator asks "would AWS let this role make this call?".
//
// The rules modelled, each from the IAM User Guide (quoted in the tests):
//
//   - Decision (Policy evaluation logic; The difference between explicit
//     and implicit denies): every request starts denied; an applicable
//     Deny anywhere wins ("an explicit deny in any policy overrides an
//     allow"); otherwise an applicable Allow is needed; otherwise the
//     request is implicitly denied.
//   - Same account (Policy evaluation for requests within a single
//     account): an Allow in either the identity-based or the resource-based
//     policy is enough. Two exceptions, where the resource-based policy
//     must let IAM policies count by naming the account (or the caller
//     itself): role trust policies (sts:AssumeRole*) and KMS key policies
//     ("Unless the key policy explicitly allows it, you cannot use IAM
//     policies to allow access to a KMS key", AWS KMS Developer Guide, Key
//     policies). A role or key always has such a policy: passing none for
//     them denies.
//   - Cross account (Cross-account policy evaluation logic): the
//     resource's account must grant the caller (by ARN or by account) in
//     the resource-based policy and the caller's identity-based policies
//     must allow the request too. Without a resource-based policy a
//     cross-account request is implicitly denied.
//   - Service principals ("states.amazonaws.com") have no identity
//     policies: the resource-based policy alone decides.
//   - Action and NotAction (IAM JSON policy elements: Action): "The prefix
//     and the action name are case insensitive"; * and ? are wildcards.
//   - Resource and NotResource (IAM JSON policy elements: Resource): each
//     of the first five colon-separated ARN segments is matched on its own
//     with * and ?, the resource part (which may hold colons) as a whole;
//     a pattern of fewer segments is matched as one string, as "a * at the
//     end of a segment can expand to match beyond the colon boundaries".
//     Matching is case-sensitive. A request on "*" (an action with no
//     resource type) is matched only by Resource "*".
//   - Principal (IAM JSON policy elements: Principal): "*"; an account
//     ("123456789012" or its root ARN), which trusts the account's IAM
//     policies to decide; a role ARN, which also matches the role's
//     assumed-role sessions; other ARNs exactly; service principals
//     exactly. A statement without Principal matches no one in a
//     resource-based policy; in an identity-based one Principal is ignored.
//   - Conditions (IAM JSON policy elements: Condition operators; Condition
//     with multiple context keys or values; Single-valued vs. multivalued
//     context keys): String*, Numeric*, Bool, Arn*, Null, with the
//     ForAnyValue:/ForAllValues: prefixes and the IfExists suffix. Keys
//     are case-insensitive, values of one key are ORed (NORed for negated
//     operators), keys and operators are ANDed. A key absent from the
//     context does not match, except for negated operators (true),
//     IfExists (true), Null and ForAllValues (true). A single-valued
//     operator never matches a multivalued key: "Multivalued context keys
//     require a condition set operator".
//
// Not modelled, because refreshgen writes none of them: NotPrincipal,
// policy variables (${aws:username} is compared literally), the Date,
// IpAddress and Binary operators (a condition using one never matches),
// permissions boundaries, session policies, SCPs and RCPs.
//
// The context is what the caller gives: Evaluate adds nothing to it. AWS
// adds aws:PrincipalArn and the like to every request; so must the
// caller.
package policyeval
