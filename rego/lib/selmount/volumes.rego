# Volume resolution (policies/cluster/volume.go): every pod volume to the volume the kubelet and the
# warning controller see. A volume record has key ("" = never compared across pods), specName, plugin,
# csiDriver, hasPV, accessModes, supports (plugin can mount with context), assumed, perPod and block
# (volumeMode Block, which no container may mount).
package lib.selmount.volumes

import data.lib.selmount.apiserver
import data.lib.selmount.migration
import data.lib.selmount.objects as st
import data.lib.selmount.selinux
import data.lib.selmount.util

base := {
	"key": "", "specName": "", "plugin": "", "csiDriver": "", "hasPV": false,
	"accessModes": [], "supports": false, "assumed": false, "perPod": false, "block": false, "claim": false,
}

vol(fields) := object.union(base, fields)

# shared volumes can bring two pods together.
shared(v) if {
	v.key != ""
	not v.perPod
}

# csi_support is [supports, assumed]: CSIDriver.spec.seLinuxMount; a driver missing from an input
# that lists drivers is false; an input without CSIDrivers assumes support.
csi_support(driver) := [util.get(st.csidrivers[driver], ["spec", "seLinuxMount"]) == true, false] if {
	st.csidrivers[driver]
} else := [false, false] if count(st.csidrivers) > 0

else := [true, true]

csi_volume(driver, handle, has_pv) := vol({
	"key": concat("", ["kubernetes.io/csi/", driver, "^", handle]), "plugin": "kubernetes.io/csi",
	"csiDriver": driver, "hasPV": has_pv, "supports": s[0], "assumed": s[1],
}) if s := csi_support(driver)

# source_volume names an iSCSI or FC volume from its source (inline pod volume or PV source) as the
# plugins do; other sources are never compared.
source_volume(src, has_pv) := vol({
	"key": sprintf("kubernetes.io/iscsi/%s:%s:%d", [util.str(util.get(iscsi, ["targetPortal"])), util.str(util.get(iscsi, ["iqn"])), util.num(util.get(iscsi, ["lun"]))]),
	"plugin": "kubernetes.io/iscsi", "hasPV": has_pv, "supports": true,
}) if {
	iscsi := util.get(src, ["iscsi"])
	is_object(iscsi)
} else := vol({"key": concat("", ["kubernetes.io/fc/", fc_name(fc)]), "plugin": "kubernetes.io/fc", "hasPV": has_pv, "supports": true}) if {
	fc := util.get(src, ["fc"])
	is_object(fc)
} else := vol({"hasPV": has_pv})

fc_name(fc) := concat("", ["[", concat(" ", wwids), "]"]) if {
	wwids := util.arr(util.get(fc, ["wwids"]))
	count(wwids) > 0
} else := sprintf("[%s]:%d", [concat(" ", util.arr(util.get(fc, ["targetWWNs"]))), util.num(util.get(fc, ["lun"]))])

pv_volume(pv) := null if {
	migration.pv(pv).problem
} else := object.union(pv_source_volume(pv, spec, name), {
	"accessModes": pv_access_modes(spec), "specName": name,
	"block": util.get(spec, ["volumeMode"]) == "Block",
}) if {
	spec := util.obj(util.get(pv, ["spec"]))
	name := st.name_of(pv)
}

pv_access_modes(spec) := migration.gce_access_modes(util.get(spec, ["accessModes"])) if {
	is_object(spec.gcePersistentDisk)
} else := util.arr(util.get(spec, ["accessModes"]))

pv_source_volume(pv, spec, name) := csi_volume(m.driver, m.handle, true) if {
	m := migration.pv(pv)
} else := csi_volume(util.str(util.get(spec, ["csi", "driver"])), util.str(util.get(spec, ["csi", "volumeHandle"])), true) if {
	is_object(spec.csi)
} else := vol({"key": concat("", ["kubernetes.io/host-path/", util.str(util.get(spec, ["hostPath", "path"]))]), "plugin": "kubernetes.io/host-path", "hasPV": true}) if {
	is_object(spec.hostPath)
} else := vol({"key": concat("", ["kubernetes.io/nfs/", util.str(util.get(spec, ["nfs", "server"])), "/", util.str(util.get(spec, ["nfs", "path"]))]), "plugin": "kubernetes.io/nfs", "hasPV": true}) if {
	is_object(spec.nfs)
} else := vol({"key": concat("", ["kubernetes.io/local-volume/", name]), "plugin": "kubernetes.io/local-volume", "hasPV": true}) if {
	is_object(spec.local)
} else := object.union(v, {"key": concat("", ["pv/", name])}) if {
	v := source_volume(spec, true)
	v.key == ""
} else := source_volume(spec, true)

