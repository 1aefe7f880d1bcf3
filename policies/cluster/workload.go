package cluster

import (
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Pod is a Pod, or a workload standing for the Pods its template makes (named "<Kind>/<name>").
type Pod struct {
	Namespace string
	Name      string
	// Kind is "Pod" or the workload kind.
	Kind string
	// Spec is the spec as read, nil once the state's specs were dropped (State.DropSpecs). The
	// model reads Model, which PodFromObject and WithSpec derive from it: a Pod's spec is not
	// changed in place.
	Spec   *corev1.PodSpec
	Model  *Model
	Phase  corev1.PodPhase
	Labels map[string]string
	Source Source
	// Created is the object's metadata.creationTimestamp, zero when absent (every manifest). A
	// dump lists Pods by name, so Build orders by it to know which Pod came first (order.go).
	Created time.Time
	// ClaimTemplates are a StatefulSet's volumeClaimTemplates: one claim per replica, never shared.
	ClaimTemplates map[string]*corev1.PersistentVolumeClaim
}

// Key is the controller's pod key, "namespace/name".
func (p *Pod) Key() string { return p.Namespace + "/" + p.Name }

// Terminal pods are dropped by the warning controller and run nothing on a node.
func (p *Pod) Terminal() bool {
	return p.Phase == corev1.PodSucceeded || p.Phase == corev1.PodFailed
}

// Windows pods run on nodes without SELinux.
func (p *Pod) Windows() bool { return p.Model.Windows }

// ChangePolicy is the pod's seLinuxChangePolicy as written, nil when unset.
func (p *Pod) ChangePolicy() *corev1.PodSELinuxChangePolicy { return p.Model.ChangePolicy }

// WithSpec is a copy of p with another spec (an admission's mutation), its Model read again.
func (p *Pod) WithSpec(spec *corev1.PodSpec) *Pod {
	out := *p
	out.Spec, out.Model = spec, ModelOf(spec)
	return &out
}

// PodFromObject returns the Pod an object stands for, or nil for kinds that run no Pod.
func PodFromObject(o *Object) *Pod {
	if read, ok := o.Typed.(*Pod); ok {
		c := *read
		return &c
	}
	pod := &Pod{Namespace: o.Namespace, Kind: o.Kind, Source: o.Source, Name: o.Name}
	if m, ok := o.Typed.(metav1.Object); ok {
		pod.Created = m.GetCreationTimestamp().Time
	}
	var tmpl *corev1.PodTemplateSpec
	switch t := o.Typed.(type) {
	case *corev1.Pod:
		pod.Spec, pod.Phase, pod.Labels = &t.Spec, t.Status.Phase, t.Labels
		pod.Model = ModelOf(pod.Spec)
		return pod
	case *appsv1.Deployment:
		tmpl = &t.Spec.Template
	case *appsv1.DaemonSet:
		tmpl = &t.Spec.Template
	case *appsv1.ReplicaSet:
		tmpl = &t.Spec.Template
	case *corev1.ReplicationController:
		tmpl = t.Spec.Template
	case *batchv1.Job:
		tmpl = &t.Spec.Template
	case *batchv1.CronJob:
		tmpl = &t.Spec.JobTemplate.Spec.Template
	case *appsv1.StatefulSet:
		tmpl = &t.Spec.Template
		pod.ClaimTemplates = map[string]*corev1.PersistentVolumeClaim{}
		for i := range t.Spec.VolumeClaimTemplates {
			vct := &t.Spec.VolumeClaimTemplates[i]
			pod.ClaimTemplates[vct.Name] = vct
		}
	default:
		return nil
	}
	if tmpl == nil {
		tmpl = &corev1.PodTemplateSpec{}
	}
	// A workload stands for its Pods under a name no Pod has.
	pod.Name, pod.Spec, pod.Labels = o.Kind+"/"+o.Name, &tmpl.Spec, tmpl.Labels
	pod.Model = ModelOf(pod.Spec)
	return pod
}
