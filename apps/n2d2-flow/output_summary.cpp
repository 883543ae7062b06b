#include "apps/n2d2-flow/output_summary.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace n2d2::cli {

TensorSummary summarize(const Tensor& t) {
  TensorSummary s;
  if (t.empty() || t.dtype() == DType::F16 || t.dtype() == DType::BF16) return s;
  std::vector<double> v = t.to_double_vector();
  s.numeric = true;
  if (v.empty()) return s;
  s.min = std::numeric_limits<double>::infinity();
  s.max = -s.min;
  double sum = 0;
  for (double x : v) {
    s.min = std::min(s.min, x);
    s.max = std::max(s.max, x);
    sum += x;
  }
  s.mean = sum / static_cast<double>(v.size());
  return s;
}

bool is_class_scores(const Tensor& t) {
  if (t.dtype() != DType::F32 && t.dtype() != DType::F64) return false;
  const Shape& s = t.shape();
  if (s.size() == 1) return s[0] > 1;
  if (s.size() == 2) return s[1] > 1;
  if (s.size() == 4) return s[1] > 1 && s[2] == 1 && s[3] == 1;
  return false;
}

std::vector<std::vector<std::pair<int64_t, double>>> top_k(const Tensor& t, int k) {
  std::vector<std::vector<std::pair<int64_t, double>>> rows;
  if (!is_class_scores(t)) return rows;
  int64_t classes = t.rank() == 1 ? t.shape()[0] : t.shape()[1];
  int64_t n = t.numel() / classes;
  std::vector<double> v = t.to_double_vector();
  int kk = static_cast<int>(std::min<int64_t>(k, classes));
  for (int64_t r = 0; r < n; ++r) {
    std::vector<int64_t> idx(static_cast<std::size_t>(classes));
    std::iota(idx.begin(), idx.end(), 0);
    const double* row = v.data() + r * classes;
    std::partial_sort(idx.begin(), idx.begin() + kk, idx.end(), [&](int64_t a, int64_t b) {
      return row[a] > row[b] || (row[a] == row[b] && a < b);
    });
    std::vector<std::pair<int64_t, double>> top;
    for (int i = 0; i < kk; ++i) top.emplace_back(idx[i], row[idx[i]]);
    rows.push_back(std::move(top));
  }
  return rows;
}

}  // namespace n2d2::cli
