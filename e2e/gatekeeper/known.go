package gatekeeper

import (
	"fmt"
	"os"

	"sigs.k8s.io/yaml"
)

// Known are the listed differences between the gatekeeper/ bundle and the model
// (harness/engines/gatekeeper/divergences.yaml): the in-process engine's list, which the controller
// must reproduce and not exceed.
type Known []struct {
	Scenario string `json:"scenario"`
	Pod      string `json:"pod"`
	Reason   string `json:"reason"`
}

// LoadKnown reads a divergences file.
func LoadKnown(path string) (Known, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var k Known
	if err := yaml.Unmarshal(data, &k); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	for i, d := range k {
		if d.Scenario == "" || d.Pod == "" || d.Reason == "" {
			return nil, fmt.Errorf("%s: entry %d lacks scenario, pod or reason", path, i)
		}
	}
	return k, nil
}

// Reason is why a difference on pod in scenario is expected, or "".
func (k Known) Reason(scenario, pod string) string {
	for _, d := range k {
		if d.Scenario == scenario && d.Pod == pod {
			return d.Reason
		}
	}
	return ""
}
