// Package capture is dictation's microphone: audio in through miniaudio
// (github.com/gen2brain/malgo), which speaks to each platform's audio system
// (WASAPI, Core Audio, PulseAudio, ALSA), asked for 16 kHz mono float samples so
// that the platform converts, not Vellum.
//
// A Microphone is a dictation.Source: what the device delivers waits in a buffer of
// bounded size, in memory only (locked against swapping where the OS allows), until
// Read takes it; if the reader falls behind by more than the buffer holds, the oldest
// audio is dropped and counted (Dropped), never blocking the device.
//
// Errors name the problem for the front end to word: no microphone (ErrNoMicrophone),
// the OS refusing access (ErrPermission: macOS's microphone consent, Windows' privacy
// settings), a device in settings that is not there (*DeviceError).
package capture

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
	"time"

	"github.com/gen2brain/malgo"

	"github.com/vellumhealth/vellum/dictation"
)

var (
	// ErrNoMicrophone: the workstation has no audio input.
	ErrNoMicrophone = errors.New("no microphone: the workstation has no audio input device")
	// ErrPermission: the OS does not let Vellum use the microphone.
	ErrPermission = errors.New("the operating system does not allow Vellum to use the microphone")
)

// DeviceError is an input device named in settings that is not there.
type DeviceError struct {
	Name      string
	Available []string
}

func (e *DeviceError) Error() string {
	return fmt.Sprintf("no audio input device named %q (there are: %q)", e.Name, e.Available)
}

// Config says which microphone to open.
type Config struct {
	// Device is the input device's name, from settings; "" for the system's default.
	Device string
	// Backend is miniaudio's backend to use ("pulseaudio", "alsa", "wasapi",
	// "coreaudio"); "" for the platform's, in miniaudio's order.
	Backend string
	// Buffer is how much audio waits for Read; 10 s if 0.
	Buffer int
}

var backends = map[string]malgo.Backend{"pulseaudio": malgo.BackendPulseaudio, "alsa": malgo.BackendAlsa,
	"wasapi": malgo.BackendWasapi, "coreaudio": malgo.BackendCoreaudio, "null": malgo.BackendNull}

// Microphone is an open audio input: a dictation.Source.
type Microphone struct {
	ctx *malgo.AllocatedContext
	dev *malgo.Device

	mu      sync.Mutex
	more    *sync.Cond
	ring    []float32
	start   int // the oldest sample waiting
	n       int // samples waiting
	dropped int64
	closed  bool
	unlock  func()
}

var _ dictation.Source = (*Microphone)(nil)

func newContext(backend string) (*malgo.AllocatedContext, error) {
	var bs []malgo.Backend
	if backend != "" {
		b, ok := backends[backend]
		if !ok {
			return nil, fmt.Errorf("capture: no audio backend %q", backend)
		}
		bs = []malgo.Backend{b}
	}
	ctx, err := malgo.InitContext(bs, malgo.ContextConfig{}, nil)
	if err != nil {
		return nil, fmt.Errorf("capture: start the audio system: %w", classify(err))
	}
	return ctx, nil
}

// Devices lists the names of the input devices, for settings.
func Devices(backend string) ([]string, error) {
	ctx, err := newContext(backend)
	if err != nil {
		return nil, err
	}
	defer func() { ctx.Uninit(); ctx.Free() }()
	infos, err := ctx.Devices(malgo.Capture)
	if err != nil {
		return nil, fmt.Errorf("capture: list input devices: %w", classify(err))
	}
	names := make([]string, len(infos))
	for i, d := range infos {
		names[i] = d.Name()
	}
	return names, nil
}

