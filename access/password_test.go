package access

import (
	"strings"
	"testing"
)

var testParams = Params{MemoryKiB: 64, Time: 1, Threads: 1}

func TestPasswordHashing(t *testing.T) {
	h := HashPassword("correct horse battery staple", testParams)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %s does not record its parameters", h)
	}
	if ok, err := VerifyPassword("correct horse battery staple", h); !ok || err != nil {
		t.Fatalf("right password: %v %v", ok, err)
	}
	if ok, _ := VerifyPassword("correct horse battery stapler", h); ok {
		t.Fatal("wrong password accepted")
	}
	if h == HashPassword("correct horse battery staple", testParams) {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=64,t=1,p=1$AA$AA", "$argon2id$v=19$m=64,t=0,p=1$AA$AA", "$argon2id$v=19$m=99999999,t=1,p=1$AA$AA", "plaintext"} {
		if _, err := VerifyPassword("x", bad); err == nil {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
	if CheckPassword("short") == nil || CheckPassword("twelve chars") != nil {
		t.Error("CheckPassword length rule")
	}
}

func TestLockoutBackoffDoublesToADay(t *testing.T) {
	base := 30_000_000_000 // 30 s in ns, as a Duration below
	for i, want := range []int{1, 2, 4, 8} {
		if got := lockoutFor(durationOf(base), i+1); got != durationOf(base*want) {
			t.Errorf("lockout %d = %v", i+1, got)
		}
	}
	if got := lockoutFor(durationOf(base), 40); got.Hours() != 24 {
		t.Errorf("lockout 40 = %v, want 24h", got)
	}
}
