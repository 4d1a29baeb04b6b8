package awsmock

import (
	"time"

	"github.com/refreshgen/refreshgen/sim"
)

// parameter is an SSM parameter.
type parameter struct {
	name, value, typ string
	version          int
	modified         time.Time
}

// putParameter writes a parameter; an existing one only with Overwrite.
func (w *World) putParameter(r *request) (any, *sim.Failure) {
	name, err := r.required("Name")
	if err != nil {
		return nil, err
	}
	value, err := r.required("Value")
	if err != nil {
		return nil, err
	}
	typ, err := r.str("Type")
	if err != nil {
		return nil, err
	}
	overwrite, _, err := r.boolean("Overwrite")
	if err != nil {
		return nil, err
	}
	p, err := w.setParameter(r, r.acct, name, value, typ, overwrite)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Version": p.version, "Tier": "Standard"}, nil
}

// setParameter writes a parameter as putParameter does (the
// get-efs-subpath Lambda writes one too).
func (w *World) setParameter(r *request, acct *account, name, value, typ string, overwrite bool) (*parameter, *sim.Failure) {
	p := acct.parameters[name]
	switch {
	case p != nil && !overwrite:
		return nil, r.fail("ParameterAlreadyExists", 400, "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")
	case p == nil && typ == "":
		typ = "String"
	case p != nil && typ == "":
		typ = p.typ
	}
	if typ != "String" && typ != "StringList" && typ != "SecureString" {
		return nil, r.invalid("Invalid parameter type %s", typ)
	}
	if len(value) > 4096 {
		return nil, r.invalid("Standard tier parameters support a maximum parameter value of 4096 characters.")
	}
	if p == nil {
		p = &parameter{name: name}
		acct.parameters[name] = p
	}
	p.value, p.typ, p.modified = value, typ, r.now
	p.version++
	return p, nil
}

// getParameter reads a parameter.
func (w *World) getParameter(r *request) (any, *sim.Failure) {
	name, err := r.required("Name")
	if err != nil {
		return nil, err
	}
	p := r.acct.parameters[name]
	if p == nil {
		return nil, r.fail("ParameterNotFound", 400, "Parameter %s not found.", name)
	}
	return map[string]any{"Parameter": map[string]any{
		"Name": p.name, "Type": p.typ, "Value": p.value, "Version": p.version, "LastModifiedDate": sim.ISOTime(p.modified),
		"Arn": w.arn("ssm", r.acct.id, "parameter/"+trimSlash(p.name)), "DataType": "text",
	}}, nil
}

func trimSlash(s string) string {
	for len(s) > 0 && s[0] == '/' {
		s = s[1:]
	}
	return s
}
