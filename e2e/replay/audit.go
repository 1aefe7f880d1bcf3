package replay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	auditv1 "k8s.io/apiserver/pkg/apis/audit/v1"

	"github.com/selmount/selmount/policies"
)

// validationFailureKey is the audit annotation the Audit action writes: a JSON list of the failed
// validations of every policy whose binding has Audit.
const validationFailureKey = "validation.policy.admission.k8s.io/validation_failure"

// warningsPolicy is the ValidatingAdmissionPolicy whose messages are warnings (errorsPolicy: errors).
const warningsPolicy = "selmount-selinux-warnings"

// An audited failure's message starts with the rule, as the policies' messageExpressions write it.
var auditedRule = regexp.MustCompile(`^(SELINUX-00[0-9]):`)

// Audited is what one request's audit event says admission did.
type Audited struct {
	Evaluated []string // policies whose "<policy>/evaluated" annotation the event carries, sorted
	Rules     []string // "rule/severity" of the audited failures, sorted, once each
}

// ReadAudited reads the selmount annotations of an audit event.
func ReadAudited(ev *auditv1.Event) (Audited, error) {
	a := Audited{Evaluated: []string{}, Rules: []string{}}
	for k := range ev.Annotations {
		if policy, ok := strings.CutSuffix(k, "/"+evaluatedKey); ok {
			a.Evaluated = append(a.Evaluated, policy)
		}
	}
	a.Evaluated = sorted(setOf(a.Evaluated))
	raw, ok := ev.Annotations[validationFailureKey]
	if !ok {
		return a, nil
	}
	var failures []struct {
		Message, Policy string
	}
	if err := json.Unmarshal([]byte(raw), &failures); err != nil {
		return a, fmt.Errorf("audit event %s: %s: %v", ev.AuditID, validationFailureKey, err)
	}
	set := map[string]bool{}
	for _, f := range failures {
		if m := auditedRule.FindStringSubmatch(f.Message); m != nil {
			set[m[1]+"/"+severityOf(f.Policy)] = true
		}
	}
	a.Rules = sorted(set)
	return a, nil
}

// severityOf is the severity of a policy's messages.
func severityOf(policy string) string {
	if policy == errorsPolicy {
		return policies.SeverityError
	}
	return policies.SeverityWarning
}

// policyOf is the policy that writes a "rule/severity".
func policyOf(rule string) string {
	if strings.HasSuffix(rule, "/"+policies.SeverityError) {
		return errorsPolicy
	}
	return warningsPolicy
}

// ExpectedAudit derives what the audit event of a request must say from the installed policies and
// the model: every policy whose matchConstraints match the request publishes evaluated, and the
// model's rules whose policy is bound with Audit are audited. A request the API server's own
// validation refuses (the model's SELINUX-005 errors) never reaches validating admission: nothing.
func ExpectedAudit(pol *Policies, req Request, modelRules []string, apiRefuses bool) Audited {
	if apiRefuses {
		return Audited{Evaluated: []string{}, Rules: []string{}}
	}
	a := Audited{Evaluated: pol.Evaluating(req), Rules: []string{}}
	for _, r := range modelRules {
		if pol.Audits(policyOf(r)) {
			a.Rules = append(a.Rules, r)
		}
	}
	return a
}

// APIRefuses is true when the model says the API server's validation refuses the Pod (SELINUX-005
// errors: policies.rejection), which runs before validating admission.
func APIRefuses(fs []policies.Finding) bool {
	for _, f := range fs {
		if f.Rule == policies.RuleMisuse && f.Severity == policies.SeverityError {
			return true
		}
	}
	return false
}

// AuditDifferences sets the audit event next to the expectation, as the differences of a PodResult.
func AuditDifferences(got, want Audited) []string {
	var out []string
	if !reflect.DeepEqual(got.Evaluated, want.Evaluated) {
		out = append(out, fmt.Sprintf("audit `evaluated`: server %v, expected from matchConstraints %v", got.Evaluated, want.Evaluated))
	}
	if !reflect.DeepEqual(got.Rules, want.Rules) {
		out = append(out, fmt.Sprintf("audit validation_failure: server %v, model %v", got.Rules, want.Rules))
	}
	return out
}

func setOf(list []string) map[string]bool {
	set := map[string]bool{}
	for _, s := range list {
		set[s] = true
	}
	return set
}

// compareAudit reads the audit event of the admission r compares and adds its differences. When the
// server and the model disagree on acceptance the expectation does not hold, and that difference is
// already listed. An event that never appears fails the replay: every Pod write is logged.
func (c *Clients) compareAudit(ctx context.Context, r *PodResult, s Sent, model []policies.Finding) error {
	if c.Policies == nil {
		return errors.New("no policies loaded: run LoadPolicies after applying the bundle")
	}
	got, err := c.audited(ctx, s.AuditID)
	if err != nil {
		return err
	}
	want := ExpectedAudit(c.Policies, s.Request, r.ModelRules, APIRefuses(model))
	r.Evaluated, r.AuditRules, r.ModelEvaluated, r.ModelAuditRules = got.Evaluated, got.Rules, want.Evaluated, want.Rules
	if r.Accepted == !r.ModelRefuses {
		r.Differences = append(r.Differences, AuditDifferences(got, want)...)
	}
	return nil
}

// audited reads the selmount annotations of the audit event of the request with audit ID id.
func (c *Clients) audited(ctx context.Context, id string) (Audited, error) {
	if c.Audit == nil {
		return Audited{}, errors.New("no audit log: set Clients.Audit")
	}
	ev, err := c.Audit.Event(ctx, id)
	if err != nil {
		return Audited{}, err
	}
	return ReadAudited(ev)
}
