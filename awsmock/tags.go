package awsmock

// tag is one AWS tag; tags keep the order they were first set in, as the
// services list them.
type tag struct{ Key, Value string }

// tags are a resource's tags, in order.
type tags []tag

// set returns t with key set to value.
func (t tags) set(key, value string) tags {
	out := append(tags(nil), t...)
	for i := range out {
		if out[i].Key == key {
			out[i].Value = value
			return out
		}
	}
	return append(out, tag{key, value})
}

// merge returns t with every tag of more set.
func (t tags) merge(more tags) tags {
	out := t
	for _, m := range more {
		out = out.set(m.Key, m.Value)
	}
	return out
}

// without returns t without the keys.
func (t tags) without(keys []string) tags {
	var out tags
	for _, x := range t {
		drop := false
		for _, k := range keys {
			drop = drop || x.Key == k
		}
		if !drop {
			out = append(out, x)
		}
	}
	return out
}

// list is the JSON form [{Key, Value}]: always a list, [] when empty, as
// RDS and EFS return a resource's TagList even when it has no tags.
func (t tags) list() []any {
	out := []any{}
	for _, x := range t {
		out = append(out, map[string]any{"Key": x.Key, "Value": x.Value})
	}
	return out
}

// has reports whether key has value.
func (t tags) has(key, value string) bool {
	for _, x := range t {
		if x.Key == key {
			return x.Value == value
		}
	}
	return false
}
