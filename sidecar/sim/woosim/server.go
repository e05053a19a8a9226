package woosim

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/backoff"
)

// restError is a WP_Error as the REST server renders it.
type restError struct {
	status  int
	code    string
	message string
	data    obj // extra members of "data" after "status"
}

func errNoRoute() *restError {
	return &restError{404, "rest_no_route", "No route was found matching the URL and request method.", nil}
}

func errAuth(msg string) *restError {
	return &restError{401, "woocommerce_rest_authentication_error", msg, nil}
}

func (e *restError) body() obj {
	data := obj{{"status", e.status}}
	data = append(data, e.data...)
	return obj{{"code", e.code}, {"message", e.message}, {"data", data}}
}

// reply is what a REST handler answers.
type reply struct {
	status  int
	body    any
	total   int // X-WP-Total / X-WP-TotalPages when paged
	pages   int
	paged   bool
	page    int
	headers http.Header
	items   int // objects listed, for per-item latency
}

// request is a REST request after routing and authentication.
type request struct {
	r      *http.Request
	route  string
	parts  []string // route split on "/" without the leading "wc/v3"
	method string
	q      query
	rb     restBase
	authed bool
	body   map[string]any
	raw    []byte
}

// maxRecorded bounds the request log (see Requests).
const maxRecorded = 200_000

// Handler serves the simulated store.
func (s *Sim) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

func (s *Sim) serveHTTP(w http.ResponseWriter, r *http.Request) {
	// A request releases deliveries queued before it, not those it causes
	// (WooCommerce queues them at the end of the request).
	s.sender.sawTraffic()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	route := s.serve(rec, r)
	s.mu.Lock()
	if len(s.requests) >= maxRecorded {
		// A long-running simulator keeps the newest half.
		s.requests = append(s.requests[:0:0], s.requests[maxRecorded/2:]...)
	}
	s.requests = append(s.requests, RecordedRequest{Method: r.Method, Path: r.URL.Path, Route: route, Query: r.URL.RawQuery, Status: rec.status, At: s.now()})
	s.mu.Unlock()
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Hijack lets a Drop fault close the connection; the request is recorded
// with status 0.
func (w *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.status = 0
	conn, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, fmt.Errorf("woosim: hijack: %w", err)
	}
	return conn, rw, nil
}

// serve answers r and returns the REST route it addressed ("" for none).
func (s *Sim) serve(w http.ResponseWriter, r *http.Request) string {
	s.mu.Lock()
	home := s.homeURL(r)
	s.mu.Unlock()
	q := parseQuery(r.URL.RawQuery)
	route, viaQuery := q.get("rest_route")
	if !viaQuery {
		if !strings.HasPrefix(r.URL.Path, "/wp-json") {
			w.Header().Set("Content-Type", "text/html; charset=UTF-8")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte("<!DOCTYPE html><html><head><title>Page not found</title></head><body><h1>Not found</h1></body></html>\n"))
			return ""
		}
		if s.plain.Load() {
			// WordPress' redirect_canonical: /wp-json/... is not a REST URL any
			// more and redirects to itself (with a trailing slash): a loop.
			loc := home + r.URL.EscapedPath()
			if !strings.HasSuffix(loc, "/") {
				loc += "/"
			}
			if r.URL.RawQuery != "" {
				loc += "?" + r.URL.RawQuery
			}
			if strings.Contains(r.RequestURI, "wp-json/wc/") {
				// WooCommerce logs the key's user in on any such URI.
				if ok, _ := s.authenticate(r, q, r.Method, home); ok {
					s.nocache(w)
				}
			}
			w.Header().Set("X-Redirect-By", "WordPress")
			w.Header().Set("Location", loc)
			w.Header().Set("Content-Type", "text/html; charset=UTF-8")
			w.WriteHeader(http.StatusMovedPermanently)
			return ""
		}
		route = strings.TrimPrefix(r.URL.Path, "/wp-json")
	}
	if route == "" {
		route = "/"
	}
	if len(route) > 1 {
		route = strings.TrimSuffix(route, "/")
	}
	if !sleepDone(r.Context(), s.opts.Latency) {
		return route
	}
	if s.applyFault(w, r, route) {
		return route
	}
	rb := restBase{home: home, plain: s.plain.Load()}
	req := &request{r: r, route: route, method: r.Method, q: q, rb: rb}
	if m := r.Header.Get("X-HTTP-Method-Override"); m != "" && r.Method == http.MethodPost {
		req.method = strings.ToUpper(m)
	}
	if r.Method == http.MethodHead {
		req.method = http.MethodGet // WordPress serves HEAD like GET (net/http drops the body)
	}
	if strings.Contains(r.RequestURI, "wp-json/wc/") {
		ok, aerr := s.authenticate(r, q, req.method, home)
		if aerr != nil {
			w.Header().Set("Vary", "Origin")
			s.write(w, rb, reply{status: aerr.status, body: aerr.body()})
			return route
		}
		req.authed = ok
	}
	rep := s.dispatch(req)
	if s.applyFaultAfter(w, r, route) {
		return route
	}
	if req.authed {
		s.nocache(w)
	} else {
		w.Header().Set("Vary", "Origin")
	}
	if rep.items > 0 && s.opts.LatencyPerItem > 0 {
		if !sleepDone(r.Context(), time.Duration(rep.items)*s.opts.LatencyPerItem) {
			return route
		}
	}
	s.write(w, rb, rep)
	return route
}

