package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The attack of issue 12 §3: 200 connections each sending a 5 MiB body took
// the sidecar from 40 MB to 965 MB RSS. Targets: peak RSS ≤ 150 MB, and RSS
// back under 80 MB within 60 s after the attack.
const (
	attackConns     = 200
	attackBody      = 5 << 20
	peakTargetKB    = 150 << 10
	settleTargetKB  = 80 << 10
	settleWithin    = 60 * time.Second
	attackChunkSize = 64 << 10
)

func memoryUnsigned(ctx context.Context, env *suite) (string, error) {
	return memoryAttack(ctx, env, func() map[string]string {
		return map[string]string{"X-WC-Webhook-Topic": "product.updated"}
	})
}

func memorySignedLooking(ctx context.Context, env *suite) (string, error) {
	return memoryAttack(ctx, env, func() map[string]string {
		raw := make([]byte, sha256.Size)
		_, _ = rand.Read(raw)
		return map[string]string{
			"X-WC-Webhook-Topic":     "product.updated",
			"X-WC-Webhook-Resource":  "product",
			"X-WC-Webhook-Event":     "updated",
			"X-WC-Webhook-Signature": base64.StdEncoding.EncodeToString(raw),
		}
	})
}

func memoryAttack(ctx context.Context, env *suite, headers func() map[string]string) (string, error) {
	dir, err := os.MkdirTemp("", "ocw-reliability-*")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	sc, err := startSidecar(ctx, env.bin, filepath.Join(dir, "data"))
	if err != nil {
		return "", err
	}
	defer func() {
		env.notePeak(sc)
		sc.stop()
	}()
	before, err := sc.memKB("VmRSS")
	if err != nil {
		return "", err
	}
	rounds := 2
	if env.short {
		rounds = 1
	}
	var answered, refusedEarly atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < attackConns; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < rounds; r++ {
				status := sendLarge(ctx, sc.addr, headers())
				if status > 0 {
					answered.Add(1)
				}
				if status == http.StatusUnauthorized || status == http.StatusServiceUnavailable {
					refusedEarly.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	peak, err := sc.memKB("VmHWM")
	if err != nil {
		return "", err
	}
	settleStart := time.Now()
	var rss int64
	for {
		if rss, err = sc.memKB("VmRSS"); err != nil {
			return "", err
		}
		if rss < settleTargetKB || time.Since(settleStart) > settleWithin {
			break
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
	settled := time.Since(settleStart).Round(100 * time.Millisecond)
	if err := deliverValid(ctx, sc); err != nil {
		return "", fmt.Errorf("after the attack a valid delivery failed: %w", err)
	}
	detail := fmt.Sprintf("%d×%d requests of 5 MiB, %d answered (401/503 %d), RSS %d MB before, peak %d MB (target ≤ 150), %d MB after %s (target < 80 within 60 s), valid delivery then stored",
		attackConns, rounds, answered.Load(), refusedEarly.Load(), before>>10, peak>>10, rss>>10, settled)
	if peak > peakTargetKB || rss >= settleTargetKB {
		return "", fmt.Errorf("%s", detail)
	}
	return detail, nil
}

// sendLarge writes one request with a 5 MiB body over its own connection and
// returns the answer's status (0 when none came).
func sendLarge(ctx context.Context, addr string, headers map[string]string) int {
	d := net.Dialer{Timeout: 5 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return 0
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(60 * time.Second))
	var hdr strings.Builder
	fmt.Fprintf(&hdr, "POST /v1/webhooks/woocommerce HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n", addr, attackBody)
	for k, v := range headers {
		fmt.Fprintf(&hdr, "%s: %s\r\n", k, v)
	}
	hdr.WriteString("\r\n")
	if _, err := conn.Write([]byte(hdr.String())); err != nil {
		return 0
	}
	chunk := bytes.Repeat([]byte("x"), attackChunkSize)
	for sent := 0; sent < attackBody; sent += len(chunk) {
		if _, err := conn.Write(chunk); err != nil {
			break // the server answered and closed: that is the point
		}
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// deliverValid sends one correctly signed product delivery and wants 200.
func deliverValid(ctx context.Context, sc *sidecar) error {
	body := []byte(`{"id":4242,"name":"After the storm","sku":"RELIABILITY-1","type":"simple","status":"publish","date_modified_gmt":"2026-11-30T05:00:00","price":"12.00","regular_price":"12.00"}`)
	m := hmac.New(sha256.New, []byte(testSecret))
	m.Write(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sc.url("/v1/webhooks/woocommerce"), bytes.NewReader(body))
	if err != nil {
		return err
	}
	for k, v := range map[string]string{
		"Content-Type": "application/json", "X-WC-Webhook-Topic": "product.updated", "X-WC-Webhook-Resource": "product",
		"X-WC-Webhook-Event": "updated", "X-WC-Webhook-ID": "1", "X-WC-Webhook-Delivery-ID": "d1",
		"X-WC-Webhook-Source": "https://shop.example/", "X-WC-Webhook-Signature": base64.StdEncoding.EncodeToString(m.Sum(nil)),
	} {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}
