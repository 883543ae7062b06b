// Float MaxPool (1 or 2 spatial axes, no Indices output) and GlobalAveragePool as row loops (MaxPool's
// row step per ISA, max_row.h: AVX2 or the portable loop). MaxPool copies each input plane once into a buffer padded with the lowest
// float (covering ceil_mode overhang; unpadded pools read the input itself), then takes every
// output row's maximum over the taps with no bounds checks (AVX2: every tap of a vector of
// outputs in registers): a window wholly in the padding gives the lowest float, as the reference.
// Each (n, c) plane is one task; results do not depend on the thread count.
#include <algorithm>
#include <limits>
#include <vector>

#include "graph/ops/window.h"
#include "kernels/cpu/isa.h"
#include "kernels/nn_family.h"
#include "kernels/parallel.h"
#include "kernels/pool/max_row.h"
#include "kernels/spatial_dims.h"

namespace n2d2::kernels {

namespace {

std::string maxpool_supports(const KernelQuery& q) {
  std::string r = require_input_dtypes(q, {DType::F32});
  if (!r.empty()) return r;
  if (q.node.has_output(1)) return "Indices output";
  const TensorType& x = q.input_types[0];
  if (!x.rank_known || (x.rank() != 3 && x.rank() != 4)) return "not 1 or 2 spatial axes";
  return "";
}

// The portable output-row step (max_row.h): the row from the lowest float, then one pass per tap.
void max_window_row_f32(const float* base, int64_t ld, int64_t stride, int64_t kh, int64_t kw, int64_t dh, int64_t dw,
                        float* y, int64_t n) {
  std::fill(y, y + n, std::numeric_limits<float>::lowest());
  for (int64_t a = 0; a < kh; ++a)
    for (int64_t b = 0; b < kw; ++b) {
      const float* row = base + a * dh * ld + b * dw;
      if (stride == 1) {
        for (int64_t i = 0; i < n; ++i) y[i] = std::max(y[i], row[i]);
      } else {
        for (int64_t i = 0; i < n; ++i) y[i] = std::max(y[i], row[i * stride]);
      }
    }
}

template <detail::MaxWindowRowF32 window_row>
Status maxpool_rows(const KernelContext& c) {
  const Tensor& x = c.in(0);
  Tensor& y = c.out(0);
  const Shape& xs = x.shape();
  graph::Window win = graph::window_forward(c.node, graph::spatial_dims(xs), c.attrs().ints("kernel_shape"),
                                            c.attrs().i_or("ceil_mode", 0) != 0);
  detail::Spatial3 s;
  if (!detail::to_spatial3(xs, y.shape(), win, s)) return Status::error("more than 3 spatial axes");
  const int64_t ph = s.padded_extent(1), pw = s.padded_extent(2);
  const float lowest = std::numeric_limits<float>::lowest();
  const float* xp = x.data<float>();
  float* yp = y.data_mut<float>();
  // Without padding or overhang the windows read the input planes themselves.
  const bool direct = s.pb[1] == 0 && s.pb[2] == 0 && ph == s.in[1] && pw == s.in[2];
  parallel_for(xs[0] * xs[1], 1, [&](int64_t b, int64_t e) {
    thread_local std::vector<float> plane;
    if (!direct) plane.assign(static_cast<std::size_t>(ph * pw), lowest);
    for (int64_t nc = b; nc < e; ++nc) {
      const float* xc = xp + nc * s.in_size();
      if (!direct)
        for (int64_t ih = 0; ih < s.in[1]; ++ih)
          std::copy(xc + ih * s.in[2], xc + (ih + 1) * s.in[2], plane.data() + (ih + s.pb[1]) * pw + s.pb[2]);
      const float* src = direct ? xc : plane.data();
      float* yc = yp + nc * s.out_size();
      for (int64_t oh = 0; oh < s.out[1]; ++oh)
        window_row(src + oh * s.s[1] * pw, pw, s.s[2], s.k[1], s.k[2], s.d[1], s.d[2], yc + oh * s.out[2], s.out[2]);
    }
  });
  return Status::ok();
}

// GlobalAveragePool: each plane's sum in kLanes partial sums (fixed order), then the mean.
Status global_avgpool_rows(const KernelContext& c) {
  const Tensor& x = c.in(0);
  Tensor& y = c.out(0);
  const int64_t planes = x.shape()[0] * x.shape()[1], size = planes == 0 ? 0 : x.numel() / planes;
  const float* xp = x.data<float>();
  float* yp = y.data_mut<float>();
  parallel_for(planes, 16, [&](int64_t b, int64_t e) {
    constexpr int kLanes = 16;
    for (int64_t p = b; p < e; ++p) {
      const float* xc = xp + p * size;
      double lane[kLanes] = {};
      int64_t i = 0;
      for (; i + kLanes <= size; i += kLanes)
        for (int l = 0; l < kLanes; ++l) lane[l] += xc[i + l];
      double sum = 0;
      for (int l = 0; l < kLanes; ++l) sum += lane[l];
      for (; i < size; ++i) sum += xc[i];
      yp[p] = static_cast<float>(size > 0 ? sum / static_cast<double>(size) : 0.0);
    }
  });
  return Status::ok();
}

std::string maxpool_avx2_supports(const KernelQuery& q) {
  std::string r = maxpool_supports(q);
  return r.empty() ? require_isa(Isa::Avx2) : r;
}

std::string global_supports(const KernelQuery& q) {
  std::string r = require_input_dtypes(q, {DType::F32});
  if (!r.empty()) return r;
  return q.input_types[0].rank_known && q.input_types[0].rank() >= 3 ? "" : "rank below 3";
}

}  // namespace

void register_pool_row_kernels(KernelRegistry& r) {
  r.add({"maxpool_f32_avx2", "MaxPool", "", maxpool_avx2_supports, maxpool_rows<detail::max_window_row_f32_avx2>, nullptr, true});
  r.add({"maxpool_f32_rows", "MaxPool", "", maxpool_supports, maxpool_rows<max_window_row_f32>, nullptr, true});
  r.add({"global_avgpool_f32_rows", "GlobalAveragePool", "", global_supports, global_avgpool_rows, nullptr, true});
}

}  // namespace n2d2::kernels
