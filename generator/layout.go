package generator

import "github.com/refreshgen/refreshgen/spec"

// RootDir is the folder of an account's Terraform root in the tree: the
// Terraform renderer writes it, the README and the Kubernetes RBAC point
// at it.
func RootDir(a *spec.Account) string { return "deployments/" + a.Name }
