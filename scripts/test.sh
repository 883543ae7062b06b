#!/usr/bin/env bash
# Set-up (scripts/setup.sh) then the whole test suite through ctest.
# With N2D2_SANITIZE=1 the build goes to build-asan with ASan+UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${N2D2_SANITIZE:-0}" = "1" ]; then export BUILD_DIR=${BUILD_DIR:-build-asan}; fi
scripts/setup.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"$(nproc)" ${CTEST_ARGS:-}
