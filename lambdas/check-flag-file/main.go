// Command check-flag-file is the check-flag-file Lambda (provided.al2023, binary named
// bootstrap): a read-only check of one flag file on the mounted EFS replica. See package
// flagfile for the contract.
package main

import (
	"encoding/json"
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/refreshgen/refreshgen/lambdas/internal/flagfile"
	"github.com/refreshgen/refreshgen/lambdas/internal/lambdamain"
	"github.com/refreshgen/refreshgen/lambdas/internal/safepath"
)

func main() {
	lambdamain.Start(func(_ aws.Config, logger *slog.Logger) lambdamain.Handler[json.RawMessage, *flagfile.Result] {
		h := &flagfile.Handler{Mount: safepath.MountPath(os.Getenv), Logger: logger}
		return h.Handle
	})
}
