package main

import (
	"bytes"
	"regexp"
	"testing"
)

func TestRunPrintsOneBenchLine(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	if err := run(t.Context(), []string{"-products", "12", "-variations", "3", "-latency", "1ms"}, &out, &errb); err != nil {
		t.Fatalf("run: %v (stderr %s)", err, errb.String())
	}
	if !regexp.MustCompile(`^bench: woo_list_20k_variants_s \d+\.\d s\n$`).MatchString(out.String()) {
		t.Fatalf("stdout = %q, want exactly one bench line", out.String())
	}
	if errb.Len() != 0 {
		t.Errorf("stderr without -v: %q", errb.String())
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	if err := run(t.Context(), []string{"-latency", "soon"}, &out, &errb); err == nil || out.Len() != 0 {
		t.Fatalf("run with a bad flag = %v, stdout %q", err, out.String())
	}
}
