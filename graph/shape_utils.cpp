#include "graph/shape_utils.h"

#include <algorithm>

namespace n2d2::graph {

bool broadcast_shapes(const Shape& a, const Shape& b, Shape& out) {
  std::size_t r = std::max(a.size(), b.size());
  Shape res(r);
  for (std::size_t i = 0; i < r; ++i) {
    int64_t da = i < r - a.size() ? 1 : a[i - (r - a.size())];
    int64_t db = i < r - b.size() ? 1 : b[i - (r - b.size())];
    if (da == db) {
      res[i] = da;
    } else if (da == 1) {
      res[i] = db;
    } else if (db == 1) {
      res[i] = da;
    } else if (da < 0 || db < 0) {
      res[i] = da < 0 ? db : da;  // the unknown side must be 1 or equal
    } else {
      return false;
    }
  }
  out = std::move(res);
  return true;
}

bool normalize_axis(int64_t& axis, int64_t rank) {
  if (axis < -rank || axis >= rank) return false;
  if (axis < 0) axis += rank;
  return true;
}

bool normalize_axis_inclusive(int64_t& axis, int64_t rank) {
  if (axis < -rank - 1 || axis > rank) return false;
  if (axis < 0) axis += rank + 1;
  return true;
}

}  // namespace n2d2::graph
