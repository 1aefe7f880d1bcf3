package gatekeepergen

import (
	"strings"

	"github.com/selmount/selmount/internal/celsrc"
	"github.com/selmount/selmount/policies"
)

// celSource is a K8sNativeValidation source: CEL variables and validations, as
// ValidatingAdmissionPolicy has them. The gate profile comes from the constraint's parameters.
type celSource struct {
	Variables   []celVariable   `json:"variables"`
	Validations []celValidation `json:"validations"`
	// GenerateVAP is false: Gatekeeper 3.23 would otherwise also turn the template into a
	// ValidatingAdmissionPolicy with failurePolicy Fail (its default flags), so every warning would come
	// twice and the deny overlay would refuse through the API server as well. Gatekeeper's own webhook
	// evaluates this CEL either way.
	GenerateVAP bool `json:"generateVAP"`
}

type celVariable struct {
	Name       string `json:"name"`
	Expression string `json:"expression"`
}

type celValidation struct {
	Expression        string `json:"expression"`
	MessageExpression string `json:"messageExpression"`
}

// reported makes a validation pass when the constraint's parameters.severities leaves its severity
// out (the deny overlay splits errors from warnings).
func reported(severity string, v celValidation) celValidation {
	v.Expression = "!('" + severity + "' in variables.severities) || " + v.Expression
	return v
}

// podVariables are the per-Pod facts, with the gates read from parameters.profile ("v1.36",
// "v1.37,SELinuxMountReadWriteOncePod=false", ...; default v1.37). The facts shared with the other
// engines come from internal/celsrc.
func podVariables() []celVariable {
	vs := []celVariable{
		{"profile", "variables.params != null && has(variables.params.profile) ? string(variables.params.profile) : 'v1.37'"},
		{"mountGate", "variables.profile.contains('SELinuxMount=true') || (!variables.profile.startsWith('v1.35') && !variables.profile.startsWith('v1.36') && !variables.profile.contains('SELinuxMount=false'))"},
		{"rwopGate", "!variables.profile.contains('SELinuxMountReadWriteOncePod=false')"},
		// Without SELinuxChangePolicy (v1.35 only) the API server drops the field before validating it.
		{"cpGate", "!variables.profile.contains('SELinuxChangePolicy=false')"},
		{"severities", "variables.params != null && has(variables.params.severities) ? variables.params.severities : ['error', 'warning']"},
		// Workloads are checked as the Pods their template makes (shift left), named Kind/name.
		{"spec", `object.kind == 'Pod' ? (has(object.spec) ? object.spec : {}) :
  object.kind == 'CronJob' ? (has(object.spec) && has(object.spec.jobTemplate) && has(object.spec.jobTemplate.spec) &&
    has(object.spec.jobTemplate.spec.template) && has(object.spec.jobTemplate.spec.template.spec) ? object.spec.jobTemplate.spec.template.spec : {}) :
  (has(object.spec) && has(object.spec.template) && has(object.spec.template.spec) ? object.spec.template.spec : {})`},
		// A workload's Pod template ({} for a Pod), for its labels.
		{"template", `object.kind == 'Pod' ? {} :
  object.kind == 'CronJob' ? object.?spec.?jobTemplate.?spec.?template.orValue({}) : object.?spec.?template.orValue({})`},
		{"name", "object.kind == 'Pod' ? object.metadata.name : object.kind + '/' + object.metadata.name"},
		// A message's subject, first after the rule ID (rego/lib/selmount/subject.rego): "<Kind> <namespace>/<name>".
		{"subject", "object.kind + ' ' + (has(object.metadata.namespace) && object.metadata.namespace != '' ? object.metadata.namespace : namespaceObject != null ? namespaceObject.metadata.name : 'default') + '/' + object.metadata.name"},
		{"terminal", "object.kind == 'Pod' && has(object.status) && has(object.status.phase) && object.status.phase in ['Succeeded', 'Failed']"},
	}
	vs = append(vs, optOutFacts()...)
	return append(vs, celVariable{"oldHasPolicy", "oldObject != null && has(oldObject.spec) && oldObject.kind == 'Pod' && has(oldObject.spec.securityContext) && has(oldObject.spec.securityContext.seLinuxChangePolicy)"})
}

