package harness

import (
	"encoding/json"

	"github.com/selmount/selmount/policies/cluster"
)

// templatePath is where a kind keeps its pod spec; Pods keep it at the top.
var templatePath = map[string][]string{
	"Pod":                   nil,
	"Deployment":            {"spec", "template"},
	"StatefulSet":           {"spec", "template"},
	"DaemonSet":             {"spec", "template"},
	"ReplicaSet":            {"spec", "template"},
	"ReplicationController": {"spec", "template"},
	"Job":                   {"spec", "template"},
	"CronJob":               {"spec", "jobTemplate", "spec", "template"},
}

// WithChangePolicy returns a copy of a Pod or workload whose pod spec carries the policy; for a
// workload this stands for the Pods it creates, which the opt-out mutates at their CREATE.
func WithChangePolicy(o *cluster.Object, value string) (cluster.Object, error) {
	var doc map[string]any
	if err := json.Unmarshal(o.Raw, &doc); err != nil {
		return cluster.Object{}, errorf("%s: %v", o.Source, err)
	}
	path, ok := templatePath[o.Kind]
	if !ok {
		return cluster.Object{}, errorf("%s: %s has no pod spec", o.Source, o.ID())
	}
	m := doc
	for _, k := range append(append([]string{}, path...), "spec", "securityContext") {
		next, _ := m[k].(map[string]any)
		if next == nil {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m["seLinuxChangePolicy"] = value
	js, err := json.Marshal(doc)
	if err != nil {
		return cluster.Object{}, err
	}
	return cluster.DecodeOne(o.Source, js)
}
