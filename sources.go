// Package refreshgen holds what refreshgen carries inside itself: the
// sources of the Lambda helpers, so that it can build them wherever it is
// installed, without a checkout of its repository.
package refreshgen

import "embed"

// Sources holds the module files and the lambdas tree: everything `go build
// ./lambdas/<helper>` reads from this module. Tests, test data and prose
// come along (embed takes whole folders); the bundles package picks the
// files a build needs.
//
//go:embed go.mod go.sum lambdas
var Sources embed.FS
