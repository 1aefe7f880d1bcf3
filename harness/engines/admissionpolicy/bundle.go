// Package admissionpolicy runs the map/ bundle (MutatingAdmissionPolicy and ValidatingAdmissionPolicy)
// through the API server's own admission plugins, in process, as the harness engine "admission-policy".
package admissionpolicy

import (
	"fmt"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/selmount/selmount/internal/kustomize"
	"github.com/selmount/selmount/policies/cluster"
)

// Bundle is the built kustomization: what `kubectl apply -k` would create.
type Bundle struct {
	MutatingPolicies   []*admissionregistrationv1.MutatingAdmissionPolicy
	MutatingBindings   []*admissionregistrationv1.MutatingAdmissionPolicyBinding
	ValidatingPolicies []*admissionregistrationv1.ValidatingAdmissionPolicy
	ValidatingBindings []*admissionregistrationv1.ValidatingAdmissionPolicyBinding
}

// LoadBundle builds a kustomization folder with kustomize and decodes its admission policies.
func LoadBundle(dir string) (*Bundle, error) {
	file, out, err := kustomize.Build(dir)
	if err != nil {
		return nil, err
	}
	objs, err := cluster.Decode(file, out)
	if err != nil {
		return nil, err
	}
	b := &Bundle{}
	for _, o := range objs {
		if o.APIGroup() != admissionregistrationv1.GroupName {
			return nil, fmt.Errorf("%s: %s is not an admission policy", o.Source, o.ID())
		}
		if err := b.add(o); err != nil {
			return nil, err
		}
	}
	if len(b.MutatingPolicies)+len(b.ValidatingPolicies) == 0 {
		return nil, fmt.Errorf("kustomize build %s: no admission policies", dir)
	}
	return b, nil
}

func (b *Bundle) add(o cluster.Object) error {
	var target any
	switch o.Kind {
	case "MutatingAdmissionPolicy":
		p := &admissionregistrationv1.MutatingAdmissionPolicy{}
		b.MutatingPolicies, target = append(b.MutatingPolicies, p), p
	case "MutatingAdmissionPolicyBinding":
		p := &admissionregistrationv1.MutatingAdmissionPolicyBinding{}
		b.MutatingBindings, target = append(b.MutatingBindings, p), p
	case "ValidatingAdmissionPolicy":
		p := &admissionregistrationv1.ValidatingAdmissionPolicy{}
		b.ValidatingPolicies, target = append(b.ValidatingPolicies, p), p
	case "ValidatingAdmissionPolicyBinding":
		p := &admissionregistrationv1.ValidatingAdmissionPolicyBinding{}
		b.ValidatingBindings, target = append(b.ValidatingBindings, p), p
	default:
		return fmt.Errorf("%s: unexpected kind %s", o.Source, o.Kind)
	}
	if o.APIVersion != "admissionregistration.k8s.io/v1" {
		return fmt.Errorf("%s: %s is %s; the in-process plugins read admissionregistration.k8s.io/v1", o.Source, o.ID(), o.APIVersion)
	}
	if err := yaml.UnmarshalStrict(o.Raw, target); err != nil {
		return fmt.Errorf("%s: %s: %v", o.Source, o.ID(), err)
	}
	return nil
}

// defaulted fills what the API server's registry defaults on create, which informers fed directly do
// not get: selectors, match policy, failure and reinvocation policies.
func (b *Bundle) defaulted() *Bundle {
	out := &Bundle{}
	everything := func() *metav1.LabelSelector { return &metav1.LabelSelector{} }
	equivalent := admissionregistrationv1.Equivalent
	fail := admissionregistrationv1.Fail
	never := admissionregistrationv1.NeverReinvocationPolicy
	fixMatch := func(m *admissionregistrationv1.MatchResources) *admissionregistrationv1.MatchResources {
		if m == nil {
			m = &admissionregistrationv1.MatchResources{}
		}
		if m.NamespaceSelector == nil {
			m.NamespaceSelector = everything()
		}
		if m.ObjectSelector == nil {
			m.ObjectSelector = everything()
		}
		if m.MatchPolicy == nil {
			m.MatchPolicy = &equivalent
		}
		return m
	}
	for _, p := range b.MutatingPolicies {
		p = p.DeepCopy()
		p.Spec.MatchConstraints = fixMatch(p.Spec.MatchConstraints)
		if p.Spec.FailurePolicy == nil {
			p.Spec.FailurePolicy = &fail
		}
		if p.Spec.ReinvocationPolicy == "" {
			p.Spec.ReinvocationPolicy = never
		}
		out.MutatingPolicies = append(out.MutatingPolicies, p)
	}
	for _, p := range b.ValidatingPolicies {
		p = p.DeepCopy()
		p.Spec.MatchConstraints = fixMatch(p.Spec.MatchConstraints)
		if p.Spec.FailurePolicy == nil {
			p.Spec.FailurePolicy = &fail
		}
		out.ValidatingPolicies = append(out.ValidatingPolicies, p)
	}
	for _, bd := range b.MutatingBindings {
		bd = bd.DeepCopy()
		if bd.Spec.MatchResources != nil {
			bd.Spec.MatchResources = fixMatch(bd.Spec.MatchResources)
		}
		out.MutatingBindings = append(out.MutatingBindings, bd)
	}
	for _, bd := range b.ValidatingBindings {
		bd = bd.DeepCopy()
		if bd.Spec.MatchResources != nil {
			bd.Spec.MatchResources = fixMatch(bd.Spec.MatchResources)
		}
		out.ValidatingBindings = append(out.ValidatingBindings, bd)
	}
	return out
}
