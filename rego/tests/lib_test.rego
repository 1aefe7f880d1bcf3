package selmount.test.lib

import data.lib.selmount.gates
import data.lib.selmount.objects
import data.lib.selmount.selinux
import data.lib.selmount.volumes
import data.selmount.test.fixtures as fx

# --- SELinux translators and comparison -----------------------------------------------------

test_controller_label if {
	selinux.controller_label(null) == ""
	selinux.controller_label({}) == ""
	selinux.controller_label({"user": "system_u", "role": "system_r", "type": "container_t", "level": "s0:c0,c1"}) == "system_u:system_r:container_t:s0:c0,c1"
	selinux.controller_label({"type": "container_t", "level": "s0:c0,c1"}) == "::container_t:s0:c0,c1"
	selinux.controller_label({"level": "s0:c0,c1"}) == ":::s0:c0,c1"
	selinux.controller_label({"type": "spc_t"}) == "::spc_t:"
	selinux.controller_label({"user": null, "level": "s0"}) == ":::s0"
}

test_kubelet_label if {
	selinux.kubelet_label(null) == ""
	selinux.kubelet_label({}) == ""
	selinux.kubelet_label({"level": "s0:c1,c2"}) == "system_u:object_r:container_file_t:s0:c1,c2"
	selinux.kubelet_label({"user": "system_u", "role": "system_r", "type": "container_t", "level": "s0:c0,c1"}) == "system_u:object_r:container_file_t:s0:c0,c1"
	selinux.kubelet_label({"type": "spc_t", "level": "s0:c1,c2"}) == "system_u:object_r:container_file_t:s0:c1,c2"
	selinux.kubelet_label({"user": "staff_u", "level": "s0"}) == "staff_u:object_r:container_file_t:s0"
	selinux.kubelet_label({"type": "spc_t"}) == "system_u:object_r:container_file_t:<random level>"
	selinux.kubelet_label({"user": "x"}) == "x:object_r:container_file_t:<random level>"
}

test_parse_label if {
	selinux.parse_label("") == ["", "", "", ""]
	selinux.parse_label("a:b:c:s0:c1,c2") == ["a", "b", "c", "s0:c1,c2"]
	selinux.parse_label("a:b") == ["a", "b", "", ""]
	selinux.parse_label("::t:") == ["", "", "t", ""]
	selinux.parse_label(":::") == ["", "", "", ""]
}

# Spec table C2, "new" column (Decision 2), both directions.
conflict_cases := [
	["", "", false],
	["", "system_u:system_r:container_t", false],
	[":::::::::::::", "system_u:system_r:container_t", true],
	["system_u:system_r:container_t:c0,c2", "system_u:system_r:container_t", true],
	["system_u:system_r:conflict_t:c0,c2", "system_u:system_r:container_t", true],
	["::conflict_t", "::container_t", true],
	["system_u::container_t", ":system_r::c0,c2", true],
	["system_u:system_r:label7", "::label7:c0,c1", true],
	["system_u:system_r:label8", "", false],
	["system_u:system_r:label8:c0,c1", "", true],
	[":::s0:c1,c2", "system_u:system_r:container_t:s0:c1,c2", false],
	[":::s0:c1,c2", "system_u:system_r:container_t:s0:c98,c99", true],
	[":::s0:c1,c2", ":::s0:c2,c1", true],
]

conflicts(a, b) if selinux.labels_conflict(a, b)

else := false

test_labels_conflict if {
	every c in conflict_cases {
		conflicts(c[0], c[1]) == c[2]
		conflicts(c[1], c[0]) == c[2]
	}
}

