#!/usr/bin/env bash
# The test suite under AddressSanitizer and UndefinedBehaviorSanitizer: configures build-asan with
# IONODE_SANITIZE=ON (Debug optimization -O1 to keep the build practical on 2 cores), builds it and runs
# ctest there. The built-in models' kernel units (src/core/kernels/) are left uninstrumented unless
# IONODE_SANITIZE_KERNELS=ON is passed through CMAKE_ARGS (each unit instantiates one model's methods).
# The Python module is off (an instrumented extension would need libasan preloaded into python3), and so
# are the examples (the Connor-Stevens model instantiates every method's kernels in one unit: instrumented,
# a 4 GB, 20-minute compile); the installation tests, the memory-bound test and the Connor-Stevens tests
# are skipped (they measure, rebuild or need the examples), and so is the check that `ionode` on PATH is
# the main build's.
# Usage: scripts/sanitize.sh [extra ctest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
  -DIONODE_SANITIZE=ON -DIONODE_BUILD_PYTHON=OFF -DIONODE_BUILD_BENCH=OFF -DIONODE_BUILD_EXAMPLES=OFF ${CMAKE_ARGS:-}
cmake --build build-asan -j "$(nproc)"
# detect_leaks: LeakSanitizer too; HDF5 keeps some memory until exit by design (H5dont_atexit).
export IONODE_SANITIZED=1  # tests that set ulimit -v skip it (ASan reserves its shadow memory)
# allocator_may_return_null: a huge allocation is std::bad_alloc, which ionode reports, as without ASan.
export ASAN_OPTIONS="allocator_may_return_null=1:detect_leaks=1:abort_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$(pwd)/scripts/lsan.supp:${LSAN_OPTIONS:-}"
ctest --test-dir build-asan --output-on-failure -j "$(nproc)" -E "^install\.|output_memory|connor_stevens|cli_on_path" "$@"
