package harness

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// GenOptions size a generated cluster.
type GenOptions struct {
	MaxPods int
}

// generator draws one random cluster; every choice comes from r, so a seed gives one cluster.
type generator struct {
	r       *rand.Rand
	objects []cluster.Object
	// namespace → opt-out label value ("" when absent)
	namespaces map[string]string
	nsNames    []string
	claims     map[string][]string // namespace → claim names
}

// Generate draws a cluster: namespaces (some opted out, some with an invalid label), CSIDrivers with
// and without seLinuxMount (or none at all), PVs that share volume handles across namespaces, bound and
// unbound claims, and Pods and workloads with random options, levels, policies, phases, OS and nodes.
// Pod UPDATEs change only metadata, as the API server keeps the pod spec immutable.
func Generate(seed uint64, opts GenOptions) *Scenario {
	g := &generator{r: rand.New(rand.NewPCG(seed, seed^0x5e1)), namespaces: map[string]string{}, claims: map[string][]string{}}
	profiles := gates.Names()
	profile, _ := gates.Parse(profiles[g.r.IntN(len(profiles))])
	g.storage()
	n := 2 + g.r.IntN(max(opts.MaxPods-1, 1))
	var updates []any
	for i := 0; i < n; i++ {
		obj, updatable := g.workload(i)
		g.add(obj)
		if updatable && g.r.IntN(6) == 0 {
			updates = append(updates, g.relabelled(obj))
		}
	}
	for _, u := range updates {
		g.add(u)
	}
	return &Scenario{Name: fmt.Sprintf("generated-%d", seed), Profile: profile, Objects: g.objects}
}

func (g *generator) pick(options ...string) string { return options[g.r.IntN(len(options))] }

func (g *generator) add(obj any) {
	js, err := json.Marshal(obj)
	if err != nil {
		panic(err) // only typed API objects reach here
	}
	o, err := cluster.DecodeOne(cluster.Source{File: "generated", Doc: len(g.objects) + 1}, js)
	if err != nil {
		panic(err)
	}
	g.objects = append(g.objects, o)
}

var typeMeta = func(apiVersion, kind string) metav1.TypeMeta {
	return metav1.TypeMeta{APIVersion: apiVersion, Kind: kind}
}

