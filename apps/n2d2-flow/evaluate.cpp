#include "apps/n2d2-flow/evaluate.h"

#include <chrono>
#include <cstring>
#include <filesystem>

#include "apps/n2d2-flow/progress.h"
#include "graph/error.h"

namespace n2d2::cli {

namespace {

// Checks that `dims` (dim 0 excluded) holds one image of rows x cols.
bool fits_image(const Shape& dims, int64_t rows, int64_t cols) {
  if (dims.size() == 4) return dims[1] == 1 && dims[2] == rows && dims[3] == cols;
  if (dims.size() == 3) return dims[1] == rows && dims[2] == cols;
  if (dims.size() == 2) return dims[1] == rows * cols;
  return false;
}

}  // namespace

void write_score_files(const std::string& dir, const data::ClassificationScore& score,
                       const std::vector<std::string>& names, const std::string& json) {
  std::filesystem::create_directories(dir);
  auto at = [&](const char* f) { return (std::filesystem::path(dir) / f).string(); };
  write_text_atomic(at("scores.txt"), score.text(names));
  write_text_atomic(at("confusion.csv"), score.confusion_csv(names));
  write_text_atomic(at("scores.json"), json);
}

int64_t class_count(const Tensor& y, int64_t batch) {
  const Shape& s = y.shape();
  bool ok = y.dtype() == DType::F32 && s.size() >= 2 && s[0] == batch;
  for (std::size_t d = 2; ok && d < s.size(); ++d) ok = s[d] == 1;
  return ok ? s[1] : 0;
}

EvalResult evaluate(const sched::Plan& plan, const data::LabelledImages& set, const EvalOptions& opts) {
  const graph::Graph& g = plan.graph();
  if (set.size() == 0) fail("the data set ", set.images_path, " holds no image");
  if (g.inputs().size() != 1)
    fail("--data needs a model with one input; this one has ", g.inputs().size());
  const graph::Value& in = g.value(g.inputs()[0]);
  bool rest_known = in.type.rank_known && !in.type.dims.empty() &&
                    shape_is_known(Shape(in.type.dims.begin() + 1, in.type.dims.end()));
  if (!rest_known || in.type.dtype != DType::F32 || !fits_image(in.type.dims, set.rows(), set.cols()))
    fail("input '", in.name, "' is ", in.type.str(), ": --data gives float images of ", set.rows(), "x", set.cols(),
         " ([N,1,", set.rows(), ",", set.cols(), "], [N,", set.rows(), ",", set.cols(), "] or [N,",
         set.rows() * set.cols(), "])");
  // A fixed batch is filled up (the last one padded with zeros); a dynamic one takes opts.batch.
  const bool fixed = in.type.dims[0] >= 0;
  const int64_t batch = fixed ? in.type.dims[0] : opts.batch;
  const int64_t pixels = set.rows() * set.cols();

  auto exec = make_run_executor(plan, opts.exec, Verbosity::from_env());
  EvalResult r{data::ClassificationScore(1, 1), batch, 0};
  Progress progress("evaluating", set.size());
  auto t0 = std::chrono::steady_clock::now();
  bool scored = false;
  for (int64_t begin = 0; begin < set.size(); begin += batch) {
    int64_t count = std::min(batch, set.size() - begin);
    Tensor images = data::images_to_float(set, begin, count);
    Shape dims = in.type.dims;
    dims[0] = fixed ? batch : count;
    Tensor input(DType::F32, dims);
    float* dst = input.data_mut<float>();
    std::memcpy(dst, images.data<float>(), sizeof(float) * count * pixels);
    std::vector<Tensor> out = exec->run({input});
    const Tensor& scores = out.at(0);
    int64_t classes = class_count(scores, dims[0]);
    if (classes < set.classes())
      fail("output '", g.value(g.outputs()[0]).name, "' is ", scores.type().str(), ": --data needs class scores [",
           batch, ", C] with C >= ", set.classes(), " classes");
    if (!scored) {
      r.score = data::ClassificationScore(static_cast<int32_t>(classes),
                                          static_cast<int32_t>(std::min<int64_t>(opts.top_n, classes)));
      scored = true;
    }
    for (int64_t i = 0; i < count; ++i) r.score.add(scores.data<float>() + i * classes, set.labels[begin + i]);
    if (opts.progress) progress.update(begin + count);
  }
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (opts.progress) progress.finish();
  return r;
}

}  // namespace n2d2::cli
