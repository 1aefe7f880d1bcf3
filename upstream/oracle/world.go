package oracle

import (
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/component-helpers/storage/ephemeral"
	csitrans "k8s.io/csi-translation-lib"

	apidefaults "k8s.io/kubernetes/pkg/apis/core/v1"
	storagedefaults "k8s.io/kubernetes/pkg/apis/storage/v1"

	"github.com/selmount/selmount/policies/cluster"
)

// World is a replayed cluster as upstream's components see it: typed API objects, Pods in admission
// order. It is built from the model's decoded state (parsing only, no rule logic), plus what a real
// cluster would have done to manifests before any kubelet or controller sees them:
//   - a workload runs one Pod named "<Kind>/<name>" (the model's convention), with its spec;
//   - a claim without a status (a manifest) is provisioned and bound, as the binder and an external
//     provisioner would do: to the PV it pre-binds to, or else to a new CSI PV of its StorageClass's
//     driver whose volume handle is the model's key for it ("pvc/<ns>/<name>"), so that findings name
//     the same volume on both sides; StatefulSet claim templates get one such claim per replica;
//   - an input that lists no CSIDriver at all gets a CSIDriver with seLinuxMount: true for every driver
//     it uses: the model's stated worst-case assumption (Decision 6), without which upstream would
//     simply see no support. A claim with a status (a dump) is left exactly as it is.
type World struct {
	Pods       []*corev1.Pod
	PVCs       []*corev1.PersistentVolumeClaim
	PVs        []*corev1.PersistentVolume
	CSIDrivers []*storagev1.CSIDriver
	// Windows marks Pods that a Linux node never runs.
	Windows map[string]bool
	// ModelKey maps "<driver>^<handle>" of a provisioned volume to the model's key for it.
	ModelKey map[string]string

	pvcs    map[string]*corev1.PersistentVolumeClaim
	pvs     map[string]*corev1.PersistentVolume
	drivers map[string]bool
	state   *cluster.State
}

// assumedDriver serves claims whose StorageClass is not in the input.
const assumedDriver = "assumed.selmount.invalid"

// NewWorld builds the upstream objects for a state.
func NewWorld(s *cluster.State) *World {
	w := &World{Windows: map[string]bool{}, ModelKey: map[string]string{}, pvcs: map[string]*corev1.PersistentVolumeClaim{},
		pvs: map[string]*corev1.PersistentVolume{}, drivers: map[string]bool{}, state: s}
	for _, k := range sortedKeys(s.PVs) {
		pv := s.PVs[k].DeepCopy()
		w.pvs[pv.Name] = pv
	}
	for _, k := range sortedKeys(s.PVCs) {
		w.pvcs[k] = s.PVCs[k].DeepCopy()
	}
	for _, p := range s.Pods {
		w.Pods = append(w.Pods, w.pod(p))
	}
	for _, k := range sortedKeys(w.pvcs) {
		w.bindManifestClaim(w.pvcs[k])
	}
	for _, k := range sortedKeys(w.pvcs) {
		w.PVCs = append(w.PVCs, w.pvcs[k])
	}
	// The API server defaults what it stores (e.g. volumeMode: Filesystem, which the kubelet checks).
	for _, k := range sortedKeys(w.pvcs) {
		apidefaults.SetObjectDefaults_PersistentVolumeClaim(w.pvcs[k])
	}
	for _, k := range sortedKeys(w.pvs) {
		pv := w.pvs[k]
		apidefaults.SetObjectDefaults_PersistentVolume(pv)
		w.PVs = append(w.PVs, pv)
		if pv.Spec.CSI != nil {
			w.drivers[pv.Spec.CSI.Driver] = true
		}
	}
	for _, k := range sortedKeys(s.CSIDrivers) {
		w.CSIDrivers = append(w.CSIDrivers, s.CSIDrivers[k].DeepCopy())
	}
	if len(s.CSIDrivers) == 0 {
		w.assumeDrivers()
	}
	for _, d := range w.CSIDrivers {
		storagedefaults.SetObjectDefaults_CSIDriver(d) // e.g. requiresRepublish: false, which the kubelet dereferences
	}
	if w.drivers[assumedDriver] {
		// A claim whose StorageClass is not in the input: the model assumes support whatever drivers are listed.
		d := &storagev1.CSIDriver{ObjectMeta: metav1.ObjectMeta{Name: assumedDriver}, Spec: storagev1.CSIDriverSpec{SELinuxMount: ptrTo(true)}}
		storagedefaults.SetObjectDefaults_CSIDriver(d)
		w.CSIDrivers = append(w.CSIDrivers, d)
	}
	return w
}

