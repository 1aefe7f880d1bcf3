package cluster

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// migrated is the CSI identity upstream gives an in-tree volume it migrates to CSI, as
// k8s.io/csi-translation-lib v0.37.2 computes it (spec Decision 5). Both the kubelet's populator and
// the warning controller translate before they name a volume. problem is set when the translation
// fails: the kubelet then never mounts the volume and the controller skips it.
type migrated struct {
	driver, handle, problem string
}

const unspecified = "UNSPECIFIED"

// inlineMigration translates an inline pod volume; ok is false for sources upstream does not migrate.
// namespace is the pod's.
func inlineMigration(name string, src *corev1.VolumeSource, namespace string) (m migrated, ok bool) {
	switch {
	case src.AWSElasticBlockStore != nil:
		return ebsMigration(src.AWSElasticBlockStore.VolumeID), true
	case src.GCEPersistentDisk != nil:
		return migrated{driver: "pd.csi.storage.gke.io", handle: gceZonalHandle(unspecified, src.GCEPersistentDisk.PDName)}, true
	case src.AzureDisk != nil:
		return azureDiskMigration(src.AzureDisk.Kind, src.AzureDisk.DataDiskURI), true
	case src.AzureFile != nil:
		if namespace == "" {
			namespace = "default"
		}
		return migrated{driver: "file.csi.azure.com", handle: azureFileHandle("", src.AzureFile.SecretName, src.AzureFile.ShareName, name, namespace)}, true
	case src.Cinder != nil:
		return migrated{driver: "cinder.csi.openstack.org", handle: src.Cinder.VolumeID}, true
	case src.VsphereVolume != nil:
		if src.VsphereVolume.StoragePolicyName != "" {
			// csi-translation-lib dereferences a nil source here and the component crashes.
			return migrated{driver: "csi.vsphere.vmware.com", problem: "an inline vsphereVolume with storagePolicyName makes upstream's CSI translation crash"}, true
		}
		return migrated{driver: "csi.vsphere.vmware.com", handle: src.VsphereVolume.VolumePath}, true
	case src.PortworxVolume != nil:
		return migrated{driver: "pxd.portworx.com", handle: src.PortworxVolume.VolumeID}, true
	}
	return migrated{}, false
}

// pvMigration translates a PersistentVolume's in-tree source; ok is false for sources upstream does
// not migrate.
func pvMigration(pv *corev1.PersistentVolume) (m migrated, ok bool) {
	src := &pv.Spec.PersistentVolumeSource
	switch {
	case src.AWSElasticBlockStore != nil:
		return ebsMigration(src.AWSElasticBlockStore.VolumeID), true
	case src.GCEPersistentDisk != nil:
		return gcePVMigration(pv), true
	case src.AzureDisk != nil:
		return azureDiskMigration(src.AzureDisk.Kind, src.AzureDisk.DataDiskURI), true
	case src.AzureFile != nil:
		namespace := ""
		if src.AzureFile.SecretNamespace != nil {
			namespace = *src.AzureFile.SecretNamespace
		} else if pv.Spec.ClaimRef != nil {
			namespace = pv.Spec.ClaimRef.Namespace
		}
		if namespace == "" {
			return migrated{driver: "file.csi.azure.com", problem: "azureFile has no secretNamespace and no claimRef namespace, which CSI migration needs"}, true
		}
		group := pv.Annotations["kubernetes.io/azure-file-resource-group"]
		return migrated{driver: "file.csi.azure.com", handle: azureFileHandle(group, src.AzureFile.SecretName, src.AzureFile.ShareName, pv.Name, namespace)}, true
	case src.Cinder != nil:
		return migrated{driver: "cinder.csi.openstack.org", handle: src.Cinder.VolumeID}, true
	case src.VsphereVolume != nil:
		return migrated{driver: "csi.vsphere.vmware.com", handle: src.VsphereVolume.VolumePath}, true
	case src.PortworxVolume != nil:
		return migrated{driver: "pxd.portworx.com", handle: src.PortworxVolume.VolumeID}, true
	}
	return migrated{}, false
}

var ebsVolumeID = regexp.MustCompile(`^vol-[^/]*$`)