// optOutFacts are the Pod's hasPolicy, policy and windows (internal/celsrc), with a workload read as
// the Pods its controller creates: Gatekeeper stores a workload as applied, since the opt-out's
// Assign mutators match Pods only, and those Pods get the namespace's valid opt-out value at CREATE
// when the template sets no policy and is neither a Windows template nor labelled
// selmount.io/os=windows (rego/lib/selmount/objects.rego, template_spec; the model's rule,
// policies/optout.go asCreated, has no label: the mutators test it instead of spec.os.name).
// namespaceObject is the reviewed object's Namespace (Gatekeeper's webhook and audit pass it; gator
// does not).
func optOutFacts() []celVariable {
	facts := fromSource(celsrc.Facts("variables.spec"))
	var out []celVariable
	for _, f := range facts {
		switch f.Name {
		case "hasPolicy":
			out = append(out, celVariable{"specHasPolicy", f.Expression})
		case "policy":
			out = append(out, celVariable{"specPolicy", strings.ReplaceAll(f.Expression, "variables.hasPolicy", "variables.specHasPolicy")})
		default:
			out = append(out, f)
		}
	}
	return append(out,
		celVariable{"optOut", "object.kind != 'Pod' && !variables.specHasPolicy && !variables.windows && " +
			"variables.template.?metadata.?labels[?'" + WindowsLabel + "'].orValue('') != 'windows' && " +
			"namespaceObject != null && namespaceObject.?metadata.?labels[?'" + policies.OptOutLabel + "'].orValue('') in ['Recursive', 'MountOption']\n" +
			"  ? string(namespaceObject.metadata.labels['" + policies.OptOutLabel + "']) : ''"},
		celVariable{"hasPolicy", "variables.specHasPolicy || variables.optOut != ''"},
		celVariable{"policy", "variables.specHasPolicy ? variables.specPolicy : variables.optOut"},
	)
}

// labelVariables compute, per volume, the distinct kubelet file labels of the containers that
// mount it, whether the volume is eligible for the mount option, and whether the API server
// refuses the Pod (internal/celsrc, as map/ and kyverno/ have them).
func labelVariables() []celVariable {
	return fromSource(celsrc.Variables(celsrc.Gatekeeper))
}

func fromSource(vs []celsrc.Variable) []celVariable {
	out := make([]celVariable, len(vs))
	for i, v := range vs {
		out[i] = celVariable(v)
	}
	return out
}

func multipleLabelsMessage(severity, outcome string) celValidation {
	return reported(severity, celValidation{
		Expression: "size(variables.multipleLabels.filter(e, e[0][1] == '" + severity + "')) == 0",
		MessageExpression: "variables.multipleLabels.filter(e, e[0][1] == '" + severity + "').map(e, 'SELINUX-003: ' + variables.subject + ': containers of ' + variables.name + " +
			"' mount volume \"' + e[0][0] + '\" with different SELinux labels (\"' + e[1].join('\", \"') + '\"); " + outcome + "').join('; ')",
	})
}

func multipleLabelsCEL() *celSource {
	return &celSource{
		Variables: append(podVariables(), labelVariables()...),
		Validations: []celValidation{
			multipleLabelsMessage("error", "the kubelet refuses to start the pod"),
			multipleLabelsMessage("warning", "the kubelet counts a warning and the runtime relabels recursively"),
		},
	}
}

// misuseCEL: what the API server rejects, and an opt-out label value the mutation ignores.
// namespaceObject is the reviewed Pod's Namespace when Gatekeeper passes it (its webhook does).
func misuseCEL() *celSource {
	return &celSource{
		Variables: append(podVariables(),
			celVariable{"nsLabel", "namespaceObject != null && has(namespaceObject.metadata.labels) && 'selmount.io/change-policy' in namespaceObject.metadata.labels ? [namespaceObject.metadata.labels['selmount.io/change-policy']] : []"},
		),
		Validations: []celValidation{
			reported("error", celValidation{"variables.terminal || !variables.cpGate || !variables.windows || !variables.hasPolicy",
				`'SELINUX-005: ' + variables.subject + ': ' + variables.name + ' is a Windows pod; spec.securityContext.seLinuxChangePolicy cannot be set for a windows pod'`}),
			reported("error", celValidation{"variables.terminal || !variables.cpGate || variables.windows || !variables.hasPolicy || variables.policy in ['Recursive', 'MountOption']",
				`'SELINUX-005: ' + variables.subject + ': ' + variables.name + ' sets spec.securityContext.seLinuxChangePolicy "' + variables.policy + '"; the API server accepts only Recursive or MountOption'`}),
			reported("error", celValidation{"variables.terminal || !variables.cpGate || variables.windows || variables.mountGate || variables.policy != 'MountOption' || variables.oldHasPolicy",
				`'SELINUX-005: ' + variables.subject + ': ' + variables.name + ' sets seLinuxChangePolicy MountOption, which the API server rejects while SELinuxMount is off (profile ' + variables.profile + '); use Recursive or leave it unset'`}),
			reported("warning", celValidation{"variables.terminal || variables.hasPolicy || variables.windows || size(variables.nsLabel) == 0 || variables.nsLabel[0] in ['Recursive', 'MountOption']",
				`'SELINUX-005: ' + variables.subject + ': namespace ' + namespaceObject.metadata.name + ' has selmount.io/change-policy="' + variables.nsLabel[0] + '", which is neither Recursive nor MountOption; the label is ignored for ' + variables.name`}),
		},
	}
}
