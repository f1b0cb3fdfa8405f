package llamacpp

import (
	"errors"
	"runtime"

	"golang.org/x/sys/cpu"
)

// The release build is static, with ggml's x86-64 baseline compiled in: GGML_NATIVE=OFF
// still uses AVX2 and FMA (every such CPU also has F16C). That is the choice (over shipping ggml's CPU backends
// as loadable libraries): one binary, fast on every CPU a hospital has bought in the
// last decade, and a clear refusal — not a crash on an illegal instruction — on older
// ones. CheckCPU runs before any model is loaded.

// ErrCPU: the processor lacks instructions the inference build needs.
var ErrCPU = errors.New("this processor lacks AVX2 or FMA, which Vellum's local AI needs (Intel Haswell / AMD Excavator, 2013, or newer); notes, the vault and the audit trail work without it")

type x86Features struct{ AVX2, FMA bool }

func checkCPU(arch string, f x86Features) error {
	if arch != "amd64" && arch != "386" {
		return nil // arm64: NEON is the baseline everywhere it runs
	}
	if !f.AVX2 || !f.FMA {
		return ErrCPU
	}
	return nil
}

// CheckCPU says whether this machine can run the inference build.
func CheckCPU() error {
	return checkCPU(runtime.GOARCH, x86Features{AVX2: cpu.X86.HasAVX2, FMA: cpu.X86.HasFMA})
}