// Open opens and starts the microphone of cfg.
func Open(cfg Config) (*Microphone, error) {
	ctx, err := newContext(cfg.Backend)
	if err != nil {
		return nil, err
	}
	m := &Microphone{ctx: ctx}
	m.more = sync.NewCond(&m.mu)
	size := cfg.Buffer
	if size <= 0 {
		size = 10 * dictation.SampleRate
	}
	m.ring = make([]float32, size)
	m.unlock = lockMemory(m.ring)
	fail := func(err error) (*Microphone, error) {
		m.unlock()
		ctx.Uninit()
		ctx.Free()
		return nil, err
	}
	infos, err := ctx.Devices(malgo.Capture)
	if err != nil {
		return fail(fmt.Errorf("capture: list input devices: %w", classify(err)))
	}
	if len(infos) == 0 {
		return fail(ErrNoMicrophone)
	}
	conf := malgo.DefaultDeviceConfig(malgo.Capture)
	conf.Capture.Format = malgo.FormatF32
	conf.Capture.Channels = 1
	conf.SampleRate = dictation.SampleRate
	conf.PeriodSizeInMilliseconds = 20
	if cfg.Device != "" {
		var names []string
		found := false
		for i := range infos {
			names = append(names, infos[i].Name())
			if infos[i].Name() == cfg.Device {
				conf.Capture.DeviceID = infos[i].ID.Pointer()
				found = true
				break
			}
		}
		if !found {
			return fail(&DeviceError{Name: cfg.Device, Available: names})
		}
	}
	dev, err := malgo.InitDevice(ctx.Context, conf, malgo.DeviceCallbacks{Data: m.deliver})
	if err != nil {
		return fail(fmt.Errorf("capture: open the microphone: %w", classify(err)))
	}
	m.dev = dev
	if err := dev.Start(); err != nil {
		dev.Uninit()
		return fail(fmt.Errorf("capture: start the microphone: %w", classify(err)))
	}
	return m, nil
}

// classify names miniaudio's errors a front end words for its user.
func classify(err error) error {
	switch {
	case errors.Is(err, malgo.ErrAccessDenied):
		return fmt.Errorf("%w (%v)", ErrPermission, err)
	case errors.Is(err, malgo.ErrNoDevice), errors.Is(err, malgo.ErrNoBackend):
		return fmt.Errorf("%w (%v)", ErrNoMicrophone, err)
	}
	return err
}

// deliver is miniaudio's data callback, on its own thread: the samples go into the
// ring, the oldest dropped if it is full.
func (m *Microphone) deliver(_, in []byte, frames uint32) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return
	}
	for i := 0; i+4 <= len(in) && i/4 < int(frames); i += 4 {
		v := math.Float32frombits(binary.LittleEndian.Uint32(in[i:]))
		if m.n == len(m.ring) {
			m.start = (m.start + 1) % len(m.ring)
			m.n--
			m.dropped++
		}
		m.ring[(m.start+m.n)%len(m.ring)] = v
		m.n++
	}
	m.more.Broadcast()
}

// Read waits for audio and returns what there is, up to len(p); io.EOF once closed.
func (m *Microphone) Read(p []float32) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for m.n == 0 && !m.closed {
		m.more.Wait()
	}
	if m.n == 0 {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && m.n > 0 {
		p[k] = m.ring[m.start]
		m.ring[m.start] = 0 // read once, then gone
		m.start = (m.start + 1) % len(m.ring)
		m.n--
		k++
	}
	return k, nil
}

// Dropped counts the samples dropped because Read fell behind by more than the
// buffer holds.
func (m *Microphone) Dropped() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.dropped
}

// Close stops the microphone; a Read waiting returns io.EOF. The buffer is wiped.
func (m *Microphone) Close() error {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	m.closed = true
	m.more.Broadcast()
	m.mu.Unlock()
	// Stopping waits for the audio system's thread, which a device that delivers
	// nothing more (unplugged) can keep from returning: the window is not held up
	// for it. Closed, the callback writes nothing, so the ring is wiped either way.
	stopped := make(chan struct{})
	go func() {
		m.dev.Uninit()
		m.ctx.Uninit()
		m.ctx.Free()
		close(stopped)
	}()
	var err error
	select {
	case <-stopped:
	case <-time.After(stopWait):
		err = ErrStuck
	}
	m.mu.Lock()
	clear(m.ring)
	m.n = 0
	m.mu.Unlock()
	if err == nil {
		m.unlock()
	}
	return err
}

// stopWait is how long Close waits for the audio system to stop.
const stopWait = 2 * time.Second

// ErrStuck: the audio system did not stop the microphone in time; it is left to stop
// on its own, and nothing it delivers is kept.
var ErrStuck = errors.New("capture: the audio system did not stop the microphone in time; it will stop on its own")
