package kyverno

import (
	"fmt"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	utiljson "k8s.io/apimachinery/pkg/util/json"

	"github.com/selmount/selmount/policies/cluster"
)

// view is a replayed cluster as an API server serves it: objects by resource, Pods and workloads as
// the Pods they are, with the UID and creation time the API server sets.
type view struct {
	byNamespace map[string]map[string][]*unstructured.Unstructured
	byName      map[string]map[string]*unstructured.Unstructured
	namespaces  map[string]*corev1.Namespace
	// pods maps a served Pod's UID to the model's name for it ("ns/name", "ns/Kind/name").
	pods map[string]string
}

// resources are the kinds the policies look up, by API group and kind.
var resources = map[string][2]string{
	"/Pod":                        {"v1", "pods"},
	"/PersistentVolumeClaim":      {"v1", "persistentvolumeclaims"},
	"/PersistentVolume":           {"v1", "persistentvolumes"},
	"/Namespace":                  {"v1", "namespaces"},
	"storage.k8s.io/StorageClass": {"storage.k8s.io/v1", "storageclasses"},
	"storage.k8s.io/CSIDriver":    {"storage.k8s.io/v1", "csidrivers"},
}

// epoch is the creation time of the first object; each later one is a second younger, so creation
// order is admission order (the kubelet rule SELINUX-006 depends on which Pod came first).
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// newView serves objects (latest versions, in admission order) plus the namespaces they live in.
func newView(objects []cluster.Object, extraNamespaces ...string) (*view, error) {
	v := &view{byNamespace: map[string]map[string][]*unstructured.Unstructured{}, byName: map[string]map[string]*unstructured.Unstructured{},
		namespaces: map[string]*corev1.Namespace{}, pods: map[string]string{}}
	used := map[string]bool{}
	for _, ns := range extraNamespaces {
		used[ns] = true
	}
	for i := range objects {
		o := &objects[i]
		if cluster.PodFromObject(o) != nil {
			u, key, err := served(o, i)
			if err != nil {
				return nil, err
			}
			v.pods[string(u.GetUID())] = key.key
			v.add("/Pod", u)
			used[u.GetNamespace()] = true
			continue
		}
		kind := o.APIGroup() + "/" + o.Kind
		if _, ok := resources[kind]; !ok {
			continue
		}
		u, err := decode(o)
		if err != nil {
			return nil, err
		}
		if kind == "/PersistentVolumeClaim" {
			u.SetNamespace(namespaceOf(o))
			used[u.GetNamespace()] = true
		}
		if kind == "/Namespace" {
			ns := &corev1.Namespace{}
			if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, ns); err != nil {
				return nil, fmt.Errorf("%s: %v", o.Source, err)
			}
			v.namespaces[o.Name] = withNameLabel(ns, o.Name)
			continue
		}
		v.add(kind, u)
	}
	// Every namespace that holds something exists, as in any cluster that accepted it.
	for ns := range used {
		if _, ok := v.namespaces[ns]; !ok {
			v.namespaces[ns] = withNameLabel(&corev1.Namespace{}, ns)
		}
	}
	names := make([]string, 0, len(v.namespaces))
	for n := range v.namespaces {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		obj, err := runtime.DefaultUnstructuredConverter.ToUnstructured(v.namespaces[n])
		if err != nil {
			return nil, err
		}
		u := &unstructured.Unstructured{Object: obj}
		u.SetAPIVersion("v1")
		u.SetKind("Namespace")
		unstructured.RemoveNestedField(u.Object, "metadata", "creationTimestamp")
		v.add("/Namespace", u)
	}
	return v, nil
}

func (v *view) add(kind string, u *unstructured.Unstructured) {
	key := gvrKey(resources[kind][0], resources[kind][1])
	if v.byNamespace[key] == nil {
		v.byNamespace[key], v.byName[key] = map[string][]*unstructured.Unstructured{}, map[string]*unstructured.Unstructured{}
	}
	v.byNamespace[key][u.GetNamespace()] = append(v.byNamespace[key][u.GetNamespace()], u)
	v.byName[key][u.GetNamespace()+"/"+u.GetName()] = u
}

func withNameLabel(ns *corev1.Namespace, name string) *corev1.Namespace {
	ns.APIVersion, ns.Kind, ns.Name = "v1", "Namespace", name
	if ns.Labels == nil {
		ns.Labels = map[string]string{}
	}
	ns.Labels[corev1.LabelMetadataName] = name
	return ns
}

func namespaceOf(o *cluster.Object) string {
	if o.Namespace == "" {
		return "default"
	}
	return o.Namespace
}

