package replay

import (
	"context"
	"net/http"
)

// auditIDHeader is where the API server echoes each request's audit ID, the key of its audit event.
const auditIDHeader = "Audit-Id"

type auditIDKey struct{}

// recordingAuditID returns a context whose requests record the audit ID the server answered into
// *id: the ID of the last request sent with it, so each write gets a context of its own.
func recordingAuditID(ctx context.Context) (context.Context, *string) {
	id := new(string)
	return context.WithValue(ctx, auditIDKey{}, id), id
}

// auditIDRecorder is the clients' transport: it stores the Audit-Id response header where the
// request's context asks for it, and does nothing for other requests.
type auditIDRecorder struct{ next http.RoundTripper }

func (r auditIDRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if id, ok := req.Context().Value(auditIDKey{}).(*string); ok && resp != nil {
		*id = resp.Header.Get(auditIDHeader)
	}
	return resp, err
}
