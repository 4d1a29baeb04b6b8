// Command refreshgen renders, from one refresh.hcl, everything that copies
// production Aurora clusters and EFS file systems into non-production AWS
// accounts: Terraform, Step Functions, IAM and Lambda bundles.
package main

import (
	"os"

	"github.com/refreshgen/refreshgen/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
