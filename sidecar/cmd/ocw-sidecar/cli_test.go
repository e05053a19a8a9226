package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

// TestCLIStatusAndBackup runs `status` and `backup` against a running server
// and against the stopped store, as an operator would.
func TestCLIStatusAndBackup(t *testing.T) {
	bin := buildBinary(t)
	dataDir := t.TempDir()
	addr := freeAddr(t)
	env := append(os.Environ(), "OCW_SHARED_SECRET="+testSecret, "OCW_DATA_DIR="+dataDir, "OCW_LISTEN_ADDR="+addr)
	cli := func(args ...string) (string, error) {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	p := startSidecar(t, bin, dataDir, addr)
	for i := 1; i <= 3; i++ {
		if code, _, err := post(t.Context(), httpClient(), addr, i); err != nil || code != 200 {
			t.Fatalf("delivery %d: %d %v", i, code, err)
		}
	}

	out, err := cli("status", "--json")
	if err != nil {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	var st store.Status
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("status --json is not JSON: %v\n%s", err, out)
	}
	if st.Queues["inbox"] != 3 || st.Connection.Status != store.ConnDisconnected {
		t.Fatalf("status = %+v", st)
	}
	out, err = cli("status")
	if err != nil || !strings.Contains(out, "server at "+addr) || !strings.Contains(out, "inbox 3") {
		t.Fatalf("status: %v\n%s", err, out)
	}

	live := filepath.Join(t.TempDir(), "live.db")
	if out, err := cli("backup", live); err != nil || !strings.Contains(out, "from the running server") {
		t.Fatalf("backup while serving: %v\n%s", err, out)
	}
	assertBackupHolds(t, live, 3)

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("SIGTERM: %v\n%s", err, p.stderr)
	}
	out, err = cli("status")
	if err != nil || !strings.Contains(out, "server not running") || !strings.Contains(out, "inbox 3") {
		t.Fatalf("status with the server stopped: %v\n%s", err, out)
	}
	cold := filepath.Join(t.TempDir(), "cold.db")
	if out, err := cli("backup", cold); err != nil || !strings.Contains(out, "from the store file") {
		t.Fatalf("backup while stopped: %v\n%s", err, out)
	}
	assertBackupHolds(t, cold, 3)

	if out, err := cli("compact"); err != nil || !strings.Contains(out, "compacted") {
		t.Fatalf("compact: %v\n%s", err, out)
	}
	out, err = cli("status")
	if err != nil || !strings.Contains(out, "inbox 3") {
		t.Fatalf("status after compact: %v\n%s", err, out)
	}

	if out, err := cli("backup"); err == nil || !strings.Contains(out, "backup FILE") {
		t.Fatalf("backup without a file: %v\n%s", err, out)
	}
	if out, err := cli("version"); err != nil || !strings.HasPrefix(out, "ocw-sidecar ") {
		t.Fatalf("version: %v\n%s", err, out)
	}
	if out, err := cli("frobnicate"); err == nil || !strings.Contains(out, "unknown command") {
		t.Fatalf("unknown command: %v\n%s", err, out)
	}
}

func assertBackupHolds(t *testing.T, file string, events int64) {
	t.Helper()
	dir := t.TempDir()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, store.FileName), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(dir, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("backup %s does not open: %v", file, err)
	}
	defer s.Close()
	if got := s.InboxDepth(); got != events {
		t.Fatalf("backup %s holds %d events, want %d", file, got, events)
	}
}
