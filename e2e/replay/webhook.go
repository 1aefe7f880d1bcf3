package replay

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	auditv1 "k8s.io/apiserver/pkg/apis/audit/v1"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies"
)

// A selmount webhook message starts with its rule: each warning, and each error its refusal joins
// ("admission webhook \"checks.selmount.io\" denied the request: SELINUX-003: ...; SELINUX-005: ...").
var webhookRule = regexp.MustCompile(`(?:^|: |; )(SELINUX-00[0-9]):`)

// WebhookRuleIDs returns the rules the webhook's texts name, sorted, once each.
func WebhookRuleIDs(texts ...string) []string {
	set := map[string]bool{}
	for _, t := range texts {
		for _, m := range webhookRule.FindAllStringSubmatch(t, -1) {
			set[m[1]] = true
		}
	}
	return sorted(set)
}

// AllRulesOfFindings returns "rule/severity" for every finding of the model, sorted, once each: the
// webhook answers every rule, not only those a Pod alone decides.
func AllRulesOfFindings(fs []policies.Finding) []string {
	set := map[string]bool{}
	for _, f := range fs {
		set[f.Rule+"/"+f.Severity] = true
	}
	return sorted(set)
}

// WebhookFindings reads the findings the webhook named webhook recorded in the audit event (the
// API server keys a webhook's audit annotations "<webhook>/<key>"); ok is false when there are none,
// the webhook not having answered.
func WebhookFindings(ev *auditv1.Event, webhook string) (fs []policies.Finding, ok bool, err error) {
	raw, ok := ev.Annotations[webhook+"/findings"]
	if !ok {
		return nil, false, nil
	}
	if err := json.Unmarshal([]byte(raw), &fs); err != nil {
		return nil, true, fmt.Errorf("audit event %s: %s/findings: %v", ev.AuditID, webhook, err)
	}
	return fs, true, nil
}

// WebhookRules gives each warning the rule and severity of the finding it is the message of; a
// warning that is no finding's message is returned apart.
func WebhookRules(warnings []string, fs []policies.Finding) (rules, stray []string) {
	set := map[string]bool{}
	for _, w := range warnings {
		i := slices.IndexFunc(fs, func(f policies.Finding) bool { return f.Message == w })
		if i < 0 {
			stray = append(stray, w)
			continue
		}
		set[fs[i].Rule+"/"+fs[i].Severity] = true
	}
	return sorted(set), stray
}

// compareWebhook is compare and compareAudit for an admission answered by `selmount webhook`: every
// rule, with the severity its audit annotation records, and the annotation itself (the webhook
// evaluated, its findings the model's) unless the API server's own validation refuses first.
func (c *Clients) compareWebhook(ctx context.Context, a harness.AdmitCase, what string, s Sent, denies bool) (PodResult, error) {
	r := answers(a, what, s, denies, AllRulesOfFindings(a.Model.Findings))
	if c.Audit == nil {
		return r, fmt.Errorf("no audit log: set Clients.Audit")
	}
	ev, err := c.Audit.Event(ctx, s.AuditID)
	if err != nil {
		return r, err
	}
	fs, evaluated, err := WebhookFindings(ev, c.Webhook)
	if err != nil {
		return r, err
	}
	var stray []string
	r.Rules, stray = WebhookRules(s.Warnings, fs)
	r.differ()
	for _, w := range stray {
		r.Differences = append(r.Differences, fmt.Sprintf("a warning that is none of the webhook's findings: %q", w))
	}
	got := Audited{Evaluated: []string{}, Rules: AllRulesOfFindings(fs)}
	if evaluated {
		got.Evaluated = []string{c.Webhook}
	}
	want := Audited{Evaluated: []string{}, Rules: []string{}}
	if !APIRefuses(a.Model.Findings) {
		want = Audited{Evaluated: []string{c.Webhook}, Rules: r.ModelRules}
	}
	r.Evaluated, r.AuditRules, r.ModelEvaluated, r.ModelAuditRules = got.Evaluated, got.Rules, want.Evaluated, want.Rules
	if r.Accepted == !r.ModelRefuses {
		r.Differences = append(r.Differences, AuditDifferences(got, want)...)
	}
	return r, nil
}

// settleTimeout bounds settle; settleInterval spaces its dry runs.
const (
	settleTimeout  = 5 * time.Second
	settleInterval = 100 * time.Millisecond
)

// settle waits until a server-side dry run of the admission agrees with the model on acceptance,
// seLinuxChangePolicy and the rules named, or settleTimeout passes. The webhook answers from an
// informer cache that a watch brings up to date a moment after each write, and the bundles' policies
// read the namespace from the API server's own informer (a label set just before lags the same way),
// while the scenario's writes come one after the other: the real request, sent next and compared,
// then meets the cluster the model does. A disagreement that lasts is still compared, and listed.
func (c *Clients) settle(ctx context.Context, a harness.AdmitCase, denies bool, try func(dryRun bool) Sent) {
	for deadline := time.Now().Add(settleTimeout); ; {
		s := try(true)
		var agrees bool
		if c.Webhook == "" {
			agrees = len(compare(a, "", s, denies).Differences) == 0
		} else {
			r := answers(a, "", s, denies, AllRulesOfFindings(a.Model.Findings))
			agrees = r.Accepted == !r.ModelRefuses
			if agrees && r.Accepted {
				agrees = r.ChangePolicy == r.ModelChangePolicy && slices.Equal(WebhookRuleIDs(s.Warnings...), ruleIDs(r.ModelRules))
			}
		}
		if agrees || time.Now().After(deadline) || ctx.Err() != nil {
			return
		}
		time.Sleep(settleInterval)
	}
}

// ruleIDs drops the severities of "rule/severity" rules, once each.
func ruleIDs(rules []string) []string {
	set := map[string]bool{}
	for _, r := range rules {
		id, _, _ := strings.Cut(r, "/")
		set[id] = true
	}
	return sorted(set)
}

// comparePod compares one admission with the model, as the installed bundle or webhook answers it.
func (c *Clients) comparePod(ctx context.Context, a harness.AdmitCase, what string, s Sent, denies bool) (PodResult, error) {
	if c.Webhook != "" {
		return c.compareWebhook(ctx, a, what, s, denies)
	}
	r := compare(a, what, s, denies)
	return r, c.compareAudit(ctx, &r, s, a.Model.Findings)
}
