//go:build !linux && !windows

package textscale

func osFactor() float32 { return 1 }
