package harness

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

var levels = []string{"s0:c1,c2", "s0:c1,c2", "s0:c3,c4", "s0:c2,c1", "s0"}

func (g *generator) options() *corev1.SELinuxOptions {
	switch g.r.IntN(8) {
	case 0, 1:
		return nil
	case 2:
		return &corev1.SELinuxOptions{}
	case 3:
		// A user, role or type without a level: the kubelet picks a random level (Decision 4).
		switch g.r.IntN(4) {
		case 0:
			return &corev1.SELinuxOptions{User: "staff_u"}
		case 1:
			return &corev1.SELinuxOptions{Role: "system_r"}
		}
		return &corev1.SELinuxOptions{Type: g.pick("spc_t", "container_t")}
	case 4:
		return &corev1.SELinuxOptions{User: "system_u", Role: "system_r", Type: g.pick("container_t", "spc_t"), Level: levels[g.r.IntN(len(levels))]}
	}
	return &corev1.SELinuxOptions{Level: levels[g.r.IntN(len(levels))]}
}

func (g *generator) podSpec(ns string) corev1.PodSpec {
	spec := corev1.PodSpec{NodeName: g.pick("", "", "node-1", "node-2")}
	if g.r.IntN(3) != 0 {
		spec.SecurityContext = &corev1.PodSecurityContext{SELinuxOptions: g.options()}
		switch g.r.IntN(6) {
		case 0:
			spec.SecurityContext.SELinuxChangePolicy = ptr(corev1.SELinuxChangePolicyRecursive)
		case 1:
			spec.SecurityContext.SELinuxChangePolicy = ptr(corev1.SELinuxChangePolicyMountOption)
		case 2:
			if g.r.IntN(4) == 0 {
				spec.SecurityContext.SELinuxChangePolicy = ptr(corev1.PodSELinuxChangePolicy("Foo"))
			}
		}
	}
	if g.r.IntN(12) == 0 {
		spec.OS = &corev1.PodOS{Name: corev1.Windows}
	}
	var names []string
	claims := g.claims[ns]
	for i := 0; i < g.r.IntN(3) && len(claims) > 0; i++ {
		name := fmt.Sprintf("data-%d", i)
		spec.Volumes = append(spec.Volumes, corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{
			PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: claims[g.r.IntN(len(claims))]}}})
		names = append(names, name)
	}
	switch g.r.IntN(6) {
	case 0:
		spec.Volumes = append(spec.Volumes, corev1.Volume{Name: "scratch", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}})
		names = append(names, "scratch")
	case 1:
		spec.Volumes = append(spec.Volumes, corev1.Volume{Name: "intree", VolumeSource: g.inlineInTree()})
		names = append(names, "intree")
	}
	for c := 0; c < 1+g.r.IntN(3); c++ {
		ctr := corev1.Container{Name: fmt.Sprintf("c%d", c), Image: "registry.example/app:1.0"}
		if g.r.IntN(4) == 0 {
			ctr.SecurityContext = &corev1.SecurityContext{SELinuxOptions: g.options()}
		}
		for _, n := range names {
			switch g.r.IntN(5) {
			case 0:
			case 1:
				ctr.VolumeDevices = append(ctr.VolumeDevices, corev1.VolumeDevice{Name: n, DevicePath: "/dev/" + n})
			default:
				ctr.VolumeMounts = append(ctr.VolumeMounts, corev1.VolumeMount{Name: n, MountPath: "/" + n, SubPath: g.pick("", "a", "b")})
				if g.r.IntN(8) == 0 {
					// One container mounting a volume twice: two translations, two random levels.
					ctr.VolumeMounts = append(ctr.VolumeMounts, corev1.VolumeMount{Name: n, MountPath: "/again-" + n})
				}
			}
		}
		if c == 2 && g.r.IntN(2) == 0 {
			spec.InitContainers = append(spec.InitContainers, ctr)
		} else {
			spec.Containers = append(spec.Containers, ctr)
		}
	}
	return spec
}

