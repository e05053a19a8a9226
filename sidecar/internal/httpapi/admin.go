package httpapi

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/config"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

func (s *Server) adminRoutes(g *echo.Group) {
	g.GET("/status", s.status)
	g.GET("/settings", s.getSettings)
	g.PUT("/settings", s.putSettings)
	g.DELETE("/settings", s.resetSettings)
	g.POST("/connection", s.connect)
	g.POST("/jobs", s.startJob)
	g.GET("/jobs/:id", s.getJob)
	g.POST("/reconcile", s.reconcile)
	g.POST("/mirror/backfill", s.mirrorBackfill)
	g.GET("/items", s.items)
	g.GET("/activity", s.activity)
	g.GET("/backup", s.backup)
}

func (s *Server) status(c echo.Context) error {
	st, err := s.deps.Store.Status()
	if err != nil {
		return err
	}
	st.Version = s.deps.Version
	if s.deps.Sync != nil {
		sync := s.deps.Sync.SyncStatus()
		st.Sync = &sync
	}
	return c.JSON(http.StatusOK, st)
}

type settingsView struct {
	MirrorReleaseOrders bool   `json:"mirror_release_orders"`
	CustomerMapping     string `json:"customer_mapping"`
	StockSyncInterval   string `json:"stock_sync_interval"`
}

func (s *Server) effective() (settingsView, error) {
	over, err := s.deps.Store.Settings()
	if err != nil {
		return settingsView{}, err
	}
	e := over.Apply(s.deps.Defaults)
	return settingsView{MirrorReleaseOrders: e.MirrorReleaseOrders, CustomerMapping: e.CustomerMapping, StockSyncInterval: shortDuration(e.StockSyncInterval)}, nil
}

func (s *Server) getSettings(c echo.Context) error {
	v, err := s.effective()
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (s *Server) putSettings(c echo.Context) error {
	var in store.Settings
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.CustomerMapping != nil && *in.CustomerMapping != config.MappingCreate && *in.CustomerMapping != config.MappingSingle {
		return apiErr(http.StatusUnprocessableEntity, "invalid_setting", fmt.Sprintf("customer_mapping %q is not create or single.", *in.CustomerMapping), "Use create (match or create Woo customers by email) or single (one OnCloudWine user).")
	}
	if in.StockSyncInterval != nil {
		d, err := time.ParseDuration(*in.StockSyncInterval)
		if err != nil || d < 5*time.Minute || d > 15*time.Minute {
			return apiErr(http.StatusUnprocessableEntity, "invalid_setting", fmt.Sprintf("stock_sync_interval %q is not between 5m and 15m.", *in.StockSyncInterval), "Use a duration such as 10m, from 5m to 15m.")
		}
		norm := shortDuration(d)
		in.StockSyncInterval = &norm
	}
	cur, err := s.deps.Store.Settings()
	if err != nil {
		return err
	}
	if in.MirrorReleaseOrders != nil {
		cur.MirrorReleaseOrders = in.MirrorReleaseOrders
	}
	if in.CustomerMapping != nil {
		cur.CustomerMapping = in.CustomerMapping
	}
	if in.StockSyncInterval != nil {
		cur.StockSyncInterval = in.StockSyncInterval
	}
	if err := s.deps.Store.PutSettings(cur); err != nil {
		return err
	}
	v, err := s.effective()
	if err != nil {
		return err
	}
	_ = s.deps.Store.LogActivity("info", fmt.Sprintf("Settings changed: mirror release orders %t, customer mapping %s, stock sync every %s", v.MirrorReleaseOrders, v.CustomerMapping, v.StockSyncInterval))
	return c.JSON(http.StatusOK, v)
}

func (s *Server) resetSettings(c echo.Context) error {
	if err := s.deps.Store.ResetSettings(); err != nil {
		return err
	}
	return s.getSettings(c)
}

func (s *Server) connect(c echo.Context) error {
	if s.deps.Connector == nil {
		return notConfigured("connection checks")
	}
	var req ConnectRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.StoreURL == "" || req.ConsumerKey == "" || req.ConsumerSecret == "" {
		return apiErr(http.StatusBadRequest, "missing_field", "store_url, consumer_key and consumer_secret are required.", "Send all three (the plugin does).")
	}
	conn, err := s.deps.Connector.Connect(c.Request().Context(), req)
	if err != nil {
		return err
	}
	if conn.Status != store.ConnActive && conn.LastError != nil {
		return apiErr(http.StatusUnprocessableEntity, conn.LastError.Code, conn.LastError.Message, conn.LastError.Fix)
	}
	return c.JSON(http.StatusOK, conn)
}

type jobRequest struct {
	Type  string `json:"type"`
	Since string `json:"since"` // SYNC_WOOCOMMERCE_ORDERS only: RFC 3339 or YYYY-MM-DD
}

func (s *Server) startJob(c echo.Context) error {
	if s.deps.Jobs == nil {
		return notConfigured("sync jobs")
	}
	var req jobRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Type != store.JobSyncProducts && req.Type != store.JobSyncStock && req.Type != store.JobSyncOrders {
		return apiErr(http.StatusBadRequest, "unknown_job_type", fmt.Sprintf("Unknown job type %q.", req.Type), "Use SYNC_WOOCOMMERCE_PRODUCTS, SYNC_WOOCOMMERCE_STOCK or SYNC_WOOCOMMERCE_ORDERS.")
	}
	if req.Since != "" {
		return s.startJobSince(c, req)
	}
	job, err := s.deps.Jobs.StartJob(c.Request().Context(), req.Type)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, job)
}

