package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// testSecret is the shared secret of every sidecar the suite starts.
const testSecret = "reliability-shared-secret-0123456789abcdef"

// sidecar is one running ocw-sidecar process.
type sidecar struct {
	cmd     *exec.Cmd
	addr    string
	dataDir string
	env     []string
	bin     string
	log     *os.File
	client  *http.Client // admin calls, with a bounded wait
}

// startSidecar runs `ocw-sidecar serve` on a free loopback port with its store
// in dataDir, plus extra OCW_ variables, and waits for /healthz.
func startSidecar(ctx context.Context, bin, dataDir string, extra ...string) (*sidecar, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	s := &sidecar{addr: addr, dataDir: dataDir, bin: bin, client: &http.Client{Timeout: 30 * time.Second}}
	s.env = append(os.Environ(), "OCW_SHARED_SECRET="+testSecret, "OCW_DATA_DIR="+dataDir, "OCW_LOG_LEVEL=warn")
	s.env = append(s.env, extra...)
	return s, s.start(ctx)
}

func (s *sidecar) start(ctx context.Context) error {
	if err := os.MkdirAll(s.dataDir, 0o700); err != nil {
		return err
	}
	if s.log != nil {
		_ = s.log.Close() // the log of the process a kill -9 ended
	}
	logf, err := os.OpenFile(filepath.Join(s.dataDir, "..", filepath.Base(s.dataDir)+".log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	s.log = logf
	s.cmd = exec.Command(s.bin, "serve")
	s.cmd.Env = append(append([]string(nil), s.env...), "OCW_LISTEN_ADDR="+s.addr)
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", s.bin, err)
	}
	return waitHealthy(ctx, s.addr, 20*time.Second)
}

// kill9 ends the process at once, as a crash would.
func (s *sidecar) kill9() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait()
	}
	s.cmd = nil
}

// stop ends the process gracefully.
func (s *sidecar) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		_ = s.cmd.Wait()
	}
	s.cmd = nil
	if s.log != nil {
		_ = s.log.Close()
	}
}

func (s *sidecar) url(path string) string { return "http://" + s.addr + path }

// memKB reads a field of /proc/PID/status (VmRSS, VmHWM) in kB.
func (s *sidecar) memKB(field string) (int64, error) {
	if s.cmd == nil || s.cmd.Process == nil {
		return 0, errors.New("sidecar not running")
	}
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("%s not in /proc status", field)
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// waitHealthy polls /healthz until it answers 200 or within passes.
func waitHealthy(ctx context.Context, addr string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/healthz", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("sidecar on %s not healthy within %s: %v", addr, within, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// do sends an admin API request with the bearer secret; in (when not nil)
// is sent as JSON and the answer decoded into out (when not nil). It returns
// the status code.
func (s *sidecar) do(ctx context.Context, method, path string, in, out any) (int, error) {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return 0, err
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.url(path), body)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+testSecret)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: decode answer: %w", method, path, err)
		}
	}
	return resp.StatusCode, nil
}

// peakKB is the process's peak RSS so far (0 when it is not running).
func (s *sidecar) peakKB() int64 {
	kb, err := s.memKB("VmHWM")
	if err != nil {
		return 0
	}
	return kb
}
