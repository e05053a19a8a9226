package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/simtls"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

const (
	wooKey    = "ck_reliability_0123456789abcdef0123456789ab"
	wooSecret = "cs_reliability_0123456789abcdef0123456789ab"
	ocwToken  = "ock_reliability_0123456789abcdef"
)

// simServer serves a simulator on a fixed loopback address that can be taken
// down (connections refused) and brought back on the same address.
type simServer struct {
	addr    string
	handler http.Handler
	tls     *tls.Config

	mu  sync.Mutex
	srv *http.Server
}

func newSimServer(h http.Handler, tlsCfg *tls.Config) (*simServer, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	s := &simServer{addr: addr, handler: h, tls: tlsCfg}
	return s, s.up()
}

// up listens again on the server's address.
func (s *simServer) up() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return nil
	}
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", s.addr, err)
	}
	srv := &http.Server{Handler: s.handler, TLSConfig: s.tls, ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: log.New(io.Discard, "", 0)} // a sidecar killed mid-handshake is the point, not news
	s.srv = srv
	go func() {
		if s.tls != nil {
			_ = srv.ServeTLS(ln, "", "")
		} else {
			_ = srv.Serve(ln)
		}
	}()
	return nil
}

// down closes the listener and every connection: clients are refused.
func (s *simServer) down() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		_ = s.srv.Close()
		s.srv = nil
	}
}

// world is a WooCommerce simulator over TLS, an OnCloudWine simulator and a
// real sidecar process connected to both.
type world struct {
	dir    string
	woo    *woosim.Sim
	wooSrv *simServer
	ocw    *ocwsim.Sim
	ocwSrv *simServer
	side   *sidecar
	caFile string
	suite  *suite
}

// worldOptions shape a world.
type worldOptions struct {
	products, variations int      // generated catalog on top of the lab's
	env                  []string // extra OCW_ variables for the sidecar
	noConnect            bool     // leave the sidecar unconnected
}

func newWorld(ctx context.Context, env *suite, o worldOptions) (w *world, err error) {
	dir, err := os.MkdirTemp("", "ocw-reliability-*")
	if err != nil {
		return nil, err
	}
	w = &world{dir: dir, suite: env}
	defer func() {
		if err != nil {
			w.close()
		}
	}()
	cert, caPEM, err := simtls.SelfSigned([]string{"127.0.0.1", "localhost"})
	if err != nil {
		return nil, err
	}
	w.caFile = filepath.Join(dir, "woo-ca.pem")
	if err := os.WriteFile(w.caFile, caPEM, 0o600); err != nil {
		return nil, err
	}
	wooAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	w.woo, err = woosim.New(woosim.Options{
		ConsumerKey: wooKey, ConsumerSecret: wooSecret, HomeURL: "https://" + wooAddr,
		Products: o.products, Variations: o.variations, Seed: 12,
	})
	if err != nil {
		return nil, fmt.Errorf("WooCommerce simulator: %w", err)
	}
	w.wooSrv = &simServer{addr: wooAddr, handler: w.woo.Handler(),
		tls: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}}
	if err := w.wooSrv.up(); err != nil {
		return nil, err
	}
	w.ocw = ocwsim.New(ocwsim.Options{Token: ocwToken})
	if w.ocwSrv, err = newSimServer(w.ocw.Handler(), nil); err != nil {
		return nil, err
	}
	extra := append([]string{
		"OCW_API_URL=http://" + w.ocwSrv.addr, "OCW_API_TOKEN=" + ocwToken, "OCW_WOO_CA_FILE=" + w.caFile,
	}, o.env...)
	if w.side, err = startSidecar(ctx, env.bin, filepath.Join(dir, "data"), extra...); err != nil {
		return nil, err
	}
	if o.noConnect {
		return w, nil
	}
	return w, w.connect(ctx)
}

func (w *world) wooURL() string { return "https://" + w.wooSrv.addr }

// connect does what the plugin's Connect button does.
func (w *world) connect(ctx context.Context) error {
	var conn struct {
		Status string `json:"status"`
	}
	code, err := w.side.do(ctx, http.MethodPost, "/v1/connection",
		map[string]string{"store_url": w.wooURL(), "consumer_key": wooKey, "consumer_secret": wooSecret}, &conn)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	if code != http.StatusOK || conn.Status != "ACTIVE" {
		return fmt.Errorf("connect: %d, status %q", code, conn.Status)
	}
	return nil
}

