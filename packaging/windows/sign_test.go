// Package windowspkg holds the test of the Windows signing script; the Group Policy
// templates beside it are written by packaging/policytemplates.
package windowspkg

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSigningSignsAndVerifies: scripts/sign-windows.sh signs a Windows program with
// Authenticode (SHA-256) under a throwaway code-signing certificate and verifies it;
// a byte changed after signing fails verification; without a key it refuses.
func TestSigningSignsAndVerifies(t *testing.T) {
	if _, err := exec.LookPath("osslsigncode"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("osslsigncode is missing (make deps installs it)")
		}
		t.Skip("osslsigncode is missing: `make deps` installs it")
	}
	dir := t.TempDir()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Vellum throwaway signing"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), 0o600)

	src, exe := filepath.Join(dir, "main.go"), filepath.Join(dir, "program.exe")
	os.WriteFile(src, []byte("package main\n\nfunc main() {}\n"), 0o600)
	build := exec.Command("go", "build", "-o", exe, src)
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0", "GOFLAGS=-trimpath")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	script, _ := filepath.Abs("../../scripts/sign-windows.sh")
	sign := exec.Command(script, exe)
	sign.Env = append(os.Environ(), "VELLUM_SIGN_CERT="+cert, "VELLUM_SIGN_KEY="+keyFile)
	if out, err := sign.CombinedOutput(); err != nil || !strings.Contains(string(out), "signed and verified") {
		t.Fatalf("sign: %v\n%s", err, out)
	}
	verify := func() error { return exec.Command("osslsigncode", "verify", "-CAfile", cert, "-in", exe).Run() }
	if err := verify(); err != nil {
		t.Fatalf("the signed program does not verify: %v", err)
	}
	b, _ := os.ReadFile(exe)
	b[len(b)/3] ^= 0xff // inside the code the signature covers
	os.WriteFile(exe, b, 0o600)
	if verify() == nil {
		t.Fatal("a program changed after signing still verifies")
	}
	unsigned := exec.Command(script, exe)
	unsigned.Env = append(os.Environ(), "VELLUM_SIGN_CERT=", "VELLUM_SIGN_KEY=")
	if out, err := unsigned.CombinedOutput(); err == nil || !strings.Contains(string(out), "VELLUM_SIGN_CERT") {
		t.Fatalf("no key: %v\n%s", err, out)
	}
}
