package terraform

import (
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// An item is one part of a block's body, added in order: hclwrite keeps
// the order of calls, which is the order the file shows.
type item func(*hclwrite.Body)

// attr sets the attribute name to e.
func attr(name string, e expr) item {
	return func(b *hclwrite.Body) { b.SetAttributeRaw(name, e) }
}

// attrs sets each field as an attribute.
func attrs(fields ...field) item {
	return func(b *hclwrite.Body) {
		for _, f := range fields {
			b.SetAttributeRaw(f.name, f.value)
		}
	}
}

// child nests a block.
func child(blk *hclwrite.Block) item {
	return func(b *hclwrite.Body) { b.AppendBlock(blk) }
}

// blank is an empty line, between the meta-arguments and the rest.
func blank() item {
	return func(b *hclwrite.Body) { b.AppendNewline() }
}

// block builds a block from its items.
func block(typ string, labels []string, items ...item) *hclwrite.Block {
	blk := hclwrite.NewBlock(typ, labels)
	for _, it := range items {
		it(blk.Body())
	}
	return blk
}

// nested is a label-less block such as versioning_configuration.
func nested(typ string, items ...item) *hclwrite.Block { return block(typ, nil, items...) }

// resource is resource "<typ>" "<name>" { items }.
func resource(typ, name string, items ...item) *hclwrite.Block {
	return block("resource", []string{typ, name}, items...)
}

// dynamic is a dynamic block of typ, one per element of forEach, whose
// content reads the element as <typ>.value.
func dynamic(typ string, forEach expr, content ...item) *hclwrite.Block {
	return block("dynamic", []string{typ}, attr("for_each", forEach), child(nested("content", content...)))
}

// forEach and count are the repetition meta-arguments, followed by the
// blank line Terraform's style guide puts after them.
func forEach(e expr) item { return items(attr("for_each", e), blank()) }
func count(e expr) item   { return items(attr("count", e), blank()) }

// items groups several items as one.
func items(its ...item) item {
	return func(b *hclwrite.Body) {
		for _, it := range its {
			it(b)
		}
	}
}

// dependsOn is depends_on = [refs...].
func dependsOn(refs ...string) item {
	elems := make([]expr, len(refs))
	for i, r := range refs {
		elems[i] = ref(r)
	}
	return attr("depends_on", tuple(elems...))
}

// variable declares an input. A nil def makes it required.
func variable(name, description string, typ, def expr, extra ...item) *hclwrite.Block {
	its := []item{attr("description", str(description)), attr("type", typ)}
	if def != nil {
		its = append(its, attr("default", def))
	}
	return block("variable", []string{name}, append(its, extra...)...)
}

// validation rejects a variable's value unless condition holds.
func validation(condition expr, message string) item {
	return child(nested("validation", attr("condition", condition), attr("error_message", str(message))))
}

// output declares an output.
func output(name, description string, value expr) *hclwrite.Block {
	return block("output", []string{name}, attr("description", str(description)), attr("value", value))
}

// An outputDef is an output of a module, which the root calling the module
// passes on under the same name.
type outputDef struct {
	name, description string
	value             expr
}

// outputBlocks declare a module's outputs.
func outputBlocks(defs []outputDef) []*hclwrite.Block {
	out := make([]*hclwrite.Block, len(defs))
	for i, d := range defs {
		out[i] = output(d.name, d.description, d.value)
	}
	return out
}

// passOn declares outputs of a root that pass on those of its module call.
func passOn(call string, defs []outputDef) []*hclwrite.Block {
	out := make([]*hclwrite.Block, len(defs))
	for i, d := range defs {
		out[i] = output(d.name, d.description, ref("module."+call+"."+d.name))
	}
	return out
}

// locals declares local values.
func locals(fields ...field) *hclwrite.Block { return block("locals", nil, attrs(fields...)) }

// moduleCall calls the module at source with the given arguments.
func moduleCall(name, source string, args ...item) *hclwrite.Block {
	return block("module", []string{name}, append([]item{attr("source", str(source)), blank()}, args...)...)
}

// Version constraints of every root and module. The EKS access entries
// need hashicorp/aws 5.33; optional object attributes need Terraform 1.3.
const (
	terraformVersion = ">= 1.5"
	awsVersion       = ">= 5.33"
)

// terraformBlock pins Terraform and the AWS provider.
func terraformBlock() *hclwrite.Block {
	aws := object(field{"source", str("hashicorp/aws")}, field{"version", str(awsVersion)})
	return nested("terraform",
		attr("required_version", str(terraformVersion)),
		child(nested("required_providers", attr("aws", aws))),
	)
}
