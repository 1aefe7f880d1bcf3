package main

import (
	"io"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/controller"
)

// renderPrometheus prints the gauge the selinux-warning-controller would export, so that a scan of
// manifests can be compared with (or stand in for) the live cluster's metric.
func renderPrometheus(w io.Writer, rep policies.Report) error {
	if _, err := io.WriteString(w, controller.MetricHeader()); err != nil {
		return err
	}
	for _, c := range rep.ControllerConflicts {
		if _, err := io.WriteString(w, controller.MetricLine(c)+"\n"); err != nil {
			return err
		}
	}
	return nil
}
