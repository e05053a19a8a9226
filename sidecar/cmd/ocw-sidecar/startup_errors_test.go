package main

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnusableDataDirOrAddressExitsWithOneLine: a data folder that cannot be
// created and a listen address already taken are configuration mistakes
// too: exit 2 with one line naming the variable and the fix, nothing logged.
func TestUnusableDataDirOrAddressExitsWithOneLine(t *testing.T) {
	bin := buildBinary(t)
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	for _, tc := range []struct {
		name, dataDir, addr, wantVar string
	}{
		{"data dir is a file", file, freeAddr(t), "OCW_DATA_DIR"},
		{"data dir under a file", filepath.Join(file, "data"), freeAddr(t), "OCW_DATA_DIR"},
		{"address taken", t.TempDir(), taken.Addr().String(), "OCW_LISTEN_ADDR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(bin, "serve")
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "OCW_SHARED_SECRET=" + testSecret, "OCW_DATA_DIR=" + tc.dataDir, "OCW_LISTEN_ADDR=" + tc.addr}
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 2 {
				t.Fatalf("want exit 2, got %v\n%s", err, out)
			}
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], tc.wantVar) || !strings.Contains(lines[0], ": set") && !strings.Contains(lines[0], ": stop") {
				t.Fatalf("want one line naming %s with the fix, got %q", tc.wantVar, out)
			}
		})
	}
}
