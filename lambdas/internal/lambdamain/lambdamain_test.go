package lambdamain

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-lambda-go/lambda/messages"

	"github.com/refreshgen/refreshgen/lambdas/internal/fault"
)

func TestServeNamesErrors(t *testing.T) {
	tests := []struct {
		err      error
		wantType string
	}{
		{fault.Errorf(fault.StatementFailed, "statement 2 failed"), "StatementFailed"},
		{errors.New("boom"), "InternalError"},
	}
	for _, tt := range tests {
		h := Serve(func(context.Context, string) (int, error) { return 0, tt.err })
		_, err := h(context.Background(), "event")
		got, ok := err.(messages.InvokeResponse_Error)
		if !ok || got.Type != tt.wantType || got.Message != tt.err.Error() {
			t.Errorf("Serve error = %#v, want type %q and message %q", err, tt.wantType, tt.err)
		}
	}
}

func TestServePassesSuccess(t *testing.T) {
	h := Serve(func(_ context.Context, in string) (string, error) { return in + "!", nil })
	got, err := h(context.Background(), "ok")
	if err != nil || got != "ok!" {
		t.Fatalf("Serve = %q, %v", got, err)
	}
}
