package llamacpp

import (
	"errors"
	"os"
	"runtime"
	"strings"

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

// PhysicalCores is the default thread count: llama.cpp's matrix work gains nothing from
// a second hyperthread on the same core, and loses to the contention. Where the core
// count cannot be read it is the logical CPU count.
func PhysicalCores() int {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.NumCPU()
	}
	if n := physicalCores(string(b)); n > 0 {
		return min(n, runtime.NumCPU())
	}
	return runtime.NumCPU()
}

// physicalCores counts distinct (physical id, core id) pairs in /proc/cpuinfo's text;
// 0 when it does not say.
func physicalCores(cpuinfo string) int {
	cores := map[string]bool{}
	var phys, core string
	flush := func() {
		if core != "" {
			cores[phys+"/"+core] = true
		}
		phys, core = "", ""
	}
	for _, line := range strings.Split(cpuinfo, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			if strings.TrimSpace(line) == "" {
				flush()
			}
			continue
		}
		switch strings.TrimSpace(k) {
		case "physical id":
			phys = strings.TrimSpace(v)
		case "core id":
			core = strings.TrimSpace(v)
		}
	}
	flush()
	return len(cores)
}
