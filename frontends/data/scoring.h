// Classification scores over a labelled set: top-1 / top-N accuracy, confusion matrix, per-class
// precision/recall, as text, CSV and JSON. Shared by `run --data`, INI `-test`, the quantizer's and
// the spike simulator's accuracy reports.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace n2d2::data {

class ClassificationScore {
 public:
  // `classes` > 0; `top_n` >= 1 is the N of the top-N accuracy.
  ClassificationScore(int32_t classes, int32_t top_n = 5);

  // One pattern: `scores[0..classes)` (higher is better) and its true label. Ties rank the lower
  // class first. Throws when the label is out of range.
  void add(const float* scores, int32_t label);
  // One pattern already decided: the predicted class and, optionally, the rank of the true label.
  void add_decision(int32_t predicted, int32_t label, int32_t rank_of_label);
  void merge(const ClassificationScore& other);  // same classes and top_n

  int32_t classes() const { return classes_; }
  int32_t top_n() const { return top_n_; }
  int64_t count() const { return count_; }
  double top1_accuracy() const;  // percent
  double topn_accuracy() const;  // percent
  // confusion(t, p): patterns of true class t predicted as p.
  int64_t confusion(int32_t truth, int32_t predicted) const { return confusion_[truth * classes_ + predicted]; }
  double recall(int32_t c) const;     // percent; 0 when the class has no pattern
  double precision(int32_t c) const;  // percent; 0 when the class is never predicted

  // Accuracy lines, then the per-class table and the confusion matrix. `names` may be empty.
  std::string text(const std::vector<std::string>& names = {}) const;
  // Confusion matrix as CSV: header "truth\\predicted,<names>", one row per true class.
  std::string confusion_csv(const std::vector<std::string>& names = {}) const;
  // {"images":N,"top1_accuracy":..,"topn_accuracy":..,"n":N,"confusion":[[..]..],"per_class":[..]}
  std::string json() const;

 private:
  int32_t classes_, top_n_;
  int64_t count_ = 0, top1_ = 0, topn_ = 0;
  std::vector<int64_t> confusion_;
};

}  // namespace n2d2::data
