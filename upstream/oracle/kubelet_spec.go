package oracle

import (
	"errors"
	"fmt"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/component-helpers/storage/ephemeral"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/volume"
	"k8s.io/kubernetes/pkg/volume/csimigration"
	volumeutil "k8s.io/kubernetes/pkg/volume/util"
)

// kubeletSpec builds the volume spec the kubelet's desired-state-of-world populator builds for one
// pod volume (pkg/kubelet/volumemanager/populator createVolumeSpec, whose struct cannot be built
// outside the kubelet): a claim must be Bound with a volume name and its PV's claimRef.uid must be the
// claim's uid (names are not compared); a generic ephemeral volume's claim must be owned by the Pod;
// in-tree volumes, PVs and inline ones alike, are translated to CSI when upstream migrates them; a
// claim's volume mode must match how the containers use it.
func (k *kubelet) spec(logger klog.Logger, pod *v1.Pod, podVolume v1.Volume, mounts, devices sets.Set[string]) (*volume.Spec, error) {
	claimSrc := podVolume.PersistentVolumeClaim
	isEphemeral := claimSrc == nil && podVolume.Ephemeral != nil
	if isEphemeral {
		claimSrc = &v1.PersistentVolumeClaimVolumeSource{ClaimName: ephemeral.VolumeClaimName(pod, &podVolume)}
	}
	if claimSrc == nil {
		spec := volume.NewSpecFromVolume(podVolume.DeepCopy())
		return k.migrate(logger, spec, pod.Namespace)
	}
	pvc, err := k.api.pvcs.Lister().PersistentVolumeClaims(pod.Namespace).Get(claimSrc.ClaimName)
	if err != nil {
		return nil, err
	}
	if pvc.Status.Phase != v1.ClaimBound {
		return nil, errors.New("PVC is not bound")
	}
	if pvc.Spec.VolumeName == "" {
		return nil, errors.New("PVC has empty pvc.Spec.VolumeName")
	}
	if isEphemeral {
		if err := ephemeral.VolumeIsForPod(pod, pvc); err != nil {
			return nil, err
		}
	}
	pv, err := k.api.pvs.Lister().Get(pvc.Spec.VolumeName)
	if err != nil {
		return nil, err
	}
	if pv.Spec.ClaimRef == nil || pv.Spec.ClaimRef.UID != pvc.UID {
		return nil, fmt.Errorf("PV %s is not bound to claim uid %s", pv.Name, pvc.UID)
	}
	spec, err := k.migrate(logger, volume.NewSpecFromPersistentVolume(pv.DeepCopy(), claimSrc.ReadOnly), pod.Namespace)
	if err != nil {
		return nil, err
	}
	mode, err := volumeutil.GetVolumeMode(spec)
	if err != nil {
		return nil, err
	}
	if mounts.Has(podVolume.Name) && mode != v1.PersistentVolumeFilesystem {
		return nil, fmt.Errorf("volume %s has volumeMode %s, but is specified in volumeMounts", podVolume.Name, mode)
	}
	if devices.Has(podVolume.Name) && mode != v1.PersistentVolumeBlock {
		return nil, fmt.Errorf("volume %s has volumeMode %s, but is specified in volumeDevices", podVolume.Name, mode)
	}
	return spec, nil
}

func (k *kubelet) migrate(logger klog.Logger, spec *volume.Spec, namespace string) (*volume.Spec, error) {
	migratable, err := k.cmpm.IsMigratable(spec)
	if err != nil || !migratable {
		return spec, err
	}
	return csimigration.TranslateInTreeSpecToCSI(logger, spec, namespace, k.translator)
}
