package models

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// seal returns a handle whose content nobody can change while it is loaded. A file
// that only root can change (owned by root, neither it nor its folder writable by
// others: the managed folder) on a local filesystem is used as it is; any other — a
// user's --model file, or any file on NFS, SMB, FUSE and the like, whose owner and
// mode bits are what a server says and whose content it may serve differently when
// the loader reads it again — is copied into a sealed memory file (memfd with write,
// grow, shrink and seal seals), so that changing the original after the check
// changes nothing.
func seal(f *os.File, path string) (*os.File, error) {
	if rootOnly(f) && rootOnlyDir(filepath.Dir(path)) && onLocalDisk(f) {
		return f, nil
	}
	fd, err := unix.MemfdCreate("vellum-model", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	if err != nil {
		return nil, fmt.Errorf("seal a copy of the model: %w", err)
	}
	m := os.NewFile(uintptr(fd), "memfd:"+filepath.Base(path))
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		m.Close()
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		m.Close()
		return nil, err
	}
	// What the file held when opened, no more: one still growing is not followed.
	if _, err := io.Copy(m, io.LimitReader(f, st.Size())); err != nil {
		m.Close()
		return nil, fmt.Errorf("seal a copy of the model: %w", err)
	}
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_ADD_SEALS, unix.F_SEAL_SHRINK|unix.F_SEAL_GROW|unix.F_SEAL_WRITE|unix.F_SEAL_SEAL); err != nil {
		m.Close()
		return nil, fmt.Errorf("seal a copy of the model: %w", err)
	}
	return m, nil
}

func rootOnly(f *os.File) bool {
	st, err := f.Stat()
	if err != nil {
		return false
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	return ok && sys.Uid == 0 && st.Mode().Perm()&0o022 == 0
}

func rootOnlyDir(dir string) bool {
	st, err := os.Stat(dir)
	if err != nil {
		return false
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	return ok && sys.Uid == 0 && st.Mode().Perm()&0o022 == 0
}

// onLocalDisk says whether f lives on a filesystem of this machine's own disks (or
// memory), where the kernel, not a server, keeps its owner, mode and bytes.
func onLocalDisk(f *os.File) bool {
	var st unix.Statfs_t
	if err := unix.Fstatfs(int(f.Fd()), &st); err != nil {
		return false
	}
	return localFilesystem(int64(st.Type))
}

// localFilesystem: the filesystems trusted in place, by statfs magic number. Any
// other — NFS, SMB/CIFS, FUSE (sshfs, virtiofs, ...), Ceph, 9p, AFS, or one this list
// does not know — is sealed.
func localFilesystem(magic int64) bool {
	switch magic {
	case unix.EXT4_SUPER_MAGIC, unix.XFS_SUPER_MAGIC, unix.BTRFS_SUPER_MAGIC, unix.TMPFS_MAGIC,
		unix.F2FS_SUPER_MAGIC, unix.OVERLAYFS_SUPER_MAGIC, unix.SQUASHFS_MAGIC, 0x2fc12fc1 /* ZFS */ :
		return true
	}
	return false
}
