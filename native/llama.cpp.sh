# Recipe for scripts/native-build.sh: llama.cpp + ggml, static, from the git bundle of a
# llama.cpp source release that node-llama-cpp ships (llama/gitRelease.bundle).
# `make GPU=cuda` builds the CUDA variant into its own cache directory, for the GPU
# generations in CUDA_ARCHS (VELLUM_CUDA_ARCHS here) when set, else ggml's default list.
# VELLUM_TARGET=windows-amd64 cross-builds the libraries alone with MinGW-w64's POSIX
# thread model (llama.cpp needs std::thread and std::mutex, which the win32 model of
# Debian's GCC 12 lacks), without OpenMP (ggml's own thread pool), into its own
# directory; vellum.exe links them statically (make windows).
NAME=llama.cpp
# node-llama-cpp version, the bundle's commit, this recipe's revision, the variant.
archs=
if [ "${VELLUM_GPU:-}" = cuda ]; then archs=${VELLUM_CUDA_ARCHS:-}; fi
VERSION=nlc3.22.1-de3ff815-r1${VELLUM_GPU:+-$VELLUM_GPU}${archs:+-sm${archs//;/-}}${VELLUM_TARGET:+-x2}
NPM_PACKAGE=node-llama-cpp@3.22.1
SHA256=a0d9dd80eacd2ab1cfe71aee57ac8a806487fd70b3d2a38fbec637752d9e5c5f
BUNDLE_COMMIT=de3ff815ea7d559ee917f063901b8986f038abc6

build() {
  local src=$1 prefix=$2
  local tree="$src/llama.cpp"
  git clone -q "$src/llama/gitRelease.bundle" "$tree"
  [ "$(git -C "$tree" rev-parse HEAD)" = "$BUNDLE_COMMIT" ] || { echo "llama.cpp bundle is not at $BUNDLE_COMMIT" >&2; return 1; }
  local gpu=()
  case "${VELLUM_GPU:-}" in
    # NCCL serves several GPUs; a workstation has one, and the build must not depend
    # on whether the build machine happens to have NCCL.
    cuda) gpu=(-DGGML_CUDA=ON -DGGML_CUDA_NCCL=OFF ${archs:+"-DCMAKE_CUDA_ARCHITECTURES=$archs"}) ;;
    metal) gpu=(-DGGML_METAL=ON -DGGML_METAL_EMBED_LIBRARY=ON) ;;
  esac
  local cross=() targets=(llama llama-bench llama-quantize llama-simple)
  case "${VELLUM_TARGET:-}" in
    "") ;;
    windows-amd64)
      # Debian 12's MinGW-w64 headers (v10) lack the thread power throttling state
      # that ggml sets so that Windows 11 does not park its threads on a few cores;
      # the Windows SDK's definition, for those headers only.
      cat >"$tree/vellum-mingw-compat.h" <<'EOF_H'
#include <_mingw.h>
#if defined(__MINGW64_VERSION_MAJOR) && __MINGW64_VERSION_MAJOR < 12
typedef struct _THREAD_POWER_THROTTLING_STATE {
  unsigned long Version, ControlMask, StateMask;
} THREAD_POWER_THROTTLING_STATE;
#define THREAD_POWER_THROTTLING_CURRENT_VERSION 1
#define THREAD_POWER_THROTTLING_EXECUTION_SPEED 0x1
#endif
EOF_H
      # A cross build turns ggml's instruction sets off (SSE2 alone, several times
      # slower): name Linux's baseline. MinGW's GCC stores AVX vectors to a stack
      # Windows aligns to 16 bytes only (GCC bug 54412): unaligned moves throughout.
      local unaligned=-Wa,-muse-unaligned-vector-move
      cross=("-DCMAKE_C_FLAGS=-include $tree/vellum-mingw-compat.h $unaligned" "-DCMAKE_CXX_FLAGS=$unaligned"
        -DGGML_SSE42=ON -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON -DCMAKE_SYSTEM_NAME=Windows -DCMAKE_SYSTEM_PROCESSOR=x86_64
        -DCMAKE_C_COMPILER=x86_64-w64-mingw32-gcc-posix -DCMAKE_CXX_COMPILER=x86_64-w64-mingw32-g++-posix
        -DCMAKE_RC_COMPILER=x86_64-w64-mingw32-windres -DGGML_OPENMP=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF)
      targets=(llama) ;;
    *) echo "llama.cpp: no cross build for $VELLUM_TARGET" >&2; return 1 ;;
  esac
  # GGML_NATIVE=OFF: no -march=native, which would crash older CPUs; ggml's x86
  # baseline still uses AVX2 (llm/llamacpp checks the CPU at start).
  cmake -S "$tree" -B "$tree/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DGGML_NATIVE=OFF \
    -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_EXAMPLES=ON "${gpu[@]}" "${cross[@]}" >/dev/null
  cmake --build "$tree/build" -j "$(nproc)" --target "${targets[@]}" >/dev/null
  mkdir -p "$prefix/lib" "$prefix/include" "$prefix/bin" "$prefix/vocab"
  find "$tree/build" -name '*.a' -exec cp {} "$prefix/lib/" \;
  cp "$tree/include/llama.h" "$tree/include/llama-cpp.h" "$prefix/include/" 2>/dev/null || cp "$tree/include/llama.h" "$prefix/include/"
  cp "$tree"/ggml/include/*.h "$prefix/include/"
  if [ -n "${VELLUM_TARGET:-}" ]; then
    # CMake names MinGW's archives ggml*.a; the linker's -lggml wants libggml.a.
    for a in "$prefix"/lib/ggml*.a; do mv "$a" "$prefix/lib/lib${a##*/}"; done
    return 0
  fi
  for b in llama-bench llama-quantize llama-simple; do
    cp "$(find "$tree/build" -type f -name "$b" -perm -u+x | head -n 1)" "$prefix/bin/"
  done
  cp "$tree"/models/ggml-vocab-*.gguf "$prefix/vocab/" 2>/dev/null || true
}
