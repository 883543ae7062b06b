// N2D2's StimuliProvider ([sp] or [env]): the network input size (SizeX, SizeY, NbChannels),
// BatchSize, the transformations of sections [<sp>.Transformation...] and
// [<sp>.OnTheFlyTransformation...] in file order, and the implicit conversion of integer data
// after them (manual, "Data range and conversion"): 8-bit to [0, 1] (or [-1, 1) with
// DataSignedMapping=1 in its ConfigSection), 16-bit likewise; float data (e.g. after a
// RangeAffineTransformation) as is. Batches come from a oneTBB pipeline that loads and transforms
// the next batch while the caller runs the current one.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "frontends/stimuli/database.h"
#include "frontends/stimuli/transformation.h"
#include "graph/tensor.h"

namespace n2d2::stimuli {

struct Batch {
  Tensor data;                  // float32 [BatchSize, NbChannels, SizeY, SizeX]; rows >= count are 0
  std::vector<int32_t> labels;  // count labels
  int64_t first = 0, count = 0;  // stimuli [first, first + count) of the subset
};

class StimuliProvider {
 public:
  // From [sp] (or [env]) of `doc` over `db`; `seed` seeds the random transformations.
  StimuliProvider(const ini::Document& doc, const Database& db, uint64_t seed = 1);

  int64_t size_x() const { return size_x_; }
  int64_t size_y() const { return size_y_; }
  int64_t channels() const { return channels_; }
  int64_t batch_size() const { return batch_size_; }
  bool signed_mapping() const { return signed_mapping_; }
  const std::vector<std::unique_ptr<Transformation>>& transformations() const { return transformations_; }
  const Database& database() const { return db_; }

  // Stimulus `index` of subset `s` after its transformations (the data before conversion).
  cv::Mat transformed(Subset s, int64_t index) const;
  // The same, converted, written as NbChannels x SizeY x SizeX floats at `dst`; throws naming the
  // stimulus when the transformed size is not the provider's.
  void load(Subset s, int64_t index, float* dst) const;
  // Runs fn over the first `limit` (0: all) stimuli of `s` in batches, in order.
  void for_each_batch(Subset s, int64_t limit, const std::function<void(const Batch&)>& fn) const;

 private:
  const Database& db_;
  uint64_t seed_;
  int64_t size_x_ = 0, size_y_ = 0, channels_ = 1, batch_size_ = 1;
  bool signed_mapping_ = false;
  std::vector<std::unique_ptr<Transformation>> transformations_;
};

// Converts an HWC matrix to CHW floats with N2D2's implicit conversion (see above).
void mat_to_chw(const cv::Mat& m, bool signed_mapping, float* dst);

}  // namespace n2d2::stimuli
