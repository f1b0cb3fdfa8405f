//go:build !unix

package capture

// lockMemory does nothing where Vellum does not lock memory yet (Windows: VirtualLock
// is not wired): the buffer stays in memory, swappable.
func lockMemory([]float32) func() { return func() {} }
