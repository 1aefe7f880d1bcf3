package kyverno

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/internal/kustomize"
	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

// Native `kyverno test` suites under kyverno/tests, generated from the scenarios:
//
//	policies/validating.yaml, policies/opt-out.yaml           the built bundles, split by kind; the
//	                                                          ValidatingPolicies once, with the profile
//	                                                          as a parameter (see parameterized)
//	<scenario>/kyverno-test.yaml, resources.yaml, context.yaml the audit: every Pod of the final state
//	                                                          against the ValidatingPolicies, lookups
//	                                                          and the profile answered by the Context,
//	                                                          expectations from expect.yaml
//	<scenario>/opt-out/kyverno-test.yaml, resources.yaml, patched.yaml
//	                                                          the Pod CREATEs against the MutatingPolicy
//
// Pods are written as the harness serves them (see served): namespace, UID, creation time.

// suiteBundles are the kustomizations the suites stand for, by the profile's SELinuxMount gate: they
// differ only in the mountGate variable (overlays/v1.36), which the suites' one copy of the
// ValidatingPolicies reads from the scenario's Context instead.
var suiteBundles = map[bool]string{true: "v1.37", false: "v1.36"}

// The profile parameter: a ConfigMap in each scenario's Context that mountGate reads. No policy lists
// ConfigMaps, so it answers nothing else.
const (
	paramNamespace = "selmount-suite"
	paramName      = "profile"
	gateVariable   = "mountGate"
	gateExpression = "dyn(resource.Get('v1', 'configmaps', '" + paramNamespace + "', '" + paramName + "')).data." + gateVariable + " == 'true'"
)

// SuiteFiles renders every suite file, by path relative to kyverno/tests.
func SuiteFiles(kyvernoDir string, replays []*harness.Replay) (map[string][]byte, error) {
	files := map[string][]byte{}
	rulesOf := map[string][]string{}
	var shared []byte // the ValidatingPolicies with the gate as a parameter, the same for every bundle
	for _, mount := range []bool{true, false} {
		name := suiteBundles[mount]
		dir := kyvernoDir
		if !mount {
			dir = filepath.Join(kyvernoDir, "overlays", "v1.36")
		}
		file, out, err := kustomize.Build(dir)
		if err != nil {
			return nil, err
		}
		objs, err := cluster.Decode(file, out)
		if err != nil {
			return nil, err
		}
		var validating, mutating [][]byte
		for _, o := range objs {
			switch o.Kind {
			case "ValidatingPolicy":
				doc, err := parameterized(o.Raw, mount)
				if err != nil {
					return nil, fmt.Errorf("%s bundle, %s: %w", name, o.Name, err)
				}
				validating = append(validating, doc)
				var meta struct {
					Metadata struct {
						Annotations map[string]string `json:"annotations"`
					} `json:"metadata"`
				}
				if err := json.Unmarshal(o.Raw, &meta); err != nil {
					return nil, err
				}
				rulesOf[o.Name] = strings.Split(meta.Metadata.Annotations["selmount.io/rule"]+meta.Metadata.Annotations["selmount.io/rules"], ",")
			case "MutatingPolicy":
				doc, err := yaml.JSONToYAML(o.Raw)
				if err != nil {
					return nil, err
				}
				mutating = append(mutating, doc)
			}
		}
		if shared == nil {
			shared = documents(validating)
		} else if !bytes.Equal(shared, documents(validating)) {
			return nil, fmt.Errorf("the %s bundle's ValidatingPolicies differ from the %s bundle's in more than %s", name, suiteBundles[true], gateVariable)
		}
		if mount {
			files["policies/opt-out.yaml"] = documents(mutating)
		}
	}
	files["policies/validating.yaml"] = shared
	policyNames := make([]string, 0, len(rulesOf))
	for n := range rulesOf {
		policyNames = append(policyNames, n)
	}
	sort.Strings(policyNames)
	for _, r := range replays {
		if err := scenarioSuite(files, r, policyNames, rulesOf); err != nil {
			return nil, fmt.Errorf("%s: %w", r.Scenario.Name, err)
		}
	}
	return files, nil
}

// parameterized is a built ValidatingPolicy with its mountGate variable, the constant the bundle
// fixes ("true" for v1.37, "false" for v1.36), replaced by the profile parameter's lookup. It fails
// when the variable is missing or is not the bundle's constant, so that the suites' one copy stands
// for each bundle exactly.
func parameterized(raw []byte, mount bool) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	vars, _, err := unstructured.NestedSlice(doc, "spec", "variables")
	if err != nil {
		return nil, err
	}
	found := false
	for i, v := range vars {
		m, ok := v.(map[string]any)
		if !ok || m["name"] != gateVariable {
			continue
		}
		if want := fmt.Sprint(mount); m["expression"] != want {
			return nil, fmt.Errorf("variable %s is %q, want %q", gateVariable, m["expression"], want)
		}
		m["expression"] = gateExpression
		vars[i], found = m, true
	}
	if !found {
		return nil, fmt.Errorf("no variable %s", gateVariable)
	}
	if err := unstructured.SetNestedSlice(doc, vars, "spec", "variables"); err != nil {
		return nil, err
	}
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	return yaml.JSONToYAML(data)
}

