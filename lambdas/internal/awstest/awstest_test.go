package awstest

import (
	"context"
	"errors"
	"io"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// The SDK clients must round-trip through the server exactly as against AWS, typed errors included.
func TestServerSpeaksTheSDKProtocols(t *testing.T) {
	ctx := context.Background()
	s := New(t)
	s.PutSecret("arn:secret", `{"username":"u"}`)
	s.PutObject("bucket", "dir/a.sql", []byte("SELECT 1;"))

	out, err := s.SecretsManager().GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("arn:secret")})
	if err != nil || aws.ToString(out.SecretString) != `{"username":"u"}` {
		t.Fatalf("GetSecretValue = %v, %v", out, err)
	}
	_, err = s.SecretsManager().GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("nope")})
	if _, ok := errors.AsType[*smtypes.ResourceNotFoundException](err); !ok {
		t.Errorf("missing secret error = %v", err)
	}

	obj, err := s.S3().GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bucket"), Key: aws.String("dir/a.sql")})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(obj.Body)
	if string(body) != "SELECT 1;" {
		t.Errorf("GetObject body = %q", body)
	}
	_, err = s.S3().GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bucket"), Key: aws.String("missing")})
	if _, ok := errors.AsType[*s3types.NoSuchKey](err); !ok {
		t.Errorf("missing object error = %v", err)
	}

	put := &ssm.PutParameterInput{Name: aws.String("/p"), Value: aws.String("v"), Type: ssmtypes.ParameterTypeString, Overwrite: aws.Bool(true)}
	for want := int64(1); want <= 2; want++ {
		res, err := s.SSM().PutParameter(ctx, put)
		if err != nil || res.Version != want {
			t.Fatalf("PutParameter = %v, %v; want version %d", res, err, want)
		}
	}
	put.Overwrite = nil
	if _, err := s.SSM().PutParameter(ctx, put); !isCode(err, "ParameterAlreadyExists") {
		t.Errorf("PutParameter without Overwrite = %v", err)
	}
	s.Deny("PutParameter")
	if _, err := s.SSM().PutParameter(ctx, put); !isCode(err, "AccessDeniedException") {
		t.Errorf("denied PutParameter = %v", err)
	}
	if p, _ := s.Parameter("/p"); p != (Parameter{Value: "v", Type: "String", Version: 2}) {
		t.Errorf("stored parameter = %+v", p)
	}
	want := []string{"GetSecretValue", "GetSecretValue", "GetObject", "GetObject", "PutParameter", "PutParameter", "PutParameter", "PutParameter"}
	if got := s.Operations(); !slices.Equal(got, want) {
		t.Errorf("operations = %v", got)
	}
}

func isCode(err error, code string) bool {
	var apiErr interface{ ErrorCode() string }
	return errors.As(err, &apiErr) && apiErr.ErrorCode() == code
}
