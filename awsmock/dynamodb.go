package awsmock

import (
	"maps"
	"regexp"
	"strings"

	"github.com/refreshgen/refreshgen/sim"
)

// table is a DynamoDB table with a string hash key.
type table struct {
	key   string
	items map[string]map[string]any // by hash key value
}

// Item returns an item of the table name in the account of the spec
// called account, by its hash key value; nil when absent.
func (w *World) Item(account, name, key string) map[string]any {
	acct := w.byID[w.accountID(account)]
	if acct == nil || acct.tables[name] == nil {
		return nil
	}
	return maps.Clone(acct.tables[name].items[key])
}

func (w *World) findTable(r *request) (*table, *sim.Failure) {
	name, err := r.required("TableName")
	if err != nil {
		return nil, err
	}
	t := r.acct.tables[name]
	if t == nil {
		return nil, r.fail("ResourceNotFoundException", 400, "Requested resource not found: Table: %s not found", name)
	}
	return t, nil
}

// hashKey reads the item's hash key, which must be a string attribute.
func (t *table) hashKey(r *request, item map[string]any) (string, *sim.Failure) {
	v, _ := item[t.key].(map[string]any)
	s, ok := v["S"].(string)
	if !ok || len(v) != 1 {
		return "", r.generic("ValidationException", 400, "One or more parameter values were invalid: Missing the key %s in the item", t.key)
	}
	return s, nil
}

// checkValues refuses attribute values that are not typed DynamoDB
// values ({"S": "..."}, {"N": "1"}, ...).
func checkValues(r *request, item map[string]any) *sim.Failure {
	for name, v := range item {
		m, ok := v.(map[string]any)
		if !ok || len(m) != 1 {
			return r.generic("ValidationException", 400, "Supplied AttributeValue of %s is empty or has more than one type", name)
		}
		for typ, x := range m {
			switch typ {
			case "S", "N", "B":
				if _, ok := x.(string); !ok {
					return r.generic("ValidationException", 400, "The attribute %s of type %s must be a string", name, typ)
				}
			case "BOOL", "NULL", "L", "M", "SS", "NS", "BS":
			default:
				return r.generic("ValidationException", 400, "Supplied AttributeValue of %s has an unknown type %s", name, typ)
			}
		}
	}
	return nil
}

// putItem writes an item, replacing the one with its key.
func (w *World) putItem(r *request) (any, *sim.Failure) {
	t, err := w.findTable(r)
	if err != nil {
		return nil, err
	}
	item, err := r.object("Item")
	if err != nil {
		return nil, err
	}
	if err := checkValues(r, item); err != nil {
		return nil, err
	}
	k, err := t.hashKey(r, item)
	if err != nil {
		return nil, err
	}
	if r.has("ConditionExpression") {
		return nil, failf("States.TaskFailed", "awsmock: models no ConditionExpression on dynamodb:putItem")
	}
	t.items[k] = maps.Clone(item)
	return w.dynamoResult(r), nil
}

func (w *World) dynamoResult(r *request) map[string]any {
	if r.op.sdk {
		return map[string]any{}
	}
	return map[string]any{"SdkHttpMetadata": map[string]any{"HttpStatusCode": 200},
		"SdkResponseMetadata": map[string]any{"RequestId": w.uuid()}}
}

// getItem reads an item by key.
func (w *World) getItem(r *request) (any, *sim.Failure) {
	t, err := w.findTable(r)
	if err != nil {
		return nil, err
	}
	key, err := r.object("Key")
	if err != nil {
		return nil, err
	}
	k, err := t.hashKey(r, key)
	if err != nil {
		return nil, err
	}
	out := w.dynamoResult(r)
	if item, ok := t.items[k]; ok {
		out["Item"] = maps.Clone(item)
	}
	return out, nil
}

var setClause = regexp.MustCompile(`^\s*([#\w]+)\s*=\s*(:\w+)\s*$`)

// updateItem applies an UpdateExpression of SET clauses (a = :v, #n = :w)
// to the item with the key, creating it if absent.
func (w *World) updateItem(r *request) (any, *sim.Failure) {
	t, err := w.findTable(r)
	if err != nil {
		return nil, err
	}
	key, err := r.object("Key")
	if err != nil {
		return nil, err
	}
	k, err := t.hashKey(r, key)
	if err != nil {
		return nil, err
	}
	expr, err := r.required("UpdateExpression")
	if err != nil {
		return nil, err
	}
	namesMap, _ := r.object("ExpressionAttributeNames")
	values, _ := r.object("ExpressionAttributeValues")
	if err := checkValues(r, values); err != nil {
		return nil, err
	}
	rest, ok := strings.CutPrefix(strings.TrimSpace(expr), "SET ")
	if !ok || r.has("ConditionExpression") {
		return nil, failf("States.TaskFailed", "awsmock: models only SET update expressions without conditions on dynamodb:updateItem, not %q", expr)
	}
	item := maps.Clone(t.items[k])
	if item == nil {
		item = maps.Clone(key)
	}
	for _, clause := range strings.Split(rest, ",") {
		m := setClause.FindStringSubmatch(clause)
		if m == nil {
			return nil, r.generic("ValidationException", 400, "Invalid UpdateExpression: %s", expr)
		}
		name := m[1]
		if strings.HasPrefix(name, "#") {
			n, ok := namesMap[name].(string)
			if !ok {
				return nil, r.generic("ValidationException", 400, "An expression attribute name used in the document path is not defined; attribute name: %s", name)
			}
			name = n
		}
		v, ok := values[m[2]]
		if !ok {
			return nil, r.generic("ValidationException", 400, "An expression attribute value used in expression is not defined; attribute value: %s", m[2])
		}
		item[name] = v
	}
	t.items[k] = item
	return w.dynamoResult(r), nil
}
