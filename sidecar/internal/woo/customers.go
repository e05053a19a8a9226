package woo

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// CustomerByEmail finds a customer by email with role=all (without it
// WooCommerce only finds role "customer"). nil, nil when there is none.
func (c *Client) CustomerByEmail(ctx context.Context, email string) (*Customer, error) {
	q := url.Values{"email": {email}, "role": {"all"}}
	var found []Customer
	if _, err := c.getJSON(ctx, "/wc/v3/customers", q, &found); err != nil {
		return nil, fmt.Errorf("woo customer by email: %w", err)
	}
	for i := range found {
		if strings.EqualFold(found[i].Email, email) {
			return &found[i], nil
		}
	}
	return nil, nil
}

// CreateCustomer creates a customer; never retried. A duplicate email is a
// woo_bad_request *Error with WooCode registration-error-email-exists.
func (c *Client) CreateCustomer(ctx context.Context, in CustomerInput) (Customer, error) {
	var cu Customer
	resp, err := c.send(ctx, request{method: http.MethodPost, route: "/wc/v3/customers", body: in, write: true})
	if err != nil {
		return Customer{}, fmt.Errorf("woo create customer: %w", err)
	}
	if err := decodeJSON(resp, "POST /wc/v3/customers", &cu); err != nil {
		return Customer{}, fmt.Errorf("woo create customer: %w", err)
	}
	return cu, nil
}