# Spec table C9: mounts in first-visit order, options per mount, devices never count.
test_volume_use if {
	spec := {
		"securityContext": {"seLinuxOptions": {"type": "global_context_t", "level": "s0:c1,c2"}},
		"initContainers": [{"securityContext": {"seLinuxOptions": {"type": "initcontainer1_context_t", "level": "s0:c3,c4"}}, "volumeMounts": [{"name": "vol1"}]}],
		"containers": [
			{"securityContext": {"seLinuxOptions": {"type": "container1_context_t", "level": "s0:c5,c6"}}, "volumeMounts": [{"name": "vol1"}, {"name": "vol2"}], "volumeDevices": [{"name": "vol4"}]},
			{"volumeMounts": [{"name": "vol2"}, {"name": "vol3"}]},
		],
		"ephemeralContainers": [{"securityContext": {"seLinuxOptions": {}}, "volumeMounts": [{"name": "vol3"}]}],
	}
	use := selinux.volume_use(spec)
	use.mounts == ["vol1", "vol2", "vol3"]
	use.options == {
		"vol1": [{"type": "initcontainer1_context_t", "level": "s0:c3,c4"}, {"type": "container1_context_t", "level": "s0:c5,c6"}],
		"vol2": [{"type": "container1_context_t", "level": "s0:c5,c6"}, {"type": "global_context_t", "level": "s0:c1,c2"}],
		"vol3": [{"type": "global_context_t", "level": "s0:c1,c2"}, {}],
	}
}

test_volume_use_null_fields if {
	selinux.volume_use({}) == {"mounts": [], "options": {}, "devices": set()}
	selinux.volume_use({"containers": null, "securityContext": null}) == {"mounts": [], "options": {}, "devices": set()}
	selinux.volume_use({"containers": [{"securityContext": {"seLinuxOptions": null}, "volumeMounts": [{"name": "a"}]}]}) == {"mounts": ["a"], "options": {"a": []}, "devices": set()}
	selinux.volume_use({"containers": [{"volumeDevices": [{"name": "b"}, null]}]}).devices == {"b"}
}

# Decision 4: options with a user, role or type but no level get a random level, each its own.
test_kubelet_label_random_level if {
	selinux.kubelet_label({"type": "spc_t"}) == "system_u:object_r:container_file_t:<random level>"
	selinux.kubelet_label({"user": "staff_u"}) == "staff_u:object_r:container_file_t:<random level>"
	selinux.kubelet_label({}) == ""
	selinux.kubelet_label({"level": "s0:c1,c2"}) == "system_u:object_r:container_file_t:s0:c1,c2"
	selinux.shown("system_u:object_r:container_file_t:<random level>#3/v/0") == "system_u:object_r:container_file_t:<random level>"
	selinux.shown("x:y:z:s0") == "x:y:z:s0"
}

# --- gates ----------------------------------------------------------------------------------

test_default_profile if {
	[gates.name, gates.rwop, gates.cp, gates.mount] == ["v1.37", true, true, true]
}

test_profiles if {
	[gates.name, gates.mount] == ["v1.36", false] with data.selmount.profile as "v1.36"
	[gates.name, gates.mount] == ["v1.35", false] with data.selmount.profile as {"name": "v1.35"}
	[gates.name, gates.mount] == ["v1.36,SELinuxMount=true", true] with data.selmount.profile as "v1.36,SELinuxMount=true"
	[gates.name, gates.rwop] == ["v1.35,SELinuxMountReadWriteOncePod=false", false] with data.selmount.profile as {"name": "v1.35", "rwop": false}
	gates.errors == set() with data.selmount.profile as {"name": "v1.35", "rwop": false}
	[gates.name, gates.mount] == ["v1.37,SELinuxMount=false", false] with data.selmount.profile as {"rwop": true, "cp": true, "mount": false}
}

# Decision 1: v1.36 and v1.37 lock RWOP and ChangePolicy on; such a profile is no cluster at all.
test_locked_gate_override_is_an_error if {
	gates.errors == {"feature gate SELinuxMountReadWriteOncePod is locked to true in v1.37"} with data.selmount.profile as {"rwop": false}
	gates.errors == {"feature gate SELinuxChangePolicy is locked to true in v1.36"} with data.selmount.profile as "v1.36,SELinuxChangePolicy=false"
	gates.errors == set() with data.selmount.profile as "v1.36,SELinuxChangePolicy=true"
}

# --- objects --------------------------------------------------------------------------------

