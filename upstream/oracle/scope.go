package oracle

import (
	"fmt"
	"slices"
)

// scope lets upstream's featuregatetesting helpers run outside a test: they only need a TB to report
// to and to register the restore functions on. The oracle sets gates per replay (each scenario has its
// own profile) and restores them when the replay ends, so it cannot use a *testing.T's Cleanup.
type scope struct {
	name     string
	cleanups []func()
	errs     []string
}

// fatal carries a Fatal out of the helper; close recovers nothing, the caller of run does.
type fatal struct{ msg string }

func (s *scope) Cleanup(f func())    { s.cleanups = append(s.cleanups, f) }
func (s *scope) Logf(string, ...any) {}
func (s *scope) Error(args ...any)   { s.errs = append(s.errs, fmt.Sprint(args...)) }
func (s *scope) Errorf(format string, args ...any) {
	s.errs = append(s.errs, fmt.Sprintf(format, args...))
}
func (s *scope) Fatal(args ...any)                 { panic(fatal{fmt.Sprint(args...)}) }
func (s *scope) Fatalf(format string, args ...any) { panic(fatal{fmt.Sprintf(format, args...)}) }
func (s *scope) Helper()                           {}
func (s *scope) Name() string                      { return s.name }

// run calls f and turns a Fatal or an Error reported during it into an error.
func (s *scope) run(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			ft, ok := r.(fatal)
			if !ok {
				panic(r)
			}
			err = fmt.Errorf("%s", ft.msg)
		}
	}()
	f()
	if len(s.errs) > 0 {
		return fmt.Errorf("%s", s.errs[0])
	}
	return nil
}

// close runs the cleanups in reverse registration order, as testing does.
func (s *scope) close() error {
	var err error
	for _, f := range slices.Backward(s.cleanups) {
		if e := s.run(f); e != nil && err == nil {
			err = e
		}
	}
	s.cleanups = nil
	return err
}
