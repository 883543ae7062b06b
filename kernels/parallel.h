// Intra-op parallelism inside the executor's oneTBB arena. Work is cut into fixed blocks of
// `grain` items, independent of the thread count, and each block writes its own outputs: results
// are bit-identical for any number of threads.
#pragma once

#include <cstdint>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace n2d2::kernels {

// Calls f(begin, end) over [0, n) in blocks of at most `grain` items.
template <class F>
void parallel_for(int64_t n, int64_t grain, F&& f) {
  if (n <= 0) return;
  if (grain < 1) grain = 1;
  if (n <= grain) {
    f(int64_t{0}, n);
    return;
  }
  tbb::parallel_for(tbb::blocked_range<int64_t>(0, n, grain),
                    [&](const tbb::blocked_range<int64_t>& r) { f(r.begin(), r.end()); },
                    tbb::simple_partitioner());
}

}  // namespace n2d2::kernels
