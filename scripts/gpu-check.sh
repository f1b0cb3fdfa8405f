#!/usr/bin/env bash
# gpu-check.sh prepare ARCHS | device test | device bench — the binding's tests and the
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
#   device test (there: the device tool's run, carry [".gpu"], timeout_s about 540):
#     build llama.cpp's CUDA variant for ARCHS (native-build.sh checks the tarball's
#     SHA-256 as ever), finish the link against it and the CUDA there, and run every
#     test of the binding, on the GPU.
#   device bench (there, the next call, while the machine is still warm: what the
#     first call built stays outside the tree): the benchmark, VELLUM_BENCH_PAIRS pairs.
#
# Logs land in $OUT (build.log, test.log, bench.log). ARCHS is the GPU generations to
# compile for: 90 for the H100 and H200, a few minutes' build on 16 cores.
# `prepare cpu` instead makes a CPU rehearsal of the same split link, whose device half
# runs here: it proves the script before device time is spent on it.
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

prepare() {
  local archs=${1:?usage: gpu-check.sh prepare ARCHS (say 90, or cpu for a rehearsal)}
  local cpu target sq model tags=libsqlite3,llamacpp,cuda
  cpu=$(scripts/native-build.sh llama.cpp) # its headers are the CUDA variant's too
  target=$(VELLUM_GPU=cuda VELLUM_CUDA_ARCHS=$archs scripts/native-build.sh --prefix-only llama.cpp)
  local ldflags="-L$target/lib -L/usr/local/cuda/lib64 -L/usr/local/cuda/lib64/stubs -lm"
  if [ "$archs" = cpu ]; then
    target=$cpu tags=libsqlite3,llamacpp ldflags="-L$cpu/lib -lm"
  fi
  sq=$(scripts/native-build.sh --prefix-only sqlite3mc)
  model=${VELLUM_TEST_MODEL:-../shared/models/stories260K.gguf}
  [ -f "$model" ] || { echo "gpu-check: no test model at $model (set VELLUM_TEST_MODEL)" >&2; exit 1; }
  rm -rf "$gpu"
  mkdir -p "$gpu/link"
  CGO_ENABLED=1 CGO_CFLAGS="-O2 -I$sq/include -I$cpu/include" CGO_LDFLAGS="$ldflags" \
    VELLUM_LINK_CAPTURE="$gpu/link/args" \
    go test -c -trimpath -tags "$tags" -o "$gpu/placeholder.test" \
    -ldflags "-linkmode=external -extld=$PWD/scripts/gpu-check.sh -tmpdir=$gpu/link" ./llm/llamacpp
  rm -f "$gpu/placeholder.test"
  [ -s "$gpu/link/args" ] || { echo "gpu-check: Go's linker never made the final link" >&2; exit 1; }
  cp "$cache/downloads/node-llama-cpp-3.22.1.tgz" "$gpu/"
  cp "$model" "$gpu/stories260K.gguf"
  printf '%s\n' "$archs" >"$gpu/archs"
  printf '%s\n' "$gpu" >"$gpu/here"
  printf '%s\n' "$target" >"$gpu/prefix"
  du -sh "$gpu"
}

# What device test builds lives outside the tree, which the next call's carry replaces.
work=${TMPDIR:-/tmp}/vellum-gpu-check
bin=$work/llamacpp.test

device_test() {
  [ -f "$gpu/link/args" ] || { echo "gpu-check: no .gpu/ here: run prepare first and carry .gpu" >&2; exit 1; }
  local archs cudahome= L here prefix
  archs=$(cat "$gpu/archs")
  mkdir -p "$OUT" "$work" "$cache/downloads"
  cp "$gpu/node-llama-cpp-3.22.1.tgz" "$cache/downloads/"
  SECONDS=0
  if [ "$archs" = cpu ]; then
    L=$(scripts/native-build.sh llama.cpp 2>&1 | tee "$OUT/build.log" | tail -n 1)
  else
    nvidia-smi -L
    cudahome=$(dirname "$(dirname "$(readlink -f "$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)")")")
    L=$(PATH=$cudahome/bin:$PATH VELLUM_GPU=cuda VELLUM_CUDA_ARCHS=$archs scripts/native-build.sh llama.cpp 2>&1 |
      tee "$OUT/build.log" | tail -n 1)
  fi
  [ -f "$L/.complete" ] || { echo "gpu-check: the llama.cpp build failed (build.log)" >&2; tail -n 30 "$OUT/build.log" >&2; exit 1; }
  echo "gpu-check: llama.cpp ($archs) ready in $SECONDS s at $L"
  printf '%s\n' "$L" >"$work/prefix"
  printf '%s\n' "$cudahome" >"$work/cuda"

  # The captured link, with this machine's paths: the objects, the prefix, CUDA.
  here=$(cat "$gpu/here")
  prefix=$(cat "$gpu/prefix")
  local args=() a prev= cu=/usr/local/cuda/
  while IFS= read -r -d '' a; do
    if [ "$prev" = -o ]; then a=$bin; fi
    prev=$a
    a=${a//"$here"/$gpu}
    a=${a//"$prefix"/$L}
    [ -n "$cudahome" ] && a=${a//"$cu"/$cudahome/}
    args+=("$a")
  done <"$gpu/link/args"
  "${CC:-gcc}" "${args[@]}"
  echo "gpu-check: linked $bin"
  run -test.v -test.count=1 -test.timeout 4m 2>&1 | tee "$OUT/test.log"
}

device_bench() {
  [ -x "$bin" ] || { echo "gpu-check: no test binary: run device test first, on the same machine" >&2; exit 1; }
  mkdir -p "$OUT"
  run -test.run '^$' -test.bench BenchmarkInference -test.benchtime 1x -test.timeout 8m 2>&1 | tee "$OUT/bench.log"
}

# run runs the linked test binary in the binding's folder, with what device test built.
run() {
  local cudahome
  cudahome=$(cat "$work/cuda")
  (cd llm/llamacpp &&
    VELLUM_LLAMA=$(cat "$work/prefix") VELLUM_TEST_MODEL=$gpu/stories260K.gguf \
    VELLUM_BENCH_PAIRS=${VELLUM_BENCH_PAIRS:-20} LD_LIBRARY_PATH=${cudahome:+$cudahome/lib64:}${LD_LIBRARY_PATH:-} \
    "$bin" "$@")
}

: "${OUT:=$gpu/out}"
case "${1:-} ${2:-}" in
  prepare\ *) prepare "${2:-}" ;;
  "device test") device_test ;;
  "device bench") device_bench ;;
  *) echo "usage: scripts/gpu-check.sh prepare ARCHS | device test | device bench" >&2; exit 2 ;;
esac
