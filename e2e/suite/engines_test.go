package suite

import (
	"testing"

	"github.com/selmount/selmount/e2e/bundles"
	"github.com/selmount/selmount/e2e/cluster"
	"github.com/selmount/selmount/e2e/report"
)

// engineManifest is one engine's release, and its CRDs (and namespace) as one manifest.
type engineManifest struct {
	engine  bundles.Engine
	release bundles.EngineRelease
	path    string
	crds    []string
}

// engineManifests extracts each engine's CRDs from its release in the module cache, once per run.
func engineManifests(t *testing.T, root string) map[string]engineManifest {
	dir := t.TempDir()
	out := map[string]engineManifest{}
	for _, e := range bundles.Engines {
		rel, err := e.Release(root)
		if err != nil {
			t.Fatal(err)
		}
		path, crds, err := e.Manifest(rel, dir)
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name] = engineManifest{engine: e, release: rel, path: path, crds: crds}
	}
	return out
}

// applyEngineBundles installs each engine's CRDs on the server of v, then applies, records and
// removes each of that engine's bundles as its README says. Only the API server's own checks run (CRD
// schemas and validation rules): no engine controller or webhook does.
func applyEngineBundles(t *testing.T, k bundles.Kubectl, root string, rep *report.Report, v cluster.Version, engines map[string]engineManifest) {
	installed := map[string]bool{}
	for _, b := range bundles.EngineBundles {
		if v.ServesLaterAPIs() && !b.Claimed(v.Name) {
			continue // as for map/: on a forward-compatible server only the bundles meant for it
		}
		m := engines[b.Engine]
		if !installed[b.Engine] {
			in := bundles.Install(k, m.engine, m.release, v.Name, m.path, m.crds)
			rep.Installed = append(rep.Installed, in)
			if !in.OK() {
				t.Errorf("%s %s CRDs on %s: %+v", m.engine.Name, m.release.Version, v.Name, in)
			}
			installed[b.Engine] = true
		}
		applyBundle(t, k, root, rep, v, b)
		if err := bundles.Remove(k, root, b); err != nil {
			t.Fatal(err)
		}
	}
}

// applyBundle applies b as its README says and records each command's outcome; a bundle that claims
// v must be accepted (but for expected refusals). It reports whether everything was.
func applyBundle(t *testing.T, k bundles.Kubectl, root string, rep *report.Report, v cluster.Version, b bundles.Bundle) bool {
	all := true
	for _, applied := range bundles.Apply(k, root, v.Name, b) {
		rep.Applied = append(rep.Applied, applied)
		if len(applied.Unread) > 0 {
			t.Errorf("%s: kubectl said what the test cannot read: %q", applied.Bundle, applied.Unread)
		}
		if b.Claimed(v.Name) && !applied.AllAccepted() {
			t.Errorf("%s claims Kubernetes %s, but the server refused: %+v", applied.Bundle, v.Name, applied.Objects)
		}
		all = all && applied.AllAccepted()
	}
	return all
}
