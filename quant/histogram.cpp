#include "quant/histogram.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "graph/error.h"

namespace n2d2::quant {

void Histogram::add(std::span<const float> values) {
  if (values.empty()) return;
  double vmax = 0;
  if (total_ == 0) min_ = values[0];
  for (float v : values) {
    double a = std::fabs(static_cast<double>(v));
    if (!std::isfinite(a)) fail("calibration: activation value ", v, " is not finite");
    vmax = std::max(vmax, a);
    min_ = std::min(min_, static_cast<double>(v));
  }
  max_ = std::max(max_, vmax);
  if (range_ == 0 && vmax > 0) range_ = vmax * (1 + 1e-6);
  while (vmax >= range_ && range_ > 0) {  // double the range: merge bin pairs into the lower half
    std::size_t n = counts_.size();
    for (std::size_t i = 0; i < n / 2; ++i) counts_[i] = counts_[2 * i] + counts_[2 * i + 1];
    std::fill(counts_.begin() + static_cast<std::ptrdiff_t>(n / 2), counts_.end(), 0);
    range_ *= 2;
  }
  int64_t n = bins();
  double inv = range_ > 0 ? static_cast<double>(n) / range_ : 0;
  for (float v : values) {
    int64_t b = static_cast<int64_t>(std::fabs(static_cast<double>(v)) * inv);
    counts_[static_cast<std::size_t>(std::min(b, n - 1))]++;
  }
  total_ += values.size();
}

Histogram Histogram::restore(double range, double max_abs, double min_value, std::vector<uint64_t> counts) {
  if (counts.empty() || !(range >= 0) || !(max_abs >= 0) || max_abs > range)
    fail("calibration data: inconsistent histogram (range ", range, ", max ", max_abs, ", ", counts.size(), " bins)");
  Histogram h(static_cast<int>(counts.size()));
  h.counts_ = std::move(counts);
  h.range_ = range;
  h.max_ = max_abs;
  h.min_ = min_value;
  for (uint64_t c : h.counts_) h.total_ += c;
  return h;
}

Clipping parse_clipping(const std::string& name) {
  if (name == "None" || name == "Max") return Clipping::Max;
  if (name == "MSE") return Clipping::MSE;
  if (name == "KL-Divergence") return Clipping::KL;
  if (name == "Quantile") return Clipping::Quantile;
  fail("unknown clipping mode '", name, "' (expected None, MSE, KL-Divergence or Quantile)");
}

const char* clipping_name(Clipping c) {
  switch (c) {
    case Clipping::Max: return "None";
    case Clipping::MSE: return "MSE";
    case Clipping::KL: return "KL-Divergence";
    case Clipping::Quantile: return "Quantile";
  }
  return "?";
}

namespace {

double mse_threshold(const Histogram& h, int64_t levels) {
  const auto& c = h.counts();
  double w = h.bin_width();
  int n = h.bins();
  double best = h.max_abs(), best_err = std::numeric_limits<double>::infinity();
  int last = n;
  while (last > 1 && c[static_cast<std::size_t>(last - 1)] == 0) --last;
  for (int i = 1; i <= last; ++i) {
    double t = i * w, step = t / static_cast<double>(levels), err = 0;
    for (int j = 0; j < last; ++j) {
      if (c[static_cast<std::size_t>(j)] == 0) continue;
      double x = (j + 0.5) * w, e;
      if (x >= t) e = x - t;
      else e = x - std::round(x / step) * step;
      err += static_cast<double>(c[static_cast<std::size_t>(j)]) * e * e;
    }
    if (err < best_err) {
      best_err = err;
      best = t;
    }
  }
  return std::min(best, h.max_abs());
}

double kl_threshold(const Histogram& h, int64_t levels) {
  // The first bin is left out: after a ReLU it holds the exact zeros (most of the values), which
  // every threshold represents exactly and which would otherwise drown the tail in P.
  std::vector<uint64_t> c = h.counts();
  c[0] = 0;
  int n = h.bins();
  if (levels >= n) return h.max_abs();
  int last = n;
  while (last > 1 && c[static_cast<std::size_t>(last - 1)] == 0) --last;
  if (last <= levels) return h.max_abs();
  double best_kl = std::numeric_limits<double>::infinity();
  int best_i = last;
  std::vector<double> p, q;
  for (int i = static_cast<int>(levels); i <= last; ++i) {
    p.assign(c.begin(), c.begin() + i);
    for (int j = i; j < n; ++j) p[static_cast<std::size_t>(i - 1)] += static_cast<double>(c[static_cast<std::size_t>(j)]);
    // Q: the first i bins merged into `levels` groups, each spread evenly over its non-empty bins.
    q.assign(static_cast<std::size_t>(i), 0.0);
    for (int64_t g = 0; g < levels; ++g) {
      int lo = static_cast<int>(g * i / levels), hi = static_cast<int>((g + 1) * i / levels);
      double sum = 0;
      int nonzero = 0;
      for (int j = lo; j < hi; ++j) {
        sum += static_cast<double>(c[static_cast<std::size_t>(j)]);
        nonzero += c[static_cast<std::size_t>(j)] != 0;
      }
      for (int j = lo; j < hi; ++j)
        if (c[static_cast<std::size_t>(j)] != 0) q[static_cast<std::size_t>(j)] = sum / nonzero;
    }
    double ps = 0, qs = 0;
    for (int j = 0; j < i; ++j) ps += p[static_cast<std::size_t>(j)], qs += q[static_cast<std::size_t>(j)];
    double kl = 0;
    for (int j = 0; j < i; ++j) {
      double pj = p[static_cast<std::size_t>(j)] / ps, qj = q[static_cast<std::size_t>(j)] / qs;
      if (pj == 0) continue;
      kl += qj == 0 ? pj * 1e6 : pj * std::log(pj / qj);  // an emptied bin costs heavily
    }
    if (kl < best_kl) {
      best_kl = kl;
      best_i = i;
    }
  }
  return std::min(best_i * h.bin_width(), h.max_abs());
}

double quantile_threshold(const Histogram& h, double quantile) {
  double need = quantile * static_cast<double>(h.total()), acc = 0;
  for (int i = 0; i < h.bins(); ++i) {
    acc += static_cast<double>(h.counts()[static_cast<std::size_t>(i)]);
    if (acc >= need) return std::min((i + 1) * h.bin_width(), h.max_abs());
  }
  return h.max_abs();
}

}  // namespace

double clip_threshold(const Histogram& h, Clipping mode, int64_t levels, double quantile) {
  if (h.total() == 0 || h.max_abs() == 0) return 0;
  if (levels < 1) fail("clip_threshold: levels must be positive, got ", levels);
  switch (mode) {
    case Clipping::Max: return h.max_abs();
    case Clipping::MSE: return mse_threshold(h, levels);
    case Clipping::KL: return kl_threshold(h, levels);
    case Clipping::Quantile:
      if (!(quantile > 0 && quantile <= 1)) fail("quantile must be in (0, 1], got ", quantile);
      return quantile_threshold(h, quantile);
  }
  return h.max_abs();
}

}  // namespace n2d2::quant
