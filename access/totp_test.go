package access

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
	"strings"
	"testing"
	"time"
)

// RFC 6238, Appendix B: the test vectors, 8 digits, T0 = 0, X = 30.
func TestTOTPMatchesRFC6238Vectors(t *testing.T) {
	seeds := map[string]struct {
		h    func() hash.Hash
		seed string
	}{
		"SHA1":   {sha1.New, "12345678901234567890"},
		"SHA256": {sha256.New, "12345678901234567890123456789012"},
		"SHA512": {sha512.New, "1234567890123456789012345678901234567890123456789012345678901234"},
	}
	vectors := []struct {
		unix  int64
		codes map[string]string
	}{
		{59, map[string]string{"SHA1": "94287082", "SHA256": "46119246", "SHA512": "90693936"}},
		{1111111109, map[string]string{"SHA1": "07081804", "SHA256": "68084774", "SHA512": "25091201"}},
		{1111111111, map[string]string{"SHA1": "14050471", "SHA256": "67062674", "SHA512": "99943326"}},
		{1234567890, map[string]string{"SHA1": "89005924", "SHA256": "91819424", "SHA512": "93441116"}},
		{2000000000, map[string]string{"SHA1": "69279037", "SHA256": "90698825", "SHA512": "38618901"}},
		{20000000000, map[string]string{"SHA1": "65353130", "SHA256": "77737706", "SHA512": "47863826"}},
	}
	for _, v := range vectors {
		for name, want := range v.codes {
			s := seeds[name]
			if got := hotp(s.h, []byte(s.seed), totpStep(time.Unix(v.unix, 0)), 8); got != want {
				t.Errorf("%s at %d = %s, want %s", name, v.unix, got, want)
			}
		}
	}
}

func TestVerifyTOTPWindowAndReplay(t *testing.T) {
	secret := []byte("12345678901234567890")
	now := time.Unix(1234567890, 0)
	step := totpStep(now)
	code := func(s int64) string { return hotp(sha1.New, secret, s, 6) }

	if got, ok := VerifyTOTP(secret, code(step), now, 0); !ok || got != step {
		t.Fatal("the current code was refused")
	}
	for _, drift := range []int64{-1, 1} {
		if _, ok := VerifyTOTP(secret, code(step+drift), now, 0); !ok {
			t.Errorf("a code %d step(s) off was refused", drift)
		}
	}
	if _, ok := VerifyTOTP(secret, code(step+2), now, 0); ok {
		t.Error("a code two steps ahead was accepted")
	}
	if _, ok := VerifyTOTP(secret, code(step), now, step); ok {
		t.Error("a code was accepted twice")
	}
	if _, ok := VerifyTOTP(secret, "12345", now, 0); ok {
		t.Error("a 5-digit code was accepted")
	}
	spaced := code(step)[:3] + " " + code(step)[3:]
	if _, ok := VerifyTOTP(secret, spaced, now, 0); !ok {
		t.Error("a code typed with a space was refused")
	}
	if got, _ := SecretFromURI(TOTPURI(secret, "x")); string(got) != string(secret) || TOTPCode(secret, now) != code(step) {
		t.Error("SecretFromURI or TOTPCode disagree with the vectors")
	}
	uri := TOTPURI(secret, "dr.synthetic")
	if !strings.HasPrefix(uri, "otpauth://totp/Vellum:dr.synthetic?") || !strings.Contains(uri, "secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ") {
		t.Errorf("URI %s", uri)
	}
}
