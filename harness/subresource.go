package harness

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"

	"github.com/selmount/selmount/policies/cluster"
)

// SubresourceEphemeralContainers is the Pod subresource `kubectl debug` updates (spec Decision 9).
const SubresourceEphemeralContainers = "ephemeralcontainers"

// subresourceOf names the subresource an UPDATE from old to obj goes through: a Pod's ephemeral
// containers change only through pods/ephemeralcontainers.
func subresourceOf(old, obj *cluster.Object) string {
	a, b := podOf(old), podOf(obj)
	if a == nil || b == nil || equality.Semantic.DeepEqual(a.Spec.EphemeralContainers, b.Spec.EphemeralContainers) {
		return ""
	}
	return SubresourceEphemeralContainers
}

// checkAdmissible refuses a scenario a real API server could not replay as written: a Pod created
// with ephemeral containers (forbidden on CREATE), or an update of a Pod's ephemeral containers that
// changes anything else of its spec (pods/ephemeralcontainers writes only them).
func checkAdmissible(objects []cluster.Object) error {
	last := map[string]*corev1.Pod{}
	for i := range objects {
		o := &objects[i]
		p := podOf(o)
		if p == nil {
			continue
		}
		id := o.Identity()
		old, seen := last[id]
		last[id] = p
		switch {
		case !seen && len(p.Spec.EphemeralContainers) > 0:
			return fmt.Errorf("%s: %s: spec.ephemeralContainers on CREATE, which the API server forbids: list the Pod without them, then again with them (kubectl debug's pods/ephemeralcontainers UPDATE)", o.Source, o.ID())
		case seen && !equality.Semantic.DeepEqual(old.Spec.EphemeralContainers, p.Spec.EphemeralContainers):
			a, b := old.Spec.DeepCopy(), p.Spec.DeepCopy()
			a.EphemeralContainers, b.EphemeralContainers = nil, nil
			if !equality.Semantic.DeepEqual(a, b) {
				return fmt.Errorf("%s: %s: an UPDATE that adds ephemeral containers changes other spec fields too, which pods/ephemeralcontainers cannot", o.Source, o.ID())
			}
		}
	}
	return nil
}

func podOf(o *cluster.Object) *corev1.Pod {
	if o == nil {
		return nil
	}
	p, _ := o.Typed.(*corev1.Pod)
	return p
}
