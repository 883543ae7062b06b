// n2d2-flow quantize: post-training quantization of a float ONNX model (quant/) calibrated on a
// labelled MNIST-layout set, written as an ONNX model of ai.n2d2 integer ops that `n2d2-flow run`
// executes, with a per-layer report and float vs quantized accuracy on the test split.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "apps/n2d2-flow/commands.h"
#include "apps/n2d2-flow/evaluate.h"
#include "apps/n2d2-flow/json_writer.h"
#include "apps/n2d2-flow/progress.h"
#include "apps/n2d2-flow/session.h"
#include "exporters/onnx_writer.h"
#include "frontends/data/idx.h"
#include "frontends/io/npy.h"
#include "frontends/onnx/onnx_loader.h"
#include "quant/quantizer.h"
#include "scheduler/pipeline.h"

namespace n2d2::cli {

namespace {

const char* kUsage =
    "usage: n2d2-flow quantize MODEL --calib-data fashion-mnist|mnist|DIR -o DIR [options]\n"
    "  --calib N                 calibration images from the train split (default 1000; 0: all)\n"
    "  --calib-reload FILE       reuse a calibration saved by an earlier run (DIR/calibration.txt)\n"
    "  --nbbits B                2..16 (default 8): signed weights, unsigned activations after ReLU, int32 bias\n"
    "  --wt-nbbits B             the weights' bits, 2..16 (default: --nbbits); 7 with 8-bit activations lets\n"
    "                            AVX2 CPUs without VNNI multiply with vpmaddubsw (ONNX Runtime's reduce_range)\n"
    "  --act-clipping M          None | MSE | KL-Divergence | Quantile (default MSE)\n"
    "  --act-quantile Q          quantile of --act-clipping Quantile (default 0.9999)\n"
    "  --act-rescaling R         Floating-point | Fixed-point16 | Fixed-point32 | Single-shift | Double-shift\n"
    "                            (default Floating-point; shift modes fall back to Fixed-point16 for factors >= 1)\n"
    "  --act-rescale-per-output  weights normalized and activations rescaled per output channel\n"
    "  --wt-clipping M           weights clipping: None (default) | MSE | KL-Divergence | Quantile\n"
    "  --test-images N           test-split images for float vs quantized accuracy (default 10000; 0: skip)\n"
    "  --json FILE               the report as JSON (also DIR/report.json); --force overwrites DIR\n"
    "  --threads N, --batch N    as for run\n"
    "writes DIR/model.onnx, DIR/calibration.txt, DIR/report.txt, DIR/report.json\n";

std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

}  // namespace

int cmd_quantize(int argc, char** argv) {
  std::set<std::string> with_value = {"--calib-data", "--calib", "--calib-reload", "--nbbits", "--wt-nbbits", "--act-clipping",
                                      "--act-quantile", "--act-rescaling", "--wt-clipping", "--test-images", "--json",
                                      "-o"};
  with_value.insert(kModelOptions.begin(), kModelOptions.end());
  with_value.insert(kExecOptions.begin(), kExecOptions.end());
  Args a(argc, argv, 2, with_value, {"--act-rescale-per-output", "--force", "--help"});
  if (a.has("--help")) {
    std::cout << kUsage;
    return 0;
  }
  if (a.positional().size() != 1) fail("quantize needs one MODEL\n", kUsage);
  if (!a.has("-o")) fail("quantize needs -o DIR");
  if (!a.has("--calib-data")) fail("quantize needs --calib-data (the labelled set to calibrate and test on)");
  const std::string model_path = a.positional()[0], out_dir = a.get("-o");
  quant::QuantOptions qo;
  int64_t nb = a.get_int("--nbbits", 8, -1000);
  if (nb < quant::kMinBits || nb > quant::kMaxBits) fail("--nbbits must be in [2, 16], got ", nb);
  qo.nbbits = static_cast<int>(nb);
  if (a.has("--wt-nbbits")) {
    int64_t wb = a.get_int("--wt-nbbits", 8, -1000);
    if (wb < quant::kMinBits || wb > quant::kMaxBits) fail("--wt-nbbits must be in [2, 16], got ", wb);
    qo.wt_nbbits = static_cast<int>(wb);
  }
  qo.act_clipping = quant::parse_clipping(a.get("--act-clipping", "MSE"));
  qo.wt_clipping = quant::parse_clipping(a.get("--wt-clipping", "None"));
  qo.rescaling = quant::parse_rescaling_mode(a.get("--act-rescaling", "Floating-point"));
  qo.per_channel = a.has("--act-rescale-per-output");
  try {
    qo.quantile = std::stod(a.get("--act-quantile", "0.9999"));
  } catch (const std::exception&) {
    fail("--act-quantile: '", a.get("--act-quantile"), "' is not a number");
  }
  if (!(qo.quantile > 0 && qo.quantile <= 1)) fail("--act-quantile must be in (0, 1], got ", qo.quantile);
  namespace fs = std::filesystem;
  if (fs::exists(out_dir) && !(fs::is_directory(out_dir) && fs::is_empty(out_dir)) && !a.has("--force"))
    fail("output folder ", out_dir, " exists and is not empty (use --force to overwrite)");

  ModelOptions mo = ModelOptions::from_args(a);
  onnx::LoadOptions lo;
  lo.input_shapes = mo.shapes;
  lo.batch = mo.batch;
  graph::Graph g = onnx::load_model(model_path, lo);
  sched::optimize_graph(g);
  int folded = quant::fold_batchnorm(g);
  if (g.inputs().size() != 1) fail(model_path, ": the model must have one input, it has ", g.inputs().size());
  const TensorType& in_type = g.value(g.inputs()[0]).type;
  int64_t model_batch = in_type.rank_known && in_type.rank() > 0 ? in_type.dims[0] : -1;

  std::string data_dir = data::resolve_mnist_dir(a.get("--calib-data"));
  ExecOptions xo = ExecOptions::from_args(a);
  quant::Calibration cal;
  std::string calib_source;
  if (a.has("--calib-reload")) {
    calib_source = a.get("--calib-reload");
    cal = quant::Calibration::load(io::read_file(calib_source), calib_source);
  } else {
    int64_t n = a.get_int("--calib", 1000, 0);
    data::LabelledImages train = data::read_mnist(data_dir, data::Split::Train, n);
    if (train.size() == 0) fail(data_dir, ": the calibration set is empty");
    int64_t b = model_batch > 0 ? model_batch : 32, used = model_batch > 0 ? train.size() / b * b : train.size();
    if (used == 0) fail("--calib ", train.size(), " is below the model's batch size ", b);
    Progress prog("calibrating", used);
    int64_t pos = 0;
    cal = quant::calibrate(
        g,
        [&](Tensor& t) {
          if (pos >= used) return false;
          int64_t c = std::min(b, used - pos);
          t = data::images_to_float(train, pos, c);
          if (in_type.rank_known && in_type.rank() != 4) t = t.reshaped(Shape{c, train.rows() * train.cols()});
          pos += c;
          prog.update(pos);
          return true;
        },
        2048, xo.threads);
    prog.finish();
    calib_source = data_dir + " (train, " + std::to_string(used) + " images)";
  }
  quant::QuantizedModel q = quant::quantize(g, cal, qo);

  // Accuracy float vs quantized.
  int64_t test_n = a.get_int("--test-images", 10000, 0);
  double float_acc = -1, quant_acc = -1;
  int64_t tested = 0;
  if (test_n > 0) {
    data::LabelledImages test = data::read_mnist(data_dir, data::Split::Test, test_n);
    EvalOptions eo;
    eo.exec = xo;
    sched::Plan fp = sched::Plan::compile(g), qp = sched::Plan::compile(q.graph);
    float_acc = evaluate(fp, test, eo).score.top1_accuracy();
    EvalResult qr = evaluate(qp, test, eo);
    quant_acc = qr.score.top1_accuracy();
    tested = qr.score.count();
  }

  std::string text;
  text += "model: " + model_path + "\ncalibration: " + calib_source + "\n";
  text += "nbbits " + std::to_string(qo.nbbits) + (qo.wt_nbbits ? ", wt-nbbits " + std::to_string(qo.wt_nbbits) : "") +
          ", act-clipping " + quant::clipping_name(qo.act_clipping) +
          ", act-rescaling " + quant::rescaling_mode_name(qo.rescaling) + (qo.per_channel ? ", per output" : "") +
          ", BN folded " + std::to_string(folded) + "\n";
  char line[512];
  std::snprintf(line, sizeof line, "%-28s %-22s %10s %10s %10s %6s %12s %12s %12s %10s  %s\n", "layer", "op", "in_scale",
                "w_max", "act_max", "sign", "clip", "alpha", "applied", "rel_err", "rescaling");
  text += line;
  for (const auto& l : q.layers) {
    std::snprintf(line, sizeof line, "%-28s %-22s %10.4g %10.4g %10.4g %6s %12.6g %12.6g %12.6g %10.3g  %s\n",
                  l.node.c_str(), l.op.c_str(), l.in_scale, l.weight_max, l.act_max, l.out_signed ? "s" : "u", l.clip,
                  l.alpha, l.approx, l.rel_error, l.rescaling.c_str());
    text += line;
  }
  if (test_n > 0)
    text += "accuracy on " + std::to_string(tested) + " test images: float " + fmt("%.2f", float_acc) + " %, quantized " +
            fmt("%.2f", quant_acc) + " % (" + fmt("%+.2f", quant_acc - float_acc) + " points)\n";

  JsonWriter j;
  j.begin_object().key("model").value(model_path).key("images").value(tested);
  // The float model, absolute, so that `run DIR/model.onnx --data` can compare against it.
  j.key("source_model").value(fs::absolute(model_path).lexically_normal().string());
  j.key("float_accuracy").value(float_acc).key("quantized_accuracy").value(quant_acc);
  j.key("nbbits").value(qo.nbbits).key("wt_nbbits").value(qo.weight_bits()).key("act_clipping").value(quant::clipping_name(qo.act_clipping));
  j.key("act_rescaling").value(quant::rescaling_mode_name(qo.rescaling)).key("per_output").value(qo.per_channel);
  j.key("calibration_images").value(cal.images).key("bn_folded").value(folded);
  j.key("layers").begin_array();
  for (const auto& l : q.layers) {
    j.begin_object().key("node").value(l.node).key("op").value(l.op).key("in_scale").value(l.in_scale);
    j.key("weight_max").value(l.weight_max).key("act_max").value(l.act_max).key("clip").value(l.clip);
    j.key("out_signed").value(l.out_signed).key("out_scale").value(l.out_scale).key("alpha").value(l.alpha);
    j.key("applied").value(l.approx).key("rel_error").value(l.rel_error).key("rescaling").value(l.rescaling);
    j.key("fallback_channels").value(l.fallbacks).end_object();
  }
  j.end_array().end_object();
  std::string json = j.str() + "\n";

  fs::create_directories(out_dir);
  exporters::write_onnx(q.graph, (fs::path(out_dir) / "model.onnx").string());
  io::write_file_atomic((fs::path(out_dir) / "calibration.txt").string(), cal.save());
  write_text_atomic((fs::path(out_dir) / "report.txt").string(), text);
  write_text_atomic((fs::path(out_dir) / "report.json").string(), json);
  if (a.has("--json")) write_text_atomic(a.get("--json"), json);
  std::cout << text << "wrote " << (fs::path(out_dir) / "model.onnx").string() << "\n";
  return 0;
}

}  // namespace n2d2::cli
