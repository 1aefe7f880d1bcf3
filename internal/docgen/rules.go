// Package docgen writes docs/rules/SELINUX-00N.md from the catalogue in policies/, the bundles and
// the scenario corpus, so that a rule's page says what the code does.
package docgen

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies"
)

// Paths are relative to the repository root.
const (
	ScenarioDir     = "harness/scenarios"
	RulesDir        = "docs/rules"
	mapBase         = "map/base"
	mapDivergences  = "harness/engines/admissionpolicy/divergences.yaml"
	ruleAnnotations = "selmount.io/rules"
	regoMain        = "rego/selmount/main.rego"
)

// bundles are the engine bundles a rule page lists, with the files whose objects carry the
// selmount.io/rule(s) annotations and the harness divergence list of their engine.
var bundles = []struct {
	engine, title, apply, divergences string
	dirs                              []string
}{
	{"gatekeeper", "Gatekeeper (`gatekeeper/`)", "`kubectl apply -f gatekeeper/base/templates/`, the two `kubectl wait` lines of gatekeeper/README.md (Gatekeeper creates the constraint CRDs from the templates), then `kubectl apply -k gatekeeper/` (`overlays/deny`, `overlays/v1.36`)",
		"harness/engines/gatekeeper/divergences.yaml", []string{"gatekeeper/base"}},
	{"kyverno", "Kyverno (`kyverno/`)", "`kubectl apply -k kyverno/`, then the `kubectl wait` of kyverno/README.md until the policies are ready (`overlays/enforce`)",
		"harness/engines/kyverno/divergences.yaml", []string{"kyverno"}},
}

// regoRules reads which rules the conftest entry point implements, from its METADATA "id:" lines.
func regoRules(path string) (map[string]bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		if id, ok := strings.CutPrefix(strings.TrimSpace(line), "#   id: "); ok {
			out[strings.TrimSpace(id)] = true
		}
	}
	return out, nil
}

// Generate renders one page per rule, keyed by its path under root.
func Generate(root string) (map[string][]byte, error) {
	inMap, err := bundleRules(filepath.Join(root, mapBase))
	if err != nil {
		return nil, err
	}
	inRego, err := regoRules(filepath.Join(root, regoMain))
	if err != nil {
		return nil, err
	}
	divergences, err := harness.LoadDivergences(filepath.Join(root, mapDivergences))
	if err != nil {
		return nil, err
	}
	var rows []bundleRow
	for _, bd := range bundles {
		row := bundleRow{title: bd.title, apply: bd.apply, objects: map[string][]string{}}
		for _, dir := range bd.dirs {
			objs, err := bundleRules(filepath.Join(root, dir))
			if err != nil {
				return nil, err
			}
			for id, names := range objs {
				row.objects[id] = append(row.objects[id], names...)
			}
		}
		listed, err := harness.LoadDivergences(filepath.Join(root, bd.divergences))
		if err != nil && !os.IsNotExist(err) && len(row.objects) > 0 {
			return nil, err
		}
		for _, d := range listed {
			d.Reason = bd.engine + ": " + d.Reason
			divergences = append(divergences, d)
		}
		rows = append(rows, row)
	}
	out := map[string][]byte{}
	for _, r := range policies.Catalogue() {
		page, err := render(root, r, inMap[r.ID], inRego[r.ID], rows, divergences)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.ID, err)
		}
		out[filepath.Join(RulesDir, r.ID+".md")] = page
	}
	return out, nil
}

// bundleRules reads which rules the objects under dir implement, from their selmount.io/rule(s)
// annotations; tests/ and overlays/ are not the bundle.
func bundleRules(dir string) (map[string][]string, error) {
	out := map[string][]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() && (d.Name() == "tests" || d.Name() == "overlays") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, doc := range strings.Split(string(data), "\n---") {
			var obj struct {
				Kind     string `json:"kind"`
				Metadata struct {
					Name        string            `json:"name"`
					Annotations map[string]string `json:"annotations"`
				} `json:"metadata"`
			}
			if yaml.Unmarshal([]byte(doc), &obj) != nil || obj.Kind == "" {
				continue // patches and kustomizations
			}
			ids := obj.Metadata.Annotations[ruleAnnotations]
			if ids == "" {
				ids = obj.Metadata.Annotations["selmount.io/rule"]
			}
			for _, id := range strings.Split(ids, ",") {
				if id != "" {
					out[id] = append(out[id], obj.Kind+"/"+obj.Metadata.Name)
				}
			}
		}
		return nil
	})
	return out, err
}

