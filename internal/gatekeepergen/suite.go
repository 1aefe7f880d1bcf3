package gatekeepergen

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
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

// suite writes gatekeeper/tests: for every CREATE of a Pod or workload in every scenario, the
// object as the model admitted it (after the opt-out) and the cluster before it as inventory, and
// for each rule's constraint the number of violations the model expects. gator passes no Namespace
// to CEL, so the opt-out label check of SELINUX-005 (CEL) is left out of its counts.
func (g *generator) suite(root string) error {
	scs, err := harness.LoadScenarios(filepath.Join(root, "harness", "scenarios"))
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
		for _, ac := range r.Admits {
			if ac.Operation != policies.OperationCreate {
				continue
			}
			a := rec.admissions[ac.Index]
			obj := a.Object
			if a.Mutated != nil {
				obj = a.Mutated
			}
			dir := filepath.ToSlash(filepath.Join("cases", sc.Name))
			objectFile := fmt.Sprintf("%s/%02d-object.yaml", dir, ac.Index)
			if err := g.putObjects("tests/"+objectFile, []cluster.Object{*obj}, false); err != nil {
				return err
			}
			var inventory []string
			if len(a.Prior) > 0 {
				inventory = []string{fmt.Sprintf("%s/%02d-inventory.yaml", dir, ac.Index)}
				if err := g.putObjects("tests/"+inventory[0], a.Prior, true); err != nil {
					return err
				}
			}
			for _, t := range g.templates {
				want := 0
				for _, f := range ac.Model.Findings {
					if f.Rule == t.Rule.ID && (t.CEL == nil || f.Property != policies.OptOutLabel) {
						want++
					}
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
				assertion := map[string]any{"violations": want}
				if want > 0 {
					assertion = map[string]any{"violations": want, "message": "^" + t.Rule.ID + ": "}
				}
				st.Cases = append(st.Cases, suiteCase{Name: fmt.Sprintf("%s #%d %s", sc.Name, ac.Index, ac.Pod), Object: objectFile,
					Inventory: inventory, Assertions: []map[string]any{assertion}})
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
