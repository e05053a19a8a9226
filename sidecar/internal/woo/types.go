package woo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// ManageStock is WooCommerce's manage_stock: true, false, or the string
// "parent" on a variation whose parent product manages the stock.
type ManageStock uint8

// ManageStock values.
const (
	ManageStockNo ManageStock = iota
	ManageStockYes
	ManageStockParent
)

// String returns "false", "true" or "parent".
func (m ManageStock) String() string {
	switch m {
	case ManageStockYes:
		return "true"
	case ManageStockParent:
		return "parent"
	}
	return "false"
}

// Managed reports whether stock is counted (here or on the parent).
func (m ManageStock) Managed() bool { return m != ManageStockNo }

// MarshalJSON writes true, false or "parent".
func (m ManageStock) MarshalJSON() ([]byte, error) {
	switch m {
	case ManageStockYes:
		return []byte("true"), nil
	case ManageStockParent:
		return []byte(`"parent"`), nil
	}
	return []byte("false"), nil
}

// UnmarshalJSON accepts true, false, "parent", null and the strings
// "yes"/"no"/"true"/"false".
func (m *ManageStock) UnmarshalJSON(b []byte) error {
	switch s := string(bytes.TrimSpace(b)); s {
	case "true", `"true"`, `"yes"`, `"1"`, "1":
		*m = ManageStockYes
	case "false", `"false"`, `"no"`, `""`, `"0"`, "0", "null":
		*m = ManageStockNo
	case `"parent"`:
		*m = ManageStockParent
	default:
		return fmt.Errorf("manage_stock: unexpected %s", s)
	}
	return nil
}

// GMTTime is a WooCommerce *_gmt date ("2026-11-27T02:01:14", no zone):
// parsed as UTC. null and "" give the zero time.
type GMTTime struct{ time.Time }

const wooTimeLayout = "2006-01-02T15:04:05"

// UnmarshalJSON parses the WooCommerce date as UTC.
func (t *GMTTime) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		t.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("date: %w", err)
	}
	if s == "" {
		t.Time = time.Time{}
		return nil
	}
	v, err := parseWooTime(s)
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}

// MarshalJSON writes the WooCommerce form, or null for the zero time.
func (t GMTTime) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(t.UTC().Format(wooTimeLayout))
}

func parseWooTime(s string) (time.Time, error) {
	if v, err := time.ParseInLocation(wooTimeLayout, s, time.UTC); err == nil {
		return v, nil
	}
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: %w", s, err)
	}
	return v.UTC(), nil
}
