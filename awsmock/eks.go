package awsmock

import (
	"encoding/base64"
	"strconv"
	"time"

	"github.com/refreshgen/refreshgen/generator/kubernetes"
	"github.com/refreshgen/refreshgen/sim"
)

// eksCluster is an EKS cluster: its managed node groups, who may call its
// Kubernetes API (access entries) and the Kubernetes objects of interest.
type eksCluster struct {
	name, arn, endpoint, ca string
	owner                   *account
	nodegroups              []*nodegroup
	// access maps a principal ARN to its access policies (access entries).
	access map[string][]accessPolicy
	// rbac is the rendered RBAC of the cluster's storage group, which the
	// access entry of rbacRole maps to; nil when no volume is repointed.
	rbac     *kubernetes.Cluster
	rbacRole string
	kube     *kube
}

// accessPolicy is an EKS access policy associated with an access entry;
// no namespaces means cluster scope.
type accessPolicy struct {
	arn        string
	namespaces []string
}

// nodegroup is a managed node group.
type nodegroup struct {
	name    string
	base    sizes
	updates []*nodegroupUpdate
}

// sizes are a node group's scaling configuration.
type sizes struct{ min, desired, max int }

// nodegroupUpdate is a config update of a node group: the new sizes hold
// once it succeeds.
type nodegroupUpdate struct {
	id      string
	to      sizes
	created time.Time
	lc      lifecycle // InProgress -> Successful
}

func (w *World) updateStatus(c *eksCluster, u *nodegroupUpdate, t time.Time) string {
	return w.statusAt("nodegroup-update", c.owner, u.id, u.lc, t)
}

// sizesAt are the node group's sizes at t: those of its last successful
// update.
func (w *World) sizesAt(c *eksCluster, ng *nodegroup, t time.Time) sizes {
	s := ng.base
	for _, u := range ng.updates {
		if w.updateStatus(c, u, t) == "Successful" {
			s = u.to
		}
	}
	return s
}

// nodes is how many nodes the cluster's node groups run at t.
func (w *World) nodes(c *eksCluster, t time.Time) int {
	n := 0
	for _, ng := range c.nodegroups {
		n += w.sizesAt(c, ng, t).desired
	}
	return n
}

func (w *World) newEKSCluster(acct *account, name string) *eksCluster {
	id := w.hexID(32)
	c := &eksCluster{
		name: name, owner: acct, arn: w.arn("eks", acct.id, "cluster/"+name),
		endpoint: "https://" + id + ".gr7." + w.region + ".eks.amazonaws.com",
		ca:       base64.StdEncoding.EncodeToString([]byte("-----BEGIN CERTIFICATE-----\nawsmock " + name + "\n-----END CERTIFICATE-----\n")),
		access:   map[string][]accessPolicy{}, kube: newKube(),
	}
	acct.eks[name] = c
	return c
}

func (w *World) findNodegroup(r *request, clusterKey, ngKey string) (*eksCluster, *nodegroup, *sim.Failure) {
	name, err := r.required(clusterKey)
	if err != nil {
		return nil, nil, err
	}
	ngName, err := r.required(ngKey)
	if err != nil {
		return nil, nil, err
	}
	c := r.acct.eks[name]
	if c == nil {
		return nil, nil, r.fail("ResourceNotFoundException", 404, "No cluster found for name: %s.", name)
	}
	for _, ng := range c.nodegroups {
		if ng.name == ngName {
			return c, ng, nil
		}
	}
	return nil, nil, r.fail("ResourceNotFoundException", 404, "No node group found for name: %s.", ngName)
}

// describeEKSCluster is eks:describeCluster: the endpoint and CA are what
// eks:call and eks:runJob need.
func (w *World) describeEKSCluster(r *request) (any, *sim.Failure) {
	name, err := r.required("Name")
	if err != nil {
		return nil, err
	}
	c := r.acct.eks[name]
	if c == nil {
		return nil, r.fail("ResourceNotFoundException", 404, "No cluster found for name: %s.", name)
	}
	return map[string]any{"Cluster": map[string]any{
		"Name": c.name, "Arn": c.arn, "Endpoint": c.endpoint, "Status": "ACTIVE", "Version": "1.31",
		"CertificateAuthority": map[string]any{"Data": c.ca}, "PlatformVersion": "eks.10",
		"AccessConfig":       map[string]any{"AuthenticationMode": "API_AND_CONFIG_MAP"},
		"ResourcesVpcConfig": map[string]any{"EndpointPublicAccess": true, "EndpointPrivateAccess": true},
	}}, nil
}

