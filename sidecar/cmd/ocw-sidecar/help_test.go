package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestHelp: --help anywhere prints the usage and exits 0; `demo --help`
// shows the demo's own knobs, as the README says.
func TestHelp(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"ocw-sidecar backup FILE"}},
		{[]string{"status", "--help"}, []string{"ocw-sidecar status [--json]"}},
		{[]string{"sync", "-h"}, []string{"ocw-sidecar sync products"}},
		{[]string{"demo", "--help"}, []string{"-products", "-latency", "-no-plugin"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			if err := run(context.Background(), tc.args, &out, &errb); err != nil {
				t.Fatalf("exit with %v", err)
			}
			all := out.String() + errb.String()
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("help lacks %q:\n%s", w, all)
				}
			}
		})
	}
}
