package kyverno

import (
	"fmt"
	"os"
	"time"

	"github.com/selmount/selmount/e2e/cluster"
)

// ReportsServiceAccount is the identity the release runs the reports controller as: background scans
// read what selmount's lookups read through the ClusterRole the bundle aggregates into its role.
const ReportsServiceAccount = "kyverno-reports-controller"

// scanInterval is the reports controller's --backgroundScanInterval for the audit comparison (the
// release's is an hour): each stored Pod is scanned again once its last scan is this old, so a
// scenario's final state is reported within a few seconds of its last write.
const scanInterval = time.Second

// ReportsArgs are the release's flags for the reports controller with its metrics on loopback and a
// short background scan interval; ValidatingAdmissionPolicy reports are off (selmount's Kyverno
// bundle has none, and the API server's own are not under test here).
func ReportsArgs(kubeconfig string, metricsPort int) []string {
	return []string{
		"--kubeconfig=" + kubeconfig,
		"--disableMetrics=true",
		"--metricsHost=127.0.0.1",
		fmt.Sprintf("--metricsPort=%d", metricsPort),
		"--openreportsEnabled=false",
		"--admissionReports=true",
		"--aggregateReports=true",
		"--policyReports=true",
		"--validatingAdmissionPolicyReports=false",
		"--mutatingAdmissionPolicyReports=false",
		"--backgroundScan=true",
		"--backgroundScanWorkers=2",
		"--backgroundScanInterval=" + scanInterval.String(),
		"--skipResourceFilters=true",
		"--omitEvents=PolicyApplied,PolicySkipped",
		"--enablePolicyException=false",
		"--loggingFormat=json",
		"--v=2",
	}
}

// reportsEnv is what the release's reports Deployment sets.
func reportsEnv() []string {
	return append(os.Environ(),
		"KYVERNO_NAMESPACE="+Namespace,
		"KYVERNO_POD_NAME=kyverno-reports-controller-e2e",
		"KYVERNO_SERVICEACCOUNT_NAME="+ReportsServiceAccount,
		"KYVERNO_DEPLOYMENT=kyverno-reports-controller",
		"INIT_CONFIG=kyverno",
		"METRICS_CONFIG=kyverno-metrics",
	)
}

// StartReportsController runs the reports controller at bin as its ServiceAccount (kubeconfig)
// until the test ends.
func StartReportsController(t cluster.TB, bin, kubeconfig string) (*Controller, error) {
	return startProcess(t, bin, "kyverno-reports.log", ReportsArgs(kubeconfig, cluster.FreePort(t)), reportsEnv())
}