// workload draws a Pod or a workload; updatable tells whether replaying it as an UPDATE is sound.
func (g *generator) workload(i int) (any, bool) {
	ns := g.nsNames[g.r.IntN(len(g.nsNames))]
	meta := metav1.ObjectMeta{Name: fmt.Sprintf("w-%d", i), Namespace: ns}
	spec := g.podSpec(ns)
	tmpl := corev1.PodTemplateSpec{Spec: spec}
	switch g.r.IntN(10) {
	case 0:
		return &appsv1.Deployment{TypeMeta: typeMeta("apps/v1", "Deployment"), ObjectMeta: meta, Spec: appsv1.DeploymentSpec{Template: tmpl}}, false
	case 1:
		sts := &appsv1.StatefulSet{TypeMeta: typeMeta("apps/v1", "StatefulSet"), ObjectMeta: meta, Spec: appsv1.StatefulSetSpec{Template: tmpl}}
		for _, v := range spec.Volumes {
			if v.PersistentVolumeClaim != nil && g.r.IntN(2) == 0 {
				sts.Spec.VolumeClaimTemplates = append(sts.Spec.VolumeClaimTemplates, corev1.PersistentVolumeClaim{
					ObjectMeta: metav1.ObjectMeta{Name: v.PersistentVolumeClaim.ClaimName}, Spec: corev1.PersistentVolumeClaimSpec{AccessModes: g.accessModes()}})
			}
		}
		return sts, false
	case 2:
		return &batchv1.CronJob{TypeMeta: typeMeta("batch/v1", "CronJob"), ObjectMeta: meta,
			Spec: batchv1.CronJobSpec{Schedule: "@daily", JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: tmpl}}}}, false
	}
	pod := &corev1.Pod{TypeMeta: typeMeta("v1", "Pod"), ObjectMeta: meta, Spec: spec}
	pod.Status.Phase = corev1.PodPhase(g.pick("", "Running", "Running", "Pending", "Unknown", "Succeeded", "Failed"))
	cp := spec.SecurityContext != nil && spec.SecurityContext.SELinuxChangePolicy != nil
	optedOut := g.namespaces[ns] == "Recursive" || g.namespaces[ns] == "MountOption"
	// An UPDATE carries the stored object: sound to replay only when admission left it unchanged and
	// when no old-object rule (MountOption accepted because the old pod had it) applies.
	updatable := !cp && (!optedOut || spec.OS != nil)
	return pod, updatable
}

func (g *generator) relabelled(obj any) any {
	pod := obj.(*corev1.Pod).DeepCopy()
	pod.Labels = map[string]string{"updated": "true"}
	return pod
}

// inlineInTree draws an inline volume of a type upstream migrates to CSI, including forms whose
// translation changes the handle (an aws:// zone prefix, a share per pod volume) or fails (an
// azureDisk that is not Managed).
func (g *generator) inlineInTree() corev1.VolumeSource {
	switch g.r.IntN(6) {
	case 0:
		return corev1.VolumeSource{AWSElasticBlockStore: &corev1.AWSElasticBlockStoreVolumeSource{VolumeID: g.pick("vol-shared-1", "aws://eu-west-1a/vol-shared-1", "aws://vol-shared-1")}}
	case 1:
		return corev1.VolumeSource{GCEPersistentDisk: &corev1.GCEPersistentDiskVolumeSource{PDName: "pd-shared"}}
	case 2:
		return corev1.VolumeSource{AzureFile: &corev1.AzureFileVolumeSource{SecretName: g.pick("azure-storage-account-acct-secret", "files"), ShareName: "share-1"}}
	case 3:
		src := &corev1.AzureDiskVolumeSource{DiskName: "d1", DataDiskURI: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/d1"}
		if g.r.IntN(2) == 0 {
			src.Kind = ptr(corev1.AzureManagedDisk)
		}
		return corev1.VolumeSource{AzureDisk: src}
	case 4:
		return corev1.VolumeSource{Cinder: &corev1.CinderVolumeSource{VolumeID: "cinder-shared"}}
	}
	return corev1.VolumeSource{AWSElasticBlockStore: &corev1.AWSElasticBlockStoreVolumeSource{VolumeID: "h-shared-1"}}
}
