// Package iampolicies renders the IAM policies of every role refreshgen
// derives (package roles): per account and role, its trust policy and
// each identity policy, one JSON file each, for Terraform to attach and
// for people (and iam-check) to read.
package iampolicies

import (
	"fmt"

	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/roles"
)

// Dir is the folder of a role's policies in the rendered tree.
func Dir(r roles.Role) string {
	return fmt.Sprintf("iam/%s/%s", r.Account.Name, r.Name)
}

// TrustPath is where a role's trust policy lands.
func TrustPath(r roles.Role) string { return Dir(r) + "/trust.json" }

// PolicyPath is where one of a role's identity policies lands.
func PolicyPath(r roles.Role, p roles.Policy) string { return Dir(r) + "/" + p.Name + ".json" }

// Render returns the policy files of every role.
func Render(in generator.Input) ([]generator.File, error) {
	var files []generator.File
	for _, r := range in.Roles {
		if !r.Existing {
			data, err := r.Trust.JSON()
			if err != nil {
				return nil, fmt.Errorf("%s trust: %w", Dir(r), err)
			}
			files = append(files, generator.File{Path: TrustPath(r), Kind: generator.KindIAM, Data: data})
		}
		for _, p := range r.Policies {
			data, err := p.Policy.JSON()
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", Dir(r), p.Name, err)
			}
			files = append(files, generator.File{Path: PolicyPath(r, p), Kind: generator.KindIAM, Data: data})
		}
	}
	return files, nil
}
