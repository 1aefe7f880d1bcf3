package dumpgen

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// epoch fixes every timestamp, so that dumps are byte-for-byte reproducible.
var epoch = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

// pod is as heavy as a real kubectl pod: status, tolerations, the service account token and a
// config volume, because decode cost is what the scan is measured against.
func (g *generator) pod(p *podPlan) *corev1.Pod {
	ns := namespaceName(p.namespace)
	started := metav1.NewTime(epoch.Add(time.Duration(p.index) * time.Second))
	mounts := []corev1.VolumeMount{
		{Name: "shared", MountPath: "/data"},
		{Name: "config", MountPath: "/etc/app", ReadOnly: true},
		{Name: "kube-api-access", MountPath: "/var/run/secrets/kubernetes.io/serviceaccount", ReadOnly: true},
	}
	containers := []corev1.Container{container("app", p.group, mounts, nil)}
	if p.level2 != "" {
		sc := &corev1.SecurityContext{SELinuxOptions: &corev1.SELinuxOptions{Level: p.level2}}
		containers = append(containers, container("sidecar", p.group, mounts[:1], sc))
	}
	pod := &corev1.Pod{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{
			Name: p.name, Namespace: ns, UID: types.UID(g.uid()), ResourceVersion: fmt.Sprint(100000 + p.index),
			GenerateName: p.owner + "-", CreationTimestamp: started,
			Labels:      map[string]string{"app": fmt.Sprintf("app-%05d", p.group), "pod-template-hash": p.hash},
			Annotations: map[string]string{"kubectl.kubernetes.io/restartedAt": epoch.Format(time.RFC3339)},
			OwnerReferences: []metav1.OwnerReference{{
				APIVersion: "apps/v1", Kind: "ReplicaSet", Name: p.owner, UID: types.UID(g.uid()),
				Controller: ptr(true), BlockOwnerDeletion: ptr(true),
			}},
		},
		Spec: corev1.PodSpec{
			Containers: containers, NodeName: fmt.Sprintf("worker-%04d", p.node),
			RestartPolicy: corev1.RestartPolicyAlways, DNSPolicy: corev1.DNSClusterFirst,
			ServiceAccountName: "default", SchedulerName: "default-scheduler", Priority: ptr(int32(0)),
			TerminationGracePeriodSeconds: ptr(int64(30)), EnableServiceLinks: ptr(true),
			PreemptionPolicy: ptr(corev1.PreemptLowerPriority),
			SecurityContext:  &corev1.PodSecurityContext{RunAsNonRoot: ptr(true), FSGroup: ptr(int64(2000))},
			Tolerations: []corev1.Toleration{
				{Key: "node.kubernetes.io/not-ready", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr(int64(300))},
				{Key: "node.kubernetes.io/unreachable", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr(int64(300))},
			},
			Volumes: []corev1.Volume{
				{Name: "shared", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: claimName(p.group)}}},
				{Name: "config", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
					LocalObjectReference: corev1.LocalObjectReference{Name: fmt.Sprintf("app-%05d-config", p.group)}, DefaultMode: ptr(int32(420))}}},
				tokenVolume(),
			},
		},
		Status: podStatus(p, started, len(containers)),
	}
	if p.level != "" {
		pod.Spec.SecurityContext.SELinuxOptions = &corev1.SELinuxOptions{Level: p.level}
	}
	if p.recursive {
		pod.Spec.SecurityContext.SELinuxChangePolicy = ptr(corev1.SELinuxChangePolicyRecursive)
	}
	if p.windows {
		pod.Spec.OS = &corev1.PodOS{Name: corev1.Windows}
		pod.Spec.SecurityContext = nil
	}
	return pod
}

