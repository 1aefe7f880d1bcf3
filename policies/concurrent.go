package policies

// inParallel starts f on another goroutine and returns a wait for its result. A panic in f is raised
// again by wait, on the caller's goroutine: there the CLI's recover turns it into its internal-error
// message, where a panic left on the other goroutine would end the process with a stack dump.
func inParallel[T any](f func() T) (wait func() T) {
	type outcome struct {
		v        T
		panic    any
		panicked bool
	}
	done := make(chan outcome, 1)
	go func() {
		o := outcome{panicked: true}
		defer func() {
			if o.panicked {
				o.panic = recover()
			}
			done <- o
		}()
		o.v = f()
		o.panicked = false
	}()
	return func() T {
		o := <-done
		if o.panicked {
			panic(o.panic)
		}
		return o.v
	}
}
