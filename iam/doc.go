// Package iam models AWS IAM policies and holds the table that says which
// IAM permissions each Step Functions service integration needs, built on
// a table of what each IAM action authorises against.
//
// Policies are built as Go values, never as hand-written JSON:
//
//   - Policy and Statement are the documents (identity and trust policies);
//     JSON writes them the same way everywhere: "Version" then "Statement",
//     statement keys in the order Sid, Effect, Principal, Action, NotAction,
//     Resource, NotResource, Condition, every list sorted and de-duplicated,
//     2-space indent, no HTML escaping, one trailing newline.
//   - Builder merges statements that differ only in their actions or only in
//     their resources, and names them with Sids derived from their content,
//     so that derived policies stay small, readable and stable.
//   - Size counts characters the way IAM does against its size quotas.
//   - The tables: LookupAction says what an IAM action authorises against
//     (resource types and their ARN patterns, condition keys, or why it
//     needs "*"); NeedsOf and FeatureNeeds say which actions a service
//     integration or a state machine feature needs, dependent permissions
//     included, each with the documentation it comes from. Need.Statement
//     turns one into a statement, refusing ARNs of the wrong type and a "*"
//     without a reason.
//   - RoleTrust and ServiceTrust write the trust policies of the roles that
//     other accounts' roles or AWS services assume.
//
// Package iamcheck runs the external validator and simulator on these
// documents in tests; validate_test.go holds the tables against it.
package iam
