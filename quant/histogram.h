// Calibration statistics of one activation: a histogram of |x| over [0, range) with a fixed
// number of bins whose range doubles (merging bin pairs) when a larger value arrives, so one
// pass over the calibration set suffices and the result does not depend on batch boundaries
// beyond the order of the doublings. Clipping thresholds (N2D2's -act-clipping-mode) are chosen
// on it: Max (none), MSE, KL-Divergence, Quantile.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace n2d2::quant {

class Histogram {
 public:
  explicit Histogram(int bins = 2048) : counts_(static_cast<std::size_t>(bins), 0) {}
  void add(std::span<const float> values);
  int bins() const { return static_cast<int>(counts_.size()); }
  double range() const { return range_; }    // upper edge of the last bin (0 before any value)
  double max_abs() const { return max_; }    // largest |x| seen
  double min_value() const { return min_; }  // smallest x seen (signed: tells whether x < 0 occurs)
  uint64_t total() const { return total_; }
  const std::vector<uint64_t>& counts() const { return counts_; }
  double bin_width() const { return range_ / static_cast<double>(counts_.size()); }

  // Rebuilds a histogram from saved fields (--calib-reload); throws n2d2::Error when inconsistent.
  static Histogram restore(double range, double max_abs, double min_value, std::vector<uint64_t> counts);

 private:
  std::vector<uint64_t> counts_;
  double range_ = 0, max_ = 0, min_ = 0;
  uint64_t total_ = 0;
};

enum class Clipping { Max, MSE, KL, Quantile };
// "None"/"Max", "MSE", "KL-Divergence", "Quantile"; throws n2d2::Error listing them otherwise.
Clipping parse_clipping(const std::string& name);
const char* clipping_name(Clipping c);

// The clipping threshold of |x| for `levels` quantization steps above zero (2^n - 1 unsigned,
// 2^(n-1) - 1 signed). Max: the largest |x|. MSE: the bin edge minimizing the squared error of
// clipping + rounding over the histogram. KL-Divergence: TensorRT's search (distribution of the
// clipped histogram vs its `levels`-bin requantization, without the first bin, which holds the
// zeros of a ReLU; levels above the bin count leave the threshold at Max). Quantile: the smallest edge holding a fraction >= `quantile` of the values.
// 0 for an empty histogram.
double clip_threshold(const Histogram& h, Clipping mode, int64_t levels, double quantile = 0.9999);

}  // namespace n2d2::quant
