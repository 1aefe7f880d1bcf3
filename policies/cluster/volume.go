package cluster

import (
	"cmp"
	"fmt"
	"slices"

	storagev1 "k8s.io/api/storage/v1"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// Volume is what one pod volume resolves to.
type Volume struct {
	// SpecName is the PersistentVolume's name when the volume resolved through one (the kubelet names
	// volumes that way in its messages), "" otherwise.
	SpecName string
	// Key is the unique volume name two pods must share to meet on one volume; "" for volumes that are
	// never compared across pods (emptyDir, configMap, secret, projected, inline CSI, ...).
	Key string
	// Plugin is the volume plugin name ("kubernetes.io/csi", "kubernetes.io/iscsi", ...).
	Plugin string
	// CSIDriver is the CSI driver name, "" for other plugins.
	CSIDriver string
	// HasPV is true for PersistentVolume-backed volumes (a claim counts: it is or will be bound to one)
	// and for inline in-tree volumes migrated to CSI, which the kubelet turns into a PV spec.
	HasPV bool
	// AccessModes are the PV's, or the claim's when no PV is known.
	AccessModes []corev1.PersistentVolumeAccessMode
	// PluginSupports is whether the plugin can mount with -o context (before feature gates).
	PluginSupports bool
	// Assumed marks support that was assumed because the StorageClass or CSIDriver is not in the input.
	Assumed bool
	// PerPod volumes belong to one replica (volumeClaimTemplates, generic ephemeral volumes).
	PerPod bool
	// Claim marks a volume a Pod uses through a claim: only those get the kubelet's volumeMode check.
	Claim bool
	// Block is a PV (or a claim to be provisioned) with volumeMode Block, which no container may mount.
	Block bool
}

// Shared tells whether two pods can meet on this volume.
func (v Volume) Shared() bool { return v.Key != "" && !v.PerPod }

// PodVolume pairs a pod volume name with what it resolved to.
type PodVolume struct {
	Name   string
	Volume Volume
}

// ResolvePod resolves every volume of a pod; volumes that cannot be resolved become diagnostics.
func (s *State) ResolvePod(p *Pod) (map[string]Volume, []Diagnostic) {
	vols, diags := s.ResolveVolumes(p)
	out := make(map[string]Volume, len(vols))
	for _, v := range vols {
		out[v.Name] = v.Volume
	}
	return out, diags
}

// ResolveVolumes is ResolvePod as PodVolumes, built without the map: a scan resolves every Pod.
// Of two volumes of one name, the later resolved one counts, as in a map.
func (s *State) ResolveVolumes(p *Pod) (PodVolumes, []Diagnostic) {
	out := make(PodVolumes, 0, len(p.Model.Volumes)+len(p.ClaimTemplates))
	var diags []Diagnostic
	for i := range p.Model.Volumes {
		v := &p.Model.Volumes[i]
		src := v.source()
		vol, problem := s.resolveVolume(p, v.Name, &src)
		vol.Claim = src.PersistentVolumeClaim != nil || src.Ephemeral != nil
		if problem != "" {
			diags = append(diags, Diagnostic{
				Kind: DiagUnresolvedVolume, Severity: DiagWarning, File: p.Source.String(), Object: p.Kind + " " + p.Namespace + "/" + displayName(p),
				Message: fmt.Sprintf("volume %q: %s", v.Name, problem),
			})
			continue
		}
		out = append(out, PodVolume{Name: v.Name, Volume: vol})
	}
	out = lastOfEachName(out)
	// A StatefulSet's containers mount claim templates by name, usually without a volumes entry.
	listed := len(out)
	for name, tmpl := range p.ClaimTemplates {
		if _, found := slices.BinarySearchFunc(out[:listed], name, func(v PodVolume, name string) int { return cmp.Compare(v.Name, name) }); !found {
			vol := s.claimVolume(tmpl)
			vol.Key, vol.PerPod, vol.Claim = "volumeclaimtemplate/"+p.Key()+"/"+name, true, true
			out = append(out, PodVolume{Name: name, Volume: vol})
		}
	}
	if len(out) > listed {
		slices.SortFunc(out, func(a, b PodVolume) int { return cmp.Compare(a.Name, b.Name) })
	}
	return out, diags
}

// lastOfEachName sorts by name and keeps, of volumes with one name, the last in input order.
func lastOfEachName(vs PodVolumes) PodVolumes {
	slices.SortStableFunc(vs, func(a, b PodVolume) int { return cmp.Compare(a.Name, b.Name) })
	out := vs[:0]
	for i := range vs {
		if i+1 < len(vs) && vs[i+1].Name == vs[i].Name {
			continue
		}
		out = append(out, vs[i])
	}
	return out
}

func displayName(p *Pod) string {
	if p.Kind == "Pod" {
		return p.Name
	}
	return strings.TrimPrefix(p.Name, p.Kind+"/")
}

func (s *State) resolveVolume(p *Pod, name string, src *corev1.VolumeSource) (Volume, string) {
	switch {
	case src.PersistentVolumeClaim != nil:
		if tmpl, ok := p.ClaimTemplates[src.PersistentVolumeClaim.ClaimName]; ok {
			vol := s.claimVolume(tmpl)
			vol.Key, vol.PerPod = "volumeclaimtemplate/"+p.Key()+"/"+tmpl.Name, true
			return vol, ""
		}
		return s.resolveClaim(p.Namespace, src.PersistentVolumeClaim.ClaimName)
	case src.Ephemeral != nil:
		claim := displayName(p) + "-" + name
		if p.Kind == "Pod" {
			if _, bound := s.PVCs[p.Namespace+"/"+claim]; bound {
				vol, problem := s.resolveClaim(p.Namespace, claim)
				vol.PerPod = true
				return vol, problem
			}
		}
		tmpl := &corev1.PersistentVolumeClaim{}
		if src.Ephemeral.VolumeClaimTemplate != nil {
			tmpl.Spec = src.Ephemeral.VolumeClaimTemplate.Spec
		}
		vol := s.claimVolume(tmpl)
		vol.Key, vol.PerPod = "pvc/"+p.Namespace+"/"+claim, true
		return vol, ""
	case src.CSI != nil:
		// Inline CSI ephemeral volumes have per-pod names in the kubelet and no unique name in the controller.
		return Volume{Plugin: "kubernetes.io/csi", CSIDriver: src.CSI.Driver}, ""
	}
	if m, ok := inlineMigration(name, src, p.Namespace); ok {
		if m.problem != "" {
			return Volume{}, m.problem
		}
		// The kubelet's populator turns an inline in-tree volume upstream migrates into a
		// PersistentVolume spec, so it is eligible for the mount option like a PV (Decision 5).
		return s.csiVolume(m.driver, m.handle, true), ""
	}
	return s.sourceVolume(src, false), ""
}

// sourceVolume identifies a volume from its source, as the plugins' unique names do.
func (s *State) sourceVolume(src *corev1.VolumeSource, hasPV bool) Volume {
	switch {
	case src.ISCSI != nil:
		return Volume{Key: fmt.Sprintf("kubernetes.io/iscsi/%s:%s:%d", src.ISCSI.TargetPortal, src.ISCSI.IQN, src.ISCSI.Lun),
			Plugin: "kubernetes.io/iscsi", HasPV: hasPV, PluginSupports: true}
	case src.FC != nil:
		return Volume{Key: "kubernetes.io/fc/" + fcName(src.FC), Plugin: "kubernetes.io/fc", HasPV: hasPV, PluginSupports: true}
	}
	return Volume{HasPV: hasPV}
}

func fcName(fc *corev1.FCVolumeSource) string {
	if len(fc.WWIDs) > 0 {
		return "[" + strings.Join(fc.WWIDs, " ") + "]"
	}
	lun := int32(0)
	if fc.Lun != nil {
		lun = *fc.Lun
	}
	return fmt.Sprintf("[%s]:%d", strings.Join(fc.TargetWWNs, " "), lun)
}

func (s *State) csiVolume(driver, handle string, hasPV bool) Volume {
	supports, assumed := s.csiSupport(driver)
	return Volume{Key: "kubernetes.io/csi/" + driver + "^" + handle, Plugin: "kubernetes.io/csi", CSIDriver: driver,
		HasPV: hasPV, PluginSupports: supports, Assumed: assumed}
}

// csiSupport reads CSIDriver.spec.seLinuxMount. A driver missing from an input that lists drivers has
// no object in the cluster (≡ false); an input without any CSIDriver assumes the worst (Decision 6).
func (s *State) csiSupport(driver string) (supports, assumed bool) {
	if d, ok := s.CSIDrivers[driver]; ok {
		return d.Spec.SELinuxMount != nil && *d.Spec.SELinuxMount, false
	}
	if len(s.CSIDrivers) > 0 {
		return false, false
	}
	return true, true
}

func (s *State) pvVolume(pv *corev1.PersistentVolume) (Volume, string) {
	src := &pv.Spec.PersistentVolumeSource
	var vol Volume
	modes := pv.Spec.AccessModes
	m, migrates := pvMigration(pv)
	switch {
	case migrates:
		if m.problem != "" {
			return Volume{}, fmt.Sprintf("PersistentVolume %s: %s", pv.Name, m.problem)
		}
		vol = s.csiVolume(m.driver, m.handle, true)
		if src.GCEPersistentDisk != nil {
			modes = gceAccessModes(modes)
		}
	case src.CSI != nil:
		vol = s.csiVolume(src.CSI.Driver, src.CSI.VolumeHandle, true)
	case src.HostPath != nil:
		vol = Volume{Key: "kubernetes.io/host-path/" + src.HostPath.Path, Plugin: "kubernetes.io/host-path", HasPV: true}
	case src.NFS != nil:
		// The NFS plugin names a volume "<server>/<path>" (pkg/volume/nfs GetVolumeName), so an absolute
		// path gives a double slash in the unique name.
		vol = Volume{Key: "kubernetes.io/nfs/" + src.NFS.Server + "/" + src.NFS.Path, Plugin: "kubernetes.io/nfs", HasPV: true}
	case src.Local != nil:
		vol = Volume{Key: "kubernetes.io/local-volume/" + pv.Name, Plugin: "kubernetes.io/local-volume", HasPV: true}
	default:
		vol = s.sourceVolume(pvSourceAsVolumeSource(src), true)
		if vol.Key == "" {
			vol.Key = "pv/" + pv.Name
		}
	}
	vol.AccessModes, vol.SpecName = modes, pv.Name
	vol.Block = isBlock(pv.Spec.VolumeMode)
	return vol, ""
}

// claimVolume describes a claim that has no PV yet: its driver comes from its StorageClass.
func (s *State) claimVolume(pvc *corev1.PersistentVolumeClaim) Volume {
	vol := Volume{HasPV: true, AccessModes: pvc.Spec.AccessModes, Plugin: "kubernetes.io/csi", PluginSupports: true, Assumed: true,
		Block: isBlock(pvc.Spec.VolumeMode)}
	class := s.storageClassOf(pvc)
	if class == nil {
		return vol
	}
	driver, local := provisionerDriver(class.Provisioner)
	if local {
		return Volume{HasPV: true, AccessModes: pvc.Spec.AccessModes, Plugin: "kubernetes.io/local-volume", Block: vol.Block}
	}
	vol.CSIDriver = driver
	vol.PluginSupports, vol.Assumed = s.csiSupport(driver)
	return vol
}

// isBlock reads a volumeMode; unset is Filesystem, the API default.
func isBlock(mode *corev1.PersistentVolumeMode) bool {
	return mode != nil && *mode == corev1.PersistentVolumeBlock
}

const defaultClassAnnotation = "storageclass.kubernetes.io/is-default-class"

func (s *State) storageClassOf(pvc *corev1.PersistentVolumeClaim) *storageClass {
	if pvc.Spec.StorageClassName != nil {
		return s.StorageClasses[*pvc.Spec.StorageClassName]
	}
	names := make([]string, 0, len(s.StorageClasses))
	for n, c := range s.StorageClasses {
		if c.Annotations[defaultClassAnnotation] == "true" {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return nil
	}
	sort.Strings(names) // several defaults: the API server picks the newest; the input has no order, so be stable
	return s.StorageClasses[names[0]]
}

type storageClass = storagev1.StorageClass

// ResolvedPod is a pod with its volumes resolved against a state.
type ResolvedPod struct {
	*Pod
	Volumes PodVolumes
}

// Ref is the pod's name as the views report it.
func (p *ResolvedPod) Ref() (namespace, name string) { return p.Namespace, p.Name }
