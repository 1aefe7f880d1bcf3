package cluster

import corev1 "k8s.io/api/core/v1"

// In-tree plugins that upstream migrates to CSI: the driver name and the in-tree volume ID as handle
// (selmount Decision 5). ok is false for sources that are not migrated.
func migratedCSI(src *corev1.VolumeSource) (driver, handle string, ok bool) {
	switch {
	case src.AWSElasticBlockStore != nil:
		return "ebs.csi.aws.com", src.AWSElasticBlockStore.VolumeID, true
	case src.GCEPersistentDisk != nil:
		return "pd.csi.storage.gke.io", src.GCEPersistentDisk.PDName, true
	case src.AzureDisk != nil:
		return "disk.csi.azure.com", src.AzureDisk.DataDiskURI, true
	case src.AzureFile != nil:
		return "file.csi.azure.com", src.AzureFile.ShareName, true
	case src.Cinder != nil:
		return "cinder.csi.openstack.org", src.Cinder.VolumeID, true
	case src.VsphereVolume != nil:
		return "csi.vsphere.vmware.com", src.VsphereVolume.VolumePath, true
	case src.PortworxVolume != nil:
		return "pxd.portworx.com", src.PortworxVolume.VolumeID, true
	}
	return "", "", false
}

// pvSourceAsVolumeSource carries the fields that identify a volume from a PV source over to the
// inline type, so that one function names both.
func pvSourceAsVolumeSource(s *corev1.PersistentVolumeSource) *corev1.VolumeSource {
	v := &corev1.VolumeSource{
		AWSElasticBlockStore: s.AWSElasticBlockStore, GCEPersistentDisk: s.GCEPersistentDisk, AzureDisk: s.AzureDisk,
		VsphereVolume: s.VsphereVolume, PortworxVolume: s.PortworxVolume, FC: s.FC,
	}
	if s.AzureFile != nil {
		v.AzureFile = &corev1.AzureFileVolumeSource{ShareName: s.AzureFile.ShareName}
	}
	if s.Cinder != nil {
		v.Cinder = &corev1.CinderVolumeSource{VolumeID: s.Cinder.VolumeID}
	}
	if s.ISCSI != nil {
		v.ISCSI = &corev1.ISCSIVolumeSource{TargetPortal: s.ISCSI.TargetPortal, IQN: s.ISCSI.IQN, Lun: s.ISCSI.Lun}
	}
	return v
}

// provisionerDriver maps a StorageClass provisioner to the CSI driver that serves its volumes.
// local is false for provisioners whose volumes never support the mount option.
func provisionerDriver(provisioner string) (driver string, local bool) {
	switch provisioner {
	case "kubernetes.io/no-provisioner":
		return "", true
	case "kubernetes.io/aws-ebs":
		return "ebs.csi.aws.com", false
	case "kubernetes.io/gce-pd":
		return "pd.csi.storage.gke.io", false
	case "kubernetes.io/azure-disk":
		return "disk.csi.azure.com", false
	case "kubernetes.io/azure-file":
		return "file.csi.azure.com", false
	case "kubernetes.io/cinder":
		return "cinder.csi.openstack.org", false
	case "kubernetes.io/vsphere-volume":
		return "csi.vsphere.vmware.com", false
	case "kubernetes.io/portworx-volume":
		return "pxd.portworx.com", false
	}
	return provisioner, false
}
