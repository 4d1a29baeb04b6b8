package awsmock

import (
	"github.com/refreshgen/refreshgen/sim"
)

// rdsTags finds the tags of the RDS resource whose ARN is arn, in the
// caller's account: a cluster, an instance or a cluster snapshot. set
// stores changed tags back.
func (w *World) rdsTags(r *request, arn string) (current tags, set func(tags), err *sim.Failure) {
	for _, kind := range []string{"cluster", "db", "cluster-snapshot"} {
		owner, _, ok := rdsARN(arn, kind)
		if !ok {
			continue
		}
		if owner != r.acct.id {
			return nil, nil, r.accessDenied("User is not authorized to access the resource %s of account %s.", arn, owner)
		}
		switch kind {
		case "cluster":
			if c := w.findCluster(r.acct, arn, r.now); c != nil {
				return c.tags, func(t tags) { c.tags = t }, nil
			}
			return nil, nil, r.fail("DBClusterNotFoundFault", 404, "DBCluster %s not found.", arn)
		case "db":
			if i := w.findInstance(r.acct, arn, r.now); i != nil {
				return i.tags, func(t tags) { i.tags = t }, nil
			}
			return nil, nil, r.fail("DBInstanceNotFoundFault", 404, "DBInstance %s not found.", arn)
		default:
			if s := w.findSnapshot(r.acct, arn, r.now); s != nil {
				return s.tags, func(t tags) { s.tags = t }, nil
			}
			return nil, nil, r.fail("DBClusterSnapshotNotFoundFault", 404, "DBClusterSnapshot not found: %s", arn)
		}
	}
	return nil, nil, r.invalid("The specified resource name does not match an RDS resource ARN: %s", arn)
}

// addTagsToResource adds or overwrites tags of an RDS resource.
func (w *World) addTagsToResource(r *request) (any, *sim.Failure) {
	arn, err := r.required("ResourceName")
	if err != nil {
		return nil, err
	}
	add, err := r.tagList("Tags")
	if err != nil {
		return nil, err
	}
	current, set, err := w.rdsTags(r, arn)
	if err != nil {
		return nil, err
	}
	if merged := current.merge(add); len(merged) > 50 {
		return nil, r.fail("TagQuotaExceededFault", 400, "A resource can have at most 50 tags.")
	} else {
		set(merged)
	}
	return map[string]any{}, nil
}

// removeTagsFromResource removes tags of an RDS resource by key.
func (w *World) removeTagsFromResource(r *request) (any, *sim.Failure) {
	arn, err := r.required("ResourceName")
	if err != nil {
		return nil, err
	}
	keys, err := r.stringList("TagKeys")
	if err != nil {
		return nil, err
	}
	current, set, err := w.rdsTags(r, arn)
	if err != nil {
		return nil, err
	}
	set(current.without(keys))
	return map[string]any{}, nil
}

// listTagsForResource lists the tags of an RDS resource.
func (w *World) listTagsForResource(r *request) (any, *sim.Failure) {
	arn, err := r.required("ResourceName")
	if err != nil {
		return nil, err
	}
	current, _, err := w.rdsTags(r, arn)
	if err != nil {
		return nil, err
	}
	return map[string]any{"TagList": current.list()}, nil
}
