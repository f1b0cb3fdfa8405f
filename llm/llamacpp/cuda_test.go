//go:build llamacpp && cuda

package llamacpp

import (
	"testing"
)

// TestCUDAOffloadsEveryLayer: on a CUDA build with a GPU, a model goes to the GPU
// whole by default, and CPUOnly keeps it off. (The other tests run on the GPU too in
// such a build: TestGreedyOutputMatchesLlamaSimple compares with llama-simple, which
// offloads every layer as well.)
func TestCUDAOffloadsEveryLayer(t *testing.T) {
	gpu := load(t).Info()
	if gpu.Device == "CPU" || gpu.GPULayers == 0 {
		t.Fatalf("a CUDA build left the model on the CPU: %+v", gpu)
	}
	cpu, err := Load(testModel(t), Options{Threads: 2, Context: 512, CPUOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer cpu.Close()
	if i := cpu.Info(); i.Device != "CPU" || i.GPULayers != 0 {
		t.Fatalf("CPUOnly offloaded: %+v", i)
	}
	t.Logf("device %q, %d layers offloaded", gpu.Device, gpu.GPULayers)
}