// bundleRow is one engine bundle's line on the rule pages.
type bundleRow struct {
	title, apply string
	objects      map[string][]string
}

func render(root string, r policies.Rule, mapObjects []string, inRego bool, rows []bundleRow, divergences []harness.Divergence) ([]byte, error) {
	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# %s — %s\n\n", r.ID, r.Title)
	w("<!-- Generated by internal/docgen from policies/catalogue.go, the bundles and harness/scenarios: run `go generate ./internal/docgen`. -->\n\n")
	kind := "check"
	if r.Mutation {
		kind = "mutation (with an audit check)"
	}
	w("Severity: **%s** · Kind: %s\n\n", r.Severity, kind)
	w("## What it detects\n\n%s\n\n", r.Description)
	w("## Why it matters on 1.37\n\n%s\n\n", r.Why)
	w("## Upstream behaviour it mirrors\n\n%s\n\n", r.Upstream)
	w("## Engines\n\n| engine | status | how to apply |\n|---|---|---|\n")
	w("| `selmount scan` (the reference model) | implemented | `go run ./cmd/selmount scan PATH` (manifests, kustomizations, `kubectl get -o yaml` dumps) |\n")
	if len(mapObjects) > 0 {
		sort.Strings(mapObjects)
		w("| Kubernetes admission policies (`map/`) | implemented: %s | `kubectl apply -k map/` (see map/README.md for overlays) |\n", strings.Join(mapObjects, ", "))
	} else {
		w("| Kubernetes admission policies (`map/`) | not applicable: it needs other Pods and volumes, which an admission policy cannot read | — |\n")
	}
	if inRego {
		w("| Rego with conftest (`rego/`) | implemented | `conftest test --combine -p rego/ FILES` (one object per file or a `kind: List` keeps admission order) |\n")
	} else {
		w("| Rego with conftest (`rego/`) | not applicable: conftest cannot mutate | — |\n")
	}
	for _, row := range rows {
		if objs := row.objects[r.ID]; len(objs) > 0 {
			sort.Strings(objs)
			w("| %s | implemented: %s | %s |\n", row.title, strings.Join(objs, ", "), row.apply)
		} else {
			w("| %s | not written yet | — |\n", row.title)
		}
	}
	w("\n")
	for _, ex := range []struct{ title, name string }{{"Example: violating", r.Violating}, {"Example: fixed", r.Fixed}} {
		if err := example(&b, root, r, ex.title, ex.name); err != nil {
			return nil, err
		}
	}
	w("## Known divergences\n\n")
	reasons := map[string]bool{}
	for _, d := range divergences {
		if d.Rule == r.ID {
			reasons[d.Reason] = true
		}
	}
	if len(reasons) == 0 {
		w("None listed.\n")
	}
	for _, reason := range sortedKeys(reasons) {
		if !strings.HasPrefix(reason, "gatekeeper: ") && !strings.HasPrefix(reason, "kyverno: ") {
			reason = "admission-policy: " + reason
		}
		w("- %s\n", reason)
	}
	return b.Bytes(), nil
}

func example(b *bytes.Buffer, root string, r policies.Rule, title, name string) error {
	dir := filepath.Join(root, ScenarioDir, name)
	sc, err := harness.LoadScenario(dir)
	if err != nil {
		return err
	}
	objects, err := os.ReadFile(filepath.Join(dir, harness.ObjectsFile))
	if err != nil {
		return err
	}
	fmt.Fprintf(b, "## %s (`%s/%s`, profile %s)\n\n%s\n\n```yaml\n%s```\n\n", title, ScenarioDir, name, sc.Profile.Name,
		strings.TrimSpace(sc.Expect.Description), strings.TrimLeft(string(objects), "\n"))
	var lines []string
	for _, f := range sc.Expect.Findings {
		if f.Rule != r.ID {
			continue
		}
		l := fmt.Sprintf("- %s `%s`", f.Severity, f.Pod)
		if f.OtherPod != "" {
			l += fmt.Sprintf(" vs `%s`", f.OtherPod)
		}
		if f.Volume != "" {
			l += fmt.Sprintf(" on `%s`", f.Volume)
		}
		if len(f.Values) > 0 {
			l += fmt.Sprintf(": %q", f.Values)
		}
		lines = append(lines, l)
	}
	if len(lines) == 0 {
		fmt.Fprintf(b, "No %s finding.\n\n", r.ID)
	} else {
		fmt.Fprintf(b, "%s findings:\n\n%s\n\n", r.ID, strings.Join(lines, "\n"))
	}
	return nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
