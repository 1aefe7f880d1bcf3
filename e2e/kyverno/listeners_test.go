package kyverno

import (
	"reflect"
	"testing"
)

func TestListenersOf(t *testing.T) {
	ss := `LISTEN 0 4096 127.0.0.1:41285 0.0.0.0:* users:(("kyverno",pid=42,fd=9))
LISTEN 0 4096 *:8000 *:* users:(("kyverno",pid=42,fd=10))
LISTEN 0 4096 127.0.0.1:6443 0.0.0.0:* users:(("kube-apiserver",pid=421,fd=3))
`
	got := listenersOf(ss, 42)
	if want := []string{"127.0.0.1:41285", "*:8000"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("listenersOf = %v, want %v", got, want)
	}
	if off := OffLoopbackListeners(got); !reflect.DeepEqual(off, []string{"*:8000"}) {
		t.Fatalf("OffLoopbackListeners = %v", off)
	}
}
