package mirror

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// customerKey is where a customer id is remembered: per e-mail (create) or
// the one "OnCloudWine" customer (single).
func (m *Mirror) customerKey(ro oncloudwine.ReleaseOrder) (key, email string) {
	if m.cfg.Mapping() == MappingSingle {
		return "single", m.cfg.SingleCustomerEmail
	}
	email = strings.ToLower(strings.TrimSpace(ro.Customer.Email))
	if email == "" {
		email = strings.ToLower(strings.TrimSpace(ro.Billing.Email))
	}
	return "email:" + email, email
}

// customerFor returns the WooCommerce customer of a release order: the
// remembered one, else the one WooCommerce has for the e-mail (any role: a
// club member may be a shop manager), else a new one. One e-mail is handled
// by one worker at a time, so two release orders of a new member make one
// customer. A release order without an e-mail (create mapping) is a guest
// order (customer 0).
func (m *Mirror) customerFor(ctx context.Context, wc Woo, ro oncloudwine.ReleaseOrder) (int64, error) {
	key, email := m.customerKey(ro)
	if email == "" {
		return 0, nil
	}
	unlock := m.custLocks.lock(key)
	defer unlock()
	id, err := m.rememberedCustomer(key)
	if err != nil || id != 0 {
		return id, err
	}
	found, err := wc.CustomerByEmail(ctx, email)
	if err != nil {
		return 0, err
	}
	var notes []note
	if found == nil {
		in := newCustomer(ro, email, m.cfg.Mapping() == MappingSingle)
		c, err := wc.CreateCustomer(ctx, in)
		var we *woo.Error
		switch {
		case err == nil:
			found = &c
			notes = append(notes, note{"info", fmt.Sprintf("Created WooCommerce customer #%d for release orders (%s)", c.ID, customerLabel(key))})
		case errors.As(err, &we) && we.WooCode == "registration-error-email-exists":
			// Created meanwhile (by someone else): take it.
			if found, err = wc.CustomerByEmail(ctx, email); err != nil {
				return 0, err
			}
			if found == nil {
				return 0, fmt.Errorf("WooCommerce says a user with this e-mail exists but does not list it: %w", err)
			}
		default:
			return 0, err
		}
	}
	if err := m.rememberCustomer(key, found.ID, notes...); err != nil {
		return 0, err
	}
	return found.ID, nil
}

// customerLabel names a customer key in the activity log without the
// member's full e-mail.
func customerLabel(key string) string {
	if key == "single" {
		return `the one "OnCloudWine" customer`
	}
	email := strings.TrimPrefix(key, "email:")
	local, domain, _ := strings.Cut(email, "@")
	if len(local) > 1 {
		local = local[:1] + "…"
	}
	return local + "@" + domain
}

func newCustomer(ro oncloudwine.ReleaseOrder, email string, single bool) woo.CustomerInput {
	if single {
		return woo.CustomerInput{Email: email, FirstName: "OnCloudWine", LastName: "Release orders", Username: "oncloudwine-release-orders",
			MetaData: []woo.MetaInput{{Key: "_oncloudwine_customer", Value: "single"}}}
	}
	billing, shipping := address(ro.Billing), address(ro.Shipping)
	if billing.Email == "" {
		billing.Email = email
	}
	return woo.CustomerInput{Email: email, FirstName: ro.Customer.FirstName, LastName: ro.Customer.LastName,
		Billing: &billing, Shipping: &shipping, MetaData: []woo.MetaInput{{Key: "_oncloudwine_customer", Value: "create"}}}
}

// forgetCustomer drops the remembered customer of ro (WooCommerce refused
// it: deleted), so the next try finds or creates it again.
func (m *Mirror) forgetCustomer(ro oncloudwine.ReleaseOrder) {
	key, _ := m.customerKey(ro)
	if err := m.rememberCustomer(key, 0); err != nil {
		m.log.Warn("mirror: forget customer", "err", err)
	}
}