func (w *World) pod(p *cluster.Pod) *corev1.Pod {
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: p.Namespace, Name: p.Name, UID: types.UID("uid-" + p.Key()), Labels: p.Labels}}
	if p.Spec != nil {
		pod.Spec = *p.Spec.DeepCopy()
	}
	pod.Status.Phase = p.Phase
	// Stored as the API server defaults it (e.g. an azureDisk's kind: Shared, which CSI migration refuses).
	apidefaults.SetObjectDefaults_Pod(pod)
	if pod.Spec.OS != nil && pod.Spec.OS.Name == corev1.Windows {
		w.Windows[p.Key()] = true
	}
	w.claimTemplates(p, pod)
	w.ephemeralClaims(pod)
	w.missingClaims(pod)
	return pod
}

// claimTemplates gives each StatefulSet claim template its replica's claim, and points the pod's
// volume of that name at it (containers mount templates by name, usually without a volumes entry).
func (w *World) claimTemplates(p *cluster.Pod, pod *corev1.Pod) {
	for _, name := range sortedKeys(p.ClaimTemplates) {
		tmpl := p.ClaimTemplates[name]
		claim := &corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Namespace: p.Namespace,
			Name: name + "-" + strings.ReplaceAll(strings.ToLower(p.Name), "/", "-") + "-0"}, Spec: *tmpl.Spec.DeepCopy()}
		w.pvcs[claim.Namespace+"/"+claim.Name] = claim
		w.ModelKey[claim.Namespace+"/"+claim.Name] = "volumeclaimtemplate/" + p.Key() + "/" + name
		src := corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: claim.Name}}
		found := false
		for i := range pod.Spec.Volumes {
			v := &pod.Spec.Volumes[i]
			if v.Name == name || (v.PersistentVolumeClaim != nil && v.PersistentVolumeClaim.ClaimName == name) {
				v.VolumeSource, found = src, true
			}
		}
		if !found {
			pod.Spec.Volumes = append(pod.Spec.Volumes, corev1.Volume{Name: name, VolumeSource: src})
		}
	}
}

// ephemeralClaims creates the claim the ephemeral volume controller would create for a Pod's generic
// ephemeral volume ("<pod>-<volume>", owned by the Pod), unless the input has it.
func (w *World) ephemeralClaims(pod *corev1.Pod) {
	for _, v := range pod.Spec.Volumes {
		if v.Ephemeral == nil {
			continue
		}
		name := ephemeral.VolumeClaimName(pod, &v)
		display := pod.Name
		if i := strings.LastIndex(display, "/"); i >= 0 {
			display = display[i+1:]
		}
		key := pod.Namespace + "/" + name
		if _, ok := w.pvcs[key]; ok {
			continue
		}
		claim := &corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Namespace: pod.Namespace, Name: name,
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "v1", Kind: "Pod", Name: pod.Name, UID: pod.UID, Controller: ptrTo(true)}}}}
		if v.Ephemeral.VolumeClaimTemplate != nil {
			claim.Spec = *v.Ephemeral.VolumeClaimTemplate.Spec.DeepCopy()
		}
		w.pvcs[key] = claim
		w.ModelKey[key] = "pvc/" + pod.Namespace + "/" + display + "-" + v.Name
	}
}

// missingClaims creates a claim that a Pod references but the input does not list, as applying the
// Pod's manifest folder with the claim elsewhere would (the model treats it as the volume itself).
func (w *World) missingClaims(pod *corev1.Pod) {
	for _, v := range pod.Spec.Volumes {
		if v.PersistentVolumeClaim == nil {
			continue
		}
		key := pod.Namespace + "/" + v.PersistentVolumeClaim.ClaimName
		if _, ok := w.pvcs[key]; !ok {
			w.pvcs[key] = &corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Namespace: pod.Namespace, Name: v.PersistentVolumeClaim.ClaimName}}
		}
	}
}

