#include "frontends/data/scoring.h"

#include <cstdio>

#include "graph/error.h"

namespace n2d2::data {

namespace {
std::string name_of(const std::vector<std::string>& names, int32_t c) {
  return c < static_cast<int32_t>(names.size()) ? names[c] : std::to_string(c);
}
std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}
}  // namespace

ClassificationScore::ClassificationScore(int32_t classes, int32_t top_n)
    : classes_(classes), top_n_(top_n), confusion_(static_cast<std::size_t>(classes) * classes, 0) {
  if (classes <= 0) fail("classification score: need at least one class, got ", classes);
  if (top_n <= 0) fail("classification score: top-N needs N >= 1, got ", top_n);
}

void ClassificationScore::add(const float* scores, int32_t label) {
  if (label < 0 || label >= classes_) fail("label ", label, " is out of range for ", classes_, " classes");
  // Rank of the label: classes scoring higher, plus lower-numbered classes scoring the same.
  int32_t rank = 0, best = 0;
  for (int32_t c = 0; c < classes_; ++c) {
    if (scores[c] > scores[label] || (scores[c] == scores[label] && c < label)) ++rank;
    if (scores[c] > scores[best]) best = c;
  }
  add_decision(best, label, rank);
}

void ClassificationScore::add_decision(int32_t predicted, int32_t label, int32_t rank_of_label) {
  if (label < 0 || label >= classes_) fail("label ", label, " is out of range for ", classes_, " classes");
  if (predicted < 0 || predicted >= classes_) fail("predicted class ", predicted, " is out of range for ", classes_, " classes");
  ++count_;
  top1_ += predicted == label;
  topn_ += rank_of_label < top_n_;
  ++confusion_[label * classes_ + predicted];
}

void ClassificationScore::merge(const ClassificationScore& o) {
  if (o.classes_ != classes_ || o.top_n_ != top_n_) fail("classification score: cannot merge different class counts");
  count_ += o.count_;
  top1_ += o.top1_;
  topn_ += o.topn_;
  for (std::size_t i = 0; i < confusion_.size(); ++i) confusion_[i] += o.confusion_[i];
}

double ClassificationScore::top1_accuracy() const { return count_ ? 100.0 * top1_ / count_ : 0.0; }
double ClassificationScore::topn_accuracy() const { return count_ ? 100.0 * topn_ / count_ : 0.0; }

double ClassificationScore::recall(int32_t c) const {
  int64_t total = 0;
  for (int32_t p = 0; p < classes_; ++p) total += confusion(c, p);
  return total ? 100.0 * confusion(c, c) / total : 0.0;
}

double ClassificationScore::precision(int32_t c) const {
  int64_t total = 0;
  for (int32_t t = 0; t < classes_; ++t) total += confusion(t, c);
  return total ? 100.0 * confusion(c, c) / total : 0.0;
}

std::string ClassificationScore::text(const std::vector<std::string>& names) const {
  std::string s = "images: " + std::to_string(count_) + "\ntop-1 accuracy: " + fmt("%.2f", top1_accuracy()) +
                  " %\ntop-" + std::to_string(top_n_) + " accuracy: " + fmt("%.2f", topn_accuracy()) + " %\n";
  s += "class        recall %  precision %\n";
  for (int32_t c = 0; c < classes_; ++c) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%-12s %8.2f  %11.2f\n", name_of(names, c).c_str(), recall(c), precision(c));
    s += buf;
  }
  s += "confusion (rows: truth, columns: predicted)\n";
  for (int32_t t = 0; t < classes_; ++t) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%-12s", name_of(names, t).c_str());
    s += buf;
    for (int32_t p = 0; p < classes_; ++p) {
      std::snprintf(buf, sizeof buf, " %6lld", static_cast<long long>(confusion(t, p)));
      s += buf;
    }
    s += "\n";
  }
  return s;
}

std::string ClassificationScore::confusion_csv(const std::vector<std::string>& names) const {
  std::string s = "truth\\predicted";
  for (int32_t p = 0; p < classes_; ++p) s += "," + name_of(names, p);
  s += "\n";
  for (int32_t t = 0; t < classes_; ++t) {
    s += name_of(names, t);
    for (int32_t p = 0; p < classes_; ++p) s += "," + std::to_string(confusion(t, p));
    s += "\n";
  }
  return s;
}

std::string ClassificationScore::json() const {
  std::string s = "{\"images\":" + std::to_string(count_) + ",\"top1_accuracy\":" + fmt("%.4f", top1_accuracy()) +
                  ",\"topn_accuracy\":" + fmt("%.4f", topn_accuracy()) + ",\"n\":" + std::to_string(top_n_) +
                  ",\"confusion\":[";
  for (int32_t t = 0; t < classes_; ++t) {
    s += t ? ",[" : "[";
    for (int32_t p = 0; p < classes_; ++p) s += (p ? "," : "") + std::to_string(confusion(t, p));
    s += "]";
  }
  s += "],\"per_class\":[";
  for (int32_t c = 0; c < classes_; ++c)
    s += std::string(c ? "," : "") + "{\"class\":" + std::to_string(c) + ",\"recall\":" + fmt("%.4f", recall(c)) +
         ",\"precision\":" + fmt("%.4f", precision(c)) + "}";
  return s + "]}";
}

}  // namespace n2d2::data