// nocache sets WordPress' nocache_headers(), sent to a logged-in user.
func (s *Sim) nocache(w http.ResponseWriter) {
	w.Header().Set("Expires", "Wed, 11 Jan 1984 05:00:00 GMT")
	if s.modern() {
		w.Header().Set("Cache-Control", "no-cache, must-revalidate, max-age=0, no-store, private")
	} else {
		w.Header().Set("Cache-Control", "no-cache, must-revalidate, max-age=0")
	}
}

// applyFault answers with an injected fault (one that acts before the
// request is applied) when one matches; it reports whether the request was
// consumed.
func (s *Sim) applyFault(w http.ResponseWriter, r *http.Request, route string) bool {
	f, found := s.takeFault(r, route, false)
	if !found {
		return false
	}
	if f.Hit != nil {
		f.Hit()
	}
	return s.answerFault(w, r, f)
}

// applyFaultAfter answers an applied request with an AfterEffect fault
// instead of its real answer when one matches.
func (s *Sim) applyFaultAfter(w http.ResponseWriter, r *http.Request, route string) bool {
	f, found := s.takeFault(r, route, true)
	if !found {
		return false
	}
	if f.Hit != nil {
		f.Hit()
	}
	if f.Hold != nil {
		select {
		case <-f.Hold:
		case <-r.Context().Done():
			return true
		}
	}
	// Held or delayed only: the real answer follows (late; a client that
	// timed out never reads it).
	return s.answerFault(w, r, f)
}

// takeFault finds (and counts down) the first fault matching r whose
// AfterEffect is after.
func (s *Sim) takeFault(r *http.Request, route string, after bool) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, ft := range s.faults {
		if ft.AfterEffect != after || (ft.Method != "" && !strings.EqualFold(ft.Method, r.Method)) {
			continue
		}
		if !strings.HasPrefix(r.URL.Path, ft.PathPrefix) && !strings.HasPrefix("/wp-json"+route, ft.PathPrefix) {
			continue
		}
		f := *ft
		if ft.Times > 0 {
			ft.Times--
			if ft.Times == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return f, true
	}
	return Fault{}, false
}

// answerFault waits the fault's Delay and answers with it; false when the
// fault has no answer of its own (a slow answer: serve normally).
func (s *Sim) answerFault(w http.ResponseWriter, r *http.Request, f Fault) bool {
	if !sleepDone(r.Context(), f.Delay) {
		return true
	}
	if f.Drop {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return true
			}
		}
		panic(http.ErrAbortHandler)
	}
	if f.Status == 0 {
		return false
	}
	if f.RetryAfter > 0 {
		secs := int((f.RetryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	code, msg := "rest_fault_injected", http.StatusText(f.Status)
	switch f.Status {
	case http.StatusTooManyRequests:
		code, msg = "woocommerce_rest_too_many_requests", "Too many requests. Please wait and try again."
	case http.StatusNotFound: // what WordPress answers for a route nobody registered
		code, msg = "rest_no_route", "No route was found matching the URL and request method."
	}
	if f.Status >= 500 || f.Proxy {
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte("<html><head><title>" + strconv.Itoa(f.Status) + " " + http.StatusText(f.Status) + "</title></head><body><center><h1>" +
			strconv.Itoa(f.Status) + " " + http.StatusText(f.Status) + "</h1></center><hr><center>nginx/1.22.1</center></body></html>\n"))
		return true
	}
	e := &restError{status: f.Status, code: code, message: msg}
	s.write(w, restBase{home: s.HomeURL(), plain: s.plain.Load()}, reply{status: f.Status, body: e.body()})
	return true
}

// write sends a REST answer with WordPress' headers.
func (s *Sim) write(w http.ResponseWriter, rb restBase, rep reply) {
	h := w.Header()
	for k, v := range rep.headers {
		h[k] = v
	}
	h.Set("Content-Type", "application/json; charset=UTF-8")
	h.Set("X-Robots-Tag", "noindex")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link")
	h.Set("Access-Control-Allow-Headers", "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type")
	if h.Get("Link") == "" {
		h.Set("Link", "<"+rb.url("/")+">; rel=\"https://api.w.org/\"")
	}
	if rep.paged {
		h.Set("X-WP-Total", strconv.Itoa(rep.total))
		h.Set("X-WP-TotalPages", strconv.Itoa(rep.pages))
	}
	status := rep.status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write(phpJSON(rep.body))
}

// pageLinks sets WordPress' prev/next Link header for a paged collection.
func pageLinks(req *request, rep *reply) {
	base := req.rb.url(req.route)
	params := req.q
	if req.rb.plain {
		// rest_url() already carries rest_route; the request's params follow.
		params = append(query{{key: "rest_route", value: req.route}}, req.q...)
		base = req.rb.home + "/index.php"
	}
	var links []string
	if rep.page > 1 {
		prev := rep.page - 1
		if prev > rep.pages {
			prev = rep.pages
		}
		links = append(links, "<"+addQueryArgs(base, params.set("page", strconv.Itoa(prev), false))+">; rel=\"prev\"")
	}
	if rep.pages > rep.page {
		links = append(links, "<"+addQueryArgs(base, params.set("page", strconv.Itoa(rep.page+1), false))+">; rel=\"next\"")
	}
	if len(links) > 0 {
		if rep.headers == nil {
			rep.headers = http.Header{}
		}
		rep.headers.Set("Link", strings.Join(links, ", "))
	}
}

// sleepDone waits d unless the request goes away first (then false); no
// wait is always done, even for a request already gone.
func sleepDone(ctx context.Context, d time.Duration) bool {
	return d <= 0 || backoff.Sleep(ctx, d, nil) == nil
}
