// Package ui is the physician's workspace in Fyne: the sign-in and lock screens, the note
// list with search, the editor, the assistant panel (source, template, Draft and Stop,
// the model load's and the prompt's progress, the draft streaming in, ungrounded spans marked, Insert
// and Replace), signing with every ungrounded span acknowledged, addenda to signed
// notes, Copy to EHR with a clipboard that clears itself (and, on Windows, stays out of
// clipboard history: ui/clipboard), Export FHIR to a file only its owner can read, the
// settings screen (what policy manages is shown and locked), the auditors' audit view,
// the themes (light, dark, high contrast), the status bar, and the system tray (closing
// the window may lock and keep Vellum there).
//
// It holds no business logic: every decision and every audit record is the Core's, the
// small interface cmd/vellum wires to the vault, access control, the audit log and the
// engine. The screens only show what the Core returns and pass on what the user does,
// so they are tested headless (fyne.io/fyne/v2/test) against a fake Core, and the real
// binary under Xvfb.
//
// Locking replaces the whole window content with the lock screen at once: no
// PHI-bearing widget stays in the window's tree while locked (tested by walking the
// rendered tree). Unsaved editor text is kept, hidden, for after unlocking — losing a
// physician's work is worse than anything the lock protects against, and the text
// never leaves the process.
//
// Keyboard: every action has a shortcut that works while typing (entry); Tab visits
// each screen in reading order (border keeps containers' parts in that order) and
// leaves multi-line fields too. Text follows the OS's text size (ui/textscale) on top
// of the display's scale, which Fyne applies; forms widen with it (column).
//
// Fyne has no screen-reader support (fyne-io/fyne issue 1285); the README says so.
package ui
