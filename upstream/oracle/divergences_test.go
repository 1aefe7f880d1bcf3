package oracle

import "testing"

func loadDivergences(t *testing.T) []Divergence {
	t.Helper()
	ds, err := readDivergences(DivergencesFile)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}
