package harness

import "context"

// TB is the part of testing.TB the agreement checks report to, so that every engine's tests run
// the same checks without the harness importing package testing.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// CheckScenarios fails t for every unexpected difference of e on the scenarios and for every listed
// divergence that no longer happens.
func CheckScenarios(t TB, e Engine, scenarioDir, divergencesFile string) {
	t.Helper()
	unexpected, vanished, err := AgreeOnScenarios(context.Background(), e, scenarioDir, divergencesFile)
	if err != nil {
		t.Fatalf("%s: %v", e.Name(), err)
	}
	for _, d := range unexpected {
		t.Errorf("unexpected difference: %s", d)
	}
	for _, d := range vanished {
		t.Errorf("listed divergence no longer happens (remove it from %s): %+v", divergencesFile, d)
	}
}

// CheckGenerated replays n seeded random clusters (seeds 0…n-1) and the Regressions through e and fails t for every
// difference from the model, and every safety violation (Safety), that known (nil: none) does not
// name a class of. It returns the cases compared per rule and the differences per known class.
func CheckGenerated(t TB, e Engine, n int, known Classifier) (int, map[string]int) {
	t.Helper()
	cases, classes := 0, map[string]int{}
	check := func(sc *Scenario) {
		r, err := Run(context.Background(), e, sc)
		if err != nil {
			t.Fatalf("%s: %v", sc.Name, err)
		}
		safety, err := Safety(context.Background(), e, r)
		if err != nil {
			t.Fatalf("%s: %v", sc.Name, err)
		}
		for _, d := range append(Compare(r, e.Rules(), WantFromModel(r)), safety...) {
			if known != nil && d.Field != subjectField { // a known class never excuses a message's subject
				if class := known(r, d); class != "" {
					classes[class]++
					continue
				}
			}
			t.Errorf("%s (%s): %s", sc.Name, sc.Profile.Name, d)
		}
		cases += len(r.Admits) + 1
	}
	for seed := uint64(0); seed < uint64(n); seed++ {
		check(Generate(seed, GenOptions{MaxPods: 12}))
	}
	for _, sc := range Regressions() {
		check(sc)
	}
	return cases, classes
}
