package harness

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// FuzzModelSafety: any decodable input, replayed through the model's Admit (every Pod and workload
// in order) and Audit under each profile, never panics and keeps the safety properties (Safety): the
// opt-out never mutates a Pod UPDATE, never overwrites, never touches a Windows Pod, changes nothing
// else and is idempotent; no message names a Pod of another namespace. The grouped report stands for
// the per-pair report's pairs (checkGrouped).
//
//	go test ./harness -run '^$' -fuzz '^FuzzModelSafety$' -fuzztime 20s
func FuzzModelSafety(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("scenarios", "*", ObjectsFile))
	if err != nil || len(files) == 0 {
		f.Fatalf("no scenario seeds: %v", err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint8(0))
	}
	profiles := gates.Names()
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		objs, err := cluster.Decode("in.yaml", data)
		if err != nil {
			return
		}
		profile, err := gates.Parse(profiles[int(which)%len(profiles)])
		if err != nil {
			t.Fatal(err)
		}
		sc := &Scenario{Name: "fuzz", Profile: profile, Objects: objs}
		r, err := Run(context.Background(), ModelEngine{}, sc)
		if err != nil {
			return // objects the model refuses (e.g. an invalid workload) are an error, not a panic
		}
		diffs, err := Safety(context.Background(), ModelEngine{}, r)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range diffs {
			t.Errorf("%s", d)
		}
		checkGrouped(t, "fuzz", profile, stateOf(r.Final))
	})
}
