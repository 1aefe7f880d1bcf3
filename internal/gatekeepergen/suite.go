package gatekeepergen

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// recorder is a harness engine that only keeps what each admission saw, so that the suite shows
// gator the same object and inventory the harness shows the gatekeeper engine.
type recorder struct{ admissions map[int]harness.Admission }

func (r *recorder) Name() string    { return "gator-suite" }
func (r *recorder) Rules() []string { return nil }
func (r *recorder) Admit(_ context.Context, a harness.Admission) (harness.Outcome, error) {
	r.admissions[a.Index] = a
	return harness.Outcome{}, nil
}
func (r *recorder) Audit(context.Context, *harness.Scenario, []cluster.Object) (harness.Outcome, error) {
	return harness.Outcome{}, nil
}

// suiteEpoch dates inventory objects in admission order, as the gatekeeper engine does.
var suiteEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

type suiteCase struct {
	Name       string           `json:"name"`
	Object     string           `json:"object"`
	Inventory  []string         `json:"inventory,omitempty"`
	Assertions []map[string]any `json:"assertions"`
}

type suiteTest struct {
	Name       string      `json:"name"`
	Template   string      `json:"template"`
	Constraint string      `json:"constraint"`
	Cases      []suiteCase `json:"cases"`
}

// suite writes gatekeeper/tests from every CREATE of a Pod or workload in every scenario: the object
// as the API server stores it and the cluster before it as inventory (a Pod after the opt-out, a
// workload as applied: the opt-out mutates its Pods, never the workload), and for each rule's
// constraint the number of violations the model expects, every one of them naming the reviewed
// object first ("SELINUX-00N: <Kind> <namespace>/<name>: "). gator passes no Namespace to CEL, so
// the opt-out label check of SELINUX-005 (CEL) is left out of its counts, and the CEL templates get
// no case of a workload the opt-out covers.
//
// Every admission with violations is a case. An admission without any is a case only where it says
// something (see keepsPass), and then once per scenario and constraint: a suite of `violations: 0`
// for rules a scenario never touches is bulk, not signal.
func (g *generator) suite(root string) error {
	scs, err := harness.LoadScenarios(filepath.Join(root, "harness", "scenarios"))
	if err != nil {
		return err
	}
	fixed := map[string]map[string]bool{} // scenario -> rules it is the Fixed scenario of
	for _, r := range policies.Catalogue() {
		if fixed[r.Fixed] == nil {
			fixed[r.Fixed] = map[string]bool{}
		}
		fixed[r.Fixed][r.ID] = true
	}
	defaultProfile, err := gates.Parse("")
	if err != nil {
		return err
	}
	tests := map[string]*suiteTest{}
	var names []string
	for _, sc := range scs {
		rec := &recorder{admissions: map[int]harness.Admission{}}
		r, err := harness.Run(context.Background(), rec, sc)
		if err != nil {
			return err
		}
		// Under another profile, what the default profile would report: a rule the profile silences
		// is worth a case without violations.
		var byDefault *harness.Replay
		if sc.Profile != defaultProfile {
			other := *sc
			other.Profile = defaultProfile
			if byDefault, err = harness.Run(context.Background(), &recorder{admissions: map[int]harness.Admission{}}, &other); err != nil {
				return err
			}
		}
		for _, t := range g.templates {
			cases := counts(r, t)
			silenced := map[int]bool{} // admissions the rule fires on under the default profile only
			if byDefault != nil {
				for _, c := range counts(byDefault, t) {
					silenced[c.ac.Index] = c.want > 0
				}
			}
			cases = keepInformative(cases, silenced, keepsPass(sc, fixed[sc.Name][t.Rule.ID], cases, silenced))
			if len(cases) == 0 {
				continue
			}
			key := t.Rule.ID + " " + sc.Profile.Name
			st, ok := tests[key]
			if !ok {
				constraint, err := g.profileConstraint(t, sc.Profile.Name)
				if err != nil {
					return err
				}
				st = &suiteTest{Name: key, Template: "../base/templates/" + t.Name() + ".yaml", Constraint: constraint}
				tests[key] = st
				names = append(names, key)
			}
			for _, c := range cases {
				tc, err := g.suiteCase(sc, rec.admissions[c.ac.Index], c, t.Rule.ID)
				if err != nil {
					return err
				}
				st.Cases = append(st.Cases, tc)
			}
		}
	}
	sort.Strings(names)
	suite := map[string]any{"apiVersion": "test.gatekeeper.sh/v1alpha1", "kind": "Suite", "metadata": map[string]any{"name": "selmount"}}
	var list []any
	for _, n := range names {
		list = append(list, tests[n])
	}
	suite["tests"] = list
	return g.put("tests/suite.yaml", suite)
}

// admitCount is one CREATE and the number of violations of one rule the model expects of it.
type admitCount struct {
	ac   harness.AdmitCase
	want int
}

// counts are the CREATEs of a replay and the violations of a template's rule the model expects of
// each.
func counts(r *harness.Replay, t template) []admitCount {
	var out []admitCount
	for _, ac := range r.Admits {
		if ac.Operation != policies.OperationCreate {
			continue
		}
		// A workload the opt-out covers reads as its Pods only with its Namespace at hand, which
		// gator gives CEL not (the Rego reads it from the inventory).
		if t.CEL != nil && ac.Model.Mutated && harness.IsWorkload(ac.Object) {
			continue
		}
		want := 0
		for _, f := range ac.Model.Findings {
			if f.Rule == t.Rule.ID && (t.CEL == nil || f.Property != policies.OptOutLabel) {
				want++
			}
		}
		out = append(out, admitCount{ac: ac, want: want})
	}
	return out
}