// ebsMigration takes a bare volume ID as it is and strips the aws://<zone>/ form to the ID.
func ebsMigration(id string) migrated {
	m := migrated{driver: "ebs.csi.aws.com", handle: id}
	if !strings.HasPrefix(id, "aws://") {
		return m
	}
	u, err := url.Parse(id)
	if err != nil {
		return migrated{driver: m.driver, problem: fmt.Sprintf("awsElasticBlockStore volumeID %q is no valid aws:// URL", id)}
	}
	m.handle = strings.Trim(u.Path, "/")
	if !ebsVolumeID.MatchString(m.handle) {
		return migrated{driver: m.driver, problem: fmt.Sprintf("awsElasticBlockStore volumeID %q names no vol-… volume", id)}
	}
	return m
}

func gceZonalHandle(zone, disk string) string {
	return "projects/" + unspecified + "/zones/" + zone + "/disks/" + disk
}

// gcePVMigration reads the zone from the PV's zone label (the beta one first): one zone is a zonal
// disk, several (joined by "__") a regional one.
func gcePVMigration(pv *corev1.PersistentVolume) migrated {
	disk := pv.Spec.GCEPersistentDisk.PDName
	m := migrated{driver: "pd.csi.storage.gke.io"}
	label := pv.Labels[corev1.LabelFailureDomainBetaZone]
	if label == "" {
		label = pv.Labels[corev1.LabelTopologyZone]
	}
	zones := strings.Split(label, "__")
	switch {
	case len(zones) == 1 && zones[0] != "":
		m.handle = gceZonalHandle(zones[0], disk)
	case len(zones) > 1:
		region, err := gceRegion(zones)
		if err != "" {
			m.problem = "gcePersistentDisk zone label " + label + ": " + err
			return m
		}
		m.handle = "projects/" + unspecified + "/regions/" + region + "/disks/" + disk
	default:
		m.handle = gceZonalHandle(unspecified, disk)
	}
	return m
}

func gceRegion(zones []string) (string, string) {
	region := ""
	for _, z := range zones {
		parts := strings.Split(z, "-")
		if len(parts) != 3 {
			return "", fmt.Sprintf("zone %q is not {locale}-{region}-{zone}", z)
		}
		r := parts[0] + "-" + parts[1]
		if region != "" && r != region {
			return "", "the zones are in several regions"
		}
		region = r
	}
	return region, ""
}

// azureDiskMigration: only managed disks migrate; the API server defaults an unset kind to Shared.
func azureDiskMigration(kind *corev1.AzureDataDiskKind, uri string) migrated {
	m := migrated{driver: "disk.csi.azure.com", handle: uri}
	if kind == nil || !strings.EqualFold(string(*kind), string(corev1.AzureManagedDisk)) {
		k := string(corev1.AzureSharedBlobDisk)
		if kind != nil {
			k = string(*kind)
		}
		return migrated{driver: m.driver, problem: fmt.Sprintf("azureDisk kind %s (Shared when unset) is not supported by CSI migration; only Managed disks are", k)}
	}
	return m
}

var azureAccountSecret = regexp.MustCompile(`azure-storage-account-(.+)-secret`)

// azureFileHandle is "<resource group>#<account>#<share>#<volume or PV name>#<namespace>", so two
// PVs (or two pod volumes) on one share are two volumes.
func azureFileHandle(group, secret, share, name, namespace string) string {
	account := secret
	if m := azureAccountSecret.FindStringSubmatch(secret); len(m) == 2 {
		account = m[1]
	}
	return strings.Join([]string{group, account, share, name, namespace}, "#")
}

// gceAccessModes is the translation's access modes for a GCE PD PV: the CSI driver attaches
// ReadWriteOnce what the in-tree plugin did, so only a read-only-many PV stays as it was.
func gceAccessModes(modes []corev1.PersistentVolumeAccessMode) []corev1.PersistentVolumeAccessMode {
	if modes == nil {
		return nil
	}
	rwo, rox := false, false
	for _, m := range modes {
		switch m {
		case corev1.ReadWriteOnce, corev1.ReadWriteMany:
			rwo = true
		case corev1.ReadOnlyMany:
			rox = true
		}
	}
	if rox && !rwo {
		return []corev1.PersistentVolumeAccessMode{corev1.ReadOnlyMany}
	}
	return []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce}
}

// pvSourceAsVolumeSource carries the fields that identify an iSCSI or FC volume from a PV source over
// to the inline type, so that one function names both.
func pvSourceAsVolumeSource(s *corev1.PersistentVolumeSource) *corev1.VolumeSource {
	v := &corev1.VolumeSource{FC: s.FC}
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