default_class_annotation := "storageclass.kubernetes.io/is-default-class"

# storage_class_of: the claim's named class, or the default class (first by name); null when none.
storage_class_of(pvc) := object.get(st.storage_classes, name, null) if {
	name := util.get(pvc, ["spec", "storageClassName"])
	is_string(name)
} else := st.storage_classes[names[0]] if {
	names := sort([n | some n, c in st.storage_classes; util.get(c, ["metadata", "annotations", default_class_annotation]) == "true"])
	count(names) > 0
} else := null

provisioner_driver(p) := object.get(migration.provisioner_drivers, p, p)

# claim_volume describes a claim without a PV: its driver comes from its StorageClass.
claim_volume(pvc) := object.union(
	claim_class_volume(util.arr(util.get(pvc, ["spec", "accessModes"])), storage_class_of(pvc)),
	{"block": util.get(pvc, ["spec", "volumeMode"]) == "Block"},
)

claim_class_volume(modes, class) := vol({"hasPV": true, "accessModes": modes, "plugin": "kubernetes.io/csi", "supports": true, "assumed": true}) if {
	class == null
} else := vol({"hasPV": true, "accessModes": modes, "plugin": "kubernetes.io/local-volume"}) if {
	util.str(util.get(class, ["provisioner"])) == "kubernetes.io/no-provisioner"
} else := vol({"hasPV": true, "accessModes": modes, "plugin": "kubernetes.io/csi", "csiDriver": d, "supports": s[0], "assumed": s[1]}) if {
	d := provisioner_driver(util.str(util.get(class, ["provisioner"])))
	s := csi_support(d)
}

# resolve_claim follows PVC -> PV per claim (Decision 6); null when unresolved. A claim with a status
# came from a cluster and resolves as upstream does; one without is a manifest about to be applied. A
# claim the input does not list is applied from elsewhere: the claim is the volume.
resolve_claim(ns, name) := object.union(claim_volume({}), {"key": concat("/", ["pvc", ns, name]), "assumed": true}) if {
	not st.pvcs[concat("/", [ns, name])]
} else := cluster_claim(pvc) if {
	pvc := st.pvcs[concat("/", [ns, name])]
	util.str(util.get(pvc, ["status", "phase"])) != ""
} else := manifest_claim(pvc, ns, name) if {
	pvc := st.pvcs[concat("/", [ns, name])]
}

# cluster_claim: only a Bound claim resolves, to the PV it names when that PV's claimRef carries the
# claim's uid; upstream never compares the claimRef's names.
cluster_claim(pvc) := pv_volume(pv) if {
	util.get(pvc, ["status", "phase"]) == "Bound"
	pv := st.pvs[util.str(util.get(pvc, ["spec", "volumeName"]))]
	ref := util.get(pv, ["spec", "claimRef"])
	is_object(ref)
	util.str(util.get(ref, ["uid"])) == util.str(util.get(pvc, ["metadata", "uid"]))
} else := null

# manifest_claim: a claim pre-bound to a PV of the input gets it when the binder would give it (no
# claimRef, or one naming this claim whose uid, if any, is the claim's); any other claim is
# provisioned, so the claim itself is the volume.
manifest_claim(pvc, ns, name) := object.union(claim_volume(pvc), {"key": concat("/", ["pvc", ns, name])}) if {
	util.str(util.get(pvc, ["spec", "volumeName"])) == ""
} else := pv_volume(pv) if {
	pv := st.pvs[util.str(util.get(pvc, ["spec", "volumeName"]))]
	free_for(util.get(pv, ["spec", "claimRef"]), pvc, ns, name)
} else := null

free_for(ref, _, _, _) if not is_object(ref)

