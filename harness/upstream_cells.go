package harness

import (
	"encoding/json"
	"fmt"
	"os"
)

// UpstreamEngineName is the upstream oracle's column in the agreement matrix.
const UpstreamEngineName = "upstream v1.37.2"

// UpstreamCells is the upstream oracle's agreement with the model, as the upstream module's
// TestAgreement records it (docs/agreement-upstream.json): the k8s.io/kubernetes module cannot be
// linked with the engines, so verify reads this file instead of running the oracle itself.
type UpstreamCells struct {
	Scenarios int `json:"scenarios"`
	// PerProfile generated clusters (seeds 0…PerProfile-1) were replayed under each of Profiles.
	PerProfile int              `json:"generatedClustersPerProfile"`
	Profiles   []string         `json:"profiles"`
	Cells      map[string]*Cell `json:"cells"`
}

// ReadUpstreamCells reads the file; a missing file is an error naming it.
func ReadUpstreamCells(path string) (*UpstreamCells, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("upstream agreement: %w (run make oracle-record)", err)
	}
	var u UpstreamCells
	if err := json.Unmarshal(data, &u); err != nil {
		return nil, fmt.Errorf("upstream agreement %s: %w", path, err)
	}
	return &u, nil
}

// AddUpstream puts the oracle's cells in the matrix as one more column.
func (m *Matrix) AddUpstream(u *UpstreamCells) {
	m.Engines = append(m.Engines, UpstreamEngineName)
	m.Cells[UpstreamEngineName] = u.Cells
	m.Upstream = u
}
