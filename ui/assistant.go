package ui

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vellumhealth/vellum/llm"
)

// assistant is the drafting panel: source → template → Draft → streamed text with the
// ungrounded spans marked → Insert or Replace into the editor.
type assistant struct {
	w        *Workspace
	content  fyne.CanvasObject
	source   *entry
	template *widget.Select
	draftBtn *widget.Button
	stopBtn  *widget.Button
	insBtn   *widget.Button
	repBtn   *widget.Button
	output   *widget.RichText
	state    *widget.Label
	// Dictation: the button that starts and stops it, the input's level, the live
	// text, and what to do when it ends.
	dictBtn   *widget.Button
	level     *widget.ProgressBar
	live      *widget.Label
	dictating *dictating // nil when none runs
	discard   bool       // Esc: the dictation's text is not kept
	before    string     // the source as it was when dictation began

	mu      sync.Mutex
	cancel  context.CancelFunc
	running bool
	text    strings.Builder
	// shown: the panel shows all of text (false: an update is on its way to it).
	// Tokens arrive faster than the panel can be redrawn; each update draws all that
	// has come, so a fast model never leaves the window seconds behind.
	shown bool
	last  *llm.Draft
	tmpl  string
	// pending holds, by note, the drafts put into it since its last save.
	pending map[string][]Provenance
}

