// Package webhook is `selmount webhook`: an AdmissionReview v1 server that applies the opt-out
// (SELINUX-004) as a JSONPatch and returns the model's other findings as admission warnings, answered
// from a cache of the cluster, with no policy engine.
package webhook

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	admissionv1 "k8s.io/api/admission/v1"
)

// maxReviewBytes bounds a request body: the API server's own limit on an object is 3 MiB, and a
// review carries the object and the old one.
const maxReviewBytes = 7 << 20

// errBadReview is a request that is not an AdmissionReview v1 with a request: a 400, never a panic.
var errBadReview = errors.New("bad AdmissionReview")

// readReview decodes a request body into an AdmissionReview v1 with a request.
func readReview(r *http.Request) (*admissionv1.AdmissionReview, error) {
	if r.Method != http.MethodPost {
		return nil, fmt.Errorf("%w: method %s, want POST", errBadReview, r.Method)
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxReviewBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errBadReview, err)
	}
	if len(data) > maxReviewBytes {
		return nil, fmt.Errorf("%w: body larger than %d MiB", errBadReview, maxReviewBytes>>20)
	}
	var review admissionv1.AdmissionReview
	if err := json.Unmarshal(data, &review); err != nil {
		return nil, fmt.Errorf("%w: %v", errBadReview, err)
	}
	if review.APIVersion != "admission.k8s.io/v1" || review.Kind != "AdmissionReview" || review.Request == nil {
		return nil, fmt.Errorf("%w: want kind AdmissionReview of admission.k8s.io/v1 with a request", errBadReview)
	}
	return &review, nil
}

// writeReview answers with the response, echoing the request's uid as the API server requires.
func writeReview(w http.ResponseWriter, req *admissionv1.AdmissionRequest, resp *admissionv1.AdmissionResponse) error {
	resp.UID = req.UID
	out := admissionv1.AdmissionReview{Response: resp}
	out.APIVersion, out.Kind = "admission.k8s.io/v1", "AdmissionReview"
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(out)
}
