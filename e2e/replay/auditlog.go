package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	auditv1 "k8s.io/apiserver/pkg/apis/audit/v1"
)

// auditTimeout bounds the wait for one request's audit event. The log backend blocks (see
// cluster.AuditFiles), so the event is written as the request completes; the wait covers the moment
// between the response reaching the client and the write.
const auditTimeout = 10 * time.Second

// AuditLog reads the API server's JSON audit log as it grows, one event per line, and finds the
// ResponseComplete event of a request by its audit ID: that stage carries the admission annotations.
type AuditLog struct {
	Path    string
	offset  int64
	partial []byte                    // the start of a line the server is still writing
	events  map[string]*auditv1.Event // read, not yet asked for, by audit ID
}

// NewAuditLog reads the log at path from its start.
func NewAuditLog(path string) *AuditLog {
	return &AuditLog{Path: path, events: map[string]*auditv1.Event{}}
}

// Event returns the ResponseComplete event of the request with audit ID id, waiting at most
// auditTimeout for it.
func (l *AuditLog) Event(ctx context.Context, id string) (*auditv1.Event, error) {
	if id == "" {
		return nil, fmt.Errorf("no Audit-ID: the request never reached the server")
	}
	deadline := time.Now().Add(auditTimeout)
	for {
		if err := l.read(); err != nil {
			return nil, err
		}
		if ev, ok := l.events[id]; ok {
			delete(l.events, id)
			return ev, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("audit event %s not in %s after %s", id, l.Path, auditTimeout)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// read indexes the complete lines written since the last read.
func (l *AuditLog) read() error {
	f, err := os.Open(l.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Seek(l.offset, io.SeekStart); err != nil {
		return err
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	l.offset += int64(len(data))
	data = append(l.partial, data...)
	end := bytes.LastIndexByte(data, '\n')
	l.partial = append([]byte(nil), data[end+1:]...)
	for _, line := range bytes.Split(data[:end+1], []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		ev := &auditv1.Event{}
		if err := json.Unmarshal(line, ev); err != nil {
			return fmt.Errorf("%s: %v", l.Path, err)
		}
		if ev.Stage == auditv1.StageResponseComplete {
			l.events[string(ev.AuditID)] = ev
		}
	}
	return nil
}