func (g *generator) storage() {
	drivers := []string{"a.csi.example.com", "b.csi.example.com", "c.csi.example.com"}[:1+g.r.IntN(3)]
	withDriverObjects := g.r.IntN(4) != 0
	for _, d := range drivers {
		if !withDriverObjects {
			break
		}
		drv := &storagev1.CSIDriver{TypeMeta: typeMeta("storage.k8s.io/v1", "CSIDriver"), ObjectMeta: metav1.ObjectMeta{Name: d}}
		switch g.r.IntN(3) {
		case 0:
			drv.Spec.SELinuxMount = ptr(true)
		case 1:
			drv.Spec.SELinuxMount = ptr(false)
		}
		if g.r.IntN(5) != 0 || d != drivers[0] {
			g.add(drv)
		}
	}
	for _, d := range drivers {
		g.add(&storagev1.StorageClass{TypeMeta: typeMeta("storage.k8s.io/v1", "StorageClass"), ObjectMeta: metav1.ObjectMeta{Name: "sc-" + d[:1]}, Provisioner: d})
	}
	for i := 0; i < 1+g.r.IntN(4); i++ {
		name := fmt.Sprintf("ns-%d", i)
		ns := &corev1.Namespace{TypeMeta: typeMeta("v1", "Namespace"), ObjectMeta: metav1.ObjectMeta{Name: name}}
		label := g.pick("", "", "Recursive", "MountOption", "recursive")
		if label != "" {
			ns.Labels = map[string]string{"selmount.io/change-policy": label}
		}
		g.namespaces[name] = label
		g.nsNames = append(g.nsNames, name)
		g.add(ns)
	}
	dumpStyle := g.r.IntN(2) == 0
	handles := []string{"h-shared-1", "h-shared-2", "h-solo"}
	for i := 0; i < 2+g.r.IntN(6); i++ {
		ns := g.nsNames[g.r.IntN(len(g.nsNames))]
		claim := fmt.Sprintf("claim-%d", i)
		pvc := &corev1.PersistentVolumeClaim{TypeMeta: typeMeta("v1", "PersistentVolumeClaim"),
			ObjectMeta: metav1.ObjectMeta{Name: claim, Namespace: ns, UID: types.UID(fmt.Sprintf("uid-%d", i))},
			Spec: corev1.PersistentVolumeClaimSpec{AccessModes: g.accessModes(),
				Resources: corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")}}}}
		driver := drivers[g.r.IntN(len(drivers))]
		if dumpStyle {
			pvName := fmt.Sprintf("pv-%d", i)
			pvc.Spec.VolumeName = pvName
			pv := &corev1.PersistentVolume{TypeMeta: typeMeta("v1", "PersistentVolume"), ObjectMeta: metav1.ObjectMeta{Name: pvName},
				Spec: corev1.PersistentVolumeSpec{AccessModes: pvc.Spec.AccessModes,
					ClaimRef: &corev1.ObjectReference{Namespace: ns, Name: claim, UID: pvc.UID}}}
			switch g.r.IntN(8) {
			case 0:
				pv.Spec.NFS = &corev1.NFSVolumeSource{Server: "nfs.example", Path: "/export"}
			case 1:
				pv.Spec.AWSElasticBlockStore = &corev1.AWSElasticBlockStoreVolumeSource{VolumeID: handles[g.r.IntN(len(handles))]}
			case 2:
				g.inTreePV(pv)
			default:
				pv.Spec.CSI = &corev1.CSIPersistentVolumeSource{Driver: driver, VolumeHandle: handles[g.r.IntN(len(handles))]}
			}
			if g.r.IntN(12) == 0 {
				pv.Spec.ClaimRef.Name = "someone-else"
			}
			g.claimStatus(pvc)
			g.add(pv)
		} else {
			pvc.Spec.StorageClassName = ptr("sc-" + driver[:1])
		}
		g.add(pvc)
		g.claims[ns] = append(g.claims[ns], claim)
	}
}

// claimStatus makes most claims of a dump look read from a cluster (Decision 6 resolves those by phase
// and uid) and leaves some as manifests, pre-bound and without a status.
func (g *generator) claimStatus(pvc *corev1.PersistentVolumeClaim) {
	switch g.r.IntN(10) {
	case 0:
	case 1:
		pvc.Status.Phase = corev1.ClaimPending
	case 2:
		pvc.Status.Phase = corev1.ClaimLost
	case 3:
		pvc.Status.Phase = corev1.ClaimBound
		pvc.UID += "-recreated" // the claim was deleted and created again; the PV still names the old one
	default:
		pvc.Status.Phase = corev1.ClaimBound
	}
}

func (g *generator) accessModes() []corev1.PersistentVolumeAccessMode {
	switch g.r.IntN(5) {
	case 0:
		return []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOncePod}
	case 1:
		return []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce}
	case 2:
		return []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce, corev1.ReadWriteOncePod}
	}
	return []corev1.PersistentVolumeAccessMode{corev1.ReadWriteMany}
}

func ptr[T any](v T) *T { return &v }

// inTreePV gives a PV an in-tree source upstream migrates, with the metadata its handle depends on:
// GCE PD zone labels (none, one zone, a region), AzureFile shares shared by several PVs (still one
// volume per PV), an aws:// EBS ID, an azureDisk kind.
func (g *generator) inTreePV(pv *corev1.PersistentVolume) {
	switch g.r.IntN(5) {
	case 0:
		pv.Spec.GCEPersistentDisk = &corev1.GCEPersistentDiskVolumeSource{PDName: "pd-shared"}
		switch g.r.IntN(3) {
		case 0:
			pv.Labels = map[string]string{corev1.LabelTopologyZone: "europe-west1-b"}
		case 1:
			pv.Labels = map[string]string{corev1.LabelTopologyZone: "europe-west1-b__europe-west1-c"}
		}
	case 1:
		pv.Spec.AzureFile = &corev1.AzureFilePersistentVolumeSource{SecretName: "azure-storage-account-acct-secret", ShareName: "share-1"}
	case 2:
		pv.Spec.AWSElasticBlockStore = &corev1.AWSElasticBlockStoreVolumeSource{VolumeID: "aws://eu-west-1a/vol-shared-1"}
	case 3:
		pv.Spec.AzureDisk = &corev1.AzureDiskVolumeSource{DiskName: "d1", DataDiskURI: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/d1",
			Kind: ptr(corev1.AzureDataDiskKind(g.pick(string(corev1.AzureManagedDisk), string(corev1.AzureSharedBlobDisk))))}
	default:
		pv.Spec.Cinder = &corev1.CinderPersistentVolumeSource{VolumeID: "cinder-shared"}
	}
}