// profileParameter is the Context object the parameterized policies read the scenario's gate from.
func profileParameter(sc *harness.Scenario) map[string]any {
	return map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]any{"name": paramName, "namespace": paramNamespace},
		"data":     map[string]any{"profile": sc.Profile.Name, gateVariable: fmt.Sprint(sc.Profile.Mount)}}
}

// SuiteScenario tells whether the bundles can express a scenario's profile: they assume the RWOP and
// SELinuxChangePolicy gates on.
func SuiteScenario(sc *harness.Scenario) bool { return sc.Profile.RWOP && sc.Profile.CP }

type testResult struct {
	Policy             string   `json:"policy"`
	IsValidatingPolicy bool     `json:"isValidatingPolicy,omitempty"`
	IsMutatingPolicy   bool     `json:"isMutatingPolicy,omitempty"`
	Kind               string   `json:"kind"`
	Resources          []string `json:"resources"`
	Result             string   `json:"result"`
	PatchedResources   string   `json:"patchedResources,omitempty"`
}

type testFile struct {
	APIVersion string         `json:"apiVersion"`
	Kind       string         `json:"kind"`
	Metadata   map[string]any `json:"metadata"`
	Policies   []string       `json:"policies"`
	Resources  []string       `json:"resources"`
	Context    string         `json:"context,omitempty"`
	Values     map[string]any `json:"values,omitempty"`
	Results    []testResult   `json:"results"`
}

func scenarioSuite(files map[string][]byte, r *harness.Replay, policyNames []string, rulesOf map[string][]string) error {
	sc := r.Scenario
	v, err := newView(r.Final)
	if err != nil {
		return err
	}
	var namespaces []any
	for _, n := range sortedKeys(v.namespaces) {
		namespaces = append(namespaces, v.namespaces[n])
	}
	// The audit: every Pod of the final state, its expected findings from expect.yaml.
	var pods, context [][]byte
	var results []testResult
	failing := map[string]map[string]bool{} // pod key -> rule
	for _, f := range sc.Expect.Findings {
		if failing[f.Pod] == nil {
			failing[f.Pod] = map[string]bool{}
		}
		failing[f.Pod][f.Rule] = true
	}
	byPolicy := map[string]map[string][]string{} // policy -> result -> resources
	for i := range r.Final {
		o := &r.Final[i]
		if cluster.PodFromObject(o) != nil {
			u, name, err := served(o, i)
			if err != nil {
				return err
			}
			doc, err := yaml.Marshal(u.Object)
			if err != nil {
				return err
			}
			pods, context = append(pods, doc), append(context, doc)
			for _, pol := range policyNames {
				result := "pass"
				if slices.ContainsFunc(rulesOf[pol], func(rule string) bool { return failing[name.key][rule] }) {
					result = "fail"
				}
				if byPolicy[pol] == nil {
					byPolicy[pol] = map[string][]string{}
				}
				byPolicy[pol][result] = append(byPolicy[pol][result], u.GetNamespace()+"/"+u.GetName())
			}
		}
	}
	if len(pods) == 0 {
		return nil
	}
	for _, kind := range []string{"/PersistentVolumeClaim", "/PersistentVolume", "/Namespace", "storage.k8s.io/StorageClass", "storage.k8s.io/CSIDriver"} {
		key := gvrKey(resources[kind][0], resources[kind][1])
		for _, ns := range sortedKeys(v.byNamespace[key]) {
			for _, u := range v.byNamespace[key][ns] {
				doc, err := yaml.Marshal(u.Object)
				if err != nil {
					return err
				}
				context = append(context, doc)
			}
		}
	}
	// Kyverno's offline context answers a List of a kind it holds nothing of with an error, where a
	// cluster answers an empty list. A placeholder of each cluster-scoped kind the policies list is
	// parked under a namespace: no cluster-scoped List or Get reads it, and the lists stay empty.
	for _, kind := range []string{"/PersistentVolume", "storage.k8s.io/CSIDriver", "storage.k8s.io/StorageClass"} {
		r := resources[kind]
		apiVersion, name := r[0], kind[strings.Index(kind, "/")+1:]
		if len(v.byNamespace[gvrKey(r[0], r[1])]) == 0 {
			doc, err := yaml.Marshal(map[string]any{"apiVersion": apiVersion, "kind": name,
				"metadata": map[string]any{"name": "selmount-placeholder", "namespace": "selmount-placeholder-never-listed"}})
			if err != nil {
				return err
			}
			context = append(context, doc)
		}
	}
	for _, pol := range policyNames {
		for _, result := range []string{"fail", "pass"} {
			if rs := byPolicy[pol][result]; len(rs) > 0 {
				results = append(results, testResult{Policy: pol, IsValidatingPolicy: true, Kind: "Pod", Resources: rs, Result: result})
			}
		}
	}
	test := testFile{APIVersion: "cli.kyverno.io/v1alpha1", Kind: "Test", Metadata: map[string]any{"name": sc.Name},
		Policies: []string{"../policies/validating.yaml"}, Resources: []string{"resources.yaml"}, Context: "context.yaml",
		Values: map[string]any{"namespaces": namespaces}, Results: results}
	ctxResources, err := rawDocs(context)
	if err != nil {
		return err
	}
	ctxResources = append(ctxResources, profileParameter(sc))
	ctxDoc := map[string]any{"apiVersion": "cli.kyverno.io/v1alpha1", "kind": "Context", "metadata": map[string]any{"name": sc.Name}, "spec": map[string]any{"resources": ctxResources}}
	if err := put(files, sc.Name+"/kyverno-test.yaml", header(sc), test); err != nil {
		return err
	}
	if err := put(files, sc.Name+"/context.yaml", "", ctxDoc); err != nil {
		return err
	}
	files[sc.Name+"/resources.yaml"] = documents(pods)
	return optOutSuite(files, r, namespaces)
}

