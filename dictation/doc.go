// Package dictation turns a physician's speech into text on the workstation: audio
// in (a Source: the microphone, or a WAV file standing in for it), speech found in it
// (a Detector: voice activity detection, which cuts utterances at the pauses), the
// utterances recognised (a Recognizer), and the words spoken as commands applied
// (Transcript: "period", "new paragraph", "scratch that").
//
// Audio is 16 kHz mono, as float32 samples in [-1, 1]; a Source of another rate is
// resampled on the way in (Resample). Nothing here writes audio or text anywhere: the
// samples live in memory only, for as long as an utterance is being recognised.
//
// The interfaces are small so that the pipeline tests without a microphone or speech
// weights: a WAV file drives the same path as the microphone, and the backends that
// need C libraries (capture with miniaudio, VAD and recognition with sherpa-onnx) live
// in subpackages of their own.
//
// What it does not do: it keeps no audio, it does not decide where text lands (the
// application core and the window do), and it does not check what was said against
// anything (the grounding check does, on the note).
package dictation
