package harness

import "testing"

// The regression scenarios' expectations are the model's: engines are held to them (see
// harness/engines/kyverno).
func TestModelAgreesWithRegressionScenarios(t *testing.T) {
	CheckScenarios(t, ModelEngine{}, "testdata/regressions", "testdata/regressions/divergences.yaml")
}
