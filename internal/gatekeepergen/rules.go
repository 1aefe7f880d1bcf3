// Package gatekeepergen writes the Gatekeeper bundle (gatekeeper/) from the rule catalogue and the
// rego/ library: one ConstraintTemplate and one warn Constraint per rule, the sync Config the
// templates need, the opt-out Assign mutators, the overlays and the kustomization.
package gatekeepergen

import (
	"fmt"
	"strings"

	"github.com/selmount/selmount/policies"
)

// template is how one rule is packaged for Gatekeeper.
type template struct {
	Rule policies.Rule
	Kind string // constraint kind; the template's name is its lowercase
	// Referential templates read data.inventory and need the sync Config.
	Referential bool
	// CEL is the K8sNativeValidation source for per-Pod rules (Gatekeeper prefers it to Rego).
	CEL *celSource
	// Severities the rule can report: the deny overlay refuses only the errors.
	Severities []string
}

func (t template) Name() string { return strings.ToLower(t.Kind) }

// constraintName is the name of the shipped Constraint.
func (t template) constraintName() string {
	return "selmount-" + strings.ToLower(t.Rule.ID)
}

// templates packages each rule of the catalogue; a rule without a packaging here is an error, so
// that a new rule cannot ship without its Gatekeeper template.
func templates(catalogue []policies.Rule) ([]template, error) {
	kinds := map[string]template{
		policies.RuleLabelConflict:  {Kind: "SelmountLabelConflict", Referential: true, Severities: []string{policies.SeverityWarning}},
		policies.RulePolicyConflict: {Kind: "SelmountPolicyConflict", Referential: true, Severities: []string{policies.SeverityWarning}},
		policies.RuleMultipleLabels: {Kind: "SelmountMultipleLabels", CEL: multipleLabelsCEL(), Severities: []string{policies.SeverityError, policies.SeverityWarning}},
		policies.RuleOptOut:         {Kind: "SelmountOptOutMissing", Referential: true, Severities: []string{policies.SeverityWarning}},
		policies.RuleMisuse:         {Kind: "SelmountChangePolicyMisuse", Referential: true, CEL: misuseCEL(), Severities: []string{policies.SeverityError, policies.SeverityWarning}},
		policies.RuleWillBreak:      {Kind: "SelmountWillBreak", Referential: true, Severities: []string{policies.SeverityError, policies.SeverityWarning}},
	}
	var out []template
	for _, r := range catalogue {
		t, ok := kinds[r.ID]
		if !ok {
			return nil, fmt.Errorf("gatekeepergen: rule %s has no Gatekeeper template: add it to templates() in internal/gatekeepergen/rules.go", r.ID)
		}
		t.Rule = r
		out = append(out, t)
	}
	return out, nil
}

// syncKinds are what referential templates read from data.inventory.
var syncKinds = []gvk{
	{"", "v1", "Pod"}, {"", "v1", "PersistentVolumeClaim"}, {"", "v1", "PersistentVolume"}, {"", "v1", "Namespace"},
	{"", "v1", "ReplicationController"},
	{"apps", "v1", "Deployment"}, {"apps", "v1", "StatefulSet"}, {"apps", "v1", "DaemonSet"}, {"apps", "v1", "ReplicaSet"},
	{"batch", "v1", "Job"}, {"batch", "v1", "CronJob"},
	{"storage.k8s.io", "v1", "CSIDriver"}, {"storage.k8s.io", "v1", "StorageClass"},
}

type gvk struct{ Group, Version, Kind string }
