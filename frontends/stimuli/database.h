// N2D2's databases: a labelled set of stimuli split into Learn / Validation / Test subsets.
// MNIST_IDX_Database (IDX files, gz or not), DIR_Database (one label per sub-folder), CSV_Database
// (one stimulus per row, one column holds the label), built from a [database] INI section.
#pragma once

#include <opencv2/core.hpp>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "frontends/ini/ini_document.h"

namespace n2d2::stimuli {

enum class Subset { Learn = 0, Validation = 1, Test = 2 };
const char* subset_name(Subset s);  // "learn", "validation", "test"

struct Stimulus {
  std::string path;      // file (DIR) or "<file>:<row>" (CSV, MNIST) for messages
  int64_t index = -1;    // row / image index inside the source
  int32_t label = -1;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual std::string type() const = 0;  // "DIR_Database", ...
  const std::vector<std::string>& label_names() const { return labels_; }
  const std::vector<Stimulus>& subset(Subset s) const { return subsets_[static_cast<int>(s)]; }
  // The stimulus' data as stored: 8-bit images as CV_8U (BGR for colour), CSV rows as 1 x N
  // CV_32F. Throws naming the file when it cannot be read.
  virtual cv::Mat load(const Stimulus& s) const = 0;

 protected:
  std::vector<std::string> labels_;
  std::array<std::vector<Stimulus>, 3> subsets_;
};

struct DatabaseOptions {
  uint64_t seed = 1;  // random partitioning (N2D2's -seed)
};

// From the [database] section of `doc` (Type=MNIST_IDX_Database|DIR_Database|CSV_Database).
// DataPath is relative to the INI file's folder unless absolute; an unset MNIST DataPath is
// $N2D2_DATA/mnist when it exists, else /usr/share/datasets/fashion-mnist. Errors name file:line.
std::unique_ptr<Database> make_database(const ini::Document& doc, const ini::Section& section,
                                        const DatabaseOptions& opts = {});

// Partitioning shared by DIR and CSV: `per_label[l]` lists the stimuli of label l in loading
// order; fractions of each label go to Learn and Validation (of the smallest label's count when
// `equiv`), the rest to Test (or `test` of it when test >= 0); shuffled with `seed` when `random`;
// at most `max_per_label` per label and subset when > 0. Counts round to nearest.
struct Partitioning {
  double learn = 0, validation = 0, test = -1;
  bool equiv = true, random = true;
  int64_t max_per_label = 0;
};
void partition(std::vector<std::vector<Stimulus>> per_label, const Partitioning& p, uint64_t seed,
               std::array<std::vector<Stimulus>, 3>& out);

}  // namespace n2d2::stimuli
