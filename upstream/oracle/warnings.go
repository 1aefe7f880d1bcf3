package oracle

import "github.com/go-logr/logr"

// warnings is a logr sink that keeps the "err" value of every log line. The DSW reports a
// multiple-labels mismatch on a volume that is not eligible for the mount option only as a metric
// and a V(4) log line carrying the error; the metric has no pod or volume, the log line's error does.
type warnings struct {
	errs []error
}

var _ logr.LogSink = &warnings{}

func (w *warnings) Init(logr.RuntimeInfo)       {}
func (w *warnings) Enabled(int) bool            { return true }
func (w *warnings) Error(error, string, ...any) {}
func (w *warnings) Info(_ int, _ string, kv ...any) {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i] == "err" {
			if e, ok := kv[i+1].(error); ok {
				w.errs = append(w.errs, e)
			}
		}
	}
}
func (w *warnings) WithValues(...any) logr.LogSink { return w }
func (w *warnings) WithName(string) logr.LogSink   { return w }
