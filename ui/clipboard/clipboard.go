// Package clipboard puts copied PHI on the system clipboard so that it stays out of
// clipboard history and cloud clipboard sync where the OS lets an application say so.
//
// On Windows 10 and later, text is written with three registered formats beside
// CF_UNICODETEXT: ExcludeClipboardContentFromMonitorProcessing (clipboard monitors,
// including Windows' own history, skip the content), CanIncludeInClipboardHistory = 0
// and CanUploadToCloudClipboard = 0. macOS and Linux desktops have no such convention
// that their clipboard managers honour: there WritePrivate returns ErrUnsupported and
// the caller uses the toolkit's clipboard, clearing it after policy's time as
// everywhere.
package clipboard

import "errors"

// ErrUnsupported: this OS has no way to keep clipboard content out of its history.
var ErrUnsupported = errors.New("the clipboard of this OS cannot be kept out of clipboard history")

// WritePrivate replaces the clipboard's content with text, marked to be kept out of
// clipboard history and cloud sync.
func WritePrivate(text string) error { return writePrivate(text) }
