# In-tree volumes upstream migrates to CSI (policies/cluster/migration.go): the driver and handle
# k8s.io/csi-translation-lib v0.37.2 gives them, or a problem when its translation fails (the kubelet
# then never mounts the volume and the controller skips it). Records: {driver, handle} or
# {driver, problem}. Not modelled: percent-escapes and malformed URLs in an aws:// volume ID.
package lib.selmount.migration

import data.lib.selmount.util

unspecified := "UNSPECIFIED"

# plugins are the in-tree volume plugins upstream migrates to CSI, written once: the Pod or PV
# volume source field, the CSI driver, the field that names the storage and the in-tree provisioner.
plugins := [
	{"field": "awsElasticBlockStore", "driver": "ebs.csi.aws.com", "id": "volumeID", "provisioner": "kubernetes.io/aws-ebs"},
	{"field": "gcePersistentDisk", "driver": "pd.csi.storage.gke.io", "id": "pdName", "provisioner": "kubernetes.io/gce-pd"},
	{"field": "azureDisk", "driver": "disk.csi.azure.com", "id": "diskURI", "provisioner": "kubernetes.io/azure-disk"},
	{"field": "azureFile", "driver": "file.csi.azure.com", "id": "shareName", "provisioner": "kubernetes.io/azure-file"},
	{"field": "cinder", "driver": "cinder.csi.openstack.org", "id": "volumeID", "provisioner": "kubernetes.io/cinder"},
	{"field": "vsphereVolume", "driver": "csi.vsphere.vmware.com", "id": "volumePath", "provisioner": "kubernetes.io/vsphere-volume"},
	{"field": "portworxVolume", "driver": "pxd.portworx.com", "id": "volumeID", "provisioner": "kubernetes.io/portworx-volume"},
]

# fields are the migrated volume source fields, drivers their CSI drivers.
fields := {p.field | some p in plugins}

drivers := {p.driver | some p in plugins}

driver_of := {p.field: p.driver | some p in plugins}

# provisioner_drivers: a StorageClass of an in-tree provisioner provisions through its CSI driver.
provisioner_drivers := {p.provisioner: p.driver | some p in plugins}

# inline translates a pod volume of namespace ns; undefined for sources upstream does not migrate.
inline(v, ns) := ebs(util.str(util.get(v, ["awsElasticBlockStore", "volumeID"]))) if {
	is_object(v.awsElasticBlockStore)
} else := {"driver": driver_of.gcePersistentDisk, "handle": gce_zonal(unspecified, util.str(util.get(v, ["gcePersistentDisk", "pdName"])))} if {
	is_object(v.gcePersistentDisk)
} else := azure_disk(v.azureDisk) if {
	is_object(v.azureDisk)
} else := {"driver": driver_of.azureFile, "handle": azure_file_handle("", v.azureFile, util.str(util.get(v, ["name"])), ns_or_default(ns))} if {
	is_object(v.azureFile)
} else := {"driver": driver_of.cinder, "handle": util.str(util.get(v, ["cinder", "volumeID"]))} if {
	is_object(v.cinder)
} else := {"driver": driver_of.vsphereVolume, "problem": "an inline vsphereVolume with storagePolicyName makes upstream's CSI translation crash"} if {
	util.str(util.get(v, ["vsphereVolume", "storagePolicyName"])) != ""
} else := {"driver": driver_of.vsphereVolume, "handle": util.str(util.get(v, ["vsphereVolume", "volumePath"]))} if {
	is_object(v.vsphereVolume)
} else := {"driver": driver_of.portworxVolume, "handle": util.str(util.get(v, ["portworxVolume", "volumeID"]))} if {
	is_object(v.portworxVolume)
}

ns_or_default(ns) := ns if ns != ""

else := "default"

# pv translates a PersistentVolume's source; undefined for sources upstream does not migrate.
pv(p) := ebs(util.str(util.get(spec, ["awsElasticBlockStore", "volumeID"]))) if {
	spec := util.obj(util.get(p, ["spec"]))
	is_object(spec.awsElasticBlockStore)
} else := gce_pv(p) if {
	is_object(util.get(p, ["spec", "gcePersistentDisk"]))
} else := azure_disk(p.spec.azureDisk) if {
	is_object(util.get(p, ["spec", "azureDisk"]))
} else := azure_file_pv(p) if {
	is_object(util.get(p, ["spec", "azureFile"]))
} else := {"driver": driver_of.cinder, "handle": util.str(util.get(p, ["spec", "cinder", "volumeID"]))} if {
	is_object(util.get(p, ["spec", "cinder"]))
} else := {"driver": driver_of.vsphereVolume, "handle": util.str(util.get(p, ["spec", "vsphereVolume", "volumePath"]))} if {
	is_object(util.get(p, ["spec", "vsphereVolume"]))
} else := {"driver": driver_of.portworxVolume, "handle": util.str(util.get(p, ["spec", "portworxVolume", "volumeID"]))} if {
	is_object(util.get(p, ["spec", "portworxVolume"]))
}

