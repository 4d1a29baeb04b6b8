package tftest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/refreshgen/refreshgen/asl"
	"github.com/zclconf/go-cty/cty"
)

// AWS is a loopback stand-in for every AWS endpoint the rendered roots
// use. A plan from an empty state makes one call, Step Functions'
// ValidateStateMachineDefinition, which it answers with refreshgen's own
// checks (asl.Unmarshal, then Check), so a bad definition fails the plan.
// Any other request gets an error and is recorded, for the test to fail on.
type AWS struct {
	url        string
	mu         sync.Mutex
	validated  int
	unexpected []string
}

// StartAWS starts the stand-in for the length of the test.
func StartAWS(t testing.TB) *AWS {
	a := &AWS{}
	srv := httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(srv.Close)
	a.url = srv.URL
	return a
}

// services are the provider's endpoint names of every service the roots
// deploy, plus STS: all of them point at the stand-in, so that nothing can
// reach AWS.
var services = []string{
	"cloudwatchlogs", "dynamodb", "ec2", "efs", "eks", "iam", "lambda", "s3", "scheduler", "sfn", "sns", "sts",
}

// Override is an *_override.tf for a root: the provider skips every
// credential and account check and calls the stand-in only.
func (a *AWS) Override() []byte {
	f := hclwrite.NewEmptyFile()
	provider := f.Body().AppendNewBlock("provider", []string{"aws"}).Body()
	for _, skip := range []string{"skip_credentials_validation", "skip_requesting_account_id", "skip_metadata_api_check"} {
		provider.SetAttributeValue(skip, cty.True)
	}
	endpoints := provider.AppendNewBlock("endpoints", nil).Body()
	for _, s := range services {
		endpoints.SetAttributeValue(s, cty.StringVal(a.url))
	}
	return f.Bytes()
}

// Env are fake credentials, and no shared configuration or instance
// metadata to find real ones in.
func (a *AWS) Env() []string {
	return []string{
		"AWS_ACCESS_KEY_ID=AKIATESTONLYFAKEKEY0", "AWS_SECRET_ACCESS_KEY=test-only-not-a-secret",
		"AWS_CONFIG_FILE=" + devNull, "AWS_SHARED_CREDENTIALS_FILE=" + devNull, "AWS_EC2_METADATA_DISABLED=true",
	}
}

const devNull = "/dev/null"

// Validated is how many definitions the stand-in has checked.
func (a *AWS) Validated() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.validated
}

// Unexpected lists the requests it did not serve.
func (a *AWS) Unexpected() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.unexpected)
}

func (a *AWS) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	target := req.Header.Get("X-Amz-Target")
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	if target == "AWSStepFunctions.ValidateStateMachineDefinition" {
		a.validate(w, body)
		return
	}
	a.mu.Lock()
	a.unexpected = append(a.unexpected, fmt.Sprintf("%s %s X-Amz-Target=%q body=%.300s", req.Method, req.URL, target, body))
	a.mu.Unlock()
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprint(w, `{"__type":"UnexpectedRequest","message":"the test's stand-in for AWS serves ValidateStateMachineDefinition only"}`)
}

// diagnostic and validation are the API's response shapes.
type diagnostic struct {
	Severity string `json:"severity"`
	Code     string `json:"code"`
	Message  string `json:"message"`
	Location string `json:"location,omitempty"`
}

type validation struct {
	Result      string       `json:"result"`
	Diagnostics []diagnostic `json:"diagnostics"`
}

func (a *AWS) validate(w http.ResponseWriter, body []byte) {
	var req struct {
		Definition string `json:"definition"`
	}
	res := validation{Result: "OK", Diagnostics: []diagnostic{}}
	err := json.Unmarshal(body, &req)
	if err == nil {
		var m *asl.Machine
		if m, err = asl.Unmarshal([]byte(req.Definition)); err == nil {
			err = m.Check(asl.CheckOptions{})
		}
	}
	if err != nil {
		res = validation{Result: "FAIL", Diagnostics: diagnostics(err)}
	}
	a.mu.Lock()
	a.validated++
	a.mu.Unlock()
	json.NewEncoder(w).Encode(res)
}

// diagnostics are one ERROR per problem refreshgen's checks found.
func diagnostics(err error) []diagnostic {
	var problems asl.Problems
	if !errors.As(err, &problems) {
		return []diagnostic{{Severity: "ERROR", Code: "INVALID_JSON_DESCRIPTION", Message: err.Error()}}
	}
	out := make([]diagnostic, len(problems))
	for i, p := range problems {
		out[i] = diagnostic{Severity: "ERROR", Code: "SCHEMA_VALIDATION_FAILED", Message: p.Error(), Location: p.At}
	}
	return out
}
