package models

import (
	"testing"

	"golang.org/x/sys/unix"
)

// TestOnlyLocalFilesystemsAreTrustedInPlace: a root-owned model on a network or FUSE
// filesystem is sealed like a user's file, since its owner and bytes are a server's
// word.
func TestOnlyLocalFilesystemsAreTrustedInPlace(t *testing.T) {
	for _, tt := range []struct {
		name  string
		magic int64
		local bool
	}{
		{"ext4", unix.EXT4_SUPER_MAGIC, true},
		{"xfs", unix.XFS_SUPER_MAGIC, true},
		{"btrfs", unix.BTRFS_SUPER_MAGIC, true},
		{"NFS", unix.NFS_SUPER_MAGIC, false},
		{"SMB", unix.SMB_SUPER_MAGIC, false},
		{"CIFS", 0xff534d42, false},
		{"SMB2", 0xfe534d42, false},
		{"FUSE", unix.FUSE_SUPER_MAGIC, false},
		{"9p", unix.V9FS_MAGIC, false},
		{"an unknown filesystem", 0x12345678, false},
	} {
		if got := localFilesystem(tt.magic); got != tt.local {
			t.Errorf("%s: trusted in place = %v, want %v", tt.name, got, tt.local)
		}
	}
}
