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

func TestPhysicalCores(t *testing.T) {
	ht := "processor : 0\nphysical id : 0\ncore id : 0\n\nprocessor : 1\nphysical id : 0\ncore id : 0\n\n" +
		"processor : 2\nphysical id : 0\ncore id : 1\n\nprocessor : 3\nphysical id : 0\ncore id : 1\n"
	if n := physicalCores(ht); n != 2 {
		t.Fatalf("two cores with two hyperthreads each: %d", n)
	}
	twoSockets := "processor : 0\nphysical id : 0\ncore id : 0\n\nprocessor : 1\nphysical id : 1\ncore id : 0\n"
	if n := physicalCores(twoSockets); n != 2 {
		t.Fatalf("core 0 on two sockets: %d", n)
	}
	if n := physicalCores("processor : 0\nBogoMIPS : 50\n"); n != 0 {
		t.Fatalf("no core ids (arm64 VMs): %d, want 0 (fall back to logical CPUs)", n)
	}
	if n := PhysicalCores(); n < 1 {
		t.Fatalf("PhysicalCores() = %d", n)
	}
}
