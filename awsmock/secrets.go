package awsmock

import (
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/sim"
)

// secret is a Secrets Manager secret (its value is never modelled: no
// workflow reads one).
type secret struct {
	arn, name      string
	owner          *account
	created        time.Time
	owningService  string
	rotationLambda string
	rotationDays   int
	lastRotated    time.Time // zero: never rotated
	version        string
	rotations      []*rotation
}

// rotation is one RotateSecret; LastRotatedDate moves when it completes.
type rotation struct {
	lc lifecycle // rotating -> rotated
}

func (w *World) newSecret(acct *account, name string, now time.Time) *secret {
	suffix := []byte(w.hexID(6))
	for i, c := range suffix { // Secrets Manager's suffix is 6 letters
		if c >= '0' && c <= '9' {
			suffix[i] = 'A' + c - '0'
		}
	}
	s := &secret{arn: w.arn("secretsmanager", acct.id, "secret:"+name+"-"+string(suffix)), name: name, owner: acct,
		created: now, version: w.uuid()}
	acct.secrets = append(acct.secrets, s)
	return s
}

// findSecret resolves a SecretId: an ARN or a name.
func (w *World) findSecret(acct *account, id string) *secret {
	for _, s := range acct.secrets {
		if s.arn == id || s.name == id {
			return s
		}
	}
	return nil
}

func (w *World) rotationStatus(s *secret, x *rotation, t time.Time) string {
	return w.statusAt("secret-rotation", s.owner, s.name, x.lc, t)
}

// lastRotatedAt is LastRotatedDate at t: the end of the last rotation
// completed by then.
func (w *World) lastRotatedAt(s *secret, t time.Time) time.Time {
	last := s.lastRotated
	for _, x := range s.rotations {
		if w.rotationStatus(s, x, t) == "rotated" && x.lc.settles().After(last) {
			last = x.lc.settles()
		}
	}
	return last
}

func (w *World) secretNotFound(r *request, id string) *sim.Failure {
	return r.fail("ResourceNotFoundException", 400, "Secrets Manager can't find the specified secret: %s", id)
}

// describeSecret describes a secret; as Secrets Manager does, it leaves
// out the fields without a value (LastRotatedDate of a secret never
// rotated).
func (w *World) describeSecret(r *request) (any, *sim.Failure) {
	id, err := r.required("SecretId")
	if err != nil {
		return nil, err
	}
	s := w.findSecret(r.acct, id)
	if s == nil {
		return nil, w.secretNotFound(r, id)
	}
	out := map[string]any{
		"Arn": s.arn, "Name": s.name, "CreatedDate": sim.ISOTime(s.created), "LastChangedDate": sim.ISOTime(s.created),
		"RotationEnabled":    s.rotationLambda != "",
		"VersionIdsToStages": map[string]any{s.version: []any{"AWSCURRENT"}},
	}
	if s.owningService != "" {
		out["OwningService"] = s.owningService
	}
	if s.rotationLambda != "" {
		out["RotationLambdaARN"] = s.rotationLambda
		out["RotationRules"] = map[string]any{"AutomaticallyAfterDays": s.rotationDays}
	}
	if last := w.lastRotatedAt(s, r.now); !last.IsZero() {
		out["LastRotatedDate"] = sim.ISOTime(last)
		out["LastChangedDate"] = sim.ISOTime(last)
		if s.rotationDays > 0 {
			out["NextRotationDate"] = sim.ISOTime(last.AddDate(0, 0, s.rotationDays))
		}
	}
	return out, nil
}

// rotateSecret starts a rotation with the secret's rotation function; one
// that is not immediate only schedules the next rotation window.
func (w *World) rotateSecret(r *request) (any, *sim.Failure) {
	id, err := r.required("SecretId")
	if err != nil {
		return nil, err
	}
	s := w.findSecret(r.acct, id)
	if s == nil {
		return nil, w.secretNotFound(r, id)
	}
	if fn, _ := r.str("RotationLambdaARN"); fn != "" {
		s.rotationLambda = fn
	}
	if s.rotationLambda == "" && s.owningService == "" {
		return nil, r.fail("InvalidRequestException", 400, "No Lambda rotation function ARN is associated with this secret.")
	}
	for _, x := range s.rotations {
		if w.rotationStatus(s, x, r.now) == "rotating" {
			return nil, r.fail("InvalidRequestException", 400, "A previous rotation isn't complete. That rotation will be reattempted.")
		}
	}
	immediately, set, err := r.boolean("RotateImmediately")
	if err != nil {
		return nil, err
	}
	version, _ := r.str("ClientRequestToken")
	if version == "" {
		version = w.uuid()
	}
	if !set || immediately {
		s.rotations = append(s.rotations, &rotation{
			lc: transition(r.now, "rotated", phase{"rotating", w.clock.d(DurSecretRotation)})})
	}
	return map[string]any{"Arn": s.arn, "Name": s.name, "VersionId": version}, nil
}

// secretNameOf reads the name of a secret from its ARN
// (...:secret:<name>-<6 characters>).
func secretNameOf(arn string) string {
	_, name, ok := strings.Cut(arn, ":secret:")
	if !ok {
		return arn
	}
	if i := strings.LastIndexByte(name, '-'); i > 0 && len(name)-i == 7 {
		return name[:i]
	}
	return name
}