// decode keeps the object as written: null, {} and absent fields stay as they are.
func decode(o *cluster.Object) (*unstructured.Unstructured, error) {
	var m map[string]any
	if err := utiljson.Unmarshal(o.Raw, &m); err != nil {
		return nil, fmt.Errorf("%s: %v", o.Source, err)
	}
	return &unstructured.Unstructured{Object: m}, nil
}

// served is the Pod the API server holds for a Pod or workload object at admission position pos
// (pos < 0: not created yet, no creation time): a Pod as written, with its namespace, a UID and a
// creation time; a workload as the Pod its controller creates from the template (see podOf). key is
// the model's name for it.
func served(o *cluster.Object, pos int) (*unstructured.Unstructured, *podName, error) {
	p := cluster.PodFromObject(o)
	if p == nil {
		return nil, nil, fmt.Errorf("%s: %s is not a Pod or workload", o.Source, o.ID())
	}
	name := &podName{key: p.Key()}
	var u *unstructured.Unstructured
	if o.Kind == "Pod" && o.APIGroup() == "" {
		var err error
		if u, err = decode(o); err != nil {
			return nil, nil, err
		}
	} else {
		pod, volumes := podOf(o, p)
		name.volumes = volumes
		obj, err := runtime.DefaultUnstructuredConverter.ToUnstructured(pod)
		if err != nil {
			return nil, nil, err
		}
		u = &unstructured.Unstructured{Object: obj}
		unstructured.RemoveNestedField(u.Object, "status")
	}
	if md, ok := u.Object["metadata"].(map[string]any); !ok || md == nil {
		u.Object["metadata"] = map[string]any{}
	}
	u.SetNamespace(namespaceOf(o))
	if u.GetUID() == "" {
		u.SetUID(types.UID("selmount-" + strings.ReplaceAll(p.Key(), "/", "-")))
	}
	unstructured.RemoveNestedField(u.Object, "metadata", "creationTimestamp")
	if pos >= 0 {
		u.SetCreationTimestamp(metav1.NewTime(epoch.Add(time.Duration(pos) * time.Second)))
	}
	return u, name, nil
}

// podName is the model's name for a served Pod and for the volumes the harness made for it.
type podName struct {
	key     string
	volumes map[string]string
}

func (n *podName) volume(v string) string {
	if m, ok := n.volumes[v]; ok {
		return m
	}
	return v
}

// podOf is the Pod a workload's controller creates: replica 0, from the template; its admission is
// always a CREATE. A StatefulSet's claim templates (a volume whose claim is named after a template, or
// a mount named after one with no volume of that name, as the model reads them) become generic
// ephemeral volumes: per-Pod claims made from the template, which is what a replica's claim is and how
// the model resolves it. volumes maps the policies' name for each (pvc/<ns>/<pod>-<volume>) to the
// model's (volumeclaimtemplate/<ns>/StatefulSet/<name>/<template>).
func podOf(o *cluster.Object, p *cluster.Pod) (pod *corev1.Pod, volumes map[string]string) {
	pod = &corev1.Pod{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{Name: o.Name + "-0", Namespace: namespaceOf(o), Labels: p.Labels},
		Spec:       *p.Spec.DeepCopy(),
	}
	volumes = map[string]string{}
	perReplica := func(v *corev1.Volume, tmpl string) {
		t := p.ClaimTemplates[tmpl]
		v.VolumeSource = corev1.VolumeSource{Ephemeral: &corev1.EphemeralVolumeSource{
			VolumeClaimTemplate: &corev1.PersistentVolumeClaimTemplate{ObjectMeta: metav1.ObjectMeta{Labels: t.Labels}, Spec: *t.Spec.DeepCopy()}}}
		volumes["pvc/"+pod.Namespace+"/"+pod.Name+"-"+v.Name] = "volumeclaimtemplate/" + pod.Namespace + "/" + p.Name + "/" + tmpl
	}
	named := map[string]bool{}
	for i := range pod.Spec.Volumes {
		v := &pod.Spec.Volumes[i]
		named[v.Name] = true
		if v.PersistentVolumeClaim != nil && p.ClaimTemplates[v.PersistentVolumeClaim.ClaimName] != nil {
			perReplica(v, v.PersistentVolumeClaim.ClaimName)
		}
	}
	names := make([]string, 0, len(p.ClaimTemplates))
	for name := range p.ClaimTemplates {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !named[name] {
			pod.Spec.Volumes = append(pod.Spec.Volumes, corev1.Volume{Name: name})
			perReplica(&pod.Spec.Volumes[len(pod.Spec.Volumes)-1], name)
		}
	}
	return pod, volumes
}
