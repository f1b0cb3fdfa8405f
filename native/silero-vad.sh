# Recipe for scripts/native-build.sh: the Silero VAD model (voice activity detection;
# snakers4/silero-vad, MIT licence), version 5, as the npm package @ricky0123/vad-web
# (ISC licence) ships it in dist/. Dictation's detector (dictation/sherpa) runs it with sherpa-onnx;
# its SHA-256 is pinned in the code as well (dictation/sherpa.SileroV5SHA256), so a
# model file that is not this one is refused before the C library reads it.
NAME=silero-vad
VERSION=5-vadweb0.0.31-r2
NPM_PACKAGE=@ricky0123/vad-web@0.0.31
SHA256=d1a211cf1a2ed26297da52cc08de79e75d79838a274bfc6de546feb1f828c940

build() {
  local src=$1 prefix=$2
  install -m 0644 "$src/dist/silero_vad_v5.onnx" "$prefix/"
}
