package kyverno

import (
	"sync"

	"github.com/kyverno/kyverno/pkg/cel/libs"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// lookups answers the policies' resource.List and resource.Get from one replayed cluster, indexed by
// resource and namespace (List) and by name (Get), as an API server's storage is: a lookup costs what
// it returns, never a scan of the cluster.
//
// Kyverno binds the lookup context into CEL programs when it compiles them (libs.LibraryContext), so
// there is one lookups value for the process; the cluster it answers from is swapped per evaluation
// under mu.
type lookups struct {
	*libs.FakeContextProvider
	mu   sync.Mutex
	view *view
}

var shared = &lookups{FakeContextProvider: libs.NewFakeContextProvider()}

// use makes v the cluster the lookups answer from until the returned function is called.
func (l *lookups) use(v *view) func() {
	l.mu.Lock()
	l.view = v
	return func() {
		l.view = nil
		l.mu.Unlock()
	}
}

func (l *lookups) ListResources(apiVersion, resource, namespace string, _ map[string]string) (*unstructured.UnstructuredList, error) {
	out := &unstructured.UnstructuredList{Object: map[string]any{"apiVersion": apiVersion, "kind": "List"}}
	if l.view == nil {
		return out, nil
	}
	for _, o := range l.view.byNamespace[gvrKey(apiVersion, resource)][namespace] {
		out.Items = append(out.Items, *o)
	}
	return out, nil
}

func (l *lookups) GetResource(apiVersion, resource, namespace, name string) (*unstructured.Unstructured, error) {
	if l.view != nil {
		if o, ok := l.view.byName[gvrKey(apiVersion, resource)][namespace+"/"+name]; ok {
			return o, nil
		}
	}
	gv, _ := schema.ParseGroupVersion(apiVersion)
	return nil, kerrors.NewNotFound(gv.WithResource(resource).GroupResource(), name)
}

// Clone keeps the indexed answers (the fake's clone would drop them).
func (l *lookups) Clone() libs.Context { return l }

// namespace is the namespace object Kyverno matches namespaceSelector against and exposes as
// namespaceObject; nil when the cluster has no such namespace.
func (l *lookups) namespace(name string) *corev1.Namespace {
	if l.view == nil {
		return nil
	}
	return l.view.namespaces[name]
}

func gvrKey(apiVersion, resource string) string { return apiVersion + "/" + resource }

var _ libs.Context = (*lookups)(nil)
