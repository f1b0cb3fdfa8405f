#!/usr/bin/env bash
# gpu-check.sh prepare ARCHS | device [test | bench] — the binding's tests and the
# inference benchmark on a lent NVIDIA machine, for the CUDA row of README "Speed".
#
# That machine has CUDA's compiler, CMake and gcc, but no Go and no network, and only a
# small folder travels with the working tree. So the work is split:
#
#   prepare (here: `make gpu-prepare CUDA_ARCHS=90`): compile the binding's test binary
#     with the cuda tag but stop before its final link: Go's linker is given this script
#     as its external linker, which keeps the objects and the command instead of
#     linking. Copy llama.cpp's pinned source tarball and the test model beside them,
#     all into .gpu/ (git-ignored, 52 MB).
#   device (there: the device tool's run, carry [".gpu"], command
#     `scripts/gpu-check.sh device`, timeout_s 540): check that the tools and CUDA's
#     libraries are there, build llama.cpp's CUDA variant for ARCHS (native-build.sh
#     checks the tarball's SHA-256 as ever), finish the link against it, run every test
#     of the binding on the GPU, then the benchmark with the pairs that
#     VELLUM_GPU_BUDGET (480 s) leaves room for — all in one call, since the machine
#     goes back 30 s after a call, and what it built with it.
#   device test, device bench: the two halves apart (bench needs test's build, so a
#     machine still warm from it).
#
# Logs land in $OUT (build.log, test.log, bench.log). ARCHS is the GPU generations to
# compile for: 90 for the H100 and H200, a few minutes' build on 16 cores.
# `prepare cpu` instead makes a CPU rehearsal of the same split link, whose device half
# runs here (`device`): it proves the script before device time is spent on it.
set -euo pipefail

# Called as Go's external linker (prepare): keep the real link's command, link nothing.
if [ -n "${VELLUM_LINK_CAPTURE:-}" ]; then
  out=
  real=false
  prev=
  for a in "$@"; do
    [ "$prev" = -o ] && out=$a
    case $a in */go.o) real=true ;; esac
    prev=$a
  done
  # Go first probes which flags the linker takes, with small links: gcc answers those.
  $real || exec "${CC:-gcc}" "$@"
  printf '%s\0' "$@" >"$VELLUM_LINK_CAPTURE"
  : >"$out" # a placeholder: the device half links the real binary
  exit 0
fi

cd "$(dirname "$0")/.."
gpu=$PWD/.gpu
cache=${VELLUM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vellum}
# llama.cpp's source tarball, named as native-build.sh names it from the recipe.
tarball=$(. native/llama.cpp.sh && echo "$NPM_PACKAGE" | tr '@/' '--').tgz
# Where the link here says CUDA's libraries are; the device half puts that machine's.
cudalib_here=/usr/local/cuda/lib64

prepare() {
  local archs=${1:?usage: gpu-check.sh prepare ARCHS (say 90, or cpu for a rehearsal)}
  local cpu target tags ldflags model
  cpu=$(scripts/native-build.sh llama.cpp) # its headers are the CUDA variant's too
  if [ "$archs" = cpu ]; then
    target=$cpu tags=llamacpp ldflags="-L$cpu/lib -lm"
  else
    target=$(VELLUM_GPU=cuda VELLUM_CUDA_ARCHS=$archs scripts/native-build.sh --prefix-only llama.cpp)
    tags=llamacpp,cuda ldflags="-L$target/lib -L$cudalib_here -L$cudalib_here/stubs -lm"
  fi
  model=${VELLUM_TEST_MODEL:-../shared/models/stories260K.gguf}
  [ -f "$model" ] || { echo "gpu-check: no test model at $model (set VELLUM_TEST_MODEL)" >&2; exit 1; }
  rm -rf "$gpu"
  mkdir -p "$gpu/link"
  CGO_ENABLED=1 CGO_CFLAGS="-O2 -I$cpu/include" CGO_LDFLAGS="$ldflags" \
    VELLUM_LINK_CAPTURE="$gpu/link/args" \
    go test -c -trimpath -tags "$tags" -o "$gpu/placeholder.test" \
    -ldflags "-linkmode=external -extld=$PWD/scripts/gpu-check.sh -tmpdir=$gpu/link" ./llm/llamacpp
  rm -f "$gpu/placeholder.test"
  [ -s "$gpu/link/args" ] || { echo "gpu-check: Go's linker never made the final link" >&2; exit 1; }
  cp "$cache/downloads/$tarball" "$gpu/"
  cp "$model" "$gpu/stories260K.gguf"
  printf '%s\n' "$archs" >"$gpu/archs"
  printf '%s\n' "$gpu" >"$gpu/here"
  printf '%s\n' "$target" >"$gpu/prefix"
  du -sh "$gpu"
}

# What the device half builds lives outside the tree, which a later call's carry replaces.
work=${TMPDIR:-/tmp}/vellum-gpu-check
bin=$work/llamacpp.test