free_for(ref, pvc, ns, name) if {
	is_object(ref)
	util.str(util.get(ref, ["namespace"])) == ns
	util.str(util.get(ref, ["name"])) == name
	uid_free(util.str(util.get(ref, ["uid"])), util.str(util.get(pvc, ["metadata", "uid"])))
}

uid_free(ref_uid, _) if ref_uid == ""

uid_free(ref_uid, uid) if ref_uid == uid

template_key(p, name) := concat("/", ["volumeclaimtemplate", p.namespace, p.name, name])

template_volume(p, name, tmpl) := object.union(claim_volume(tmpl), {"key": template_key(p, name), "perPod": true, "claim": true})

# from_claim marks a volume a Pod uses through a claim: only those get the kubelet's volumeMode check.
from_claim(v) := v if v == null

else := object.union(v, {"claim": true})

# pod_volume resolves one entry of spec.volumes; null when unresolved.
pod_volume(p, v) := from_claim(pvc_volume(p, util.str(util.get(v, ["persistentVolumeClaim", "claimName"])))) if {
	is_object(v.persistentVolumeClaim)
} else := from_claim(ephemeral_volume(p, v)) if {
	is_object(v.ephemeral)
} else := vol({"plugin": "kubernetes.io/csi", "csiDriver": util.str(util.get(v, ["csi", "driver"]))}) if {
	is_object(v.csi)
} else := migrated_volume(migration.inline(v, p.namespace)) if {
	migration.inline(v, p.namespace)
} else := source_volume(v, false)

# migrated_volume: an in-tree volume upstream migrates is a CSI volume, and the kubelet gives an
# inline one a PV spec, so it is eligible like a PV (hasPV, Decision 5); null when translation fails.
migrated_volume(m) := null if m.problem

else := csi_volume(m.driver, m.handle, true)

pvc_volume(p, claim) := template_volume(p, claim, p.claimTemplates[claim]) if {
	p.claimTemplates[claim]
} else := resolve_claim(p.namespace, claim)

# Generic ephemeral volumes: claim "<pod>-<volume>", one per pod.
ephemeral_volume(p, v) := per_pod(resolve_claim(p.namespace, claim)) if {
	claim := concat("-", [p.displayName, util.str(util.get(v, ["name"]))])
	p.kind == "Pod"
	st.pvcs[concat("/", [p.namespace, claim])]
} else := object.union(claim_volume({"spec": util.obj(util.get(v, ["ephemeral", "volumeClaimTemplate", "spec"]))}), {
	"key": concat("/", ["pvc", p.namespace, concat("-", [p.displayName, util.str(util.get(v, ["name"]))])]),
	"perPod": true,
})

per_pod(v) := null if v == null

else := object.union(v, {"perPod": true})

# resolved_volumes: pod volume name -> volume (unresolved ones left out), plus StatefulSet claim
# templates mounted by name without a volumes entry.
resolved_volumes(p) := object.union(listed, extra) if {
	entries := [[util.str(util.get(v, ["name"])), r] | some v in util.arr(util.get(p, ["spec", "volumes"])); is_object(v); r := pod_volume(p, v)]
	latest := util.last_of([e[1] | some e in entries], [e[0] | some e in entries])
	listed := {n: r | some n, r in latest; r != null}
	extra := {n: template_volume(p, n, t) | some n, t in p.claimTemplates; not listed[n]}
}

# unresolved lists [pod ref, volume name] of claims that resolve to nothing.
unresolved contains [p.namespace, p.name, util.str(util.get(v, ["name"]))] if {
	some p in st.pods
	some v in util.arr(util.get(p, ["spec", "volumes"]))
	is_object(v)
	pod_volume(p, v) == null
}

# pods: every pod record the API server stores, with "volumes" and "use" (mounts and options).
pods := [object.union(p, {"volumes": resolved_volumes(p), "use": selinux_use(p)}) | some p in st.pods; not apiserver.rejected(p)]

selinux_use(p) := selinux.volume_use(p.spec)

# assumed_keys are volume keys some pod resolved under an assumption (controller findings' "assumed").
assumed_keys := {v.key | some p in pods; some v in p.volumes; v.assumed; v.key != ""}
