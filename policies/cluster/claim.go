package cluster

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// resolveClaim follows PVC → PV, deciding per claim (spec Decision 6). A claim with a status came
// from a cluster and resolves exactly as upstream resolves it; a claim without one is a manifest
// about to be applied, which a cluster would bind or provision. Deciding per input instead would let
// one stray PersistentVolume in a folder of manifests turn every other claim into a diagnostic.
func (s *State) resolveClaim(ns, name string) (Volume, string) {
	pvc, ok := s.PVCs[ns+"/"+name]
	if !ok {
		// Applied alongside the Pod from elsewhere: the claim is the volume, its class unknown.
		vol := s.claimVolume(&corev1.PersistentVolumeClaim{})
		vol.Key, vol.Assumed = "pvc/"+ns+"/"+name, true
		return vol, ""
	}
	if pvc.Status.Phase != "" {
		return s.resolveClusterClaim(pvc)
	}
	return s.resolveManifestClaim(pvc)
}

// resolveClusterClaim follows the kubelet's populator and the attach-detach controller: only a Bound
// claim resolves, to the PV it names, and only when that PV's claimRef carries the claim's uid. Names
// in the claimRef are not compared, as upstream does not compare them.
func (s *State) resolveClusterClaim(pvc *corev1.PersistentVolumeClaim) (Volume, string) {
	ref := pvc.Namespace + "/" + pvc.Name
	if pvc.Status.Phase != corev1.ClaimBound {
		return Volume{}, fmt.Sprintf("PersistentVolumeClaim %s is %s, not Bound: no Pod can mount it yet", ref, pvc.Status.Phase)
	}
	if pvc.Spec.VolumeName == "" {
		return Volume{}, fmt.Sprintf("PersistentVolumeClaim %s is Bound but names no PersistentVolume", ref)
	}
	pv, ok := s.PVs[pvc.Spec.VolumeName]
	if !ok {
		return Volume{}, fmt.Sprintf("PersistentVolumeClaim %s is bound to PersistentVolume %s, which is not in the input", ref, pvc.Spec.VolumeName)
	}
	if pv.Spec.ClaimRef == nil || pv.Spec.ClaimRef.UID != pvc.UID {
		return Volume{}, fmt.Sprintf("PersistentVolume %s is not bound to PersistentVolumeClaim %s uid %q (claimRef %s)", pv.Name, ref, pvc.UID, claimRefString(pv.Spec.ClaimRef))
	}
	return s.pvVolume(pv)
}

// resolveManifestClaim is what a cluster makes of a claim once applied: a claim pre-bound to a PV of
// the input gets it when the PV is free for it (the binder checks the claimRef's name and, when the
// claimRef has one, its uid: a claim written without a uid is a new object with a new uid);
// any other claim is provisioned, so the claim itself is the volume.
func (s *State) resolveManifestClaim(pvc *corev1.PersistentVolumeClaim) (Volume, string) {
	ref := pvc.Namespace + "/" + pvc.Name
	if pvc.Spec.VolumeName == "" {
		vol := s.claimVolume(pvc)
		vol.Key = "pvc/" + ref
		return vol, ""
	}
	pv, ok := s.PVs[pvc.Spec.VolumeName]
	if !ok {
		return Volume{}, fmt.Sprintf("PersistentVolumeClaim %s is bound to PersistentVolume %s, which is not in the input", ref, pvc.Spec.VolumeName)
	}
	if c := pv.Spec.ClaimRef; c != nil && (c.Namespace != pvc.Namespace || c.Name != pvc.Name || (c.UID != "" && c.UID != pvc.UID)) {
		return Volume{}, fmt.Sprintf("PersistentVolume %s is not bound to PersistentVolumeClaim %s (claimRef %s)", pv.Name, ref, claimRefString(c))
	}
	return s.pvVolume(pv)
}

func claimRefString(ref *corev1.ObjectReference) string {
	if ref == nil {
		return "none"
	}
	s := ref.Namespace + "/" + ref.Name
	if ref.UID != "" {
		s += " uid " + string(ref.UID)
	}
	return s
}
