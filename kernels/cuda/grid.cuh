// Launch geometry shared by our CUDA kernels: 256-thread blocks, a grid capped so that large
// tensors are covered by grid-stride loops.
#pragma once

#include <cstdint>

namespace n2d2::cuda::launch {

constexpr int kThreads = 256;
inline unsigned blocks(int64_t n) {
  int64_t b = (n + kThreads - 1) / kThreads;
  return static_cast<unsigned>(b < 65535 * 32 ? b : 65535 * 32);
}

}  // namespace n2d2::cuda::launch

// for (i = this thread's first index; i < n; i += the grid's size)
#define N2D2_GRID_LOOP(i, n) \
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < (n); i += int64_t(gridDim.x) * blockDim.x)
