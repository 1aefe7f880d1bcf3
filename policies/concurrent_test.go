package policies

import "testing"

func TestInParallelReturnsTheResult(t *testing.T) {
	if got := inParallel(func() int { return 42 })(); got != 42 {
		t.Fatalf("wait() = %d, want 42", got)
	}
}

// The panic must reach the waiting goroutine, where a recover can catch it.
func TestInParallelRaisesThePanicOnWait(t *testing.T) {
	wait := inParallel(func() int { panic("boom") })
	defer func() {
		if r := recover(); r != "boom" {
			t.Fatalf("recovered %v, want boom", r)
		}
	}()
	wait()
	t.Fatal("wait returned after a panic")
}