// keepsPass tells whether a scenario's admissions without violations of a rule carry information:
// the rule fires on another admission of the scenario (a Pod beside it must pass), the scenario's
// profile silences it (it fires under the default profile), the scenario is the rule's Fixed
// scenario in the catalogue, or the scenario expects no finding at all (every Pod of it must pass).
// Elsewhere the rule has nothing to say about the scenario.
func keepsPass(sc *harness.Scenario, isFixed bool, cases []admitCount, silenced map[int]bool) bool {
	for _, c := range cases {
		if c.want > 0 || silenced[c.ac.Index] {
			return true
		}
	}
	return isFixed || len(sc.Expect.Findings) == 0
}

// keepInformative keeps every admission with violations and, when pass is set, one without any: the
// last the profile silences if there is one, else the last (the one with the fullest inventory: the
// fixed object, or the Pod that must pass although an earlier one is refused).
func keepInformative(cases []admitCount, silenced map[int]bool, pass bool) []admitCount {
	last := -1
	for i, c := range cases {
		if c.want == 0 && pass && (last < 0 || !silenced[cases[last].ac.Index] || silenced[c.ac.Index]) {
			last = i
		}
	}
	var out []admitCount
	for i, c := range cases {
		if c.want > 0 || i == last {
			out = append(out, c)
		}
	}
	return out
}

// suiteCase writes one admission's object and inventory (once, whichever constraints use them) and
// its assertions: the number of violations and, when there are some, that every one names the
// reviewed object first.
func (g *generator) suiteCase(sc *harness.Scenario, a harness.Admission, c admitCount, rule string) (suiteCase, error) {
	// As the API server hands them to Gatekeeper: a Pod mutated, a workload as applied (the opt-out's
	// Assign mutators match Pods only), in the object and in the inventory.
	// (harness.Run reuses the variable a.Object points to for the mutated object once the engine has
	// answered, so the object as applied is read from the scenario.)
	obj := &sc.Objects[a.Index]
	if a.Mutated != nil && !harness.IsWorkload(obj) {
		obj = a.Mutated
	}
	dir := filepath.ToSlash(filepath.Join("cases", sc.Name))
	objectFile := fmt.Sprintf("%s/%02d-object.yaml", dir, c.ac.Index)
	if err := g.putObjects("tests/"+objectFile, []cluster.Object{*obj}, false); err != nil {
		return suiteCase{}, err
	}
	var inventory []string
	if len(a.Prior) > 0 {
		inventory = []string{fmt.Sprintf("%s/%02d-inventory.yaml", dir, c.ac.Index)}
		if err := g.putObjects("tests/"+inventory[0], harness.WorkloadsAsApplied(sc, a.Index, a.Prior), true); err != nil {
			return suiteCase{}, err
		}
	}
	assertions := []map[string]any{{"violations": c.want}}
	if c.want > 0 {
		assertions = append(assertions, map[string]any{"violations": c.want, "message": subjectPattern(rule, obj)})
	}
	return suiteCase{Name: fmt.Sprintf("%s #%d %s", sc.Name, c.ac.Index, c.ac.Pod), Object: objectFile,
		Inventory: inventory, Assertions: assertions}, nil
}

// subjectPattern matches a message of the rule about the reviewed object: "^SELINUX-00N: <Kind>
// <namespace>/<name>: " (rego/lib/selmount/subject.rego, and the CEL templates' subject variable).
func subjectPattern(rule string, o *cluster.Object) string {
	ns := o.Namespace
	if ns == "" {
		ns = "default"
	}
	return "^" + regexp.QuoteMeta(rule+": "+o.Kind+" "+ns+"/"+o.Name+": ")
}

// profileConstraint is the rule's Constraint for a gate profile (the shipped one for v1.37).
func (g *generator) profileConstraint(t template, profile string) (string, error) {
	name := "constraint-" + strings.ToLower(t.Rule.ID) + "-" + strings.NewReplacer(",", "-", "=", "-", ".", "").Replace(strings.ToLower(profile)) + ".yaml"
	doc := constraintDoc(t, t.constraintName(), "warn", nil, g.labels())
	doc["spec"].(map[string]any)["parameters"] = map[string]any{"profile": profile}
	return name, g.put("tests/"+name, doc)
}

// putObjects writes objects as the API server would hand them to Gatekeeper (decoded into their
// types), inventory ones dated in order.
func (g *generator) putObjects(path string, objects []cluster.Object, dated bool) error {
	var docs []any
	for i := range objects {
		o := &objects[i]
		raw := []byte(o.Raw)
		if o.Typed != nil {
			var err error
			if raw, err = json.Marshal(o.Typed); err != nil {
				return err
			}
		}
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			return fmt.Errorf("%s: %w", o.Source, err)
		}
		meta, _ := m["metadata"].(map[string]any)
		if meta == nil {
			meta = map[string]any{}
			m["metadata"] = meta
		}
		delete(meta, "creationTimestamp")
		if o.Namespace != "" {
			meta["namespace"] = o.Namespace
		}
		if dated {
			meta["creationTimestamp"] = suiteEpoch.Add(time.Duration(i) * time.Second).Format(time.RFC3339)
		}
		docs = append(docs, m)
	}
	return g.put(path, docs...)
}