func newAssistant(w *Workspace) *assistant {
	a := &assistant{w: w}
	a.source = newEntry(w, true)
	a.source.SetPlaceHolder("Type or paste the encounter (dictation arrives here too)")
	a.source.SetMinRowsVisible(8)
	a.source.OnChanged = func(string) { w.Touch() }
	a.template = widget.NewSelect(nil, func(string) { w.Touch() })
	a.draftBtn = widget.NewButtonWithIcon("Draft", theme.MediaPlayIcon(), a.draft)
	a.draftBtn.Importance = widget.HighImportance
	a.stopBtn = widget.NewButtonWithIcon("Stop", theme.MediaStopIcon(), a.stop)
	a.stopBtn.Disable()
	a.insBtn = widget.NewButton("Insert", func() { a.insert(false) })
	a.repBtn = widget.NewButton("Replace", func() { a.insert(true) })
	a.insBtn.Disable()
	a.repBtn.Disable()
	a.output = widget.NewRichText()
	a.output.Wrapping = fyne.TextWrapWord
	a.state = widget.NewLabel("")
	a.dictBtn = widget.NewButtonWithIcon("Dictate", theme.MediaRecordIcon(), func() { a.toggleDictation("window") })
	a.level = widget.NewProgressBar()
	a.level.TextFormatter = func() string { return "" }
	a.level.Hide()
	a.live = widget.NewLabel("")
	a.live.Wrapping = fyne.TextWrapWord
	a.live.Hide()
	top := container.NewVBox(widget.NewLabelWithStyle("Assistant", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		a.source, border(nil, nil, a.dictBtn, nil, a.level), a.live,
		border(nil, nil, nil, container.NewHBox(a.draftBtn, a.stopBtn), a.template))
	bottom := container.NewVBox(a.state, container.NewHBox(a.insBtn, a.repBtn))
	a.content = border(top, bottom, nil, nil, container.NewVScroll(a.output))
	return a
}

func (a *assistant) setTemplates(names []string) {
	a.template.Options = names
	if len(names) > 0 && a.template.Selected == "" {
		a.template.SetSelected(names[0])
	}
	a.template.Refresh()
}

// draft starts a draft in the background; tokens stream into the panel as they come.
func (a *assistant) draft() {
	a.mu.Lock()
	if a.running {
		a.mu.Unlock()
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	a.cancel, a.running = cancel, true
	a.text.Reset()
	a.shown = true
	a.last = nil
	a.mu.Unlock()
	source, tmpl := a.source.Text, a.template.Selected
	a.tmpl = tmpl
	a.output.Segments = nil
	a.output.Refresh()
	if a.w.core.Status().Model == "" {
		a.state.SetText("loading the model, then drafting…")
	} else {
		a.state.SetText("drafting…")
	}
	a.draftBtn.Disable()
	a.stopBtn.Enable()
	a.insBtn.Disable()
	a.repBtn.Disable()
	go func() {
		d, err := a.w.core.Draft(ctx, tmpl, source, func(piece string) {
			a.mu.Lock()
			a.text.WriteString(piece)
			queued := !a.shown
			a.shown = false
			a.mu.Unlock()
			if queued {
				return
			}
			a.w.onUI(func() {
				a.mu.Lock()
				text := a.text.String()
				a.shown = true
				a.mu.Unlock()
				a.show(text, nil)
			})
		})
		cancel()
		a.w.onUI(func() { a.finished(d, err) })
	}()
}

// dictating is a dictation under way: stop ends it keeping its text, cancel drops
// it; done is closed once the core has returned (and recorded its end).
type dictating struct {
	stop   func()
	cancel context.CancelFunc
	done   chan struct{}
}

// toggleDictation starts dictation into the source, or stops it keeping its text.
func (a *assistant) toggleDictation(via string) {
	if a.dictating != nil {
		a.dictating.stop()
		return
	}
	a.startDictation(via)
}

// startDictation starts dictation into the source (via: "window" or "hotkey").
func (a *assistant) startDictation(via string) {
	ctx, cancel := context.WithCancel(context.Background())
	stop := make(chan struct{})
	d := &dictating{stop: sync.OnceFunc(func() { close(stop) }), cancel: cancel, done: make(chan struct{})}
	a.dictating, a.discard, a.before = d, false, a.source.Text
	a.dictBtn.SetText("Stop dictating")
	a.dictBtn.Importance = widget.DangerImportance
	a.dictBtn.Refresh()
	a.level.SetValue(0)
	a.level.Show()
	a.live.SetText("")
	a.live.Show()
	a.state.SetText("● recording: speak; Esc cancels")
	a.w.recording(true)
	a.w.Touch()
	join := func(text string) string {
		if a.before == "" || text == "" {
			return a.before + text
		}
		return a.before + " " + text
	}
	ev := DictationEvents{
		Level: func(l float64) { a.w.onUI(func() { a.level.SetValue(l) }) },
		// Speech is activity: a physician dictating is not idle.
		Partial: func(t string) { a.w.Touch(); a.w.onUI(func() { a.live.SetText(t) }) },
		Transcript: func(t string) {
			a.w.Touch()
			a.w.onUI(func() {
				if !a.discard {
					a.source.SetText(join(t))
				}
				a.live.SetText("")
			})
		},
	}
	go func() {
		text, err := a.w.core.Dictate(ctx, via, stop, ev)
		cancel()
		close(d.done)
		a.w.onUI(func() {
			if a.dictating == d {
				a.dictating = nil
			}
			a.w.recording(false)
			a.dictBtn.SetText("Dictate")
			a.dictBtn.Importance = widget.MediumImportance
			a.dictBtn.Refresh()
			a.level.Hide()
			a.live.Hide()
			switch {
			case a.discard:
				a.source.SetText(a.before)
				a.state.SetText("dictation cancelled: nothing kept")
			case err != nil:
				a.state.SetText(errText(err))
			default:
				a.source.SetText(join(text))
				a.state.SetText("dictation ended")
			}
		})
	}()
}

// stopDictation ends dictation keeping its text, the utterance under way included
// (Stop, push-to-talk's release, the lock).
func (a *assistant) stopDictation() {
	if a.dictating != nil {
		a.dictating.stop()
	}
}

// endDictation drops a dictation under way and waits, at most wait, for it to end
// and be recorded (the app quitting).
func (a *assistant) endDictation(wait time.Duration) {
	d := a.dictating
	if d == nil {
		return
	}
	a.discard = true
	d.cancel()
	select {
	case <-d.done:
	case <-time.After(wait):
	}
}

// cancelDictation ends dictation and drops what it wrote (Esc).
func (a *assistant) cancelDictation() bool {
	if a.dictating == nil {
		return false
	}
	a.discard = true
	a.dictating.cancel()
	return true
}

// loading shows how far the model load a draft waits for has come.
func (a *assistant) loading(done float64) {
	a.mu.Lock()
	running := a.running
	a.mu.Unlock()
	if running {
		a.state.SetText(fmt.Sprintf("loading the model: %d%% (Stop cancels)", int(100*done)))
	}
}

// reading shows how much of the prompt the model has read before its first token
// (done > 0), and goes back to "drafting…" once it has.
func (a *assistant) reading(done float64) {
	a.mu.Lock()
	running := a.running
	a.mu.Unlock()
	switch {
	case !running:
	case done > 0:
		a.state.SetText(fmt.Sprintf("reading the source: %d%% (Stop cancels)", int(100*done)))
	case strings.HasPrefix(a.state.Text, "reading the source"), strings.HasPrefix(a.state.Text, "loading the model"):
		a.state.SetText("drafting…")
	}
}

func (a *assistant) finished(d llm.Draft, err error) {
	a.mu.Lock()
	a.running = false
	partial := a.text.String()
	if err == nil {
		a.last = &d
	}
	a.mu.Unlock()
	a.draftBtn.Enable()
	a.stopBtn.Disable()
	if err != nil {
		a.show(partial, nil)
		a.state.SetText(errText(err))
		return
	}
	a.show(d.Text, d.Ungrounded)
	if n := len(d.Ungrounded); n > 0 {
		a.state.SetText(fmt.Sprintf("%d item(s) not found in the source are highlighted: check them", n))
	} else {
		a.state.SetText("every number, dose, date and drug is in the source")
	}
	a.insBtn.Enable()
	a.repBtn.Enable()
}

// show renders text with the spans marked in the error colour, bold.
func (a *assistant) show(text string, spans []llm.Span) {
	var segs []widget.RichTextSegment
	at := 0
	plain := func(s string) {
		if s != "" {
			segs = append(segs, &widget.TextSegment{Text: s, Style: widget.RichTextStyleInline})
		}
	}
	for _, s := range spans {
		if s.Start < at || s.End > len(text) {
			continue
		}
		plain(text[at:s.Start])
		segs = append(segs, &widget.TextSegment{Text: text[s.Start:s.End], Style: widget.RichTextStyle{
			Inline: true, ColorName: theme.ColorNameError, TextStyle: fyne.TextStyle{Bold: true}}})
		at = s.End
	}
	plain(text[at:])
	a.output.Segments = segs
	a.output.Refresh()
}

// stop cancels a running draft; the engine stops within one token.
func (a *assistant) stop() {
	a.mu.Lock()
	if a.cancel != nil {
		a.cancel()
	}
	a.mu.Unlock()
}

// insert puts the finished draft into the editor (appending, or replacing its text).
func (a *assistant) insert(replace bool) {
	a.mu.Lock()
	d := a.last
	a.mu.Unlock()
	if d == nil || a.w.current == nil || a.w.current.Status != "draft" {
		return
	}
	if replace || strings.TrimSpace(a.w.editor.Text) == "" {
		a.w.editor.SetText(d.Text)
	} else {
		a.w.editor.SetText(strings.TrimRight(a.w.editor.Text, "\n") + "\n\n" + d.Text)
	}
	sum := sha256.Sum256([]byte(d.Text))
	a.mu.Lock()
	if a.pending == nil {
		a.pending = map[string][]Provenance{}
	}
	id := a.w.current.ID
	a.pending[id] = append(a.pending[id], Provenance{Template: a.tmpl, DraftSHA256: hex.EncodeToString(sum[:]), Text: d.Text, Ungrounded: d.Ungrounded})
	a.mu.Unlock()
	a.w.ack.RemoveAll()
}

// provenance is the drafts put into note id since its last save.
func (a *assistant) provenance(id string) []Provenance {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.pending[id]
}

// saved forgets the drafts of note id once the Core has them.
func (a *assistant) saved(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.pending, id)
}