func container(name string, group int, mounts []corev1.VolumeMount, sc *corev1.SecurityContext) corev1.Container {
	return corev1.Container{
		Name: name, Image: fmt.Sprintf("registry.example.com/team/app-%05d:1.%d.0", group, group%7),
		ImagePullPolicy: corev1.PullIfNotPresent, SecurityContext: sc, VolumeMounts: mounts,
		Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: 8080, Protocol: corev1.ProtocolTCP}},
		Env: []corev1.EnvVar{
			{Name: "LOG_LEVEL", Value: "info"},
			{Name: "POD_NAME", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.name"}}},
			{Name: "DATA_DIR", Value: "/data"},
		},
		Resources: corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("128Mi")},
			Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("512Mi")},
		},
		ReadinessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intstr.FromString("http")}},
			PeriodSeconds: 10, TimeoutSeconds: 1, SuccessThreshold: 1, FailureThreshold: 3},
		TerminationMessagePath: "/dev/termination-log", TerminationMessagePolicy: corev1.TerminationMessageReadFile,
	}
}

func tokenVolume() corev1.Volume {
	return corev1.Volume{Name: "kube-api-access", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{
		DefaultMode: ptr(int32(420)),
		Sources: []corev1.VolumeProjection{
			{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{Path: "token", ExpirationSeconds: ptr(int64(3607))}},
			{ConfigMap: &corev1.ConfigMapProjection{LocalObjectReference: corev1.LocalObjectReference{Name: "kube-root-ca.crt"},
				Items: []corev1.KeyToPath{{Key: "ca.crt", Path: "ca.crt"}}}},
		},
	}}}
}

func podStatus(p *podPlan, started metav1.Time, containers int) corev1.PodStatus {
	phase := corev1.PodRunning
	if p.succeeded {
		phase = corev1.PodSucceeded
	}
	st := corev1.PodStatus{
		Phase: phase, HostIP: fmt.Sprintf("10.0.%d.%d", p.node/250, p.node%250+1), QOSClass: corev1.PodQOSBurstable,
		PodIP: fmt.Sprintf("10.%d.%d.%d", 64+p.index/65536, p.index/256%256, p.index%256), StartTime: &started,
	}
	st.PodIPs = []corev1.PodIP{{IP: st.PodIP}}
	for _, c := range []corev1.PodConditionType{corev1.PodReadyToStartContainers, corev1.PodInitialized, corev1.PodReady, corev1.ContainersReady, corev1.PodScheduled} {
		st.Conditions = append(st.Conditions, corev1.PodCondition{Type: c, Status: corev1.ConditionTrue, LastTransitionTime: started})
	}
	for i := 0; i < containers; i++ {
		st.ContainerStatuses = append(st.ContainerStatuses, corev1.ContainerStatus{
			Name: []string{"app", "sidecar"}[i], Ready: !p.succeeded, Started: ptr(!p.succeeded),
			Image: fmt.Sprintf("registry.example.com/team/app-%05d:1.%d.0", p.group, p.group%7), ImageID: "registry.example.com/team/app@sha256:" + fmt.Sprintf("%064x", p.group),
			ContainerID: fmt.Sprintf("cri-o://%064x", p.index*2+i),
			State:       corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: started}},
		})
	}
	return st
}

func (g *generator) claim(grp *groupPlan) *corev1.PersistentVolumeClaim {
	return &corev1.PersistentVolumeClaim{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "PersistentVolumeClaim"},
		ObjectMeta: metav1.ObjectMeta{Name: claimName(grp.index), Namespace: namespaceName(grp.namespace), UID: types.UID(grp.claimUID),
			CreationTimestamp: metav1.NewTime(epoch), Finalizers: []string{"kubernetes.io/pvc-protection"}},
		Spec: corev1.PersistentVolumeClaimSpec{
			AccessModes:      []corev1.PersistentVolumeAccessMode{corev1.PersistentVolumeAccessMode(grp.mode)},
			StorageClassName: ptr(className(grp.driver)), VolumeName: volumeName(grp.claimUID), VolumeMode: ptr(corev1.PersistentVolumeFilesystem),
			Resources: corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("10Gi")}},
		},
		Status: corev1.PersistentVolumeClaimStatus{Phase: corev1.ClaimBound,
			AccessModes: []corev1.PersistentVolumeAccessMode{corev1.PersistentVolumeAccessMode(grp.mode)},
			Capacity:    corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("10Gi")}},
	}
}

