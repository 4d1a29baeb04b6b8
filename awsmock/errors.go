package awsmock

import (
	"fmt"
	"strings"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/sim"
)

// optimizedPrefixes are the error prefixes of the optimized integrations,
// which name errors after the service's Java SDK v1 client rather than
// its service ID (Lambda.ResourceNotFoundException,
// DynamoDB.ResourceNotFoundException).
var optimizedPrefixes = map[string]string{"lambda": "Lambda", "sns": "SNS", "dynamodb": "DynamoDB", "eks": "EKS"}

// optimizedGeneric are the base exceptions of the optimized integrations.
var optimizedGeneric = map[string]string{
	"lambda": asl.ErrLambdaAWSLambdaException, "sns": "SNS.AmazonSNSException",
	"dynamodb": "DynamoDB.AmazonDynamoDBException", "eks": "EKS.AmazonEKSException",
}

func failf(name, format string, args ...any) *sim.Failure {
	return &sim.Failure{Name: name, Cause: fmt.Sprintf(format, args...)}
}

// fail returns the error shape of the called service, named as Step
// Functions names it, with a cause in the form of the Java SDK's message:
// "<message> (Service: Rds, Status Code: 404, Request ID: ...)".
func (r *request) fail(shape string, status int, format string, args ...any) *sim.Failure {
	name := r.errorName(shape)
	service, _, _ := strings.Cut(name, ".")
	return failf(name, "%s (Service: %s, Status Code: %d, Request ID: %s)", fmt.Sprintf(format, args...), service, status, r.w.uuid())
}

// errorName is the Step Functions error name of a service error shape.
func (r *request) errorName(shape string) string {
	if !r.op.sdk {
		if prefix, ok := optimizedPrefixes[r.op.service]; ok {
			if !strings.HasSuffix(shape, "Exception") {
				shape = strings.TrimSuffix(shape, "Fault") + "Exception"
			}
			return prefix + "." + shape
		}
	}
	return asl.SDKError(asl.ServiceID(r.op.service), shape)
}

// generic is an error the service's model does not name (throttling,
// InvalidParameterValue, MissingParameter): Step Functions raises the
// service's base exception, e.g. Rds.RdsException, with the error code in
// the cause.
func (r *request) generic(code string, status int, format string, args ...any) *sim.Failure {
	var name string
	if !r.op.sdk {
		name = optimizedGeneric[r.op.service]
	}
	if name == "" {
		name = asl.SDKServiceException(asl.ServiceID(r.op.service))
	}
	service, _, _ := strings.Cut(name, ".")
	return failf(name, "%s (Service: %s, Status Code: %d, Error Code: %s, Request ID: %s)",
		fmt.Sprintf(format, args...), service, status, code, r.w.uuid())
}

// invalid is a request the service refuses as invalid.
func (r *request) invalid(format string, args ...any) *sim.Failure {
	switch r.op.service {
	case "kms": // KMS's model names no validation error
		return r.generic("ValidationException", 400, format, args...)
	case "efs", "secretsmanager", "backup", "ram", "resourcegroupstaggingapi", "ssm":
		shape := "InvalidParameterException"
		switch r.op.service {
		case "efs":
			shape = "BadRequest"
		case "backup":
			shape = "InvalidParameterValueException"
		case "ssm":
			shape = "ValidationException"
		}
		return r.fail(shape, 400, format, args...)
	case "eks":
		return r.fail("InvalidParameterException", 400, format, args...)
	}
	return r.generic("InvalidParameterValue", 400, format, args...)
}

// missing is a required parameter the call does not set.
func (r *request) missing(key string) *sim.Failure {
	return r.generic("MissingParameter", 400, "The request must contain the parameter %s", key)
}

// accessDenied is what a call gets on a resource of another account that
// was not shared with it.
func (r *request) accessDenied(format string, args ...any) *sim.Failure {
	return r.generic("AccessDenied", 403, format, args...)
}