test_workloads_as_pod_templates if {
	inp := [
		{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": {"spec": {"nodeName": "n"}}}},
		{"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c", "namespace": "x"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": {}}}}}},
		{"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "r"}, "spec": {}},
		{"apiVersion": "extensions/v1beta1", "kind": "Deployment", "metadata": {"name": "old"}, "spec": {}},
		{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}},
		{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "x"}, "status": {"phase": "Failed"}},
	]
	pods := objects.pods with input as inp
	[[p.kind, p.namespace, p.name, p.index, p.node, p.terminal] | some p in pods] == [
		["Deployment", "default", "Deployment/d", 0, "n", false],
		["CronJob", "x", "CronJob/c", 1, "", false],
		["ReplicationController", "default", "ReplicationController/r", 2, "", false],
		["Pod", "x", "p", 5, "", true],
	]
}

# --- volume resolution ----------------------------------------------------------------------

key_of(inp, volume) := k if {
	p := [q | some q in volumes.pods with input as inp; q.name == "p"][0]
	k := p.volumes[volume].key
}

resolved(inp) := p.volumes if p := [q | some q in volumes.pods with input as inp; q.name == "p"][0]

probe(vols) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "ns"}, "spec": {"volumes": vols}}

test_inline_volume_keys if {
	v := resolved([probe([
		{"name": "ebs", "awsElasticBlockStore": {"volumeID": "vol-1"}},
		{"name": "gce", "gcePersistentDisk": {"pdName": "pd"}},
		{"name": "azd", "azureDisk": {"diskURI": "uri", "diskName": "n"}},
		{"name": "azdm", "azureDisk": {"diskURI": "uri", "diskName": "n", "kind": "Managed"}},
		{"name": "azf", "azureFile": {"shareName": "share", "secretName": "s"}},
		{"name": "cinder", "cinder": {"volumeID": "c1"}},
		{"name": "vs", "vsphereVolume": {"volumePath": "[ds] p"}},
		{"name": "px", "portworxVolume": {"volumeID": "px1"}},
		{"name": "iscsi", "iscsi": {"targetPortal": "10.0.0.1:3260", "iqn": "iqn.x", "lun": 2}},
		{"name": "fc", "fc": {"targetWWNs": ["a", "b"], "lun": 1}},
		{"name": "fcw", "fc": {"wwids": ["w1", "w2"]}},
		{"name": "ed", "emptyDir": {}},
		{"name": "cm", "configMap": {"name": "x"}},
		{"name": "hp", "hostPath": {"path": "/x"}},
		{"name": "csi", "csi": {"driver": "inline.csi"}},
	])])
	{n: x.key | some n, x in v} == {
		"ebs": "kubernetes.io/csi/ebs.csi.aws.com^vol-1",
		"gce": "kubernetes.io/csi/pd.csi.storage.gke.io^projects/UNSPECIFIED/zones/UNSPECIFIED/disks/pd",
		"azdm": "kubernetes.io/csi/disk.csi.azure.com^uri",
		"azf": "kubernetes.io/csi/file.csi.azure.com^#s#share#azf#ns",
		"cinder": "kubernetes.io/csi/cinder.csi.openstack.org^c1",
		"vs": "kubernetes.io/csi/csi.vsphere.vmware.com^[ds] p",
		"px": "kubernetes.io/csi/pxd.portworx.com^px1",
		"iscsi": "kubernetes.io/iscsi/10.0.0.1:3260:iqn.x:2",
		"fc": "kubernetes.io/fc/[a b]:1",
		"fcw": "kubernetes.io/fc/[w1 w2]",
		"ed": "", "cm": "", "hp": "", "csi": "",
	}
	v.ebs.hasPV == true # the kubelet gives a migrated inline volume a PV spec (Decision 5)
	not v.azd # a Shared (unset) azureDisk cannot be migrated: never mounted
	v.ebs.assumed == true
	v.iscsi.supports == true
	v.csi.csiDriver == "inline.csi"
}

