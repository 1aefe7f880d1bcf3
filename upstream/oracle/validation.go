package oracle

import (
	"strings"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	podutil "k8s.io/kubernetes/pkg/api/pod"
	api "k8s.io/kubernetes/pkg/apis/core"
	corev1 "k8s.io/kubernetes/pkg/apis/core/v1"
	"k8s.io/kubernetes/pkg/apis/core/validation"
)

// PolicyVerdict is what the API server did with a Pod's spec.securityContext.seLinuxChangePolicy.
type PolicyVerdict struct {
	// Dropped is true when the field was removed before validation (the SELinuxChangePolicy gate is off).
	Dropped bool
	// Errors are the validation errors on the field; none means accepted.
	Errors []string
}

// ValidateChangePolicy runs the API server's create (old == nil) or update path for a Pod as far as
// seLinuxChangePolicy goes: defaults, conversion to the internal type, the drop of disabled fields
// (pkg/api/pod), the validation options derived from the old object, and pod validation
// (pkg/apis/core/validation). Errors on other fields are not selmount's business and are left out.
// Call it under the profile's gates.
func ValidateChangePolicy(pod, old *v1.Pod) (PolicyVerdict, error) {
	newPod, err := internal(pod)
	if err != nil {
		return PolicyVerdict{}, err
	}
	var oldPod *api.Pod
	var oldSpec *api.PodSpec
	if old != nil {
		if oldPod, err = internal(old); err != nil {
			return PolicyVerdict{}, err
		}
		oldSpec = &oldPod.Spec
	}
	had := newPod.Spec.SecurityContext != nil && newPod.Spec.SecurityContext.SELinuxChangePolicy != nil
	podutil.DropDisabledPodFields(newPod, oldPod)
	out := PolicyVerdict{Dropped: had && (newPod.Spec.SecurityContext == nil || newPod.Spec.SecurityContext.SELinuxChangePolicy == nil)}
	opts := podutil.GetValidationOptionsFromPodSpecAndMeta(&newPod.Spec, oldSpec, &newPod.ObjectMeta, objectMeta(oldPod))
	errs := validation.ValidatePodCreate(newPod, opts)
	if oldPod != nil {
		errs = validation.ValidatePodUpdate(newPod, oldPod, opts)
	}
	for _, e := range errs {
		if strings.HasSuffix(e.Field, "seLinuxChangePolicy") {
			out.Errors = append(out.Errors, e.Error())
		}
	}
	return out, nil
}

func internal(pod *v1.Pod) (*api.Pod, error) {
	p := pod.DeepCopy()
	corev1.SetObjectDefaults_Pod(p)
	out := &api.Pod{}
	if err := corev1.Convert_v1_Pod_To_core_Pod(p, out, nil); err != nil {
		return nil, err
	}
	return out, nil
}

func objectMeta(p *api.Pod) *metav1.ObjectMeta {
	if p == nil {
		return nil
	}
	return &p.ObjectMeta
}
