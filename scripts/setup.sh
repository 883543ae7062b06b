#!/usr/bin/env bash
# Installs what is missing (Debian 12, as root), then configures and builds n2d2-flow.
#   BUILD_DIR (default build), N2D2_SANITIZE=1 (ASan+UBSan build), CMAKE_ARGS (extra options)
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(build-essential cmake ninja-build ccache pkg-config
          libtbb-dev libprotobuf-dev protobuf-compiler libonnx-dev libboost-graph-dev
          libgtest-dev libbenchmark-dev libonnx-testdata zlib1g-dev dataset-fashion-mnist
          libopencv-dev libsystemc-dev ghdl yosys python3-onnx python3-numpy)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

BUILD_DIR=${BUILD_DIR:-build}
extra=()
if [ "${N2D2_SANITIZE:-0}" = "1" ]; then extra+=(-DN2D2_SANITIZE=ON); else extra+=(-DN2D2_BUILD_BENCHMARKS=ON); fi
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DN2D2_ENABLE_ASSERTS=ON "${extra[@]}" ${CMAKE_ARGS:-} >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
echo "setup: built $BUILD_DIR/apps/n2d2-flow/n2d2-flow"
