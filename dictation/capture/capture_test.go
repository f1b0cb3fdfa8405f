package capture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vellumhealth/vellum/dictation"
	"github.com/vellumhealth/vellum/dictation/sherpa"
	"github.com/vellumhealth/vellum/dictation/speechtest"
)

// pulse starts a private PulseAudio server whose default source is a pipe the test
// writes, and points this process's audio at it; it returns the pipe's path.
func pulse(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("pulseaudio"); err != nil {
		t.Skip("pulseaudio is not installed (make deps installs it): no audio server to capture from")
	}
	dir, err := os.MkdirTemp("", "vellum-pulse-") // short: a unix socket's path is bounded
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	socket, fifo := filepath.Join(dir, "native"), filepath.Join(dir, "mic")
	cmd := exec.Command("pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
		"-L", "module-native-protocol-unix auth-anonymous=1 socket="+socket,
		"-L", "module-pipe-source source_name=vellum_mic file="+fifo+" format=float32le rate=16000 channels=1",
		"-L", "module-null-sink sink_name=vellum_null")
	cmd.Env = append(os.Environ(), "PULSE_RUNTIME_PATH="+dir, "XDG_RUNTIME_DIR="+dir, "HOME="+dir)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	t.Setenv("PULSE_SERVER", "unix:"+socket)
	t.Setenv("PULSE_RUNTIME_PATH", dir)
	for deadline := time.Now().Add(10 * time.Second); ; {
		if exec.Command("pactl", "set-default-source", "vellum_mic").Run() == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("pulseaudio did not come up:\n%s", log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fifo
}

// feed writes samples into the pipe source as a microphone would deliver them: 20 ms
// at a time, in real time; then silence, as a microphone goes on delivering, until
// stop is closed.
func feed(t testing.TB, fifo string, samples []float32, stop chan struct{}, wrote []atomic.Int64) chan error {
	done := make(chan error, 1)
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			done <- err
			return
		}
		defer f.Close()
		const chunk = dictation.SampleRate / 50
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		silence := make([]float32, chunk)
		for i := 0; ; i += chunk {
			select {
			case <-stop:
				done <- nil
				return
			case <-tick.C:
			}
			next := silence
			if i < len(samples) {
				next = samples[i:min(len(samples), i+chunk)]
			}
			if k := i / chunk; k < len(wrote) {
				wrote[k].Store(time.Now().UnixNano()) // as it is handed over
			}
			if err := binary.Write(f, binary.LittleEndian, next); err != nil {
				done <- err
				return
			}
		}
	}()
	return done
}

// TestTheMicrophoneHandsOnWhatWasSaid: speech fed in real time into a PulseAudio
// source comes out of the real capture path (miniaudio, PulseAudio backend) as the
// same audio: aligned by cross-correlation, at least 30 dB above its difference,
// nothing dropped. A wrong rate, byte order or lost buffer fails it.
func TestTheMicrophoneHandsOnWhatWasSaid(t *testing.T) {
	fifo := pulse(t)
	s := speechtest.Make(t, t.TempDir(), speechtest.Sentences[:1], 500*time.Millisecond)
	mic, err := Open(Config{Backend: "pulseaudio"})
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	done := feed(t, fifo, s.Samples, stop, nil)
	defer func() {
		if err := mic.Close(); err != nil {
			t.Error(err)
		}
		close(stop)
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	var got []float32
	buf := make([]float32, 1600)
	want := len(s.Samples) + dictation.SampleRate // a second's margin for the latency
	for len(got) < want {
		n, err := mic.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, buf[:n]...)
	}
	off, db := align(got, s.Samples)
	t.Logf("captured %d samples; the speech at %d (%.0f ms latency), %.1f dB above the difference",
		len(got), off, float64(off)*1000/dictation.SampleRate, db)
	if db < 30 {
		t.Fatalf("the captured audio is %.1f dB above its difference from what was said, want 30", db)
	}
	if mic.Dropped() != 0 {
		t.Fatalf("%d samples dropped", mic.Dropped())
	}
}

// align finds where want is in got by cross-correlation, and its signal to error
// there, in dB.
func align(got, want []float32) (int, float64) {
	best, bestAt := math.Inf(-1), 0
	for off := 0; off+len(want) <= len(got); off++ {
		var c float64
		for i := 0; i < len(want); i += 4 { // every fourth sample: enough to find the peak
			c += float64(got[off+i]) * float64(want[i])
		}
		if c > best {
			best, bestAt = c, off
		}
	}
	var sig, noise float64
	for i, w := range want {
		d := float64(got[bestAt+i]) - float64(w)
		sig += float64(w) * float64(w)
		noise += d * d
	}
	return bestAt, 10 * math.Log10(sig/noise)
}

// TestAMissingDeviceIsNamed: a device in settings that is not there is refused with
// the names of those that are.
func TestAMissingDeviceIsNamed(t *testing.T) {
	pulse(t)
	_, err := Open(Config{Backend: "pulseaudio", Device: "No Such Microphone"})
	var de *DeviceError
	if !errors.As(err, &de) || len(de.Available) == 0 {
		t.Fatalf("%v, want a DeviceError naming the devices there are", err)
	}
	names, err := Devices("pulseaudio")
	if err != nil || len(names) == 0 {
		t.Fatalf("Devices: %q, %v", names, err)
	}
}

// BenchmarkCaptureToVAD reports how long after a microphone delivers audio the voice
// activity detector has heard it (issue 17: under 50 ms): clicks written into a
// PulseAudio source in real time, 20 ms at a time, read through the real capture
// path and given to the real Silero detector; for each click, the time from its
// being handed to the source to the detector having taken it. The median and the
// 95th percentile, in ms.
func BenchmarkCaptureToVAD(b *testing.B) {
	model := os.Getenv("VELLUM_VAD_MODEL")
	if model == "" {
		b.Skip("VELLUM_VAD_MODEL is not set (make bench sets it)")
	}
	fifo := pulse(b)
	const chunk = dictation.SampleRate / 50
	const clicks, every = 40, 5 // a click each 100 ms, at the start of a chunk
	audio := make([]float32, (clicks*every+10)*chunk)
	for c := range clicks {
		audio[(c+1)*every*chunk] = 0.9
	}
	var lat []float64
	for b.Loop() {
		vad, err := sherpa.NewVAD(sherpa.VADConfig{Model: model})
		if err != nil {
			b.Fatal(err)
		}
		mic, err := Open(Config{Backend: "pulseaudio"})
		if err != nil {
			b.Fatal(err)
		}
		wrote := make([]atomic.Int64, len(audio)/chunk+1)
		stop := make(chan struct{})
		done := feed(b, fifo, audio, stop, wrote)
		buf := make([]float32, dictation.SampleRate/100)
		for heard := 0; heard < clicks; {
			n, err := mic.Read(buf)
			if err != nil {
				b.Fatal(err)
			}
			vad.Accept(buf[:n])
			now := time.Now().UnixNano()
			for _, v := range buf[:n] {
				if v > 0.5 {
					heard++
					lat = append(lat, float64(now-wrote[heard*every].Load())/1e6)
				}
			}
		}
		mic.Close()
		close(stop)
		<-done
		vad.Close()
	}
	slices.Sort(lat)
	b.ReportMetric(lat[len(lat)/2], "median-ms")
	b.ReportMetric(lat[len(lat)*95/100], "p95-ms")
	b.ReportMetric(lat[len(lat)*95/100]/50, "p95/50ms-budget")
}
