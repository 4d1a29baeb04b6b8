package awsmock

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/refreshgen/refreshgen/spec"
)

// account holds the resources of one AWS account.
type account struct {
	id   string
	spec *spec.Account // nil for an account outside the spec
	// dnsSuffix is the account's part of RDS endpoints
	// (<id>.cluster-<suffix>.<region>.rds.amazonaws.com).
	dnsSuffix string

	// RDS
	clusters       []*cluster
	instances      []*instance
	snapshots      []*snapshot
	subnetGroups   map[string]bool
	clusterParams  map[string]bool // DB cluster parameter groups
	instanceParams map[string]bool // DB parameter groups

	keys []*key // KMS

	// EFS and AWS Backup
	fileSystems []*fileSystem
	vaults      []*vault
	copyJobs    []*copyJob
	restoreJobs []*restoreJob

	eks map[string]*eksCluster

	secrets    []*secret
	parameters map[string]*parameter // SSM
	functions  map[string]*function  // Lambda, by name
	buckets    map[string]map[string]string
	topics     map[string]*topic // SNS, by ARN
	tables     map[string]*table // DynamoDB, by name
	shares     []*resourceShare  // AWS RAM, owned by the account
}

func newAccount(id string, a *spec.Account) *account {
	sum := sha256.Sum256([]byte("rds-" + id))
	return &account{
		id: id, spec: a, dnsSuffix: "c" + hex.EncodeToString(sum[:])[:11],
		subnetGroups: map[string]bool{}, clusterParams: map[string]bool{}, instanceParams: map[string]bool{},
		eks: map[string]*eksCluster{}, parameters: map[string]*parameter{}, functions: map[string]*function{},
		buckets: map[string]map[string]string{}, topics: map[string]*topic{}, tables: map[string]*table{},
	}
}

// name is the spec's name of the account, or its ID.
func (a *account) name() string {
	if a.spec != nil {
		return a.spec.Name
	}
	return a.id
}
