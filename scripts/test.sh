#!/usr/bin/env bash
# Set-up (scripts/setup.sh), then the whole test suite through ctest: first the Release build
# (with assertions), then the same tests built with AddressSanitizer + UndefinedBehaviorSanitizer
# in build-asan (every test runs there too).
#   N2D2_SKIP_ASAN=1 skips the sanitizer pass (quick local runs).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"$(nproc)" ${CTEST_ARGS:-}
if [ "${N2D2_SKIP_ASAN:-0}" != "1" ]; then
  echo "test: ASan+UBSan build and run (build-asan)"
  BUILD_DIR=build-asan N2D2_SANITIZE=1 scripts/setup.sh
  # The whole-design GHDL runs and the yosys synthesis spend their time in the external tools,
  # not in our code (the Release pass above runs them); the sanitizer pass skips those three.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$(nproc)" \
      -E "^(SynthCheck.SmallConvLayerDspMatchesEstimate|VhdlExport.LenetFashionMnistBitExactAndCycleEqual|HwVhdlCli.EmitsTheDesignAndRunsGhdl)$" ${CTEST_ARGS:-}
fi
