# Object builders for the tests.
package selmount.test.fixtures

pod(ns, name, level, claim) := {
	"apiVersion": "v1", "kind": "Pod",
	"metadata": {"namespace": ns, "name": name},
	"spec": {
		"securityContext": {"seLinuxOptions": {"level": level}},
		"containers": [{"name": "c", "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
		"volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": claim}}],
	},
}

# with_spec merges fields into a pod's spec.
with_spec(p, fields) := object.union(p, {"spec": object.union(p.spec, fields)})

pvc(ns, name, modes) := {
	"apiVersion": "v1", "kind": "PersistentVolumeClaim",
	"metadata": {"namespace": ns, "name": name},
	"spec": {"accessModes": modes},
}

bound_pvc(ns, name, pv) := object.union(pvc(ns, name, ["ReadWriteMany"]), {"spec": {"accessModes": ["ReadWriteMany"], "volumeName": pv}})

csi_pv(name, driver, handle, ns, claim) := {
	"apiVersion": "v1", "kind": "PersistentVolume",
	"metadata": {"name": name},
	"spec": {
		"accessModes": ["ReadWriteMany"],
		"csi": {"driver": driver, "volumeHandle": handle},
		"claimRef": {"namespace": ns, "name": claim},
	},
}

csidriver(name, mount) := {"apiVersion": "storage.k8s.io/v1", "kind": "CSIDriver", "metadata": {"name": name}, "spec": {"seLinuxMount": mount}}

namespace(name, labels) := {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}}

label(level) := concat("", ["system_u:object_r:container_file_t:", level])

# compared drops msg and assumed, as the harness compares findings.
compared(fs) := {object.remove(f, ["msg", "assumed"]) | some f in fs}

ref(ns, name) := {"namespace": ns, "name": name}