// restart kills the sidecar with SIGKILL and starts it again on its store.
func (w *world) restart(ctx context.Context) error {
	w.suite.notePeak(w.side)
	w.side.kill9()
	return w.side.start(ctx)
}

func (w *world) close() {
	if w.side != nil {
		w.suite.notePeak(w.side)
		w.side.stop()
	}
	if w.woo != nil {
		w.woo.Close()
	}
	if w.wooSrv != nil {
		w.wooSrv.down()
	}
	if w.ocwSrv != nil {
		w.ocwSrv.down()
	}
	_ = os.RemoveAll(w.dir)
}

// job is the admin API's job object.
type job struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	State    string `json:"state"`
	Error    string `json:"error"`
	Progress struct {
		Done  int `json:"done"`
		Total int `json:"total"`
	} `json:"progress"`
}

// startJob asks for a job of typ and returns it as answered (202).
func (w *world) startJob(ctx context.Context, typ string) (job, error) {
	var j job
	code, err := w.side.do(ctx, http.MethodPost, "/v1/jobs", map[string]string{"type": typ}, &j)
	if err != nil {
		return j, err
	}
	if code != http.StatusAccepted {
		return j, fmt.Errorf("POST /v1/jobs %s: %d", typ, code)
	}
	return j, nil
}

// readJob reads a job's state.
func (w *world) readJob(ctx context.Context, id string) (job, error) {
	var j job
	code, err := w.side.do(ctx, http.MethodGet, "/v1/jobs/"+id, nil, &j)
	if err == nil && code != http.StatusOK {
		err = fmt.Errorf("GET /v1/jobs/%s: %d", id, code)
	}
	return j, err
}

// waitJob follows a job until it ends (succeeded → nil).
func (w *world) waitJob(ctx context.Context, id string, within time.Duration) (job, error) {
	var j job
	err := poll(ctx, within, "job "+id+" to end", func() (bool, error) {
		var err error
		if j, err = w.readJob(ctx, id); err != nil {
			return false, nil // the sidecar may be restarting
		}
		return j.State == "succeeded" || j.State == "failed", nil
	})
	if err != nil {
		return j, err
	}
	if j.State != "succeeded" {
		return j, fmt.Errorf("%s %s: %s", j.Type, j.State, j.Error)
	}
	return j, nil
}

// queues reads the inbox and outbox depths from /v1/status.
func (w *world) queues(ctx context.Context) (inbox, outbox int, err error) {
	var st struct {
		Queues struct {
			Inbox  int `json:"inbox"`
			Outbox int `json:"outbox"`
		} `json:"queues"`
	}
	code, err := w.side.do(ctx, http.MethodGet, "/v1/status", nil, &st)
	if err == nil && code != http.StatusOK {
		err = fmt.Errorf("GET /v1/status: %d", code)
	}
	return st.Queues.Inbox, st.Queues.Outbox, err
}

// waitDrained waits until the inbox and the outbox are empty.
func (w *world) waitDrained(ctx context.Context, within time.Duration) error {
	return poll(ctx, within, "inbox and outbox to drain", func() (bool, error) {
		in, out, err := w.queues(ctx)
		return err == nil && in == 0 && out == 0, nil
	})
}

// activity reads the newest activity log entries.
func (w *world) activity(ctx context.Context) ([]string, error) {
	var a struct {
		Entries []struct {
			Level   string `json:"level"`
			Message string `json:"message"`
		} `json:"entries"`
	}
	code, err := w.side.do(ctx, http.MethodGet, "/v1/activity?limit=200", nil, &a)
	if err == nil && code != http.StatusOK {
		err = fmt.Errorf("GET /v1/activity: %d", code)
	}
	out := make([]string, 0, len(a.Entries))
	for _, e := range a.Entries {
		out = append(out, e.Level+": "+e.Message)
	}
	return out, err
}

// poll checks cond every 50 ms until it holds, fails, or within passes.
func poll(ctx context.Context, within time.Duration, what string, cond func() (bool, error)) error {
	deadline := time.Now().Add(within)
	for {
		ok, err := cond()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("waited %s for %s", within, what)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
