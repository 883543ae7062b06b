// Reference pooling: MaxPool (with Indices), AveragePool, LpPool and their global forms, over
// 1 to 3 spatial axes. Each (n, c) plane is one task.
#include <algorithm>
#include <cmath>
#include <limits>

#include "graph/ops/window.h"
#include "kernels/nn_family.h"
#include "kernels/parallel.h"
#include "kernels/spatial_dims.h"

namespace n2d2::kernels {

namespace {

using detail::Spatial3;

enum class Kind { Max, Average, Lp };

template <class T>
Status pool_typed(const KernelContext& c, Kind kind, bool global) {
  const Tensor& x = c.in(0);
  Tensor& y = c.out(0);
  const Shape& xs = x.shape();
  std::vector<int64_t> sp(xs.begin() + 2, xs.end());
  graph::Window win;
  if (global) {
    win.kernel = sp;
    win.strides.assign(sp.size(), 1);
    win.dilations.assign(sp.size(), 1);
    win.pads_begin.assign(sp.size(), 0);
    win.pads_end.assign(sp.size(), 0);
  } else {
    win = graph::window_forward(c.node, sp, c.attrs().ints("kernel_shape"), c.attrs().i_or("ceil_mode", 0) != 0);
  }
  Spatial3 s;
  if (!detail::to_spatial3(xs, y.shape(), win, s)) return Status::error("more than 3 spatial axes");
  bool include_pad = kind == Kind::Average && c.attrs().i_or("count_include_pad", 0) != 0;
  double p = kind == Kind::Lp ? static_cast<double>(c.attrs().i_or("p", 2)) : 2.0;
  bool col_major = c.attrs().i_or("storage_order", 0) != 0;
  int64_t* ind = c.has_output(1) ? c.out(1).data_mut<int64_t>() : nullptr;
  const T* xp = x.data<T>();
  T* yp = y.data_mut<T>();
  int64_t planes = xs[0] * xs[1];
  parallel_for(planes, 1, [&](int64_t b, int64_t e) {
    for (int64_t nc = b; nc < e; ++nc) {
      const T* xc = xp + nc * s.in_size();
      for (int64_t od = 0; od < s.out[0]; ++od)
        for (int64_t oh = 0; oh < s.out[1]; ++oh)
          for (int64_t ow = 0; ow < s.out[2]; ++ow) {
            int64_t o[3] = {od, oh, ow};
            int64_t start[3], end[3], pad_count = 1;
            for (int a = 0; a < 3; ++a) {
              start[a] = o[a] * s.s[a] - s.pb[a];
              end[a] = start[a] + (s.k[a] - 1) * s.d[a] + 1;
              // count_include_pad counts positions inside the padded input only.
              pad_count *= std::min(end[a], s.in[a] + s.pe[a]) - start[a];
            }
            double acc = kind == Kind::Max ? -std::numeric_limits<double>::infinity() : 0.0;
            int64_t count = 0, arg = -1;
            for (int64_t id = start[0]; id < end[0]; id += s.d[0]) {
              if (id < 0 || id >= s.in[0]) continue;
              for (int64_t ih = start[1]; ih < end[1]; ih += s.d[1]) {
                if (ih < 0 || ih >= s.in[1]) continue;
                for (int64_t iw = start[2]; iw < end[2]; iw += s.d[2]) {
                  if (iw < 0 || iw >= s.in[2]) continue;
                  int64_t off = (id * s.in[1] + ih) * s.in[2] + iw;
                  double v = static_cast<double>(xc[off]);
                  if (kind == Kind::Max) {
                    if (v > acc || arg < 0) {
                      acc = v;
                      arg = col_major ? (iw * s.in[1] + ih) * s.in[0] + id : off;
                    }
                  } else if (kind == Kind::Lp) {
                    acc += std::pow(std::abs(v), p);
                  } else {
                    acc += v;
                  }
                  ++count;
                }
              }
            }
            int64_t oi = nc * s.out_size() + (od * s.out[1] + oh) * s.out[2] + ow;
            if (kind == Kind::Average) acc = acc / static_cast<double>(include_pad ? pad_count : std::max<int64_t>(count, 1));
            if (kind == Kind::Lp) acc = std::pow(acc, 1.0 / p);
            yp[oi] = static_cast<T>(acc);
            if (ind) ind[oi] = nc * s.in_size() + arg;
          }
    }
  });
  return Status::ok();
}

template <Kind kind, bool global>
Status pool_ref(const KernelContext& c) {
  return c.in(0).dtype() == DType::F64 ? pool_typed<double>(c, kind, global) : pool_typed<float>(c, kind, global);
}

std::string supports(const KernelQuery& q) {
  std::string r = require_input_dtypes(q, {DType::F32, DType::F64});
  if (!r.empty()) return r;
  if (q.input_types[0].rank_known && q.input_types[0].rank() > 5) return "more than 3 spatial axes";
  return "";
}

}  // namespace

void register_pool_kernels(KernelRegistry& r) {
  r.add({"maxpool_ref", "MaxPool", "", supports, pool_ref<Kind::Max, false>});
  r.add({"avgpool_ref", "AveragePool", "", supports, pool_ref<Kind::Average, false>});
  r.add({"lppool_ref", "LpPool", "", supports, pool_ref<Kind::Lp, false>});
  r.add({"global_maxpool_ref", "GlobalMaxPool", "", supports, pool_ref<Kind::Max, true>});
  r.add({"global_avgpool_ref", "GlobalAveragePool", "", supports, pool_ref<Kind::Average, true>});
  r.add({"global_lppool_ref", "GlobalLpPool", "", supports, pool_ref<Kind::Lp, true>});
}

}  // namespace n2d2::kernels
