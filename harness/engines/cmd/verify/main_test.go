package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"io"
	"k8s.io/klog/v2"
)

const root = "../../../.."

// docs/agreement.md is what `make verify` writes with the default seed and cluster count.
func TestAgreementDocIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every engine on 1,000 generated clusters")
	}
	if os.Getenv("SELMOUNT_VERIFY_STEP") == "1" {
		t.Skip(".ci/run checks this itself: make verify, then git diff --exit-code docs/agreement.md")
	}
	klog.LogToStderr(false)
	klog.SetOutput(io.Discard)
	m, err := Verify(root, 0, 1000)
	require.NoError(t, err)
	require.Empty(t, m.Failures())
	var b bytes.Buffer
	require.NoError(t, m.Markdown(&b))
	got, err := os.ReadFile(filepath.Join(root, "docs", "agreement.md"))
	require.NoError(t, err, "run make verify")
	require.Equal(t, b.String(), string(got), "docs/agreement.md is stale: run make verify")
}

func TestRunExitCodes(t *testing.T) {
	var out, errOut bytes.Buffer
	require.Equal(t, 2, run([]string{"-root", t.TempDir(), "-n", "0"}, &out, &errOut), "no scenarios folder")
	require.Equal(t, 2, run([]string{"-bogus"}, &out, &errOut))
}