func (s *Server) getJob(c echo.Context) error {
	job, ok, err := s.deps.Store.GetJob(c.Param("id"))
	if err != nil {
		return err
	}
	if !ok {
		return apiErr(http.StatusNotFound, "job_not_found", fmt.Sprintf("No job %q.", c.Param("id")), "Use the id POST /v1/jobs answered.")
	}
	return c.JSON(http.StatusOK, job)
}

func (s *Server) reconcile(c echo.Context) error {
	if s.deps.Reconciler == nil {
		return notConfigured("reconcile")
	}
	s.deps.Reconciler.RequestReconcile()
	return c.JSON(http.StatusAccepted, map[string]bool{"queued": true})
}

type itemsAnswer struct {
	Items      []store.Item `json:"items"`
	NextCursor string       `json:"next_cursor"`
}

func (s *Server) items(c echo.Context) error {
	limit, err := intParam(c, "limit", 50, 1, 500)
	if err != nil {
		return err
	}
	status := c.QueryParam("status")
	if status != "" && status != store.StatusPending && status != store.StatusSynced && status != store.StatusFailed {
		return apiErr(http.StatusBadRequest, "invalid_param", fmt.Sprintf("status %q is not PENDING, SYNCED or FAILED.", status), "")
	}
	items, next, err := s.deps.Store.ListItems(store.ItemFilter{Kind: c.QueryParam("kind"), Status: status}, limit, c.QueryParam("cursor"))
	if err != nil {
		return apiErr(http.StatusBadRequest, "invalid_param", err.Error(), "Pass back the next_cursor of the previous page.")
	}
	if items == nil {
		items = []store.Item{}
	}
	return c.JSON(http.StatusOK, itemsAnswer{Items: items, NextCursor: next})
}

type activityAnswer struct {
	Entries    []store.Activity `json:"entries"`
	NextBefore uint64           `json:"next_before"`
}

func (s *Server) activity(c echo.Context) error {
	limit, err := intParam(c, "limit", 50, 1, 500)
	if err != nil {
		return err
	}
	before, err := intParam(c, "before", 0, 0, 1<<62)
	if err != nil {
		return err
	}
	entries, err := s.deps.Store.ListActivity(limit, uint64(before))
	if err != nil {
		return err
	}
	ans := activityAnswer{Entries: entries}
	if entries == nil {
		ans.Entries = []store.Activity{}
	}
	if len(entries) == limit {
		ans.NextBefore = entries[len(entries)-1].ID
	}
	return c.JSON(http.StatusOK, ans)
}

// backup streams a consistent copy of the database (ocw-sidecar backup FILE
// uses it while the server holds the file lock).
func (s *Server) backup(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderContentType, "application/octet-stream")
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="sidecar.db"`)
	c.Response().WriteHeader(http.StatusOK)
	if _, err := s.deps.Store.Backup(c.Response()); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

func notConfigured(what string) *APIError {
	return apiErr(http.StatusServiceUnavailable, "not_configured", "The sidecar is not set up for "+what+" yet.",
		"Set OCW_API_URL and OCW_API_TOKEN and connect a store; see the README.")
}

// decodeJSON binds a JSON body. Any other content type with a body is
// refused: echo would bind a form (curl -d's default) as empty fields.
func decodeJSON(c echo.Context, v any) error {
	if r := c.Request(); r.ContentLength != 0 {
		if mt, _, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType)); err != nil || mt != echo.MIMEApplicationJSON {
			return apiErr(http.StatusUnsupportedMediaType, "unsupported_media_type", "Send JSON with Content-Type: application/json.", "With curl: -H 'Content-Type: application/json'.")
		}
	}
	if err := c.Bind(v); err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) && he.Code == http.StatusUnsupportedMediaType {
			return apiErr(http.StatusUnsupportedMediaType, "unsupported_media_type", "Send JSON with Content-Type: application/json.", "")
		}
		return apiErr(http.StatusBadRequest, "malformed_json", "The body is not the expected JSON.", "See docs/sidecar-api.md for the shape.")
	}
	return nil
}

func intParam(c echo.Context, name string, def, lo, hi int) (int, error) {
	raw := c.QueryParam(name)
	if raw == "" {
		return def, nil
	}
	v, err := strconv.Atoi(raw)
	if err != nil || v < lo || v > hi {
		return 0, apiErr(http.StatusBadRequest, "invalid_param", fmt.Sprintf("%s must be a whole number from %d to %d.", name, lo, hi), "")
	}
	return v, nil
}

// shortDuration writes 10m rather than Go's 10m0s, as people and the plugin
// write intervals.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
