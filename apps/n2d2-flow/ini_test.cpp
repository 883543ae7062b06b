#include "apps/n2d2-flow/ini_test.h"

#include <cstdio>
#include <filesystem>

#include "apps/n2d2-flow/evaluate.h"
#include "apps/n2d2-flow/json_writer.h"
#include "apps/n2d2-flow/progress.h"
#include "frontends/data/scoring.h"
#include "frontends/ini_model/labels_mapping.h"
#include "frontends/stimuli/plots.h"
#include "frontends/stimuli/stimuli_provider.h"
#include "graph/error.h"

namespace n2d2::cli {

int run_ini_test(const Args& a, const std::string& model_path, const LoadedModel& m, const ExecOptions& xo) {
  if (!m.ini) fail("-test needs an N2D2 INI model (.ini); for ONNX models use --data");
  const ini::IniModel& im = *m.ini;
  if (!im.has_database) fail(model_path, ": -test needs a [database] section");
  uint64_t seed = static_cast<uint64_t>(a.get_int("-seed", a.get_int("--seed", 1, 0), 0));
  auto db = stimuli::make_database(im.doc, im.doc.at("database"), {seed});
  stimuli::StimuliProvider sp(im.doc, *db, seed);
  const sched::Plan& plan = *m.plan;
  const graph::Graph& g = plan.graph();
  const Shape& in = g.value(g.inputs()[0]).type.dims;
  if (in.empty() || in[0] != sp.batch_size())
    fail(model_path, ": the network's input is ", g.value(g.inputs()[0]).type.str(), " but the stimuli provider's BatchSize is ",
         sp.batch_size());
  int64_t limit = a.get_int("--images", 0, 1);
  int64_t total = static_cast<int64_t>(db->subset(stimuli::Subset::Test).size());
  if (limit > 0) total = std::min(total, limit);
  if (total == 0) fail(model_path, ": the test set of [database] is empty (check Learn/Validation/Test)");

  // LabelsMapping: database label id -> output index (-1: not scored).
  std::vector<int32_t> mapped;
  if (!im.target.labels_mapping.empty())
    mapped = ini::map_labels(ini::read_labels_mapping(im.target.labels_mapping), db->label_names());
  int32_t max_output = -1;
  for (int32_t o : mapped) max_output = std::max(max_output, o);
  int64_t ignored = 0;

  auto exec = make_run_executor(plan, xo, Verbosity::from_env());
  std::unique_ptr<data::ClassificationScore> score;
  Progress progress("testing", total);
  auto t0 = std::chrono::steady_clock::now();
  sp.for_each_batch(stimuli::Subset::Test, limit, [&](const stimuli::Batch& b) {
    std::vector<Tensor> out = exec->run({b.data});
    const Tensor& y = out.at(0);
    int64_t classes = class_count(y, sp.batch_size());
    if (classes == 0) fail(model_path, ": the target '", im.target.value, "' is ", y.type().str(), ": -test needs class scores [",
                           sp.batch_size(), ", C]");
    if (!mapped.empty()) {
      if (max_output >= classes)
        fail(im.target.labels_mapping, ": maps a label to output ", max_output, " but the target '", im.target.value, "' has ",
             classes, " outputs");
    } else if (classes < static_cast<int64_t>(db->label_names().size())) {
      fail(model_path, ": the target '", im.target.value, "' has ", classes, " classes, the database ", db->label_names().size());
    }
    if (!score) score = std::make_unique<data::ClassificationScore>(static_cast<int32_t>(classes),
                                                                   std::min<int32_t>(im.target.top_n, static_cast<int32_t>(classes)));
    for (int64_t i = 0; i < b.count; ++i) {
      int32_t label = b.labels[i];
      if (!mapped.empty()) label = label >= 0 && label < static_cast<int32_t>(mapped.size()) ? mapped[label] : -1;
      if (label < 0) {
        ++ignored;
        continue;
      }
      score->add(y.data<float>() + i * classes, label);
    }
    progress.update(b.first + b.count);
  });
  progress.finish();
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::vector<std::string> names = db->label_names();
  if (!mapped.empty()) {  // outputs are named by the labels mapped to them
    std::vector<std::string> out_names(static_cast<std::size_t>(score->classes()));
    for (std::size_t l = 0; l < mapped.size(); ++l)
      if (mapped[l] >= 0) {
        std::string& n = out_names[static_cast<std::size_t>(mapped[l])];
        n += (n.empty() ? "" : "|") + names[l];
      }
    for (std::size_t c = 0; c < out_names.size(); ++c)
      if (out_names[c].empty()) out_names[c] = std::to_string(c);
    names = out_names;
  }
  std::printf("model: %s (%s, target %s, top-%d)\ndatabase: %s, test set %lld stimuli\n", model_path.c_str(),
              im.target.section.empty() ? "no Target section" : im.target.section.c_str(), im.target.value.c_str(),
              score->top_n(), db->type().c_str(), static_cast<long long>(total));
  std::printf("%s", score->text(names).c_str());
  if (!mapped.empty())
    std::printf("labels mapping: %s (%lld stimuli with an ignored label)\n", im.target.labels_mapping.c_str(),
                static_cast<long long>(ignored));
  std::printf("throughput: %.1f stimuli/s (%.3f s)\n", total / wall, wall);
  JsonWriter j;
  j.begin_object().key("model").value(model_path).key("target").value(im.target.value).key("database").value(db->type())
      .key("wall_s").value(wall).key("images_per_s").value(total / wall).end_object();
  std::string json = merge_json_objects(j.str(), score->json()) + "\n";
  std::string out_dir = a.get("-o");
  if (!out_dir.empty()) {
    write_score_files(out_dir, *score, names, json);
    if (!mapped.empty())
      write_text_atomic((std::filesystem::path(out_dir) / "labels_mapping.log.dat").string(),
                        ini::labels_mapping_log(mapped, db->label_names()));
    stimuli::write_confusion_png(*score, names, (std::filesystem::path(out_dir) / "confusion.png").string());
  }
  if (a.has("--json")) write_text_atomic(a.get("--json"), json);
  return 0;
}

}  // namespace n2d2::cli
