package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunWritesFileAndStdout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dump.json")
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run([]string{"-pods", "10", "-seed", "4", "-o", path}, &stdout, &stderr), stderr.String())
	file, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, 0, run([]string{"-pods=10", "-seed=4"}, &stdout, &stderr))
	assert.Equal(t, file, stdout.Bytes())
	assert.True(t, strings.HasPrefix(string(file), `{"apiVersion":"v1","items":[`))
}

func TestRunUsageErrors(t *testing.T) {
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 2, run([]string{"-pods", "x"}, &stdout, &stderr))
	assert.Equal(t, 2, run([]string{"extra"}, &stdout, &stderr))
	assert.Equal(t, 1, run([]string{"-o", filepath.Join(t.TempDir(), "no", "dir", "f.json")}, &stdout, &stderr))
	assert.Equal(t, 1, run([]string{"-pods", "-5"}, &stdout, &stderr))
}

func TestRunWritesSharedLayout(t *testing.T) {
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run([]string{"-pods", "40", "-shared-namespaces", "4"}, &stdout, &stderr), stderr.String())
	assert.Equal(t, 40, strings.Count(stdout.String(), `"kind":"Pod"`))
	assert.Equal(t, 4, strings.Count(stdout.String(), `"kind":"PersistentVolume",`))
	assert.Contains(t, stdout.String(), "one-share-for-every-tenant")
}
