package demo

import (
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"path/filepath"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/simtls"
)

// listenTLS opens the store's loopback listener with a throwaway CA whose PEM
// is written for OCW_WOO_CA_FILE: the sidecar verifies TLS for real.
func listenTLS(dir string) (net.Listener, string, *tls.Config, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", nil, fmt.Errorf("demo: %w", err)
	}
	cert, caPEM, err := simtls.SelfSigned([]string{"127.0.0.1", "localhost"})
	if err != nil {
		_ = ln.Close()
		return nil, "", nil, fmt.Errorf("demo: %w", err)
	}
	caFile := filepath.Join(dir, "woo-ca.pem")
	if err := os.WriteFile(caFile, caPEM, 0o600); err != nil {
		_ = ln.Close()
		return nil, "", nil, fmt.Errorf("demo: %w", err)
	}
	return ln, caFile, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}
