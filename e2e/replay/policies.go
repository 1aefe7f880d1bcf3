package replay

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// evaluatedKey is the audit annotation map/'s policies publish on every evaluation, as
// "<policy>/evaluated": the proof that the policy matched the request and ran to the end.
const evaluatedKey = "evaluated"

// Request is what a ValidatingAdmissionPolicy's matchConstraints are matched against.
type Request struct {
	Operation                             string // CREATE, UPDATE
	Group, Version, Resource, Subresource string
}

// Policies are the ValidatingAdmissionPolicies on the server and their bindings' actions, read back
// after a bundle is applied: the expected audit annotations are derived from what is installed.
type Policies struct {
	list []installedPolicy
}

type installedPolicy struct {
	name      string
	rules     []admissionv1.NamedRuleWithOperations
	publishes bool                           // has an auditAnnotation keyed evaluatedKey
	actions   []admissionv1.ValidationAction // of every binding, once each; none when unbound
}

// LoadPolicies reads the server's ValidatingAdmissionPolicies and their bindings.
func (c *Clients) LoadPolicies(ctx context.Context) (*Policies, error) {
	ar := c.Typed.AdmissionregistrationV1()
	ps, err := ar.ValidatingAdmissionPolicies().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	bs, err := ar.ValidatingAdmissionPolicyBindings().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	return NewPolicies(ps.Items, bs.Items)
}

// NewPolicies keeps what decides which requests each policy evaluates. It refuses the match fields
// it does not follow (selectors, exclusions, matchConditions, params): map/ uses none, and a test
// that ignored them would expect annotations the server rightly leaves out.
func NewPolicies(ps []admissionv1.ValidatingAdmissionPolicy, bs []admissionv1.ValidatingAdmissionPolicyBinding) (*Policies, error) {
	out := &Policies{}
	for _, p := range ps {
		mc := p.Spec.MatchConstraints
		if mc == nil {
			return nil, fmt.Errorf("ValidatingAdmissionPolicy %s has no matchConstraints", p.Name)
		}
		if err := followed(p.Name, mc); err != nil {
			return nil, err
		}
		if len(p.Spec.MatchConditions) > 0 || p.Spec.ParamKind != nil {
			return nil, fmt.Errorf("ValidatingAdmissionPolicy %s: matchConditions and paramKind are not followed by the e2e audit check", p.Name)
		}
		ip := installedPolicy{name: p.Name, rules: mc.ResourceRules}
		for _, a := range p.Spec.AuditAnnotations {
			ip.publishes = ip.publishes || a.Key == evaluatedKey
		}
		for _, b := range bs {
			if b.Spec.PolicyName != p.Name {
				continue
			}
			if b.Spec.ParamRef != nil {
				return nil, fmt.Errorf("binding %s: paramRef is not followed by the e2e audit check", b.Name)
			}
			if b.Spec.MatchResources != nil {
				if err := followed(b.Name, b.Spec.MatchResources); err != nil {
					return nil, err
				}
				if len(b.Spec.MatchResources.ResourceRules) > 0 {
					return nil, fmt.Errorf("binding %s narrows its policy's resources, which the e2e audit check does not follow", b.Name)
				}
			}
			for _, a := range b.Spec.ValidationActions {
				if !slices.Contains(ip.actions, a) {
					ip.actions = append(ip.actions, a)
				}
			}
		}
		out.list = append(out.list, ip)
	}
	sort.Slice(out.list, func(i, j int) bool { return out.list[i].name < out.list[j].name })
	return out, nil
}

// followed refuses the match fields that depend on more than the request's resource and operation.
func followed(name string, m *admissionv1.MatchResources) error {
	switch {
	case !emptySelector(m.NamespaceSelector), !emptySelector(m.ObjectSelector):
		return fmt.Errorf("%s selects namespaces or objects, which the e2e audit check does not follow", name)
	case len(m.ExcludeResourceRules) > 0:
		return fmt.Errorf("%s excludes resources, which the e2e audit check does not follow", name)
	}
	for _, r := range m.ResourceRules {
		if len(r.ResourceNames) > 0 {
			return fmt.Errorf("%s matches resource names, which the e2e audit check does not follow", name)
		}
	}
	return nil
}

// emptySelector is true for a selector that selects everything (the server defaults nil to {}).
func emptySelector(s *metav1.LabelSelector) bool {
	return s == nil || (len(s.MatchLabels) == 0 && len(s.MatchExpressions) == 0)
}

// Evaluating returns, sorted, the policies that evaluate r and publish evaluatedKey: a bound policy
// whose resourceRules match r.
func (p *Policies) Evaluating(r Request) []string {
	out := []string{}
	for _, ip := range p.list {
		if ip.publishes && len(ip.actions) > 0 && slices.ContainsFunc(ip.rules, func(rule admissionv1.NamedRuleWithOperations) bool { return ruleMatches(rule.RuleWithOperations, r) }) {
			out = append(out, ip.name)
		}
	}
	return out
}

// Audits reports whether a binding of policy has the Audit action: its failed validations are then
// written to the validation_failure audit annotation.
func (p *Policies) Audits(policy string) bool {
	for _, ip := range p.list {
		if ip.name == policy {
			return slices.Contains(ip.actions, admissionv1.Audit)
		}
	}
	return false
}

// ruleMatches follows the API server's rule matching: "*" matches anything; a resource without "/"
// matches the resource itself only, "pods/*" its subresources, "*/*" everything.
func ruleMatches(rule admissionv1.RuleWithOperations, r Request) bool {
	op := slices.ContainsFunc(rule.Operations, func(o admissionv1.OperationType) bool {
		return o == admissionv1.OperationAll || string(o) == r.Operation
	})
	if !op || !matchesAny(rule.APIGroups, r.Group) || !matchesAny(rule.APIVersions, r.Version) {
		return false
	}
	if rule.Scope != nil && *rule.Scope == admissionv1.ClusterScope {
		return false // every request compared is of a namespaced Pod
	}
	return slices.ContainsFunc(rule.Resources, func(res string) bool {
		name, sub, hasSub := strings.Cut(res, "/")
		if name != "*" && name != r.Resource {
			return false
		}
		if !hasSub {
			return r.Subresource == ""
		}
		return sub == "*" || sub == r.Subresource
	})
}

func matchesAny(list []string, v string) bool {
	return slices.Contains(list, "*") || slices.Contains(list, v)
}
