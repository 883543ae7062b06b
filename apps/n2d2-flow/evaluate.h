// Running a compiled model over a labelled image set (`run --data`): batches of the model's fixed
// batch size (the last one padded with zeros, its padding ignored) or, when dim 0 is dynamic, of
// EvalOptions::batch (the last one shorter); class scores from the first output,
// scored by data::ClassificationScore, with a progress line.
#pragma once

#include <cstdint>
#include <string>

#include "frontends/data/idx.h"
#include "apps/n2d2-flow/session.h"
#include "frontends/data/scoring.h"

namespace n2d2::cli {

struct EvalOptions {
  ExecOptions exec;
  int64_t batch = 32;  // images per run when the model's batch dimension is not fixed
  int32_t top_n = 5;
  bool progress = true;
};

struct EvalResult {
  data::ClassificationScore score;
  int64_t batch = 0;     // images per run (the model input's dim 0)
  double wall_s = 0;     // running and scoring, without loading
  double images_per_s() const { return wall_s > 0 ? score.count() / wall_s : 0; }
};

// The score files of `-o DIR` (created): scores.txt, confusion.csv and scores.json (`json`, as
// given), all written atomically.
void write_score_files(const std::string& dir, const data::ClassificationScore& score,
                       const std::vector<std::string>& names, const std::string& json);

// C when `y` holds float class scores [batch, C] or [batch, C, 1, ...], else 0.
int64_t class_count(const Tensor& y, int64_t batch);

// The plan must have one float input of shape [B, 1, rows, cols], [B, rows, cols] or
// [B, rows*cols] and a first output of class scores [B, C] or [B, C, 1, 1] with C at least the
// set's class count; anything else is an error naming the input/output and both shapes.
EvalResult evaluate(const sched::Plan& plan, const data::LabelledImages& set, const EvalOptions& opts);

}  // namespace n2d2::cli
