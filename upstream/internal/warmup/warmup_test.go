package warmup

import "testing"

// TestWarmup exists so that `go test ./...` links every upstream package the oracle drives.
func TestWarmup(t *testing.T) {}
