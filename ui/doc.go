// Package ui will hold the Fyne screens: lock and sign-in, note list and search, the
// editor, the drafting panel, settings and the audit view. It holds no business logic and
// talks to the app core through small interfaces. It arrives with the desktop issue.
package ui
