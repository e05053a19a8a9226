package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"
)

// sender is one keep-alive HTTP/1.1 connection posting deliveries. It writes
// each request with one syscall and reads the answer with a minimal parser,
// so the generator, which shares the two cores with the sidecar, spends as
// little CPU as it can (net/http's client took about a third of the machine).
type sender struct {
	addr string
	conn net.Conn
	r    *bufio.Reader
	req  []byte
}

func newSender(addr string) *sender { return &sender{addr: addr} }

func (s *sender) close() {
	if s.conn != nil {
		_ = s.conn.Close()
		s.conn = nil
	}
}

// post sends one delivery with WooCommerce's headers and returns the status.
func (s *sender) post(path string, body []byte, signature string) (int, error) {
	if s.conn == nil {
		c, err := net.Dial("tcp", s.addr)
		if err != nil {
			return 0, err
		}
		s.conn, s.r = c, bufio.NewReaderSize(c, 4096)
	}
	s.req = append(s.req[:0], "POST "...)
	s.req = append(s.req, path...)
	s.req = append(s.req, " HTTP/1.1\r\nHost: "...)
	s.req = append(s.req, s.addr...)
	s.req = append(s.req, staticHeaders...)
	s.req = append(s.req, "X-WC-Webhook-Signature: "...)
	s.req = append(s.req, signature...)
	s.req = append(s.req, "\r\nContent-Length: "...)
	s.req = strconv.AppendInt(s.req, int64(len(body)), 10)
	s.req = append(s.req, "\r\n\r\n"...)
	s.req = append(s.req, body...)
	_ = s.conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := s.conn.Write(s.req); err != nil {
		s.close()
		return 0, err
	}
	status, err := s.readResponse()
	if err != nil {
		s.close()
	}
	return status, err
}

// staticHeaders are the delivery headers that never change (see setHeaders).
const staticHeaders = "\r\nUser-Agent: WooCommerce/10.0.2 Hookshot (WordPress/6.8.8)\r\n" +
	"Content-Type: application/json\r\n" +
	"X-WC-Webhook-Source: https://shop.example.com/\r\n" +
	"X-WC-Webhook-Topic: product.updated\r\n" +
	"X-WC-Webhook-Resource: product\r\n" +
	"X-WC-Webhook-Event: updated\r\n" +
	"X-WC-Webhook-ID: 17\r\n" +
	"X-WC-Webhook-Delivery-ID: c2b4d76da0c51544f6a678e7f7a5314b\r\n"

var errBadResponse = errors.New("malformed HTTP response")

func (s *sender) readResponse() (int, error) {
	line, err := s.r.ReadSlice('\n')
	if err != nil {
		return 0, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.1 ")) {
		return 0, fmt.Errorf("%w: %q", errBadResponse, line)
	}
	status, err := strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, fmt.Errorf("%w: %q", errBadResponse, line)
	}
	length, closing := -1, false
	for {
		line, err = s.r.ReadSlice('\n')
		if err != nil {
			return 0, err
		}
		if len(line) <= 2 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return 0, fmt.Errorf("%w: %q", errBadResponse, line)
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil {
				return 0, fmt.Errorf("%w: %q", errBadResponse, line)
			}
		case bytes.EqualFold(name, []byte("Connection")) && bytes.EqualFold(value, []byte("close")):
			closing = true
		}
	}
	if length < 0 {
		return 0, fmt.Errorf("%w: no Content-Length", errBadResponse)
	}
	if _, err := s.r.Discard(length); err != nil {
		return 0, err
	}
	if closing {
		s.close()
	}
	return status, nil
}
