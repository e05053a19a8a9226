package main

import (
	"io"
	"os/exec"
	"testing"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
)

// startSimSidecar starts `bin serve` with its store in dataDir on addr,
// connected to the WooCommerce simulator at wooURL (plain HTTP, the
// simulator's default key) and the OnCloudWine simulator at apiURL. extra
// variables come last and win (exec keeps the last of duplicate keys). The
// process's stderr goes to stderr; it is killed when the test ends.
func startSimSidecar(t *testing.T, bin, dataDir, addr, wooURL, apiURL string, stderr io.Writer, extra ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = append([]string{
		"OCW_SHARED_SECRET=" + testSecret, "OCW_DATA_DIR=" + dataDir, "OCW_LISTEN_ADDR=" + addr, "OCW_LOG_LEVEL=warn",
		"OCW_WOO_URL=" + wooURL, "OCW_WOO_ALLOW_HTTP=true",
		"OCW_WOO_CONSUMER_KEY=ck_ocw_woo_sim", "OCW_WOO_CONSUMER_SECRET=cs_ocw_woo_sim",
		"OCW_API_URL=" + apiURL, "OCW_API_TOKEN=" + ocwsim.DefaultToken,
	}, extra...)
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return cmd
}
