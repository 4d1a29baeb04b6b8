package roles

import (
	"slices"
	"strconv"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/iam"
	"github.com/refreshgen/refreshgen/spec"
)

// needID names one need of an integration: its place in iam.NeedsOf.
type needID struct {
	in asl.Integration
	i  int
}

// appendKey appends id to a key.
func (id needID) appendKey(k keyBuf) keyBuf {
	k = k.field(strconv.FormatBool(id.in.SDK))
	k = k.field(id.in.Service)
	k = k.field(id.in.Action)
	k = k.field(string(id.in.Pattern))
	return k.int(id.i)
}

// keyBuf builds the keys of the maps of what derive remembers: fields
// each prefixed with their length, so that no two lists of fields give
// the same key. Looking a key up needs no string: m[string(k)] does not
// allocate.
type keyBuf []byte

func (k keyBuf) field(s string) keyBuf {
	k = strconv.AppendInt(k, int64(len(s)), 10)
	k = append(k, ':')
	return append(k, s...)
}

func (k keyBuf) int(i int) keyBuf {
	return k.field(strconv.Itoa(i))
}

// role appends the key of a runner.
func (k keyBuf) role(r runner) keyBuf {
	k = strconv.AppendInt(k, int64(len(r.account.Name)+1+len(r.name)), 10)
	k = append(k, ':')
	k = append(k, r.account.Name...)
	k = append(k, '/')
	return append(k, r.name...)
}

// needsOf is iam.NeedsOf, asked once per integration. The needs are
// shared by every call of the integration and never modified.
func (d *deriver) needsOf(in asl.Integration) ([]iam.Need, bool) {
	if needs, ok := d.needs[in]; ok {
		return needs, true
	}
	needs, ok := iam.NeedsOf(in)
	if ok {
		d.needs[in] = needs
	}
	return needs, ok
}

// catKey names a catalogueSet.
type catKey struct {
	account   string
	t         iam.ResourceType
	automated bool
}

// catalogueSet holds the ARNs of every resource of one type the spec
// implies in one account (with the source clusters' automated snapshots,
// for the actions that read them), sorted and de-duplicated. It is built
// once per derivation and never modified.
type catalogueSet struct {
	id   string // names the set in the keys of grants
	arns []string
	has  map[string]bool
}

func (d *deriver) catalogueSet(a *spec.Account, t iam.ResourceType, automated bool) *catalogueSet {
	k := catKey{a.Name, t, automated}
	if cs := d.catSets[k]; cs != nil {
		return cs
	}
	loc := d.loc(a)
	var arns []string
	for _, s := range d.catalogue.of(a, t) {
		arns = append(arns, arnOf(t, loc, s))
	}
	if automated {
		for _, s := range d.catalogue.automatedOf(a, t) {
			arns = append(arns, arnOf(t, loc, s))
		}
	}
	slices.Sort(arns)
	arns = slices.Compact(arns)
	cs := &catalogueSet{id: strconv.Itoa(len(d.catSets)), arns: arns, has: make(map[string]bool, len(arns))}
	for _, arn := range arns {
		cs.has[arn] = true
	}
	d.catSets[k] = cs
	return cs
}

// typeTargets are the resources of one type a need of a call names: the
// ARNs given explicitly (sorted, de-duplicated, none of them in cat) and,
// when cat is set, every ARN of the catalogue.
type typeTargets struct {
	explicit []string
	cat      *catalogueSet
}

func (tt typeTargets) empty() bool {
	return len(tt.explicit) == 0 && (tt.cat == nil || len(tt.cat.arns) == 0)
}

// arns returns the ARNs, sorted and de-duplicated, in a new slice.
func (tt typeTargets) arns() []string {
	if tt.cat == nil {
		return slices.Clone(tt.explicit)
	}
	out := slices.Concat(tt.explicit, tt.cat.arns)
	slices.Sort(out)
	return out
}

func (tt typeTargets) appendKey(k keyBuf) keyBuf {
	if tt.cat != nil {
		k = k.field("catalogue " + tt.cat.id)
	}
	k = k.int(len(tt.explicit))
	for _, arn := range tt.explicit {
		k = k.field(arn)
	}
	return k
}

// targetSet is what targets returns: for each resource type of a need, in
// the order of its types, the resources that exist and those the call
// creates; star means the need is granted on "*".
type targetSet struct {
	existing, created []typeTargets
	star              bool
}

// arns materialises the targets.
func (ts targetSet) arns() (existing, created []string) {
	if ts.star {
		return []string{"*"}, nil
	}
	for _, tt := range ts.existing {
		existing = append(existing, tt.arns()...)
	}
	for _, tt := range ts.created {
		created = append(created, tt.arns()...)
	}
	return existing, created
}

// appendKey appends a key equal for two target sets of the same role and
// need exactly when they materialise to the same ARNs in the same order.
func (ts targetSet) appendKey(k keyBuf, r runner, id needID) keyBuf {
	k = k.field("targets").role(r)
	k = id.appendKey(k)
	k = k.field(strconv.FormatBool(ts.star))
	k = k.int(len(ts.existing))
	for _, tt := range ts.existing {
		k = tt.appendKey(k)
	}
	k = k.int(len(ts.created))
	for _, tt := range ts.created {
		k = tt.appendKey(k)
	}
	return k
}

// checkedStatement is the statement of a role, need and targets, as
// Need.Statement built and checked it, with the targets it was built from.
type checkedStatement struct {
	st                iam.Statement
	existing, created []string
}

// appendGrant appends, to the key of a role, need and targets, what else
// decides the statements a grant adds: its conditions and rename targets.
func appendGrant(k keyBuf, conds []iam.Condition, renamed []string) keyBuf {
	k = k.int(len(conds))
	for _, c := range conds {
		k = k.field(string(c.Operator)).field(c.Key).int(len(c.Values))
		for _, v := range c.Values {
			k = k.field(v)
		}
	}
	k = k.int(len(renamed))
	for _, arn := range renamed {
		k = k.field(arn)
	}
	return k
}

// assumeKey names the grant that lets own assume r.
func assumeKey(k keyBuf, own, r runner) keyBuf {
	return k.field("assume").role(own).role(r)
}

// fixedKey names the grant of a need whose resource AWS fixes.
func fixedKey(k keyBuf, r runner, id needID) keyBuf {
	return id.appendKey(k.field("fixed").role(r))
}
