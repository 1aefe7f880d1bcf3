package replay

import (
	"context"
	"fmt"
	"time"
)

// WaitFresh calls read every interval until it returns a result with nothing stale, or an error,
// and gives up after timeout, naming what was still stale: how a test waits for a controller's
// audit of a state (constraint status, PolicyReports) written after that state, bounded.
func WaitFresh[T any](ctx context.Context, timeout, interval time.Duration, read func() (T, string, error)) (T, error) {
	deadline := time.Now().Add(timeout)
	for {
		v, stale, err := read()
		if err != nil || stale == "" {
			return v, err
		}
		var zero T
		if time.Now().After(deadline) {
			return zero, fmt.Errorf("still stale after %s: %s", timeout, stale)
		}
		select {
		case <-ctx.Done():
			return zero, ctx.Err()
		case <-time.After(interval):
		}
	}
}
