#!/usr/bin/env bash
# bundle-speech.sh DIR [TARGET] — put what dictation loads at run time beside the
# binary in DIR: sherpa-onnx's shared libraries (from the pinned Go module,
# github.com/k2-fsa/sherpa-onnx-go-linux or -windows) and the Silero voice activity
# model (make deps fetches it). TARGET is the host (Linux) or windows-amd64 (the
# cross-build of make windows).
#
# Linux: the module links the binary with a run path into the Go module cache of the
# build machine. On a workstation that path does not exist, and a user who could
# create it there would have their library loaded by every physician's Vellum. So
# the run path becomes $ORIGIN alone (the folder of the binary, which is IT's), and
# the test in cmd/vellum checks it.
# Windows: vellum.exe imports sherpa-onnx-c-api.dll, which Windows looks for in the
# program's own folder first (after the system's known DLLs); without it beside the
# exe, the exe does not start.
set -euo pipefail
dir=${1:?usage: bundle-speech.sh DIR [windows-amd64]}
target=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
case "$target" in
  windows-amd64) module=github.com/k2-fsa/sherpa-onnx-go-windows triple=x86_64-pc-windows-gnu
    libs=(sherpa-onnx-c-api.dll onnxruntime.dll) ;;
  "")
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) triple=x86_64-unknown-linux-gnu ;;
      Linux-aarch64) triple=aarch64-unknown-linux-gnu ;;
      *) echo "bundle-speech: $(uname -s) $(uname -m) is bundled by packaging/ on its own builder" >&2; exit 0 ;;
    esac
    module=github.com/k2-fsa/sherpa-onnx-go-linux libs=(libsherpa-onnx-c-api.so libonnxruntime.so)
    command -v patchelf >/dev/null || { echo "bundle-speech: patchelf is missing (make deps installs it)" >&2; exit 1; } ;;
  *) echo "bundle-speech: no target $target" >&2; exit 2 ;;
esac
mod=$(cd "$top" && go list -m -f '{{.Dir}}' "$module")
[ -n "$mod" ] && [ -d "$mod/lib/$triple" ] || { echo "bundle-speech: the module $module is not downloaded (go mod download)" >&2; exit 1; }
vad=$("$top/scripts/native-build.sh" --prefix-only silero-vad)/silero_vad_v5.onnx
[ -f "$vad" ] || { echo "bundle-speech: $vad is missing (make deps fetches it)" >&2; exit 1; }
# The run path first: should a copy below fail, the binary already looks nowhere but
# beside itself. The C API library needs onnxruntime alone (its own run path is
# $ORIGIN).
[ -n "$target" ] || patchelf --set-rpath '$ORIGIN' "$dir/vellum"
for lib in "${libs[@]}"; do
  install -m 0644 "$mod/lib/$triple/$lib" "$dir/$lib"
done
install -m 0644 "$vad" "$dir/silero_vad_v5.onnx"
