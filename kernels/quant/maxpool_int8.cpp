// uint8/int8 MaxPool (1 or 2 spatial axes, no Indices output) of the integer networks, as row
// loops (SSE2 byte maxima, as kernels/pool/rows.cpp does for float): each (n, c) plane is
// copied once into a buffer padded with the type's lowest value (covering ceil_mode overhang),
// then every output row takes its maximum over the taps without bounds checks. A window wholly in
// the padding gives the lowest value, as maxpool_ref. Registered (register_quant_kernels) before
// the pool kernels; results do not depend on the thread count.
#include <emmintrin.h>

#include <algorithm>
#include <limits>
#include <type_traits>
#include <vector>

#include "graph/ops/window.h"
#include "kernels/kernel.h"
#include "kernels/parallel.h"
#include "kernels/quant/quant_kernels.h"
#include "kernels/spatial_dims.h"

namespace n2d2::kernels {

namespace {

std::string maxpool_int8_supports(const KernelQuery& q) {
  std::string r = require_input_dtypes(q, {DType::U8, DType::I8});
  if (!r.empty()) return r;
  if (q.node.has_output(1)) return "Indices output";
  const TensorType& x = q.input_types[0];
  if (!x.rank_known || (x.rank() != 3 && x.rank() != 4)) return "not 1 or 2 spatial axes";
  return "";
}

// d[i] = max(d[i], r[i]) for i < n, 16 bytes at a time (SSE2 pmaxub; int8 through x ^ 0x80).
template <class T>
void max_into(T* __restrict d, const T* __restrict r, int64_t n) {
  const __m128i flip = _mm_set1_epi8(std::is_same_v<T, int8_t> ? static_cast<char>(0x80) : 0);
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m128i a = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i)), flip);
    __m128i b = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r + i)), flip);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d + i), _mm_xor_si128(_mm_max_epu8(a, b), flip));
  }
  for (; i < n; ++i) d[i] = std::max(d[i], r[i]);
}

template <class T>
Status maxpool_int8_typed(const KernelContext& c) {
  const Tensor& x = c.in(0);
  Tensor& y = c.out(0);
  const Shape& xs = x.shape();
  graph::Window win = graph::window_forward(c.node, graph::spatial_dims(xs), c.attrs().ints("kernel_shape"),
                                            c.attrs().i_or("ceil_mode", 0) != 0);
  detail::Spatial3 s;
  if (!detail::to_spatial3(xs, y.shape(), win, s)) return Status::error("more than 3 spatial axes");
  const int64_t ph = s.padded_extent(1), pw = s.padded_extent(2);
  const T lowest = std::numeric_limits<T>::lowest();
  const T* xp = x.data<T>();
  T* yp = y.data_mut<T>();
  parallel_for(xs[0] * xs[1], 1, [&](int64_t b, int64_t e) {
    thread_local std::vector<T> plane, rowmax, even, odd;
    plane.assign(static_cast<std::size_t>(ph * pw), lowest);
    rowmax.resize(static_cast<std::size_t>(pw + 1));
    const int64_t half = (pw + 1) / 2;
    even.resize(static_cast<std::size_t>(half));
    odd.resize(static_cast<std::size_t>(half));
    rowmax[pw] = lowest;
    for (int64_t nc = b; nc < e; ++nc) {
      const T* xc = xp + nc * s.in_size();
      for (int64_t ih = 0; ih < s.in[1]; ++ih)
        std::copy(xc + ih * s.in[2], xc + (ih + 1) * s.in[2], plane.data() + (ih + s.pb[1]) * pw + s.pb[2]);
      T* yc = yp + nc * s.out_size();
      for (int64_t oh = 0; oh < s.out[1]; ++oh) {
        // The column maxima over the window's rows, then the taps along the row.
        T* rm = rowmax.data();
        const T* r0 = plane.data() + oh * s.s[1] * pw;
        std::copy(r0, r0 + pw, rm);
        for (int64_t kh = 1; kh < s.k[1]; ++kh) max_into(rm, r0 + kh * s.d[1] * pw, pw);
        T* yr = yc + oh * s.out[2];
        std::fill(yr, yr + s.out[2], lowest);
        if (s.s[2] == 2) {  // even and odd columns apart, then contiguous maxima per tap
          for (int64_t j = 0; j < half; ++j) {
            even[j] = rm[2 * j];
            odd[j] = rm[2 * j + 1];
          }
          for (int64_t kw = 0; kw < s.k[2]; ++kw) {
            int64_t t = kw * s.d[2];
            max_into(yr, (t % 2 ? odd.data() : even.data()) + t / 2, s.out[2]);
          }
          continue;
        }
        for (int64_t kw = 0; kw < s.k[2]; ++kw) {
          const T* r = rm + kw * s.d[2];
          if (s.s[2] == 1) {
            max_into(yr, r, s.out[2]);
          } else {
            for (int64_t ow = 0, st = s.s[2]; ow < s.out[2]; ++ow) yr[ow] = std::max(yr[ow], r[ow * st]);
          }
        }
      }
    }
  });
  return Status::ok();
}

Status maxpool_int8(const KernelContext& c) {
  return c.in(0).dtype() == DType::I8 ? maxpool_int8_typed<int8_t>(c) : maxpool_int8_typed<uint8_t>(c);
}

}  // namespace

void register_maxpool_int8_kernels(KernelRegistry& r) {
  r.add({"maxpool_int8_rows", "MaxPool", "", maxpool_int8_supports, maxpool_int8});
}

}  // namespace n2d2::kernels
