// Package awstest is a loopback stand-in for the three AWS APIs the Lambda helpers call, so that
// tests drive the real aws-sdk-go-v2 clients end to end: request signing, serialisation,
// endpoint resolution and error decoding all run as in production.
//
// It speaks the services' wire protocols: Secrets Manager GetSecretValue and SSM PutParameter
// are awsJson1_1 (POST / with X-Amz-Target), S3 GetObject is REST-XML (path-style GET).
package awstest

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// Static test credentials; the server checks that requests are signed with AccessKeyID.
const (
	AccessKeyID = "AKIAREFRESHGENTEST01"
	secretKey   = "refreshgen-test-secret-access-key"
	region      = "eu-central-1"
)

// Parameter is an SSM parameter as the server stores it.
type Parameter struct {
	Value   string
	Type    string
	Version int64
}

// Server is the fake AWS endpoint.
type Server struct {
	srv *httptest.Server

	mu         sync.Mutex
	secrets    map[string]string
	objects    map[string][]byte
	parameters map[string]Parameter
	denied     map[string]bool
	operations []string
}

// New starts a server that stops when the test ends.
func New(t testing.TB) *Server {
	s := &Server{
		secrets:    map[string]string{},
		objects:    map[string][]byte{},
		parameters: map[string]Parameter{},
		denied:     map[string]bool{},
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

// Config returns an AWS configuration that sends every request to the server.
func (s *Server) Config() aws.Config {
	return aws.Config{
		Region:           region,
		Credentials:      credentials.NewStaticCredentialsProvider(AccessKeyID, secretKey, ""),
		BaseEndpoint:     aws.String(s.srv.URL),
		HTTPClient:       s.srv.Client(),
		RetryMaxAttempts: 1,
	}
}

// SecretsManager returns a Secrets Manager client of the server.
func (s *Server) SecretsManager() *secretsmanager.Client {
	return secretsmanager.NewFromConfig(s.Config())
}

// SSM returns an SSM client of the server.
func (s *Server) SSM() *ssm.Client { return ssm.NewFromConfig(s.Config()) }

// S3 returns an S3 client of the server, addressing buckets by path.
func (s *Server) S3() *s3.Client {
	return s3.NewFromConfig(s.Config(), func(o *s3.Options) { o.UsePathStyle = true })
}

// PutSecret stores a secret string under its ARN.
func (s *Server) PutSecret(arn, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secrets[arn] = value
}

// PutObject stores an S3 object.
func (s *Server) PutObject(bucket, key string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.objects[bucket+"/"+key] = body
}

// Parameter returns a stored SSM parameter.
func (s *Server) Parameter(name string) (Parameter, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.parameters[name]
	return p, ok
}

// Deny makes every later call of operation (e.g. "PutParameter") fail with AccessDenied.
func (s *Server) Deny(operation string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.denied[operation] = true
}

// Operations lists the operations called so far, in order.
func (s *Server) Operations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.operations...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential="+AccessKeyID+"/") {
		http.Error(w, "request is not signed with the test credentials", http.StatusForbidden)
		return
	}
	target := r.Header.Get("X-Amz-Target")
	if r.Method == http.MethodPost && target != "" {
		s.serveJSON(w, r, target)
		return
	}
	if r.Method == http.MethodGet {
		s.serveGetObject(w, r)
		return
	}
	http.Error(w, "unsupported request", http.StatusBadRequest)
}

// record notes the call and reports whether the operation is denied.
func (s *Server) record(operation string) (denied bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.operations = append(s.operations, operation)
	return s.denied[operation]
}

func (s *Server) serveJSON(w http.ResponseWriter, r *http.Request, target string) {
	_, operation, _ := strings.Cut(target, ".")
	if s.record(operation) {
		jsonError(w, http.StatusBadRequest, "AccessDeniedException", "denied by the test")
		return
	}
	if r.Header.Get("Content-Type") != "application/x-amz-json-1.1" {
		jsonError(w, http.StatusBadRequest, "SerializationException", "wrong content type")
		return
	}
	var in struct {
		SecretID  string `json:"SecretId"`
		Name      string
		Value     string
		Type      string
		Overwrite bool
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		jsonError(w, http.StatusBadRequest, "SerializationException", err.Error())
		return
	}
	switch target {
	case "secretsmanager.GetSecretValue":
		s.getSecretValue(w, in.SecretID)
	case "AmazonSSM.PutParameter":
		s.putParameter(w, Parameter{Value: in.Value, Type: in.Type}, in.Name, in.Overwrite)
	default:
		jsonError(w, http.StatusBadRequest, "UnknownOperationException", target)
	}
}

func (s *Server) getSecretValue(w http.ResponseWriter, id string) {
	s.mu.Lock()
	value, ok := s.secrets[id]
	s.mu.Unlock()
	if !ok {
		jsonError(w, http.StatusBadRequest, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
		return
	}
	jsonReply(w, map[string]any{"ARN": id, "Name": id, "SecretString": value, "VersionId": "v1",
		"VersionStages": []string{"AWSCURRENT"}, "CreatedDate": 1.7e9})
}

func (s *Server) putParameter(w http.ResponseWriter, p Parameter, name string, overwrite bool) {
	s.mu.Lock()
	old, exists := s.parameters[name]
	if exists && !overwrite {
		s.mu.Unlock()
		jsonError(w, http.StatusBadRequest, "ParameterAlreadyExists", "The parameter already exists.")
		return
	}
	p.Version = old.Version + 1
	s.parameters[name] = p
	s.mu.Unlock()
	jsonReply(w, map[string]any{"Version": p.Version, "Tier": "Standard"})
}

func (s *Server) serveGetObject(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/")
	if s.record("GetObject") {
		xmlError(w, http.StatusForbidden, "AccessDenied", "Access Denied")
		return
	}
	s.mu.Lock()
	body, ok := s.objects[path]
	s.mu.Unlock()
	if !ok {
		xmlError(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("ETag", fmt.Sprintf(`"%x"`, len(body)))
	h.Set("Last-Modified", time.Unix(1.7e9, 0).UTC().Format(http.TimeFormat))
	_, _ = w.Write(body)
}

func jsonReply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_ = json.NewEncoder(w).Encode(v)
}

func jsonError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": code, "message": message})
}

func xmlError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, xml.Header)
	_ = xml.NewEncoder(w).Encode(struct {
		XMLName   xml.Name `xml:"Error"`
		Code      string
		Message   string
		RequestID string `xml:"RequestId"`
	}{Code: code, Message: message, RequestID: "refreshgen-test"})
}
