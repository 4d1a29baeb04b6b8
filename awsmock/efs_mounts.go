package awsmock

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/sim"
)

// mountTarget is a mount target of a file system, in one subnet and so
// one Availability Zone.
type mountTarget struct {
	id, subnet, zone, ip string
	lc                   lifecycle
}

// accessPoint is an EFS access point.
type accessPoint struct {
	id, arn, name, root string
	tags                tags
	lc                  lifecycle
}

func (w *World) liveMountTargets(f *fileSystem, t time.Time) []*mountTarget {
	var out []*mountTarget
	for _, m := range f.mountTargets {
		if w.statusAt("mount-target", f.owner, m.id, m.lc, t) != gone {
			out = append(out, m)
		}
	}
	return out
}

// zoneOf is the Availability Zone of a subnet: the spec's subnets of an
// account are spread over zones a, b, c in order; others by their name.
func (w *World) zoneOf(acct *account, subnet string) string {
	if acct.spec != nil {
		if i := slices.Index(acct.spec.SubnetIDs, subnet); i >= 0 {
			return w.region + string(rune('a'+i%3))
		}
	}
	return w.region + string(rune('a'+len(subnet)%3))
}

func (w *World) mountTargetJSON(f *fileSystem, m *mountTarget, t time.Time) map[string]any {
	return map[string]any{
		"OwnerId": f.owner.id, "MountTargetId": m.id, "FileSystemId": f.id, "SubnetId": m.subnet,
		"LifeCycleState": w.statusAt("mount-target", f.owner, m.id, m.lc, t), "IpAddress": m.ip,
		"NetworkInterfaceId": "eni-" + m.id[len("fsmt-"):], "AvailabilityZoneName": m.zone,
		"AvailabilityZoneId": w.region + "-az" + strings.TrimPrefix(m.zone, w.region), "VpcId": "vpc-" + f.owner.dnsSuffix,
	}
}

// createMountTarget adds a mount target in a subnet; one per Availability
// Zone.
func (w *World) createMountTarget(r *request) (any, *sim.Failure) {
	id, err := r.required("FileSystemId")
	if err != nil {
		return nil, err
	}
	subnet, err := r.required("SubnetId")
	if err != nil {
		return nil, err
	}
	groups, err := r.stringList("SecurityGroups")
	if err != nil {
		return nil, err
	}
	f := w.findFileSystem(r.acct, id, r.now)
	if f == nil {
		return nil, r.fail("FileSystemNotFound", 404, "File system '%s' does not exist.", id)
	}
	if st := w.fsStatus(f, r.now); st != "available" {
		return nil, r.fail("IncorrectFileSystemLifeCycleState", 409, "File system '%s' is %s, not available.", id, st)
	}
	if len(groups) > 5 {
		return nil, r.fail("SecurityGroupLimitExceeded", 400, "A mount target takes at most 5 security groups.")
	}
	zone := w.zoneOf(r.acct, subnet)
	for _, m := range w.liveMountTargets(f, r.now) {
		if m.zone == zone {
			return nil, r.fail("MountTargetConflict", 409, "mount target already exists in this AZ")
		}
	}
	n := w.next()
	m := &mountTarget{id: "fsmt-" + w.hexID(17), subnet: subnet, zone: zone,
		ip: fmt.Sprintf("10.0.%d.%d", n%200, 10+n%200),
		lc: transition(r.now, "available", phase{"creating", w.clock.d(DurMountTargetCreate)})}
	f.mountTargets = append(f.mountTargets, m)
	return w.mountTargetJSON(f, m, r.now), nil
}

