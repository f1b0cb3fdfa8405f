package llamacpp

import (
	"errors"
	"testing"
)

func TestCPUCheckRefusesOldProcessorsClearly(t *testing.T) {
	tests := []struct {
		name string
		arch string
		f    x86Features
		ok   bool
	}{
		{"a current x86-64 CPU", "amd64", x86Features{true, true}, true},
		{"a CPU without AVX2 (Sandy Bridge)", "amd64", x86Features{false, false}, false},
		{"AVX2 but no FMA", "amd64", x86Features{true, false}, false},
		{"arm64", "arm64", x86Features{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkCPU(tt.arch, tt.f)
			if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrCPU)) {
				t.Fatalf("checkCPU = %v, want ok=%v", err, tt.ok)
			}
		})
	}
	if err := CheckCPU(); err != nil {
		t.Fatalf("this machine: %v", err)
	}
}