// describeNodegroup describes a managed node group and its sizes.
func (w *World) describeNodegroup(r *request) (any, *sim.Failure) {
	c, ng, err := w.findNodegroup(r, "ClusterName", "NodegroupName")
	if err != nil {
		return nil, err
	}
	s := w.sizesAt(c, ng, r.now)
	status := "ACTIVE"
	for _, u := range ng.updates {
		if w.updateStatus(c, u, r.now) == "InProgress" {
			status = "UPDATING"
		}
	}
	return map[string]any{"Nodegroup": map[string]any{
		"NodegroupName": ng.name, "ClusterName": c.name, "Status": status, "CapacityType": "ON_DEMAND",
		"NodegroupArn":  w.arn("eks", c.owner.id, "nodegroup/"+c.name+"/"+ng.name+"/"+c.owner.dnsSuffix),
		"ScalingConfig": map[string]any{"MinSize": s.min, "DesiredSize": s.desired, "MaxSize": s.max},
	}}, nil
}

// updateNodegroupConfig changes a node group's sizes; EKS refuses a second
// update while one is in progress, and one that changes nothing.
func (w *World) updateNodegroupConfig(r *request) (any, *sim.Failure) {
	c, ng, err := w.findNodegroup(r, "ClusterName", "NodegroupName")
	if err != nil {
		return nil, err
	}
	cfg, err := r.object("ScalingConfig")
	if err != nil {
		return nil, err
	}
	for _, u := range ng.updates {
		if w.updateStatus(c, u, r.now) == "InProgress" {
			return nil, r.fail("ResourceInUseException", 409, "Nodegroup %s is currently being updated: update %s is in progress.", ng.name, u.id)
		}
	}
	cur := w.sizesAt(c, ng, r.now)
	to := cur
	for key, dst := range map[string]*int{"MinSize": &to.min, "DesiredSize": &to.desired, "MaxSize": &to.max} {
		if v, ok := cfg[key]; ok {
			f, ok := toFloat(v)
			if !ok {
				return nil, r.badType("ScalingConfig."+key, "a number", v)
			}
			*dst = int(f)
		}
	}
	switch {
	case to.max < 1:
		return nil, r.invalid("Maximum capacity %d can't be less than 1", to.max)
	case to.min < 0 || to.desired < to.min || to.desired > to.max:
		return nil, r.invalid("Desired capacity %d can't be less than the minimum %d or more than the maximum %d", to.desired, to.min, to.max)
	case to == cur:
		return nil, r.invalid("No changes needed")
	}
	u := &nodegroupUpdate{id: w.uuid(), to: to, created: r.now,
		lc: transition(r.now, "Successful", phase{"InProgress", w.clock.d(DurNodegroupUpdate)})}
	ng.updates = append(ng.updates, u)
	return map[string]any{"Update": w.updateJSON(c, u, r.now)}, nil
}

func (w *World) updateJSON(c *eksCluster, u *nodegroupUpdate, t time.Time) map[string]any {
	return map[string]any{
		"Id": u.id, "Status": w.updateStatus(c, u, t), "Type": "ConfigUpdate", "CreatedAt": sim.ISOTime(u.created),
		"Errors": []any{},
		"Params": []any{
			map[string]any{"Type": "MinSize", "Value": strconv.Itoa(u.to.min)},
			map[string]any{"Type": "DesiredSize", "Value": strconv.Itoa(u.to.desired)},
			map[string]any{"Type": "MaxSize", "Value": strconv.Itoa(u.to.max)},
		},
	}
}

// describeUpdate describes an update of a node group.
func (w *World) describeUpdate(r *request) (any, *sim.Failure) {
	c, ng, err := w.findNodegroup(r, "Name", "NodegroupName")
	if err != nil {
		return nil, err
	}
	id, err := r.required("UpdateId")
	if err != nil {
		return nil, err
	}
	for _, u := range ng.updates {
		if u.id == id {
			return map[string]any{"Update": w.updateJSON(c, u, r.now)}, nil
		}
	}
	return nil, r.fail("ResourceNotFoundException", 404, "No update found for ID: %s.", id)
}
