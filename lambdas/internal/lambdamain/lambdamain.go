// Package lambdamain is the shared start-up of the Lambda helpers, so that each main package
// stays one call: load the AWS configuration, build the handler, serve invocations.
package lambdamain

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/refreshgen/refreshgen/lambdas/internal/fault"
)

// Handler is the signature every helper implements.
type Handler[E, R any] func(context.Context, E) (R, error)

// Start loads the AWS configuration from the Lambda environment, builds the handler and serves
// invocations until the runtime stops the process. Logs are JSON lines on standard error.
func Start[E, R any](build func(aws.Config, *slog.Logger) Handler[E, R]) {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		logger.Error("loading the AWS configuration failed", "error", err.Error())
		os.Exit(1)
	}
	lambda.Start(Serve(build(cfg, logger)))
}

// Serve adapts h for the runtime: a failure is reported with its fault name as errorType, so
// that Step Functions sees e.g. "StatementFailed" rather than a Go type name.
func Serve[E, R any](h Handler[E, R]) Handler[E, R] {
	return func(ctx context.Context, event E) (R, error) {
		result, err := h(ctx, event)
		if err != nil {
			return result, messages.InvokeResponse_Error{Message: err.Error(), Type: fault.Name(err)}
		}
		return result, nil
	}
}
