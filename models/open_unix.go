//go:build unix

package models

import (
	"fmt"
	"os"
	"syscall"
)

// openRegular opens a regular file for reading, and nothing else: a FIFO or device
// put in the models folder would hang a scan, or feed it without end. The open does
// not wait on a FIFO's writer; the check is on what was opened.
func openRegular(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	return f, nil
}
