// Our data-movement CUDA kernels: strided gather (Transpose, Expand), Concat pieces, Pad, Resize.
#include <cmath>

#include "kernels/cuda/grid.cuh"
#include "kernels/cuda/launch.h"

namespace n2d2::cuda::launch {

namespace {


template <class T>
__global__ void gather_kernel(const T* x, T* y, int64_t n, Gather g) {
  N2D2_GRID_LOOP(i, n) {
    int64_t rem = i, src = 0;
    for (int d = g.rank - 1; d >= 0; --d) {
      src += (rem % g.dims[d]) * g.src_strides[d];
      rem /= g.dims[d];
    }
    y[i] = x[src];
  }
}

template <class T>
__global__ void concat_kernel(const T* x, T* y, int64_t outer, int64_t x_inner, int64_t y_inner, int64_t offset) {
  N2D2_GRID_LOOP(i, outer * x_inner) {
    int64_t o = i / x_inner, j = i % x_inner;
    y[o * y_inner + offset + j] = x[i];
  }
}

__global__ void pad_kernel(const float* x, float* y, int64_t n, PadParams p) {
  N2D2_GRID_LOOP(i, n) {
    int64_t rem = i, src = 0, stride = 1;
    bool inside = true;
    for (int d = p.rank - 1; d >= 0; --d) {
      int64_t c = rem % p.out_dims[d] - p.pads_begin[d];
      rem /= p.out_dims[d];
      int64_t len = p.in_dims[d];
      if (c < 0 || c >= len) {
        if (p.mode == 0) {
          inside = false;
        } else if (p.mode == 1) {
          c = c < 0 ? 0 : len - 1;
        } else if (len == 1) {
          c = 0;
        } else {
          int64_t period = 2 * (len - 1);
          c = c % period;
          if (c < 0) c += period;
          if (c >= len) c = period - c;
        }
      }
      src += c * stride;
      stride *= len;
    }
    y[i] = inside ? x[src] : p.value;
  }
}

__device__ float source_coord(int coord, float out_c, float scale, int64_t in_len, int64_t out_len) {
  switch (coord) {
    case 1: return out_c / scale;
    case 2: return out_len > 1 ? out_c * float(in_len - 1) / float(out_len - 1) : 0.f;
    case 3: return out_len > 1 ? (out_c + 0.5f) / scale - 0.5f : 0.f;
    default: return (out_c + 0.5f) / scale - 0.5f;
  }
}

__device__ int64_t nearest_index(int mode, float c, int64_t len) {
  float r;
  switch (mode) {
    case 1: r = (c - floorf(c) == 0.5f) ? ceilf(c) : roundf(c); break;
    case 2: r = floorf(c); break;
    case 3: r = ceilf(c); break;
    default: r = (c - floorf(c) == 0.5f) ? floorf(c) : roundf(c); break;
  }
  int64_t i = static_cast<int64_t>(r);
  return i < 0 ? 0 : (i >= len ? len - 1 : i);
}

__global__ void resize_kernel(const float* x, float* y, ResizeParams p) {
  N2D2_GRID_LOOP(i, p.outer * p.out_h * p.out_w) {
    int64_t ow = i % p.out_w, oh = (i / p.out_w) % p.out_h, o = i / (p.out_w * p.out_h);
    const float* plane = x + o * p.in_h * p.in_w;
    float sh = source_coord(p.coord, float(oh), p.scale_h, p.in_h, p.out_h);
    float sw = source_coord(p.coord, float(ow), p.scale_w, p.in_w, p.out_w);
    if (!p.linear) {
      y[i] = plane[nearest_index(p.nearest, sh, p.in_h) * p.in_w + nearest_index(p.nearest, sw, p.in_w)];
      continue;
    }
    sh = fminf(fmaxf(sh, 0.f), float(p.in_h - 1));
    sw = fminf(fmaxf(sw, 0.f), float(p.in_w - 1));
    int64_t h0 = static_cast<int64_t>(floorf(sh)), w0 = static_cast<int64_t>(floorf(sw));
    int64_t h1 = h0 + 1 < p.in_h ? h0 + 1 : h0, w1 = w0 + 1 < p.in_w ? w0 + 1 : w0;
    float fh = sh - float(h0), fw = sw - float(w0);
    float top = plane[h0 * p.in_w + w0] * (1.f - fw) + plane[h0 * p.in_w + w1] * fw;
    float bot = plane[h1 * p.in_w + w0] * (1.f - fw) + plane[h1 * p.in_w + w1] * fw;
    y[i] = top * (1.f - fh) + bot * fh;
  }
}


}  // namespace

void gather(const void* x, void* y, int64_t n, int elem_bytes, const Gather& g, cudaStream_t s) {
  if (n <= 0) return;
  switch (elem_bytes) {
    case 1: gather_kernel<<<blocks(n), kThreads, 0, s>>>(static_cast<const uint8_t*>(x), static_cast<uint8_t*>(y), n, g); break;
    case 2: gather_kernel<<<blocks(n), kThreads, 0, s>>>(static_cast<const uint16_t*>(x), static_cast<uint16_t*>(y), n, g); break;
    case 4: gather_kernel<<<blocks(n), kThreads, 0, s>>>(static_cast<const uint32_t*>(x), static_cast<uint32_t*>(y), n, g); break;
    default: gather_kernel<<<blocks(n), kThreads, 0, s>>>(static_cast<const uint64_t*>(x), static_cast<uint64_t*>(y), n, g); break;
  }
}

void concat_piece(const void* x, void* y, int64_t outer, int64_t x_inner, int64_t y_inner, int64_t offset,
                  int elem_bytes, cudaStream_t s) {
  int64_t n = outer * x_inner;
  if (n <= 0) return;
  switch (elem_bytes) {
    case 1: concat_kernel<<<blocks(n), kThreads, 0, s>>>(static_cast<const uint8_t*>(x), static_cast<uint8_t*>(y), outer, x_inner, y_inner, offset); break;
    case 2: concat_kernel<<<blocks(n), kThreads, 0, s>>>(static_cast<const uint16_t*>(x), static_cast<uint16_t*>(y), outer, x_inner, y_inner, offset); break;
    case 4: concat_kernel<<<blocks(n), kThreads, 0, s>>>(static_cast<const uint32_t*>(x), static_cast<uint32_t*>(y), outer, x_inner, y_inner, offset); break;
    default: concat_kernel<<<blocks(n), kThreads, 0, s>>>(static_cast<const uint64_t*>(x), static_cast<uint64_t*>(y), outer, x_inner, y_inner, offset); break;
  }
}

void pad(const float* x, float* y, int64_t n, const PadParams& p, cudaStream_t s) {
  if (n > 0) pad_kernel<<<blocks(n), kThreads, 0, s>>>(x, y, n, p);
}

void resize(const float* x, float* y, const ResizeParams& p, cudaStream_t s) {
  int64_t n = p.outer * p.out_h * p.out_w;
  if (n > 0) resize_kernel<<<blocks(n), kThreads, 0, s>>>(x, y, p);
}

}  // namespace n2d2::cuda::launch
