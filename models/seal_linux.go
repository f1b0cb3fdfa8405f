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
// others: the managed folder) is used as it is; any other — a user's --model file —
// is copied into a sealed memory file (memfd with write, grow, shrink and seal
// seals), so that overwriting the original in place after the check changes nothing.
func seal(f *os.File, path string) (*os.File, error) {
	if rootOnly(f) && rootOnlyDir(filepath.Dir(path)) {
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
	if _, err := io.Copy(m, f); err != nil {
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