// optOutSuite covers the scenario's Pod CREATEs in namespaces whose opt-out label at admission is the
// one the suite's namespaces carry: mutated (pass, with the patched Pod) or left alone (skip).
func optOutSuite(files map[string][]byte, r *harness.Replay, namespaces []any) error {
	sc := r.Scenario
	final := map[string]string{}
	for i := range r.Final {
		if r.Final[i].Kind == "Namespace" {
			var m struct {
				Metadata struct {
					Labels map[string]string `json:"labels"`
				} `json:"metadata"`
			}
			if err := json.Unmarshal(r.Final[i].Raw, &m); err != nil {
				return err
			}
			if l, ok := m.Metadata.Labels[policies.OptOutLabel]; ok {
				final[r.Final[i].Name] = l
			}
		}
	}
	seen := map[string]bool{}
	var admitted, patched [][]byte
	var mutated, skipped []string
	for _, a := range r.Admits {
		// A Pod is mutated on CREATE only; a workload stands for the Pods it creates (always CREATEs).
		if a.Operation != policies.OperationCreate && a.Object.Kind == "Pod" {
			continue
		}
		ns := a.Model.Pod.Namespace
		label, ok := a.OptOut[ns]
		if !ok || label != final[ns] || !policies.ValidChangePolicy(label) {
			continue
		}
		u, _, err := served(a.Object, -1)
		if err != nil {
			return err
		}
		id := u.GetNamespace() + "/" + u.GetName()
		if seen[id] {
			continue
		}
		seen[id] = true
		doc, err := yaml.Marshal(u.Object)
		if err != nil {
			return err
		}
		admitted = append(admitted, doc)
		if !a.Model.Mutated {
			skipped = append(skipped, id)
			continue
		}
		p := u.DeepCopy()
		if psc, _, _ := unstructured.NestedFieldNoCopy(p.Object, "spec", "securityContext"); psc == nil {
			if err := unstructured.SetNestedMap(p.Object, map[string]any{}, "spec", "securityContext"); err != nil {
				return err
			}
		}
		if err := unstructured.SetNestedField(p.Object, string(*a.Model.Pod.ChangePolicy()), "spec", "securityContext", "seLinuxChangePolicy"); err != nil {
			return err
		}
		doc, err = yaml.Marshal(p.Object)
		if err != nil {
			return err
		}
		patched = append(patched, doc)
		mutated = append(mutated, id)
	}
	if len(admitted) == 0 {
		return nil
	}
	const policy = "selmount-selinux-004-opt-out"
	var results []testResult
	if len(mutated) > 0 {
		results = append(results, testResult{Policy: policy, IsMutatingPolicy: true, Kind: "Pod", Resources: mutated, Result: "pass", PatchedResources: "patched.yaml"})
		files[sc.Name+"/opt-out/patched.yaml"] = documents(patched)
	}
	if len(skipped) > 0 {
		results = append(results, testResult{Policy: policy, IsMutatingPolicy: true, Kind: "Pod", Resources: skipped, Result: "skip"})
	}
	test := testFile{APIVersion: "cli.kyverno.io/v1alpha1", Kind: "Test", Metadata: map[string]any{"name": sc.Name + "-opt-out"},
		Policies: []string{"../../policies/opt-out.yaml"}, Resources: []string{"resources.yaml"},
		Values: map[string]any{"namespaces": namespaces}, Results: results}
	files[sc.Name+"/opt-out/resources.yaml"] = documents(admitted)
	return put(files, sc.Name+"/opt-out/kyverno-test.yaml", header(sc), test)
}

func header(sc *harness.Scenario) string {
	return "# Generated from harness/scenarios/" + sc.Name + " by go generate ./harness/engines/kyverno; do not edit.\n"
}

func put(files map[string][]byte, path, head string, v any) error {
	doc, err := yaml.Marshal(v)
	if err != nil {
		return err
	}
	files[path] = append([]byte(head), doc...)
	return nil
}

func rawDocs(docs [][]byte) ([]any, error) {
	out := make([]any, 0, len(docs))
	for _, d := range docs {
		var m map[string]any
		if err := yaml.Unmarshal(d, &m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

func documents(docs [][]byte) []byte {
	return bytes.Join(docs, []byte("---\n"))
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
