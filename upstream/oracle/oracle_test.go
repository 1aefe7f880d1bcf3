package oracle

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"testing"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies/gates"
)

const scenarioDir = "../../harness/scenarios"

// generatedPerProfile is the number of generated clusters replayed per profile; ORACLE_N overrides it.
func generatedPerProfile(t *testing.T) int {
	if s := os.Getenv("ORACLE_N"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("ORACLE_N: %v", err)
		}
		return n
	}
	return 300
}

// firstSeed is the first generated seed replayed (ORACLE_FROM, default 0), to replay one reproducer:
// ORACLE_FROM=4366 ORACLE_N=1.
func firstSeed(t *testing.T) uint64 {
	if s := os.Getenv("ORACLE_FROM"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("ORACLE_FROM: %v", err)
		}
		return n
	}
	return 0
}

// tally counts differences per class and keeps one example of each.
type tally struct {
	count   map[string]int
	example map[string]string
	texts   int // SELINUX-001/002 event texts compared
}

func newTally() *tally { return &tally{count: map[string]int{}, example: map[string]string{}} }

func (ta *tally) add(class, example string) {
	ta.count[class]++
	if _, ok := ta.example[class]; !ok {
		ta.example[class] = example
	}
}

func (ta *tally) report(t *testing.T, what string) {
	classes := make([]string, 0, len(ta.count))
	for c := range ta.count {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	for _, c := range classes {
		t.Logf("%s: %-40s %6d differences, e.g. %s", what, c, ta.count[c], ta.example[c])
	}
	t.Logf("%s: %d controller event texts compared with the model's (a mismatch fails the test)", what, ta.texts)
}

// compareReplay replays sc through the upstream engine and classifies every difference from the
// model; unclassified differences fail the test.
func compareReplay(t *testing.T, sc *harness.Scenario, known []Divergence, ta *tally, m *harness.Matrix) {
	t.Helper()
	if err := ProfileAccepted(sc.Profile); err != nil {
		t.Errorf("%s: the model accepts a profile upstream refuses: %v", sc.Name, err)
		return
	}
	r, err := harness.Run(context.Background(), Engine{}, sc)
	if err != nil {
		t.Fatalf("%s: %v", sc.Name, err)
	}
	diffs := harness.Compare(r, Engine{}.Rules(), wantFromModel(r))
	m.Add(harness.UpstreamEngineName, Engine{}.Rules(), r, diffs, func(r *harness.Replay, d harness.Difference) string {
		if class := Classify(r, d); class != "" && listed(known, class) {
			return class
		}
		return ""
	})
	for _, d := range diffs {
		class := Classify(r, d)
		if class == "" || !listed(known, class) {
			t.Errorf("unexpected difference (class %q): %s", class, d)
			continue
		}
		ta.add(class, d.String())
	}
	ta.texts += compareEventTexts(t, r)
}

// compareEventTexts checks, for every SELINUX-001/002 finding both sides have, that the controller's
// event text (upstream's recorder) is the text the model says the controller records.
func compareEventTexts(t *testing.T, r *harness.Replay) int {
	t.Helper()
	n := 0
	model := map[string]string{}
	for _, f := range r.ModelAudit.Findings {
		model[f.Key()] = f.Message
	}
	for _, f := range r.Audit.Findings {
		if f.Rule != "SELINUX-001" && f.Rule != "SELINUX-002" {
			continue
		}
		want, ok := model[f.Key()]
		if ok {
			n++
		}
		if ok && want != f.Message {
			t.Errorf("%s: event text of %s %s vs %s:\n model    %s\n upstream %s", r.Scenario.Name, f.Rule, f.Pod.Key(), f.OtherPod.Key(), want, f.Message)
		}
	}
	return n
}

func listed(known []Divergence, class string) bool {
	for _, k := range known {
		if k.Class == class {
			return true
		}
	}
	return false
}

// TestAgreement replays every scenario of the corpus, then seeded random clusters under each
// profile, and compares upstream with the model. It fails on a difference no listed class explains,
// and on a listed "model bug" class that no replay produced (fixed in the model: remove it from
// divergences.yaml). Nondeterministic classes may or may not show in a run.
func TestAgreement(t *testing.T) {
	known := loadDivergences(t)
	seen := newTally()
	scs, err := harness.LoadScenarios(scenarioDir)
	if err != nil {
		t.Fatal(err)
	}
	n := generatedPerProfile(t)
	m := harness.NewMatrix(0, n, len(scs), Engine{}.Rules())
	ta := newTally()
	for _, sc := range scs {
		compareReplay(t, sc, known, ta, m)
	}
	ta.report(t, "scenarios")
	t.Logf("%d scenarios replayed", len(scs))
	seen.merge(ta)
	for _, name := range gates.Names() {
		profile, _ := gates.Parse(name)
		ta := newTally()
		for seed := firstSeed(t); seed < firstSeed(t)+uint64(n); seed++ {
			sc := harness.Generate(seed, harness.GenOptions{MaxPods: 12})
			sc.Profile = profile
			sc.Name = fmt.Sprintf("generated-%d/%s", seed, name)
			compareReplay(t, sc, known, ta, m)
		}
		ta.report(t, name)
		t.Logf("%s: %d generated clusters replayed", name, n)
		seen.merge(ta)
	}
	// The seeds a large sweep once found a model bug on, outside the matrix (its counts are per seed).
	ta = newTally()
	scratch := harness.NewMatrix(0, 0, 0, Engine{}.Rules())
	regressions := harness.Regressions()
	for _, sc := range regressions {
		compareReplay(t, sc, known, ta, scratch)
	}
	ta.report(t, "regressions")
	t.Logf("%d regression clusters replayed", len(regressions))
	seen.merge(ta)
	if firstSeed(t) != 0 {
		return // a window of seeds: neither the record nor the first seeds of listed classes apply
	}
	checkRecordedCells(t, &harness.UpstreamCells{Scenarios: len(scs), PerProfile: n, Profiles: gates.Names(), Cells: m.Cells[harness.UpstreamEngineName]})
	for _, k := range known {
		if k.Kind == KindModelBug && seen.count[k.Class] == 0 && n > k.FirstSeed {
			t.Errorf("listed class %q did not occur in any replay: if the model was fixed, remove it from %s", k.Class, DivergencesFile)
		}
	}
}

func (ta *tally) merge(o *tally) {
	ta.texts += o.texts
	for c, n := range o.count {
		ta.count[c] += n
		if _, ok := ta.example[c]; !ok {
			ta.example[c] = o.example[c]
		}
	}
}

// recordedCells is the upstream column of docs/agreement.md, which harness/engines/cmd/verify reads.
const recordedCells = "../../docs/agreement-upstream.json"

// checkRecordedCells writes the run's cells with ORACLE_RECORD=1 (make oracle-record); otherwise,
// when the run replayed as many clusters as the record, it checks that the record is current: the
// same cases evaluated per rule, and none unexpected. Agreed and listed counts are not compared:
// a nondeterministic class (upstream's map order) moves cases between them from run to run.
func checkRecordedCells(t *testing.T, got *harness.UpstreamCells) {
	t.Helper()
	if os.Getenv("ORACLE_RECORD") == "1" {
		data, err := json.MarshalIndent(got, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(recordedCells, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := harness.ReadUpstreamCells(recordedCells)
	if err != nil {
		t.Fatal(err)
	}
	if want.PerProfile != got.PerProfile || want.Scenarios != got.Scenarios {
		t.Logf("%s records %d clusters per profile and %d scenarios, this run %d and %d: not compared", recordedCells, want.PerProfile, want.Scenarios, got.PerProfile, got.Scenarios)
		return
	}
	for rule, c := range got.Cells {
		w := want.Cells[rule]
		if w == nil || w.Evaluated != c.Evaluated || w.Unexpected != c.Unexpected {
			t.Errorf("%s is stale for %s (recorded %+v, now %+v): run make oracle-record", recordedCells, rule, w, *c)
		}
	}
}
