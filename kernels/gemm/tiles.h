// The fixed tiling of a matrix product's result, shared by every core. Kept out of the headers
// that the ISA-specific files include: those are compiled with AVX flags, and inline code from
// TBB or the standard library emitted there could be the copy the linker keeps for everyone.
#pragma once

#include <algorithm>
#include <cstdint>

#include "kernels/parallel.h"

namespace n2d2::kernels::detail {

// Calls f(i0, i1, j0, j1) for the fixed tiles of an M x N result, in parallel. Tiles do not
// depend on the thread count, so neither do results when each element is summed in one tile.
constexpr int64_t kTileRows = 8, kTileCols = 256;
template <class F>
void for_each_tile(int64_t M, int64_t N, F&& f) {
  int64_t row_tiles = (M + kTileRows - 1) / kTileRows, col_tiles = (N + kTileCols - 1) / kTileCols;
  parallel_for(row_tiles * col_tiles, 1, [&](int64_t begin, int64_t end) {
    for (int64_t t = begin; t < end; ++t) {
      int64_t i0 = (t / col_tiles) * kTileRows, j0 = (t % col_tiles) * kTileCols;
      f(i0, std::min(M, i0 + kTileRows), j0, std::min(N, j0 + kTileCols));
    }
  });
}

}  // namespace n2d2::kernels::detail
