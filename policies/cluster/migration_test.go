package cluster

import (
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Handles as k8s.io/csi-translation-lib v0.37.2 gives them (spec Decision 5).
func TestInlineMigrationHandles(t *testing.T) {
	managed := corev1.AzureManagedDisk
	for _, tc := range []struct {
		name    string
		src     corev1.VolumeSource
		driver  string
		handle  string
		problem string
	}{
		{"ebs bare id", corev1.VolumeSource{AWSElasticBlockStore: &corev1.AWSElasticBlockStoreVolumeSource{VolumeID: "vol-1"}}, "ebs.csi.aws.com", "vol-1", ""},
		{"ebs zone prefix", corev1.VolumeSource{AWSElasticBlockStore: &corev1.AWSElasticBlockStoreVolumeSource{VolumeID: "aws://us-east-1a/vol-1"}}, "ebs.csi.aws.com", "vol-1", ""},
		{"ebs empty zone", corev1.VolumeSource{AWSElasticBlockStore: &corev1.AWSElasticBlockStoreVolumeSource{VolumeID: "aws:///vol-2"}}, "ebs.csi.aws.com", "vol-2", ""},
		{"ebs no path", corev1.VolumeSource{AWSElasticBlockStore: &corev1.AWSElasticBlockStoreVolumeSource{VolumeID: "aws://vol-1"}}, "ebs.csi.aws.com", "", "names no vol-"},
		{"gce inline", corev1.VolumeSource{GCEPersistentDisk: &corev1.GCEPersistentDiskVolumeSource{PDName: "pd1"}}, "pd.csi.storage.gke.io", "projects/UNSPECIFIED/zones/UNSPECIFIED/disks/pd1", ""},
		{"azure disk unset kind", corev1.VolumeSource{AzureDisk: &corev1.AzureDiskVolumeSource{DataDiskURI: "/subscriptions/s/d"}}, "disk.csi.azure.com", "", "only Managed"},
		{"azure disk managed", corev1.VolumeSource{AzureDisk: &corev1.AzureDiskVolumeSource{DataDiskURI: "/subscriptions/s/d", Kind: &managed}}, "disk.csi.azure.com", "/subscriptions/s/d", ""},
		{"azure file", corev1.VolumeSource{AzureFile: &corev1.AzureFileVolumeSource{SecretName: "azure-storage-account-acct-secret", ShareName: "share"}}, "file.csi.azure.com", "#acct#share#v#ns", ""},
		{"azure file other secret", corev1.VolumeSource{AzureFile: &corev1.AzureFileVolumeSource{SecretName: "creds", ShareName: "share"}}, "file.csi.azure.com", "#creds#share#v#ns", ""},
		{"cinder", corev1.VolumeSource{Cinder: &corev1.CinderVolumeSource{VolumeID: "c1"}}, "cinder.csi.openstack.org", "c1", ""},
		{"vsphere policy crashes upstream", corev1.VolumeSource{VsphereVolume: &corev1.VsphereVirtualDiskVolumeSource{VolumePath: "[ds] x.vmdk", StoragePolicyName: "gold"}}, "csi.vsphere.vmware.com", "", "crash"},
		{"portworx", corev1.VolumeSource{PortworxVolume: &corev1.PortworxVolumeSource{VolumeID: "px"}}, "pxd.portworx.com", "px", ""},
	} {
		m, ok := inlineMigration("v", &tc.src, "ns")
		require.True(t, ok, tc.name)
		require.Equal(t, tc.driver, m.driver, tc.name)
		require.Equal(t, tc.handle, m.handle, tc.name)
		if tc.problem == "" {
			require.Empty(t, m.problem, tc.name)
		} else {
			require.Contains(t, m.problem, tc.problem, tc.name)
		}
	}
	_, ok := inlineMigration("v", &corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}, "ns")
	require.False(t, ok)
}

func TestPVMigrationHandles(t *testing.T) {
	gce := func(labels map[string]string, modes ...corev1.PersistentVolumeAccessMode) *corev1.PersistentVolume {
		return &corev1.PersistentVolume{ObjectMeta: metav1.ObjectMeta{Name: "pv", Labels: labels}, Spec: corev1.PersistentVolumeSpec{AccessModes: modes,
			PersistentVolumeSource: corev1.PersistentVolumeSource{GCEPersistentDisk: &corev1.GCEPersistentDiskVolumeSource{PDName: "pd1"}}}}
	}
	for _, tc := range []struct {
		name    string
		labels  map[string]string
		handle  string
		problem string
	}{
		{"no zone", nil, "projects/UNSPECIFIED/zones/UNSPECIFIED/disks/pd1", ""},
		{"ga zone", map[string]string{corev1.LabelTopologyZone: "europe-west1-b"}, "projects/UNSPECIFIED/zones/europe-west1-b/disks/pd1", ""},
		{"beta zone wins", map[string]string{corev1.LabelTopologyZone: "a-b-c", corev1.LabelFailureDomainBetaZone: "europe-west1-c"}, "projects/UNSPECIFIED/zones/europe-west1-c/disks/pd1", ""},
		{"regional", map[string]string{corev1.LabelTopologyZone: "europe-west1-b__europe-west1-c"}, "projects/UNSPECIFIED/regions/europe-west1/disks/pd1", ""},
		{"two regions", map[string]string{corev1.LabelTopologyZone: "europe-west1-b__us-east1-c"}, "", "several regions"},
		{"bad zone", map[string]string{corev1.LabelTopologyZone: "a__"}, "", "is not {locale}"},
	} {
		m, ok := pvMigration(gce(tc.labels))
		require.True(t, ok, tc.name)
		require.Equal(t, tc.handle, m.handle, tc.name)
		if tc.problem != "" {
			require.Contains(t, m.problem, tc.problem, tc.name)
		}
	}
	require.Equal(t, []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce}, gceAccessModes([]corev1.PersistentVolumeAccessMode{corev1.ReadWriteOncePod}),
		"a RWOP-only GCE PD PV is RWO once translated, so it is not eligible without SELinuxMount")
	require.Equal(t, []corev1.PersistentVolumeAccessMode{corev1.ReadOnlyMany}, gceAccessModes([]corev1.PersistentVolumeAccessMode{corev1.ReadOnlyMany}))
	require.Nil(t, gceAccessModes(nil))

	ns := "secrets"
	file := func(secretNS *string, ref *corev1.ObjectReference) *corev1.PersistentVolume {
		return &corev1.PersistentVolume{ObjectMeta: metav1.ObjectMeta{Name: "pv-a", Annotations: map[string]string{"kubernetes.io/azure-file-resource-group": "rg"}},
			Spec: corev1.PersistentVolumeSpec{ClaimRef: ref, PersistentVolumeSource: corev1.PersistentVolumeSource{
				AzureFile: &corev1.AzureFilePersistentVolumeSource{SecretName: "azure-storage-account-acct-secret", ShareName: "share", SecretNamespace: secretNS}}}}
	}
	m, _ := pvMigration(file(&ns, &corev1.ObjectReference{Namespace: "app"}))
	require.Equal(t, "rg#acct#share#pv-a#secrets", m.handle, "two PVs on one share are two volumes")
	m, _ = pvMigration(file(nil, &corev1.ObjectReference{Namespace: "app"}))
	require.Equal(t, "rg#acct#share#pv-a#app", m.handle)
	m, _ = pvMigration(file(nil, nil))
	require.Contains(t, m.problem, "no secretNamespace")
}