# ebs takes a bare volume ID as it is and strips the aws://<zone>/ form to the ID.
ebs(id) := {"driver": driver_of.awsElasticBlockStore, "handle": id} if {
	not startswith(id, "aws://")
} else := {"driver": driver_of.awsElasticBlockStore, "handle": h} if {
	h := trim(aws_path(substring(id, 6, -1)), "/")
	regex.match(`^vol-[^/]*$`, h)
} else := {"driver": driver_of.awsElasticBlockStore, "problem": sprintf("awsElasticBlockStore volumeID %q names no vol-... volume", [id])}

# aws_path is the URL path after the host, without query or fragment.
aws_path(rest) := "" if not contains(rest, "/")

else := split(split(substring(rest, indexof(rest, "/"), -1), "?")[0], "#")[0]

gce_zonal(zone, disk) := concat("/", ["projects", unspecified, "zones", zone, "disks", disk])

# gce_pv reads the zone from the PV's zone label (the beta one first): one zone is a zonal disk,
# several (joined by "__") a regional one.
gce_pv(p) := m if {
	disk := util.str(util.get(p, ["spec", "gcePersistentDisk", "pdName"]))
	label := zone_label(util.obj(util.get(p, ["metadata", "labels"])))
	m := gce_handle(split(label, "__"), disk, label)
}

zone_label(labels) := l if {
	l := util.str(labels["failure-domain.beta.kubernetes.io/zone"])
	l != ""
} else := util.str(object.get(labels, "topology.kubernetes.io/zone", ""))

gce_handle(zones, disk, label) := {"driver": driver_of.gcePersistentDisk, "handle": gce_zonal(zones[0], disk)} if {
	count(zones) == 1
	zones[0] != ""
} else := {"driver": driver_of.gcePersistentDisk, "handle": concat("/", ["projects", unspecified, "regions", region, "disks", disk])} if {
	count(zones) > 1
	parts := [split(z, "-") | some z in zones]
	every x in parts {
		count(x) == 3
	}
	regions := {concat("-", [x[0], x[1]]) | some x in parts}
	count(regions) == 1
	some region in regions
} else := {"driver": driver_of.gcePersistentDisk, "problem": sprintf("gcePersistentDisk zone label %s names no single region", [label])} if {
	count(zones) > 1
} else := {"driver": driver_of.gcePersistentDisk, "handle": gce_zonal(unspecified, disk)}

# gce_access_modes: the CSI driver attaches ReadWriteOnce what the in-tree plugin did, so only a
# read-only-many PV stays as it was.
gce_access_modes(modes) := modes if modes == null

else := ["ReadOnlyMany"] if {
	"ReadOnlyMany" in modes
	not "ReadWriteOnce" in modes
	not "ReadWriteMany" in modes
} else := ["ReadWriteOnce"]

# azure_disk: only managed disks migrate; the API server defaults an unset kind to Shared.
azure_disk(d) := {"driver": driver_of.azureDisk, "handle": util.str(util.get(d, ["diskURI"]))} if {
	lower(util.str(util.get(d, ["kind"]))) == "managed"
} else := {"driver": driver_of.azureDisk, "problem": "azureDisk kind is not Managed (Shared when unset): CSI migration supports only Managed disks"}

# azure_file_handle is "<resource group>#<account>#<share>#<volume or PV name>#<namespace>".
azure_file_handle(group, src, name, ns) := concat("#", [group, account(util.str(util.get(src, ["secretName"]))), util.str(util.get(src, ["shareName"])), name, ns])

account(secret) := m[0][1] if {
	m := regex.find_all_string_submatch_n(`azure-storage-account-(.+)-secret`, secret, 1)
	count(m) == 1
} else := secret

azure_file_pv(p) := {"driver": driver_of.azureFile, "handle": azure_file_handle(group, src, util.str(util.get(p, ["metadata", "name"])), ns)} if {
	src := p.spec.azureFile
	ns := azure_file_namespace(src, util.get(p, ["spec", "claimRef", "namespace"]))
	ns != ""
	group := util.str(util.get(p, ["metadata", "annotations", "kubernetes.io/azure-file-resource-group"]))
} else := {"driver": driver_of.azureFile, "problem": "azureFile has no secretNamespace and no claimRef namespace, which CSI migration needs"}

azure_file_namespace(src, ref_ns) := src.secretNamespace if {
	is_string(src.secretNamespace)
} else := util.str(ref_ns)
