package oracle

import (
	"fmt"
	"sync"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/record"
)

// Event is one event the controller recorded, on the Pod "namespace/name".
type Event struct {
	Pod     string
	Type    string
	Reason  string
	Message string
}

// recorder keeps every event with the object it is about; record.FakeRecorder drops the object's
// name, which the oracle needs to attribute events to Pods.
type recorder struct {
	mu     sync.Mutex
	events []Event
}

var _ record.EventRecorder = &recorder{}

func (r *recorder) Event(object runtime.Object, eventtype, reason, message string) {
	key := "?"
	if m, err := meta.Accessor(object); err == nil {
		key = m.GetNamespace() + "/" + m.GetName()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, Event{Pod: key, Type: eventtype, Reason: reason, Message: message})
}

func (r *recorder) Eventf(object runtime.Object, eventtype, reason, messageFmt string, args ...any) {
	r.Event(object, eventtype, reason, fmt.Sprintf(messageFmt, args...))
}

func (r *recorder) AnnotatedEventf(object runtime.Object, _ map[string]string, eventtype, reason, messageFmt string, args ...any) {
	r.Eventf(object, eventtype, reason, messageFmt, args...)
}
