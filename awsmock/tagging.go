package awsmock

import (
	"sort"
	"strings"

	"github.com/refreshgen/refreshgen/sim"
)

// tagResources tags resources of the caller's account by ARN (Resource
// Groups Tagging API). It never fails for one resource: it reports those
// it could not tag in FailedResourcesMap.
func (w *World) tagResources(r *request) (any, *sim.Failure) {
	arns, err := r.stringList("ResourceARNList")
	if err != nil {
		return nil, err
	}
	raw, err := r.object("Tags")
	if err != nil {
		return nil, err
	}
	if len(arns) == 0 || len(arns) > 20 {
		return nil, r.fail("InvalidParameterException", 400, "ResourceARNList must hold 1 to 20 ARNs.")
	}
	var add tags
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, ok := raw[k].(string)
		if !ok {
			return nil, r.badType("Tags", "a map of strings", raw)
		}
		add = add.set(k, v)
	}
	failed := map[string]any{}
	for _, arn := range arns {
		if msg := w.tagByARN(r, arn, add); msg != "" {
			failed[arn] = map[string]any{"StatusCode": 400, "ErrorCode": "InvalidParameterException", "ErrorMessage": msg}
		}
	}
	return map[string]any{"FailedResourcesMap": failed}, nil
}

// tagByARN tags one RDS or EFS resource of the caller's account; it
// returns why it could not, "" when it did.
func (w *World) tagByARN(r *request, arn string, add tags) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[4] != r.acct.id {
		return "The resource is not in this account"
	}
	switch parts[2] {
	case "rds":
		current, set, err := w.rdsTags(r, arn)
		if err != nil {
			return err.Cause
		}
		set(current.merge(add))
		return ""
	case "elasticfilesystem":
		if f := w.findFileSystem(r.acct, arn, r.now); f != nil {
			f.tags = f.tags.merge(add)
			return ""
		}
		return "File system not found"
	}
	return "awsmock: no model for tagging " + parts[2] + " resources"
}
