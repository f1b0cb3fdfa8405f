//go:build unix && !linux

package vault

func protectPlatform() error { return nil }
