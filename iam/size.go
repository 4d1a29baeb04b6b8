package iam

import "unicode"

// IAM size quotas, in characters not counting white space ("IAM and AWS
// STS quotas", IAM User Guide). A policy over its limit is refused when it
// is created, so callers split policies with Size before that.
const (
	// ManagedPolicyMaxSize is the most a customer managed policy may hold.
	ManagedPolicyMaxSize = 6144
	// InlineRolePolicyMaxSize is the most all inline policies of one role
	// may hold together.
	InlineRolePolicyMaxSize = 10240
	// TrustPolicyMaxSize is the default most a role trust policy may hold
	// (AssumeRolePolicySizeQuota; a quota increase raises it to 4,096).
	TrustPolicyMaxSize = 2048
)

// Size returns the size of the policy as IAM counts it against the quotas:
// its characters, white space excluded, so indentation costs nothing.
func (p Policy) Size() (int, error) {
	doc, err := p.MarshalJSON()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range string(doc) {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n, nil
}