pv(name, spec) := {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": name}, "spec": object.union({"claimRef": {"namespace": "ns", "name": name}}, spec)}

claim(name) := {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": name, "namespace": "ns"}, "spec": {"volumeName": name}}

claim_vol(name) := {"name": name, "persistentVolumeClaim": {"claimName": name}}

test_pv_keys if {
	names := ["csi", "hp", "nfs", "local", "ebs", "rbd", "iscsi"]
	inp := array.concat(
		[
			pv("csi", {"csi": {"driver": "d.example", "volumeHandle": "h"}, "accessModes": ["ReadWriteOncePod"]}),
			pv("hp", {"hostPath": {"path": "/srv"}}),
			pv("nfs", {"nfs": {"server": "nas", "path": "/e"}}),
			pv("local", {"local": {"path": "/mnt"}}),
			pv("ebs", {"awsElasticBlockStore": {"volumeID": "vol-9"}}),
			pv("rbd", {"rbd": {"image": "i"}}),
			pv("iscsi", {"iscsi": {"targetPortal": "p", "iqn": "q"}}),
			fx.csidriver("d.example", true),
		],
		array.concat([claim(n) | some n in names], [probe(array.concat([claim_vol(n) | some n in names], [claim_vol("missing")]))]),
	)
	v := resolved(inp)
	{n: x.key | some n, x in v} == {
		"csi": "kubernetes.io/csi/d.example^h",
		"hp": "kubernetes.io/host-path//srv",
		"nfs": "kubernetes.io/nfs/nas//e",
		"local": "kubernetes.io/local-volume/local",
		"ebs": "kubernetes.io/csi/ebs.csi.aws.com^vol-9",
		"rbd": "pv/rbd",
		"iscsi": "kubernetes.io/iscsi/p:q:0",
		"missing": "pvc/ns/missing",
	}
	v.csi.supports == true
	v.csi.specName == "csi"
	v.csi.accessModes == ["ReadWriteOncePod"]
	v.ebs.supports == false # a driver missing from listed CSIDrivers has no seLinuxMount
	v.ebs.assumed == false
	v.hp.hasPV == true
	v.missing.key == "pvc/ns/missing" # Decision 6: a claim not in the input is applied from elsewhere
	v.missing.assumed == true
	volumes.unresolved == set() with input as inp
}

# Decision 6, per claim: a stray PV leaves an unbound manifest claim alone; a claim pre-bound to a PV
# that is not free for it, or that is missing, is unresolved.
test_manifest_claims_with_a_stray_pv if {
	inp := [
		pv("other", {"csi": {"driver": "d", "volumeHandle": "h"}}),
		{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "unbound", "namespace": "ns"}, "spec": {}},
		{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "stolen", "namespace": "ns"}, "spec": {"volumeName": "other"}},
		{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "gone", "namespace": "ns"}, "spec": {"volumeName": "nowhere"}},
		probe([claim_vol("unbound"), claim_vol("stolen"), claim_vol("gone")]),
	]
	{n: x.key | some n, x in resolved(inp)} == {"unbound": "pvc/ns/unbound"}
	volumes.unresolved == {["ns", "p", "stolen"], ["ns", "p", "gone"]} with input as inp
}

cluster_claim(name, uid, phase, volume_name) := {
	"apiVersion": "v1", "kind": "PersistentVolumeClaim",
	"metadata": {"name": name, "namespace": "ns", "uid": uid},
	"spec": {"volumeName": volume_name}, "status": {"phase": phase},
}

# A claim with a status resolves as upstream does: Bound, and the PV's claimRef carries its uid
# (whatever names the claimRef has).
test_cluster_claims_by_phase_and_uid if {
	inp := [
		pv("pv1", {"csi": {"driver": "d", "volumeHandle": "h1"}, "claimRef": {"namespace": "ns", "name": "renamed", "uid": "u1"}}),
		pv("pv2", {"csi": {"driver": "d", "volumeHandle": "h2"}, "claimRef": {"namespace": "ns", "name": "stale", "uid": "u-old"}}),
		cluster_claim("bound", "u1", "Bound", "pv1"),
		cluster_claim("stale", "u-new", "Bound", "pv2"),
		cluster_claim("pending", "u3", "Pending", ""),
		cluster_claim("lost", "u1", "Lost", "pv1"),
		probe([claim_vol("bound"), claim_vol("stale"), claim_vol("pending"), claim_vol("lost")]),
	]
	{n: x.key | some n, x in resolved(inp)} == {"bound": "kubernetes.io/csi/d^h1"}
	count(volumes.unresolved) == 3 with input as inp
}

