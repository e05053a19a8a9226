package ocwsim

import (
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/backoff"
)

// DefaultToken is the API token a Sim accepts when Options.Token is empty.
const DefaultToken = "ock_sim_0123456789abcdef"

// DefaultOrganization is the organization GET /v1/ping names.
const DefaultOrganization = "Simulated Winery"

// Options configures a Sim.
type Options struct {
	Token        string        // bearer token accepted (API and /_sim/); "": DefaultToken
	Latency      time.Duration // added to every API request
	Logger       *slog.Logger  // nil: discard
	Now          func() time.Time
	Organization string // "": DefaultOrganization
}

// Sim is a stateful, in-memory OnCloudWine API.
type Sim struct {
	token   []byte
	latency time.Duration
	log     *slog.Logger
	now     func() time.Time
	org     string

	mu               sync.Mutex
	variants         map[string]variantRecord
	archived         map[string]bool
	stock            map[string]StockLevel
	orders           map[int64]orderRecord
	connection       *Connection
	releaseOrders    map[string]ReleaseOrder
	mirrors          map[string]MirrorReport
	reservations     map[string]int
	idem             map[string]idemRecord
	lastSweep        time.Time
	calls            map[string]int
	variantsReceived int
	variantsApplied  int
	appliedLog       []Variant
	faults           []*activeFault
	seq              int
}

type variantRecord struct {
	Variant
	id string
}

type orderRecord struct {
	Order
	id string
}

// New returns an empty simulator.
func New(opts Options) *Sim {
	s := &Sim{
		token:         []byte(opts.Token),
		latency:       opts.Latency,
		log:           opts.Logger,
		now:           opts.Now,
		org:           opts.Organization,
		variants:      map[string]variantRecord{},
		archived:      map[string]bool{},
		stock:         map[string]StockLevel{},
		orders:        map[int64]orderRecord{},
		releaseOrders: map[string]ReleaseOrder{},
		mirrors:       map[string]MirrorReport{},
		reservations:  map[string]int{},
		idem:          map[string]idemRecord{},
		calls:         map[string]int{},
	}
	if len(s.token) == 0 {
		s.token = []byte(DefaultToken)
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.org == "" {
		s.org = DefaultOrganization
	}
	return s
}

// Handler serves the API under /v1/ and the admin surface under /_sim/.
func (s *Sim) Handler() http.Handler {
	mux := http.NewServeMux()
	s.api(mux, "GET /v1/ping", s.handlePing)
	s.api(mux, "POST /v1/woocommerce/connection", s.mutation(s.applyConnection))
	s.api(mux, "POST /v1/woocommerce/variants:upsert", s.mutation(s.applyVariants, s.countReceivedVariants))
	s.api(mux, "POST /v1/woocommerce/variants:archive", s.mutation(s.applyArchive))
	s.api(mux, "POST /v1/woocommerce/stock:update", s.mutation(s.applyStock))
	s.api(mux, "GET /v1/woocommerce/reservations", s.handleReservations)
	s.api(mux, "POST /v1/woocommerce/orders:upsert", s.mutation(s.applyOrders))
	s.api(mux, "GET /v1/woocommerce/release-orders", s.handleReleaseOrders)
	s.api(mux, "POST /v1/woocommerce/release-orders/{id}/mirror", s.mutation(s.applyMirror))
	s.adminRoutes(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, errorf(http.StatusNotFound, "not_found", "no route %s %s", r.Method, r.URL.Path))
	})
	return mux
}

// api registers an API route behind call counting, latency, faults and auth.
func (s *Sim) api(mux *http.ServeMux, pattern string, h http.HandlerFunc) {
	_, path, _ := strings.Cut(pattern, " ")
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		now := s.now()
		s.mu.Lock()
		s.calls[path]++
		fault := s.takeFault(path, now)
		s.mu.Unlock()
		s.log.DebugContext(r.Context(), "ocwsim request", slog.String("method", r.Method), slog.String("path", r.URL.Path))

		if !sleepDone(r, s.latency) {
			return
		}
		afterEffect := false
		if fault != nil {
			s.log.InfoContext(r.Context(), "ocwsim fault", slog.String("kind", string(fault.Kind)),
				slog.String("method", r.Method), slog.String("path", r.URL.Path))
			switch fault.Kind {
			case FaultDown:
				if fault.RetryAfter > 0 {
					w.Header().Set("Retry-After", retryAfterSeconds(fault.RetryAfter))
				}
				writeError(w, errorf(http.StatusServiceUnavailable, "unavailable", "OnCloudWine is temporarily unavailable; try again shortly"))
				return
			case FaultRateLimit:
				w.Header().Set("Retry-After", retryAfterSeconds(fault.RetryAfter))
				writeError(w, errorf(http.StatusTooManyRequests, "rate_limited", "Too many requests; retry after %s seconds", retryAfterSeconds(fault.RetryAfter)))
				return
			case FaultSlow:
				if !sleepDone(r, fault.Delay) {
					return
				}
			case FaultErrorAfterEffect:
				afterEffect = true
			}
		}
		if !s.authorized(r) {
			writeError(w, errorf(http.StatusUnauthorized, "unauthorized", "The API key is missing, invalid or revoked"))
			return
		}
		if afterEffect {
			w = &afterEffectWriter{ResponseWriter: w}
		}
		h(w, r)
	})
}

// authorized checks "Authorization: Bearer <token>" in constant time.
func (s *Sim) authorized(r *http.Request) bool {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	return ok && strings.EqualFold(scheme, "Bearer") && subtle.ConstantTimeCompare([]byte(tok), s.token) == 1
}

// afterEffectWriter swallows the real answer (already applied and stored)
// and sends a 500 instead.
type afterEffectWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *afterEffectWriter) WriteHeader(int) {
	if w.wrote {
		return
	}
	w.wrote = true
	w.ResponseWriter.Header().Set("Content-Type", "application/json")
	w.ResponseWriter.WriteHeader(http.StatusInternalServerError)
	_, _ = w.ResponseWriter.Write(errorJSON(errorf(http.StatusInternalServerError, "internal_error", "Something went wrong on our side")))
}

func (w *afterEffectWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return len(b), nil
}

// sleepDone waits d unless the request is cancelled first (then false); no
// wait is always done, even for a request already cancelled.
func sleepDone(r *http.Request, d time.Duration) bool {
	return d <= 0 || backoff.Sleep(r.Context(), d, nil) == nil
}
