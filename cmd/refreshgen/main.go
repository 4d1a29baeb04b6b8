// Command refreshgen renders, from one refresh.hcl, everything that copies
// production Aurora clusters and EFS file systems into non-production AWS
// accounts: Terraform, Step Functions, IAM and Lambda bundles.
package main

import (
	"os"
	"runtime/debug"

	"github.com/refreshgen/refreshgen/cli"
	"github.com/refreshgen/refreshgen/generator/render"
)

func main() {
	if os.Getenv("GOGC") == "" { // a user's GOGC still wins
		debug.SetGCPercent(render.GCPercent)
	}
	os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
