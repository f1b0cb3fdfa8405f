package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// ErrDigestMismatch: a pulled file's SHA-256 is not the one asked for.
var ErrDigestMismatch = errors.New("the downloaded file's SHA-256 differs from the one expected")

// Pull downloads url into dir as a model whose SHA-256 must be want. It writes to a
// hidden .part file first, resumes a .part left by an interrupted pull (HTTP Range),
// verifies the digest and the GGUF header, and only then renames the file into the
// folder — the catalog never sees a partial or unverified model. Only https is
// spoken, redirects included: the digest guards the file, and TLS keeps who fetched
// which model from the network.
func Pull(ctx context.Context, client *http.Client, rawURL, dir, want string, progress func(done, total int64)) (string, error) {
	want = strings.ToLower(strings.TrimSpace(want))
	if b, err := hex.DecodeString(want); err != nil || len(b) != 32 {
		return "", errors.New("pull: --sha256 must be 64 hex digits")
	}
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "https" {
		return "", fmt.Errorf("pull: %q is not an https URL", rawURL)
	}
	// Redirects only to https, and not endlessly; the caller's client is not changed.
	c := *client
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != "https" {
			return fmt.Errorf("pull: refusing a redirect to %s: only https", req.URL.Scheme)
		}
		if len(via) >= 10 {
			return errors.New("pull: too many redirects")
		}
		return nil
	}
	client = &c
	name := path.Base(u.Path)
	if !isModelFile(name) || strings.ContainsAny(name, `/\`) {
		return "", fmt.Errorf("pull: %q does not name a .gguf file", rawURL)
	}
	final := filepath.Join(dir, name)
	if _, err := os.Stat(final); err == nil {
		return "", fmt.Errorf("pull: %s exists already", final)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	part := filepath.Join(dir, "."+name+"."+want[:12]+".part")
	f, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return "", err
	}
	have, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		f.Close()
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		f.Close()
		return "", err
	}
	if have > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", have))
	}
	resp, err := client.Do(req)
	if err != nil {
		f.Close()
		return "", fmt.Errorf("pull %s: %w (run it again to resume)", name, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		// No resume from this server: start over.
		if err := f.Truncate(0); err != nil {
			f.Close()
			return "", err
		}
		f.Seek(0, io.SeekStart)
		have = 0
	case http.StatusPartialContent:
	case http.StatusRequestedRangeNotSatisfiable:
		// The .part is whole already.
	default:
		f.Close()
		return "", fmt.Errorf("pull %s: %s", name, resp.Status)
	}
	total := have + resp.ContentLength
	if resp.StatusCode != http.StatusRequestedRangeNotSatisfiable {
		buf := make([]byte, 1<<20)
		done := have
		for {
			n, rerr := resp.Body.Read(buf)
			if n > 0 {
				if _, err := f.Write(buf[:n]); err != nil {
					f.Close()
					return "", fmt.Errorf("pull %s: %w", name, err)
				}
				done += int64(n)
				if progress != nil {
					progress(done, total)
				}
			}
			if rerr == io.EOF {
				break
			}
			if rerr != nil {
				f.Sync()
				f.Close()
				return "", fmt.Errorf("pull %s: interrupted at %d bytes: %w (run it again to resume)", name, done, rerr)
			}
		}
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return "", err
	}
	f.Close()
	rf, err := os.Open(part)
	if err != nil {
		return "", err
	}
	st, _ := rf.Stat()
	h := sha256.New()
	_, err = io.Copy(h, rf)
	if err == nil {
		_, err = ReadHeader(newSectionReader(rf), st.Size())
	}
	rf.Close()
	if err != nil {
		os.Remove(part)
		return "", fmt.Errorf("pull %s: %w", name, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		os.Remove(part)
		return "", fmt.Errorf("pull %s: %w (got %s)", name, ErrDigestMismatch, got)
	}
	if err := os.Rename(part, final); err != nil {
		return "", err
	}
	return final, nil
}

func newSectionReader(f *os.File) io.Reader {
	f.Seek(0, io.SeekStart)
	return f
}
