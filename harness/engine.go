package harness

import (
	"context"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

// Admission is one Pod or workload admission of a replay.
type Admission struct {
	Scenario  *Scenario
	Index     int // position of the object in Scenario.Objects
	Operation string
	// Subresource is "ephemeralcontainers" for an UPDATE that adds ephemeral containers: the API
	// server accepts them only through pods/ephemeralcontainers, as `kubectl debug` sends them.
	Subresource string
	Object      *cluster.Object
	OldObject   *cluster.Object
	// Mutated is the object after the model's opt-out mutation (nil when it mutated nothing): what a
	// validating-only engine sees, since validation runs after mutation in the API server.
	Mutated *cluster.Object
	// Prior is the cluster before this admission: the latest version of every object, pods as admitted.
	Prior []cluster.Object
}

// Outcome is what an engine said about one admission or one audit.
type Outcome struct {
	Findings []policies.Finding
	// Object is the admitted object after mutation; nil when the engine left it unchanged.
	Object *cluster.Object
	// Evaluated counts, per rule, the evaluations the engine really ran (a policy that matched and
	// produced a verdict), so that a silently skipped rule cannot pass.
	Evaluated map[string]int
}

// Engine is one implementation of the rules: the model, or a policy engine running a translation.
type Engine interface {
	Name() string
	// Rules are the rule IDs the engine implements; it is compared with the model on these only.
	Rules() []string
	Admit(ctx context.Context, a Admission) (Outcome, error)
	Audit(ctx context.Context, sc *Scenario, objects []cluster.Object) (Outcome, error)
}
