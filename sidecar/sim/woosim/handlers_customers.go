package woosim

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

func (s *Sim) serveCustomers(req *request) reply {
	return serveResource(req, s.customersCollection, s.customerItem)
}

func (s *Sim) customersCollection(req *request) reply {
	if req.method == http.MethodPost {
		if !req.authed {
			return errCannotCreate()
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		c, e := s.createCustomer(req.body, s.now().UTC().Truncate(time.Second))
		if e != nil {
			return errReply(e)
		}
		return created(reply{body: s.renderCustomer(req.rb, c)}, req.rb.url("/wc/v3/customers/"+strconv.FormatInt(c.ID, 10)))
	}
	page, perPage, r, ok := listParams(req)
	if !ok {
		return r
	}
	email := strings.ToLower(strings.TrimSpace(req.q.value("email")))
	role := req.q.value("role")
	if role == "" {
		role = "customer" // WooCommerce lists only role customer unless role=all
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var matched []*Customer
	for _, id := range s.st.customerOrder {
		c := s.st.customers[id]
		if c == nil || (role != "all" && c.Role != role) || (email != "" && strings.ToLower(c.Email) != email) {
			continue
		}
		matched = append(matched, c)
	}
	items, total, pages := paginate(matched, page, perPage)
	fields := fieldsOf(req.q)
	out := make([]obj, len(items))
	for i, c := range items {
		out[i] = project(s.renderCustomer(req.rb, c), fields)
	}
	return listReply(out, total, pages, page)
}

func (s *Sim) customerItem(req *request, id int64) reply {
	if !req.authed {
		if req.method == http.MethodGet {
			return errCannotView()
		}
		return errCannotEdit()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.st.customers[id]
	if c == nil {
		return errReply(&restError{404, "woocommerce_rest_invalid_id", "Invalid resource ID.", nil})
	}
	switch req.method {
	case http.MethodGet:
		return reply{body: project(s.renderCustomer(req.rb, c), fieldsOf(req.q))}
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		s.applyCustomerFields(c, req.body)
		c.DateModified = s.now().UTC().Truncate(time.Second)
		return reply{body: s.renderCustomer(req.rb, c)}
	}
	return errReply(errNoRoute())
}

func (s *Sim) applyCustomerFields(c *Customer, body map[string]any) {
	for key, dst := range map[string]*string{"first_name": &c.FirstName, "last_name": &c.LastName, "username": &c.Username} {
		if v, ok := body[key]; ok {
			*dst, _ = asString(v)
		}
	}
	if _, ok := body["billing"]; ok {
		parseAddress(body["billing"], &c.Billing)
	}
	if _, ok := body["shipping"]; ok {
		parseAddress(body["shipping"], &c.Shipping)
	}
	if meta, ok := body["meta_data"].([]any); ok {
		c.MetaData = s.mergeMeta(c.MetaData, meta)
	}
}

// createCustomer is POST /customers (wc_create_new_customer).
func (s *Sim) createCustomer(body map[string]any, now time.Time) (*Customer, *restError) {
	email, _ := asString(body["email"])
	email = strings.TrimSpace(email)
	if email == "" || !strings.Contains(email, "@") {
		return nil, &restError{400, "registration-error-invalid-email", "Please provide a valid email address.", nil}
	}
	for _, c := range s.st.customers {
		if strings.EqualFold(c.Email, email) {
			msg := "An account is already registered with " + email + ". Please log in or use a different email address."
			if !s.modern() {
				msg = `An account is already registered with your email address. <a href="#" class="showlogin">Please log in.</a>`
			}
			return nil, &restError{400, "registration-error-email-exists", msg, nil}
		}
	}
	c := &Customer{ID: s.st.nextUserID, Email: email, Role: "customer", DateCreated: now, DateModified: now}
	s.st.nextUserID++
	s.applyCustomerFields(c, body)
	if c.Username == "" {
		c.Username, _, _ = strings.Cut(email, "@")
	}
	for _, o := range s.st.customers {
		if o.Username == c.Username {
			return nil, &restError{400, "registration-error-username-exists", "An account is already registered with that username. Please choose another.", nil}
		}
	}
	s.st.customers[c.ID] = c
	s.st.customerOrder = append(s.st.customerOrder, c.ID)
	return c, nil
}
