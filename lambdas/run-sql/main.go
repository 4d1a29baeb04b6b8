// Command run-sql is the run-sql Lambda (provided.al2023, binary named bootstrap): it runs SQL
// scripts against Aurora MySQL or Aurora PostgreSQL. See package runsql for the contract.
package main

import (
	"encoding/json"
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/refreshgen/refreshgen/lambdas/internal/dbsession"
	"github.com/refreshgen/refreshgen/lambdas/internal/lambdamain"
	"github.com/refreshgen/refreshgen/lambdas/internal/runsql"
)

func main() {
	lambdamain.Start(func(cfg aws.Config, logger *slog.Logger) lambdamain.Handler[json.RawMessage, json.RawMessage] {
		h := &runsql.Handler{
			Secrets: secretsmanager.NewFromConfig(cfg),
			Objects: s3.NewFromConfig(cfg),
			Connect: dbsession.Open,
			CAFile:  runsql.CABundlePath(os.Getenv),
			Logger:  logger,
		}
		return h.Handle
	})
}