# preflight checks, before minutes of build, what the build and the link need there.
preflight() {
  local c missing=()
  for c in git cmake gcc g++ nvidia-smi; do command -v "$c" >/dev/null || missing+=("$c"); done
  nvcc=$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)
  [ -x "$nvcc" ] || missing+=(nvcc)
  [ ${#missing[@]} -eq 0 ] || { echo "gpu-check: missing there: ${missing[*]}" >&2; exit 1; }
  cudahome=$(dirname "$(dirname "$(readlink -f "$nvcc")")")
  cudalib=$cudahome/lib64
  [ -f "$cudalib/libcudart.so" ] || cudalib=$cudahome/targets/x86_64-linux/lib
  for c in libcudart.so libcublas.so libcublasLt.so stubs/libcuda.so; do
    [ -f "$cudalib/$c" ] || { echo "gpu-check: no $c in $cudalib (CUDA at $cudahome)" >&2; exit 1; }
  done
  nvidia-smi -L
  "$nvcc" --version | tail -n 2
}

device_test() {
  [ -f "$gpu/link/args" ] || { echo "gpu-check: no .gpu/ here: run prepare first and carry .gpu" >&2; exit 1; }
  local archs nvcc cudahome= cudalib= L= here prefix
  archs=$(cat "$gpu/archs")
  [ "$archs" = cpu ] || preflight
  mkdir -p "$OUT" "$work" "$cache/downloads"
  cp "$gpu/$tarball" "$cache/downloads/"
  local start=$SECONDS
  if [ "$archs" = cpu ]; then
    L=$(scripts/native-build.sh llama.cpp 2>&1 | tee "$OUT/build.log" | tail -n 1) || true
  else
    L=$(PATH=$cudahome/bin:$PATH VELLUM_GPU=cuda VELLUM_CUDA_ARCHS=$archs scripts/native-build.sh llama.cpp 2>&1 |
      tee "$OUT/build.log" | tail -n 1) || true
  fi
  [ -f "$L/.complete" ] || { echo "gpu-check: the llama.cpp build failed (build.log):" >&2; tail -n 30 "$OUT/build.log" >&2; exit 1; }
  echo "gpu-check: llama.cpp ($archs) built in $((SECONDS - start)) s at $L"
  printf '%s\n' "$L" >"$work/prefix"
  printf '%s\n' "$cudalib" >"$work/cudalib"

  # The captured link, with this machine's paths: the objects, the prefix, CUDA's
  # libraries (and, below them, the driver's stub).
  here=$(cat "$gpu/here")
  prefix=$(cat "$gpu/prefix")
  local args=() a prev=
  while IFS= read -r -d '' a; do
    if [ "$prev" = -o ]; then a=$bin; fi
    prev=$a
    a=${a//"$here"/"$gpu"}
    a=${a//"$prefix"/"$L"}
    if [ -n "$cudalib" ]; then a=${a//"$cudalib_here"/"$cudalib"}; fi
    args+=("$a")
  done <"$gpu/link/args"
  "${CC:-gcc}" "${args[@]}"
  echo "gpu-check: linked $bin"
  run -test.v -test.count=1 -test.timeout 4m 2>&1 | tee "$OUT/test.log"
}

# device_bench [PATTERN] runs the benchmarks PATTERN names: by default the 1B model's,
# then the 8B's (its model written and quantized first, about 3 minutes there; 4
# pairs unless VELLUM_BENCH_PAIRS_8B says otherwise). The 1B's result is in bench.log
# before the 8B's starts, so a timeout costs only the 8B's.
device_bench() {
  [ -x "$bin" ] || { echo "gpu-check: no test binary: run device first, on the same machine" >&2; exit 1; }
  mkdir -p "$OUT"
  VELLUM_BENCH_PAIRS_8B=${VELLUM_BENCH_PAIRS_8B:-4} \
    run -test.run '^$' -test.bench "${1:-^BenchmarkInference(8B)?\$}" -test.benchtime 1x -test.timeout 9m 2>&1 | tee "$OUT/bench.log"
}

# device_all is the whole run in one call: the machine goes back 30 s after a call, and
# with it what the call built. The benchmark gets the pairs the budget has left room
# for (about 8 s a pair; 120 s for the model's generation and the other measures).
device_all() {
  local budget=${VELLUM_GPU_BUDGET:-480} left
  device_test
  left=$((budget - SECONDS))
  if [ "$left" -lt 160 ]; then
    echo "gpu-check: $left s of the $budget s budget left: no time for the benchmark (device bench on a warm machine)" >&2
    return 0
  fi
  VELLUM_BENCH_PAIRS=${VELLUM_BENCH_PAIRS:-$(((left - 120) / 8 > 30 ? 30 : (left - 120) / 8))} device_bench '^BenchmarkInference$'
}

# run runs the linked test binary in the binding's folder, with what device_test built.
run() {
  local cudalib
  cudalib=$(cat "$work/cudalib")
  (cd llm/llamacpp &&
    VELLUM_LLAMA=$(cat "$work/prefix") VELLUM_TEST_MODEL=$gpu/stories260K.gguf \
    VELLUM_BENCH_PAIRS=${VELLUM_BENCH_PAIRS:-12} LD_LIBRARY_PATH=$cudalib${cudalib:+${LD_LIBRARY_PATH:+:}}${LD_LIBRARY_PATH:-} \
    "$bin" "$@")
}

: "${OUT:=$gpu/out}"
case "${1:-} ${2:-}" in
  prepare\ *) prepare "${2:-}" ;;
  "device ") device_all ;;
  "device test") device_test ;;
  "device bench") device_bench ;;
  *) echo "usage: scripts/gpu-check.sh prepare ARCHS | device [test | bench]" >&2; exit 2 ;;
esac
