package replay

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestWaitFreshReturnsOnceFresh(t *testing.T) {
	calls := 0
	v, err := WaitFresh(context.Background(), time.Minute, time.Millisecond, func() (int, string, error) {
		calls++
		if calls < 3 {
			return 0, "not yet", nil
		}
		return calls, "", nil
	})
	if err != nil || v != 3 {
		t.Errorf("got %d, %v; want 3 after three reads", v, err)
	}
}

func TestWaitFreshGivesUpNamingWhatIsStale(t *testing.T) {
	_, err := WaitFresh(context.Background(), 10*time.Millisecond, time.Millisecond, func() (int, string, error) {
		return 0, "constraint x", nil
	})
	if err == nil || !strings.Contains(err.Error(), "constraint x") {
		t.Errorf("got %v, want a timeout naming constraint x", err)
	}
}
