package admissionpolicy

import (
	"sync"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/labels"
	corev1listers "k8s.io/client-go/listers/core/v1"
)

// namespaceLister serves the namespaces of the cluster being replayed. The matcher reads namespaces
// through it (namespaceSelector and namespaceObject), so each admission sees the replay's namespaces
// at that moment without waiting for an informer.
type namespaceLister struct {
	mu    sync.RWMutex
	items map[string]*corev1.Namespace
}

var _ corev1listers.NamespaceLister = &namespaceLister{}

func (l *namespaceLister) set(items map[string]*corev1.Namespace) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.items = items
}

func (l *namespaceLister) List(selector labels.Selector) ([]*corev1.Namespace, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var out []*corev1.Namespace
	for _, ns := range l.items {
		if selector.Matches(labels.Set(ns.Labels)) {
			out = append(out, ns)
		}
	}
	return out, nil
}

func (l *namespaceLister) Get(name string) (*corev1.Namespace, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if ns, ok := l.items[name]; ok {
		return ns, nil
	}
	return nil, apierrors.NewNotFound(corev1.Resource("namespaces"), name)
}
