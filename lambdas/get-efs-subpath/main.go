// Command get-efs-subpath is the get-efs-subpath Lambda (provided.al2023, binary named
// bootstrap): it finds the newest AWS Backup restore folder on the mounted EFS and writes its
// subpath to an SSM parameter. See package efsrestore for the contract.
package main

import (
	"encoding/json"
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/refreshgen/refreshgen/lambdas/internal/efsrestore"
	"github.com/refreshgen/refreshgen/lambdas/internal/lambdamain"
	"github.com/refreshgen/refreshgen/lambdas/internal/safepath"
)

func main() {
	lambdamain.Start(func(cfg aws.Config, logger *slog.Logger) lambdamain.Handler[json.RawMessage, *efsrestore.Result] {
		h := &efsrestore.Handler{Mount: safepath.MountPath(os.Getenv), SSM: ssm.NewFromConfig(cfg), Logger: logger}
		return h.Handle
	})
}
