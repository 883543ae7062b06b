// Printing outputs: min/max/mean and top-K of class-score outputs.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "graph/tensor.h"

namespace n2d2::cli {

struct TensorSummary {
  double min = 0, max = 0, mean = 0;
  bool numeric = false;
};
TensorSummary summarize(const Tensor& t);

// Class-score outputs: float [C], [N, C] or [N, C, 1, 1] with C > 1. Rows of (class, score)
// sorted by decreasing score (ties: lower class first), one row per batch item.
bool is_class_scores(const Tensor& t);
std::vector<std::vector<std::pair<int64_t, double>>> top_k(const Tensor& t, int k);

}  // namespace n2d2::cli
