//go:build !unix && !windows

package capture

// lockMemory does nothing where there is no way to lock memory: the buffer stays in
// memory, swappable.
func lockMemory([]float32) func() { return func() {} }
