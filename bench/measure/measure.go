//go:build linux

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"time"

	"sigs.k8s.io/yaml"
)

func timeValid(file string, stdout io.Writer) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	start := time.Now()
	if !json.Valid(data) {
		return fmt.Errorf("%s: not valid JSON", file)
	}
	fmt.Fprintf(stdout, "%.4f\n", time.Since(start).Seconds())
	return nil
}

// timeCommand runs argv; a non-zero exit is reported, not an error (scan exits 1 on findings).
func timeCommand(argv []string, stdout, stderr io.Writer) error {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stderr = stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if exited := (*exec.ExitError)(nil); err != nil && !errors.As(err, &exited) {
		return err
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return fmt.Errorf("no resource usage for %s", argv[0])
	}
	user := time.Duration(ru.Utime.Nano())
	sys := time.Duration(ru.Stime.Nano())
	// Linux reports ru_maxrss in KiB.
	fmt.Fprintf(stdout, "%.4f %.4f %.4f %d %d\n", wall.Seconds(), user.Seconds(), sys.Seconds(), ru.Maxrss*1024, cmd.ProcessState.ExitCode())
	return nil
}

// listToYAML writes each item of a JSON List as one YAML document, the shape of a folder of
// manifests concatenated, so that the YAML path can be timed on the same objects.
func listToYAML(in, out string) error {
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var list struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(data, &list); err != nil {
		return fmt.Errorf("%s: %v", in, err)
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, item := range list.Items {
		doc, err := yaml.JSONToYAML(item)
		if err != nil {
			f.Close()
			return fmt.Errorf("%s: %v", in, err)
		}
		// bufio's error is sticky: Flush below reports a failed write.
		fmt.Fprintf(w, "---\n%s\n", bytes.TrimRight(doc, "\n"))
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