func (g *generator) volume(grp *groupPlan) *corev1.PersistentVolume {
	return &corev1.PersistentVolume{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "PersistentVolume"},
		ObjectMeta: metav1.ObjectMeta{Name: volumeName(grp.claimUID), CreationTimestamp: metav1.NewTime(epoch)},
		Spec: corev1.PersistentVolumeSpec{
			AccessModes: []corev1.PersistentVolumeAccessMode{corev1.PersistentVolumeAccessMode(grp.mode)},
			Capacity:    corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("10Gi")},
			ClaimRef: &corev1.ObjectReference{APIVersion: "v1", Kind: "PersistentVolumeClaim",
				Namespace: namespaceName(grp.namespace), Name: claimName(grp.index), UID: types.UID(grp.claimUID)},
			PersistentVolumeSource: corev1.PersistentVolumeSource{CSI: &corev1.CSIPersistentVolumeSource{
				Driver: drivers[grp.driver].name, VolumeHandle: "vol-" + grp.claimUID,
				VolumeAttributes: map[string]string{"storage.kubernetes.io/csiProvisionerIdentity": "1740816000000-1234-" + drivers[grp.driver].name},
			}},
			PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimDelete, StorageClassName: className(grp.driver),
			VolumeMode: ptr(corev1.PersistentVolumeFilesystem),
		},
		Status: corev1.PersistentVolumeStatus{Phase: corev1.VolumeBound},
	}
}

func csiDriver(name string, seLinuxMount *bool) *storagev1.CSIDriver {
	return &storagev1.CSIDriver{
		TypeMeta:   metav1.TypeMeta{APIVersion: "storage.k8s.io/v1", Kind: "CSIDriver"},
		ObjectMeta: metav1.ObjectMeta{Name: name, CreationTimestamp: metav1.NewTime(epoch)},
		Spec: storagev1.CSIDriverSpec{AttachRequired: ptr(false), SELinuxMount: seLinuxMount,
			VolumeLifecycleModes: []storagev1.VolumeLifecycleMode{storagev1.VolumeLifecyclePersistent}},
	}
}

func storageClass(driver string) *storagev1.StorageClass {
	return &storagev1.StorageClass{
		TypeMeta:    metav1.TypeMeta{APIVersion: "storage.k8s.io/v1", Kind: "StorageClass"},
		ObjectMeta:  metav1.ObjectMeta{Name: className(driverIndex(driver)), CreationTimestamp: metav1.NewTime(epoch)},
		Provisioner: driver, ReclaimPolicy: ptr(corev1.PersistentVolumeReclaimDelete),
		VolumeBindingMode: ptr(storagev1.VolumeBindingImmediate),
	}
}

func (g *generator) namespace(i int) *corev1.Namespace {
	ns := &corev1.Namespace{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Namespace"},
		ObjectMeta: metav1.ObjectMeta{Name: namespaceName(i), UID: types.UID(g.uid()), CreationTimestamp: metav1.NewTime(epoch),
			Labels: map[string]string{"kubernetes.io/metadata.name": namespaceName(i)}},
		Spec:   corev1.NamespaceSpec{Finalizers: []corev1.FinalizerName{corev1.FinalizerKubernetes}},
		Status: corev1.NamespaceStatus{Phase: corev1.NamespaceActive},
	}
	switch r := g.rng.Float64(); {
	case r < shareOptOutNS:
		ns.Labels["selmount.io/change-policy"] = "Recursive"
	case r < shareOptOutNS+shareTypoNS:
		ns.Labels["selmount.io/change-policy"] = "recursive"
	}
	return ns
}

func className(driver int) string { return fmt.Sprintf("shared-%d", driver) }

func driverIndex(name string) int {
	for i, d := range drivers {
		if d.name == name {
			return i
		}
	}
	return -1
}
