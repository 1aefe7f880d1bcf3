package main

import (
	"fmt"
	"io"

	"github.com/selmount/selmount/policies/controller"
)

// defaultMaxSeries caps the per-pair metric of a grouped scan. Upstream's gauge has one series per
// directed conflict, so n Pods in a few label classes on one volume make ~n² series: 100,000 are
// ~20 MB of text, what a Prometheus scrape or a pushgateway still takes; --max-series moves it.
const defaultMaxSeries = 100_000

// renderPrometheusClasses prints the controller's gauge from its classes, one series per directed
// conflict as upstream exports it, at most maxSeries of them (0: all). A conflict two volumes carry
// is one series, as in the controller's cache. Left-out series are said in a comment and on stderr,
// because a truncated metric read as the whole one would undercount.
func renderPrometheusClasses(w, stderr io.Writer, classes []controller.Class, maxSeries int64) error {
	var kept []controller.Conflict
	seen := map[controller.Conflict]bool{}
	var total int64
	truncated := false
	controller.EachConflict(classes, func(_ string, c controller.Conflict) bool {
		if seen[c] {
			return true
		}
		if maxSeries > 0 && int64(len(kept)) >= maxSeries {
			truncated = true
			return false
		}
		seen[c] = true
		kept = append(kept, c)
		return true
	})
	controller.SortConflicts(kept)
	if _, err := io.WriteString(w, controller.MetricHeader()); err != nil {
		return err
	}
	for _, c := range kept {
		if _, err := io.WriteString(w, controller.MetricLine(c)+"\n"); err != nil {
			return err
		}
	}
	if !truncated {
		return nil
	}
	total = upperBound(classes)
	note := fmt.Sprintf("%d series printed of up to %d (--max-series %d); selmount scan without -o prometheus reports them grouped", len(kept), total, maxSeries)
	fmt.Fprintf(stderr, "selmount scan: warning: metric truncated: %s\n", note)
	_, err := fmt.Fprintf(w, "# selmount: truncated: %s\n", note)
	return err
}

// upperBound counts the directed conflicts per volume, without listing them; a conflict carried by
// two volumes counts twice, hence "up to".
func upperBound(classes []controller.Class) int64 {
	var n int64
	for _, vol := range controller.PerVolume(classes) {
		for i := range vol {
			for j := range vol {
				if i == j {
					continue
				}
				policy, label := controller.ClassConflicts(&vol[i], &vol[j])
				pairs := int64(len(vol[i].Pods)) * int64(len(vol[j].Pods))
				if policy {
					n += pairs
				}
				if label {
					n += pairs
				}
			}
		}
	}
	return n
}