// describeMountTargets lists the mount targets of a file system.
func (w *World) describeMountTargets(r *request) (any, *sim.Failure) {
	id, err := r.str("FileSystemId")
	if err != nil {
		return nil, err
	}
	mt, err := r.str("MountTargetId")
	if err != nil {
		return nil, err
	}
	if id == "" && mt == "" {
		return nil, r.invalid("One of FileSystemId, MountTargetId or AccessPointId is required.")
	}
	list := []any{}
	for _, f := range r.acct.fileSystems {
		if id != "" && f.id != id || w.fsStatus(f, r.now) == gone {
			continue
		}
		for _, m := range w.liveMountTargets(f, r.now) {
			if mt == "" || m.id == mt {
				list = append(list, w.mountTargetJSON(f, m, r.now))
			}
		}
		if id != "" {
			return map[string]any{"MountTargets": list}, nil
		}
	}
	if id != "" {
		return nil, r.fail("FileSystemNotFound", 404, "File system '%s' does not exist.", id)
	}
	if len(list) == 0 {
		return nil, r.fail("MountTargetNotFound", 404, "Mount target '%s' does not exist.", mt)
	}
	return map[string]any{"MountTargets": list}, nil
}

// deleteMountTarget deletes a mount target.
func (w *World) deleteMountTarget(r *request) (any, *sim.Failure) {
	id, err := r.required("MountTargetId")
	if err != nil {
		return nil, err
	}
	for _, f := range r.acct.fileSystems {
		for _, m := range w.liveMountTargets(f, r.now) {
			if m.id == id {
				if w.statusAt("mount-target", f.owner, m.id, m.lc, r.now) != "deleting" {
					m.lc = transition(r.now, gone, phase{"deleting", w.clock.d(DurMountTargetDelete)})
				}
				return map[string]any{}, nil
			}
		}
	}
	return nil, r.fail("MountTargetNotFound", 404, "Mount target '%s' does not exist.", id)
}

func (w *World) accessPointJSON(f *fileSystem, a *accessPoint, t time.Time) map[string]any {
	return map[string]any{
		"AccessPointId": a.id, "AccessPointArn": a.arn, "FileSystemId": f.id, "Name": a.name, "OwnerId": f.owner.id,
		"LifeCycleState": w.statusAt("access-point", f.owner, a.id, a.lc, t), "Tags": a.tags.list(),
		"RootDirectory": map[string]any{"Path": a.root}, "ClientToken": a.id,
	}
}

// describeAccessPoints lists the access points of a file system.
func (w *World) describeAccessPoints(r *request) (any, *sim.Failure) {
	id, err := r.str("FileSystemId")
	if err != nil {
		return nil, err
	}
	ap, err := r.str("AccessPointId")
	if err != nil {
		return nil, err
	}
	list := []any{}
	for _, f := range r.acct.fileSystems {
		if id != "" && f.id != id || w.fsStatus(f, r.now) == gone {
			continue
		}
		for _, a := range f.accessPoints {
			if (ap == "" || a.id == ap) && w.statusAt("access-point", f.owner, a.id, a.lc, r.now) != gone {
				list = append(list, w.accessPointJSON(f, a, r.now))
			}
		}
		if id != "" {
			return map[string]any{"AccessPoints": list}, nil
		}
	}
	if id != "" {
		return nil, r.fail("FileSystemNotFound", 404, "File system '%s' does not exist.", id)
	}
	if ap != "" && len(list) == 0 {
		return nil, r.fail("AccessPointNotFound", 404, "Access point '%s' does not exist.", ap)
	}
	return map[string]any{"AccessPoints": list}, nil
}

// deleteAccessPoint deletes an access point.
func (w *World) deleteAccessPoint(r *request) (any, *sim.Failure) {
	id, err := r.required("AccessPointId")
	if err != nil {
		return nil, err
	}
	for _, f := range r.acct.fileSystems {
		for _, a := range f.accessPoints {
			if a.id == id && w.statusAt("access-point", f.owner, a.id, a.lc, r.now) != gone {
				a.lc = transition(r.now, gone)
				return map[string]any{}, nil
			}
		}
	}
	return nil, r.fail("AccessPointNotFound", 404, "Access point '%s' does not exist.", id)
}
