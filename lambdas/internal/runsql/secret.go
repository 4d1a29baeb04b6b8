package runsql

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/refreshgen/refreshgen/lambdas/internal/fault"
)

// credentials are the fields of a database secret: the RDS-managed master user secret holds
// username and password; secrets made for rotation also hold host, port and dbname.
type credentials struct {
	Username string     `json:"username"`
	Password string     `json:"password"`
	Host     string     `json:"host"`
	Port     secretPort `json:"port"`
	DBName   string     `json:"dbname"`
}

// secretPort accepts the port as a JSON number or string; both occur in RDS secrets.
type secretPort int

func (p *secretPort) UnmarshalJSON(data []byte) error {
	var s string
	if json.Unmarshal(data, &s) == nil {
		data = []byte(s)
	}
	n, err := strconv.Atoi(string(data))
	if err != nil || n < 1 || n > 65535 {
		return errors.New("port is not a port number")
	}
	*p = secretPort(n)
	return nil
}

// errSecretShape deliberately carries no detail of the parse error, which could quote the secret.
var errSecretShape = errors.New(`the secret value is not a JSON object with "username" and "password" strings (and an optional valid "port")`)

func (h *Handler) credentials(ctx context.Context, arn string) (credentials, error) {
	out, err := h.Secrets.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(arn)})
	if err != nil {
		return credentials{}, fault.Errorf(fault.SecretUnavailable, "reading secret %s: %w", arn, err)
	}
	var c credentials
	if err := json.Unmarshal([]byte(aws.ToString(out.SecretString)), &c); err != nil || c.Username == "" || c.Password == "" {
		return credentials{}, fault.Errorf(fault.SecretUnavailable, "secret %s: %w", arn, errSecretShape)
	}
	return c, nil
}
