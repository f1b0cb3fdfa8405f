package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

type signInScreen struct {
	w        *Workspace
	content  fyne.CanvasObject
	username *widget.Entry
	password *widget.Entry
	code     *widget.Entry
	reason   *entry
	emergent *widget.Button
	submit   *widget.Button
	err      *widget.Label
}

func newSignInScreen(w *Workspace) *signInScreen {
	s := &signInScreen{w: w}
	s.username = widget.NewEntry()
	s.username.SetPlaceHolder("Vellum user name")
	s.password = widget.NewPasswordEntry()
	s.code = widget.NewEntry()
	s.code.SetPlaceHolder("6-digit code")
	s.code.Hide()
	s.reason = newEntry(w, true)
	s.reason.SetPlaceHolder("Why you need emergency access (recorded and reviewed)")
	s.reason.Hide()
	s.err = widget.NewLabel("")
	s.err.Wrapping = fyne.TextWrapWord
	s.submit = widget.NewButton("Sign in", s.signIn)
	s.submit.Importance = widget.HighImportance
	s.password.OnSubmitted = func(string) { s.signIn() }
	s.code.OnSubmitted = func(string) { s.signIn() }
	s.emergent = widget.NewButton("Emergency access…", func() {
		s.reason.Show()
		s.submit.SetText("Sign in with emergency access")
		s.w.win.Canvas().Focus(s.reason)
	})
	s.emergent.Importance = widget.LowImportance
	form := container.NewVBox(
		widget.NewLabelWithStyle("Vellum", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		widget.NewLabel("User name"), s.username,
		widget.NewLabel("Password"), s.password,
		s.code, s.reason, s.submit, s.emergent, s.err,
	)
	s.content = container.NewCenter(container.New(column{380}, form))
	return s
}

func (s *signInScreen) signIn() {
	ctx := context.Background()
	emergency := s.reason.Visible()
	if emergency && len(strings.Fields(s.reason.Text)) < 3 {
		s.err.SetText("Say why you need emergency access, in a few words.")
		return
	}
	u, err := s.w.core.SignIn(ctx, strings.TrimSpace(s.username.Text), s.password.Text, strings.TrimSpace(s.code.Text))
	if errors.Is(err, ErrTOTPNeeded) {
		s.code.Show()
		s.err.SetText(err.Error())
		s.w.win.Canvas().Focus(s.code)
		return
	}
	if err != nil {
		s.err.SetText(errText(err))
		s.password.SetText("")
		return
	}
	s.password.SetText("")
	text, sum, pending, err := s.w.core.UsePolicy(ctx)
	if err != nil {
		s.err.SetText(errText(err))
		s.w.core.SignOut(ctx) // nothing was refused: the text could not be had
		return
	}
	if pending {
		s.w.win.SetContent(s.usePolicyScreen(text, sum, func() { s.enter(u, emergency) }))
		return
	}
	s.enter(u, emergency)
}

// usePolicyScreen shows the organisation's acceptable-use text with Accept and
// Refuse: accepting goes on (accepted), refusing signs out, back to sign-in.
func (s *signInScreen) usePolicyScreen(text, sum string, accepted func()) fyne.CanvasObject {
	ctx := context.Background()
	body := widget.NewLabel(text)
	body.Wrapping = fyne.TextWrapWord
	accept := widget.NewButton("I accept", func() {
		if err := s.w.core.AcceptUsePolicy(ctx, sum); err != nil {
			s.err.SetText(errText(err))
			s.w.core.SignOut(ctx) // the text changed meanwhile, say: sign in again to read it
			s.w.win.SetContent(s.content)
			return
		}
		accepted()
	})
	accept.Importance = widget.HighImportance
	refuse := widget.NewButton("I do not accept (sign out)", func() {
		s.w.core.RefuseUsePolicy(ctx)
		s.err.SetText("You did not accept your organisation's acceptable-use policy, so you are signed out.")
		s.w.win.SetContent(s.content)
		s.w.win.Canvas().Focus(s.username)
	})
	head := widget.NewLabelWithStyle("Your organisation's acceptable-use policy", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewBorder(head, container.NewHBox(accept, refuse), nil, nil, container.NewVScroll(body))
}

// enter opens the workspace for the user signed in (with emergency access first,
// when asked for).
func (s *signInScreen) enter(u User, emergency bool) {
	if emergency {
		if err := s.w.core.BreakGlass(context.Background(), s.reason.Text); err != nil {
			s.err.SetText(errText(err))
			s.w.win.SetContent(s.content)
			return
		}
	}
	s.code.SetText("")
	s.code.Hide()
	s.reason.SetText("")
	s.reason.Hide()
	s.err.SetText("")
	s.w.signedInAs(u)
}

type lockScreen struct {
	w        *Workspace
	content  fyne.CanvasObject
	who      *widget.Label
	password *widget.Entry
	code     *widget.Entry
	err      *widget.Label
}

func newLockScreen(w *Workspace) *lockScreen {
	l := &lockScreen{w: w}
	l.who = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	l.password = widget.NewPasswordEntry()
	l.code = widget.NewEntry()
	l.code.SetPlaceHolder("6-digit code")
	l.code.Hide()
	l.err = widget.NewLabel("")
	unlock := widget.NewButton("Unlock", l.unlock)
	unlock.Importance = widget.HighImportance
	l.password.OnSubmitted = func(string) { l.unlock() }
	l.code.OnSubmitted = func(string) { l.unlock() }
	form := container.NewVBox(l.who, widget.NewLabel("Password"), l.password, l.code, unlock, l.err)
	l.content = container.NewCenter(container.New(column{380}, form))
	return l
}

func (l *lockScreen) show(u User) {
	l.who.SetText("Locked — " + u.Name)
	l.password.SetText("")
	l.err.SetText("")
	l.w.win.Canvas().Focus(l.password)
}

func (l *lockScreen) unlock() {
	err := l.w.core.Unlock(context.Background(), l.password.Text, strings.TrimSpace(l.code.Text))
	l.password.SetText("")
	if errors.Is(err, ErrTOTPNeeded) {
		l.code.Show()
		l.err.SetText(err.Error())
		return
	}
	if err != nil {
		l.err.SetText(errText(err))
		return
	}
	l.code.SetText("")
	l.code.Hide()
	l.w.unlocked()
}

// column is a layout for one form: width wide at the default text size and wider in
// proportion with larger text (up to twice, so that it still fits a small screen;
// its content's own minimum width always counts), so that it grows rather than
// cutting text off; as high as its content needs.
type column struct{ width float32 }

func (c column) MinSize(objs []fyne.CanvasObject) fyne.Size {
	m := objs[0].MinSize()
	grow := min(theme.TextSize()/theme.DefaultTheme().Size(theme.SizeNameText), 2)
	return fyne.NewSize(max(m.Width, c.width*grow), m.Height)
}

func (c column) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(size)
}