test_claimref_uid if {
	p := pv("c", {"csi": {"driver": "d", "volumeHandle": "h"}, "claimRef": {"namespace": "ns", "name": "c", "uid": "u1"}})
	c := object.union(claim("c"), {"metadata": {"uid": "u2"}})
	resolved([p, c, probe([claim_vol("c")])]) == {}
	c_ok := object.union(claim("c"), {"metadata": {"uid": "u1"}})
	key_of([p, c_ok, probe([claim_vol("c")])], "c") == "kubernetes.io/csi/d^h"
	resolved([p, claim("c"), probe([claim_vol("c")])]) == {} # a claim written without a uid gets a new one
}

sc(name, provisioner, is_default) := {
	"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "provisioner": provisioner,
	"metadata": {"name": name, "annotations": {"storageclass.kubernetes.io/is-default-class": is_default}},
}

test_manifest_mode_claims if {
	inp := [
		sc("fast", "kubernetes.io/aws-ebs", "false"),
		sc("std", "std.csi", "true"),
		sc("local", "kubernetes.io/no-provisioner", "false"),
		fx.csidriver("ebs.csi.aws.com", true),
		{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "f", "namespace": "ns"}, "spec": {"storageClassName": "fast", "accessModes": ["ReadWriteOnce"]}},
		{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "d", "namespace": "ns"}, "spec": {"storageClassName": null}},
		{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "l", "namespace": "ns"}, "spec": {"storageClassName": "local"}},
		probe([claim_vol("f"), claim_vol("d"), claim_vol("l"), claim_vol("absent")]),
	]
	v := resolved(inp)
	{n: [x.key, x.csiDriver, x.supports, x.assumed, x.hasPV] | some n, x in v} == {
		"f": ["pvc/ns/f", "ebs.csi.aws.com", true, false, true],
		"d": ["pvc/ns/d", "std.csi", false, false, true],
		"l": ["pvc/ns/l", "", false, false, true],
		"absent": ["pvc/ns/absent", "std.csi", false, true, true],
	}
	v.f.accessModes == ["ReadWriteOnce"]
}

test_no_csidrivers_assumes_support if {
	v := resolved([sc("std", "std.csi", "true"), probe([claim_vol("c")])])
	[v.c.supports, v.c.assumed] == [true, true]
}

test_statefulset_claim_templates_and_ephemeral if {
	sts := {
		"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db", "namespace": "ns"},
		"spec": {
			"template": {"spec": {"volumes": [
				{"name": "eph", "ephemeral": {"volumeClaimTemplate": {"spec": {"accessModes": ["ReadWriteOncePod"]}}}},
				{"name": "byvol", "persistentVolumeClaim": {"claimName": "data"}},
			]}},
			"volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {}}, {"metadata": {"name": "logs"}, "spec": {}}],
		},
	}
	pods := volumes.pods with input as [sts]
	v := pods[0].volumes
	{n: [x.key, x.perPod] | some n, x in v} == {
		"eph": ["pvc/ns/db-eph", true],
		"byvol": ["volumeclaimtemplate/ns/StatefulSet/db/data", true],
		# templates are also mounted by their own name when no volumes entry has that name
		"data": ["volumeclaimtemplate/ns/StatefulSet/db/data", true],
		"logs": ["volumeclaimtemplate/ns/StatefulSet/db/logs", true],
	}
	v.eph.accessModes == ["ReadWriteOncePod"]
}

test_generic_ephemeral_bound_claim_of_pod if {
	p := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "ns"}, "spec": {"volumes": [{"name": "scratch", "ephemeral": {}}]}}
	inp := [
		{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "p-scratch", "namespace": "ns"}, "spec": {"volumeName": "pv1"}},
		pv("pv1", {"csi": {"driver": "d", "volumeHandle": "h"}, "claimRef": {"namespace": "ns", "name": "p-scratch"}}),
		p,
	]
	v := resolved(inp)
	[v.scratch.key, v.scratch.perPod] == ["kubernetes.io/csi/d^h", true]
}
