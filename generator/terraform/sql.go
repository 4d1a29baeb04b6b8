package terraform

import (
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/spec"
)

func sqlVariables() []*hclwrite.Block {
	return []*hclwrite.Block{
		variable("sql_bucket_name", "Bucket of the post-restore SQL scripts; null creates none.", tString(), null()),
		variable("sql_scripts", "Post-restore SQL scripts to upload, by object key: the path of each rendered file.", mapOf(tString()), mapping(nil)),
	}
}

// sqlResources are the bucket the run-sql helper reads its scripts from:
// versioned, encrypted, private, reachable over TLS only.
func sqlResources() []*hclwrite.Block {
	return []*hclwrite.Block{
		s3Bucket(),
		s3BucketVersioning(),
		s3BucketEncryption(),
		s3BucketPublicAccessBlock(),
		s3BucketPolicy(),
		s3Object(),
	}
}

func sqlOutputs() []outputDef {
	return []outputDef{
		{"sql_bucket_name", "Name of the bucket of post-restore SQL; null when there is none.",
			cond(binary(ref("var.sql_bucket_name"), "==", null()), null(), ref("aws_s3_bucket.sql[0].bucket"))},
	}
}

// The bucket's settings exist once the bucket does.
func sqlBucketCount() item { return count(call("length", ref("aws_s3_bucket.sql"))) }
func sqlBucketID() item    { return attr("bucket", ref("aws_s3_bucket.sql[0].id")) }
func sqlBucketARN() expr   { return ref("aws_s3_bucket.sql[0].arn") }

func s3Bucket() *hclwrite.Block {
	return resource("aws_s3_bucket", "sql", count(cond(binary(ref("var.sql_bucket_name"), "==", null()), num(0), num(1))),
		attr("bucket", ref("var.sql_bucket_name")),
	)
}

func s3BucketVersioning() *hclwrite.Block {
	return resource("aws_s3_bucket_versioning", "sql", sqlBucketCount(), sqlBucketID(), blank(),
		child(nested("versioning_configuration", attr("status", str("Enabled")))),
	)
}

func s3BucketEncryption() *hclwrite.Block {
	return resource("aws_s3_bucket_server_side_encryption_configuration", "sql", sqlBucketCount(), sqlBucketID(), blank(),
		child(nested("rule", child(nested("apply_server_side_encryption_by_default", attr("sse_algorithm", str("AES256")))))),
	)
}

func s3BucketPublicAccessBlock() *hclwrite.Block {
	return resource("aws_s3_bucket_public_access_block", "sql", sqlBucketCount(), sqlBucketID(),
		attr("block_public_acls", boolean(true)),
		attr("block_public_policy", boolean(true)),
		attr("ignore_public_acls", boolean(true)),
		attr("restrict_public_buckets", boolean(true)),
	)
}

// s3BucketPolicy refuses every request that does not use TLS.
func s3BucketPolicy() *hclwrite.Block {
	insecure := mapping([]entry{{"aws:SecureTransport", str("false")}})
	statement := object(
		field{"Sid", str("DenyInsecureTransport")},
		field{"Effect", str("Deny")},
		field{"Principal", str("*")},
		field{"Action", str("s3:*")},
		field{"Resource", tuple(sqlBucketARN(), interpolate("", sqlBucketARN(), "/*"))},
		field{"Condition", object(field{"Bool", insecure})},
	)
	policy := object(field{"Version", str("2012-10-17")}, field{"Statement", tuple(statement)})
	return resource("aws_s3_bucket_policy", "sql", sqlBucketCount(), sqlBucketID(),
		attr("policy", call("jsonencode", policy)),
	)
}

// s3Object uploads one script; the etag makes a changed file a change.
func s3Object() *hclwrite.Block {
	return resource("aws_s3_object", "sql", forEach(ref("var.sql_scripts")),
		sqlBucketID(),
		attr("key", ref("each.key")),
		attr("source", ref("each.value")),
		attr("etag", call("filemd5", ref("each.value"))),
	)
}

// sqlArgs upload the post-restore scripts of the refreshes into account a,
// under the key the rendered tree gives them.
func (r *renderer) sqlArgs(a *spec.Account) []item {
	var scripts []entry
	for _, rf := range r.refreshesInto(a) {
		for _, db := range rf.Databases {
			for i, script := range db.PostRestoreSQL {
				key := names.SQLKey(rf.Name, db.Name, i, script)
				scripts = append(scripts, entry{key, treePath(key)})
			}
		}
	}
	if len(scripts) == 0 {
		return nil
	}
	return []item{attr("sql_bucket_name", str(r.names.SQLBucket(a))), attr("sql_scripts", mapping(scripts))}
}