// bindManifestClaim binds a claim that has no status, as a cluster does after `kubectl apply`.
func (w *World) bindManifestClaim(pvc *corev1.PersistentVolumeClaim) {
	if pvc.Status.Phase != "" {
		return
	}
	key := pvc.Namespace + "/" + pvc.Name
	if pvc.UID == "" {
		pvc.UID = types.UID("uid-pvc-" + key)
	}
	if pvc.Spec.VolumeName != "" {
		pv, ok := w.pvs[pvc.Spec.VolumeName]
		if !ok {
			return // bound to a PV that does not exist: stays unresolved, as upstream leaves it
		}
		if pv.Spec.ClaimRef == nil {
			pv.Spec.ClaimRef = &corev1.ObjectReference{Kind: "PersistentVolumeClaim", Namespace: pvc.Namespace, Name: pvc.Name}
		}
		ref := pv.Spec.ClaimRef
		if ref.Namespace != pvc.Namespace || ref.Name != pvc.Name || (ref.UID != "" && ref.UID != pvc.UID) {
			return // the PV belongs to another claim: the binder never binds this one
		}
		ref.UID = pvc.UID
		pvc.Status.Phase = corev1.ClaimBound
		return
	}
	handle := "pvc/" + key
	if k, ok := w.ModelKey[key]; ok {
		handle = k
	}
	pv := &corev1.PersistentVolume{ObjectMeta: metav1.ObjectMeta{Name: "provisioned-" + strings.ReplaceAll(handle, "/", "-")},
		Spec: corev1.PersistentVolumeSpec{AccessModes: pvc.Spec.AccessModes, VolumeMode: pvc.Spec.VolumeMode,
			Capacity: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")},
			ClaimRef: &corev1.ObjectReference{Kind: "PersistentVolumeClaim", Namespace: pvc.Namespace, Name: pvc.Name, UID: pvc.UID}}}
	driver := w.provisioner(pvc)
	if driver == "" {
		pv.Spec.Local = &corev1.LocalVolumeSource{Path: "/mnt/" + handle}
	} else {
		pv.Spec.CSI = &corev1.CSIPersistentVolumeSource{Driver: driver, VolumeHandle: handle}
		w.ModelKey[driver+"^"+handle] = handle
	}
	w.pvs[pv.Name] = pv
	pvc.Spec.VolumeName = pv.Name
	pvc.Status.Phase = corev1.ClaimBound
}

// provisioner is the CSI driver that provisions the claim ("" for local volumes): its StorageClass's
// provisioner, in-tree names translated as the CSI migration does.
func (w *World) provisioner(pvc *corev1.PersistentVolumeClaim) string {
	var class *storagev1.StorageClass
	if pvc.Spec.StorageClassName != nil {
		class = w.state.StorageClasses[*pvc.Spec.StorageClassName]
	} else {
		for _, n := range sortedKeys(w.state.StorageClasses) {
			if c := w.state.StorageClasses[n]; c.Annotations["storageclass.kubernetes.io/is-default-class"] == "true" {
				class = c
				break
			}
		}
	}
	if class == nil {
		return assumedDriver
	}
	if class.Provisioner == "kubernetes.io/no-provisioner" {
		return ""
	}
	if name, err := csitrans.New().GetCSINameFromInTreeName(class.Provisioner); err == nil {
		return name
	}
	return class.Provisioner
}

// assumeDrivers adds a CSIDriver with seLinuxMount for every driver a volume uses, inline in-tree
// volumes included (through their migrated driver).
func (w *World) assumeDrivers() {
	t := csitrans.New()
	for _, pod := range w.Pods {
		for _, v := range pod.Spec.Volumes {
			if name, err := t.GetInTreePluginNameFromSpec(nil, &v); err == nil {
				if d, err := t.GetCSINameFromInTreeName(name); err == nil {
					w.drivers[d] = true
				}
			}
		}
	}
	for _, pv := range w.PVs {
		if name, err := t.GetInTreePluginNameFromSpec(pv, nil); err == nil {
			if d, err := t.GetCSINameFromInTreeName(name); err == nil {
				w.drivers[d] = true
			}
		}
	}
	for _, d := range sortedKeys(w.drivers) {
		if d == assumedDriver {
			continue // added by NewWorld in every case
		}
		w.CSIDrivers = append(w.CSIDrivers, &storagev1.CSIDriver{ObjectMeta: metav1.ObjectMeta{Name: d},
			Spec: storagev1.CSIDriverSpec{SELinuxMount: ptrTo(true)}})
	}
}

// VolumeKey turns an upstream unique volume name into the model's key for it.
func (w *World) VolumeKey(unique string) string {
	if _, rest, ok := strings.Cut(unique, "kubernetes.io/csi/"); ok {
		if k, ok := w.ModelKey[rest]; ok {
			return k
		}
	}
	return unique
}

func (w *World) String() string {
	return fmt.Sprintf("%d pods, %d claims, %d PVs, %d CSIDrivers", len(w.Pods), len(w.PVCs), len(w.PVs), len(w.CSIDrivers))
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func ptrTo[T any](v T) *T { return &v }
