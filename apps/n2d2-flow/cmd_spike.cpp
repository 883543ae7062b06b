// n2d2-flow spike: a trained ONNX CNN transcoded into a spiking network (spike/transcode.h),
// normalized on training images, configured by an env.ini (spike/env_config.h), replayed by the
// event-driven simulator on a labelled test set; formal and spike accuracy side by side and
// N2D2's stats_spike statistics (text, CSV, JSON, PNG).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "apps/n2d2-flow/commands.h"
#include "apps/n2d2-flow/evaluate.h"
#include "apps/n2d2-flow/json_writer.h"
#include "apps/n2d2-flow/progress.h"
#include "apps/n2d2-flow/session.h"
#include "apps/n2d2-flow/spike_plots.h"
#include "frontends/data/idx.h"
#include "frontends/io/npy.h"
#include "frontends/stimuli/plots.h"
#include "spike/batch.h"
#include "spike/env_config.h"
#include "spike/event_sim.h"
#include "spike/formal_eval.h"
#include "spike/stats.h"
#include "spike/transcode.h"
#include "spike/ttfs.h"

namespace n2d2::cli {

namespace {

const char* kUsage =
    "usage: n2d2-flow spike MODEL.onnx --data fashion-mnist|mnist|DIR [--env env.ini] [-o DIR] [options]\n"
    "  --env FILE        spike parameters: [env.config] (coder, SimulatedTime, Readout, normalization),\n"
    "                    [common.config] and [<layer>.config] (Threshold, Leak, TerminateDelta, ...); see docs/spike.md\n"
    "  --images N        test images (default: all)\n"
    "  --threads N       simulator threads (default 1; results identical for any N)\n"
    "  --seed S          coder seed (default 1)\n"
    "  --curve-images N  images of the accuracy-vs-time curve (default 500; 0: no curve)\n"
    "  --curve-points N  simulated times of the curve (default 10)\n"
    "  --pj-acc E        energy per accumulate in pJ (default 0.9)\n"
    "  --pj-mac E        energy per MAC in pJ (default 4.6)\n"
    "  --json FILE       summary as JSON (also DIR/summary.json)\n"
    "  --dump DIR        the transcoded network and the input spike trains of the run (npy + json,\n"
    "                    for scripts/spike_vs_brian2.py)\n"
    "  -o DIR            statistics folder (default stats_spike): summary.txt, layers.csv, confusion.csv,\n"
    "                    confusion.png, accuracy_vs_time.csv/.png, raster.png, summary.json\n";

const char* readout_name(spike::Readout r) {
  switch (r) {
    case spike::Readout::SpikeCount: return "count";
    case spike::Readout::MembranePotential: return "potential";
    case spike::Readout::FirstSpike: return "first";
  }
  return "?";
}

// The score of each output neuron under a readout (higher is better), for the rank of the label.
std::vector<double> readout_scores(const spike::SimResult& s, spike::Readout r) {
  std::vector<double> v(s.output_potential.size());
  for (std::size_t c = 0; c < v.size(); ++c) {
    if (r == spike::Readout::MembranePotential) v[c] = s.output_potential[c];
    else if (r == spike::Readout::FirstSpike && s.output_first_spike[c] != spike::kNoSpike)
      v[c] = 1e30 - double(s.output_first_spike[c]);
    else v[c] = double(s.output_counts.empty() ? 0 : s.output_counts[c]);
  }
  return v;
}

int32_t rank_of(const std::vector<double>& score, uint32_t decision, int32_t label) {
  if (int32_t(decision) == label) return 0;
  int32_t rank = 1;
  for (std::size_t c = 0; c < score.size(); ++c) {
    if (c == decision || int32_t(c) == label) continue;
    if (score[c] > score[std::size_t(label)] || (score[c] == score[std::size_t(label)] && int32_t(c) < label)) ++rank;
  }
  return rank;
}

spike::PatternStats pattern_stats(const spike::SimResult& s, uint32_t decision, spike::Readout r) {
  spike::PatternStats p;
  p.spikes = s.spikes;
  p.events = s.events;
  p.input_spikes = s.input_spikes;
  p.terminated = s.terminated;
  p.latency = s.end_time;
  if (r == spike::Readout::FirstSpike && decision < s.output_first_spike.size() &&
      s.output_first_spike[decision] != spike::kNoSpike)
    p.latency = std::min(p.latency, s.output_first_spike[decision]);
  return p;
}

// --dump DIR: network.json (layers, geometry, neuron parameters, simulation options), one
// L<i>_weights.npy / L<i>_bias.npy per layer (float32, the layouts of spike/network.h),
// input_spikes.npy (int64 [S, 3]: pattern, time fs, pixel, in each pattern's order),
// labels.npy and output_counts.npy (int64 [N, C]) and decisions.npy of this run.
void write_spike_dump(const std::string& dir, const spike::Network& net, const spike::EnvConfig& env,
                      const spike::SimOptions& so, std::span<const float> px, const std::vector<int32_t>& labels,
                      const std::vector<spike::NetPatternResult>& results) {
  namespace fs = std::filesystem;
  fs::create_directories(dir);
  auto at = [&](const std::string& f) { return (fs::path(dir) / f).string(); };
  JsonWriter j;
  j.begin_object().key("input").array(std::vector<int64_t>{net.input.c, net.input.h, net.input.w});
  j.key("output").value(net.output).key("rate_period_fs").value(double(net.rate_period));
  j.key("duration_fs").value(double(so.duration)).key("terminate_delta").value(int64_t(so.terminate_delta));
  j.key("readout").value(readout_name(env.readout)).key("patterns").value(results.size());
  const auto aliases = spike::layer_aliases(net);
  j.key("layers").begin_array();
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const spike::Layer& l = net.layers[i];
    j.begin_object().key("name").value(l.name).key("alias").value(aliases[i]).key("kind").value(spike::layer_kind_name(l.kind));
    j.key("inputs").array(std::vector<int64_t>(l.inputs.begin(), l.inputs.end()));
    j.key("in").array(std::vector<int64_t>{l.in.c, l.in.h, l.in.w}).key("out").array(std::vector<int64_t>{l.out.c, l.out.h, l.out.w});
    j.key("kernel").array(std::vector<int64_t>{l.kernel_h, l.kernel_w}).key("stride").array(std::vector<int64_t>{l.stride_h, l.stride_w});
    j.key("pad").array(std::vector<int64_t>{l.pad_top, l.pad_left}).key("dilation").array(std::vector<int64_t>{l.dilation_h, l.dilation_w});
    j.key("groups").value(int64_t(l.groups)).key("spiking").value(l.spiking);
    std::vector<double> scale(l.input_scale.begin(), l.input_scale.end());
    j.key("input_scale").array(scale);
    j.key("threshold").value(l.neuron.threshold).key("bipolar").value(l.neuron.bipolar)
        .key("leak_tau_fs").value(double(l.neuron.leak_tau)).key("refractory_fs").value(double(l.neuron.refractory))
        .key("initial_potential").value(l.neuron.initial_potential)
        .key("ttfs_levels").value(int64_t(l.neuron.ttfs_levels)).key("ttfs_step_fs").value(double(l.neuron.ttfs_step))
        .key("ttfs_cutoff").value(l.neuron.ttfs_cutoff);
    j.key("weights").value(l.weights.empty() ? "" : "L" + std::to_string(i) + "_weights.npy");
    j.key("bias").value(l.bias.empty() ? "" : "L" + std::to_string(i) + "_bias.npy");
    j.end_object();
    if (!l.weights.empty())
      io::write_npy_atomic(at("L" + std::to_string(i) + "_weights.npy"), Tensor::from_vector<float>({int64_t(l.weights.size())}, l.weights));
    if (!l.bias.empty())
      io::write_npy_atomic(at("L" + std::to_string(i) + "_bias.npy"), Tensor::from_vector<float>({int64_t(l.bias.size())}, l.bias));
  }
  j.end_array().end_object();
  write_text_atomic(at("network.json"), j.str());
  const std::size_t n = results.size(), size = net.input.size();
  std::vector<int64_t> spikes, counts, decisions, lab;
  for (std::size_t p = 0; p < n; ++p) {
    for (const auto& s : spike::encode(env.coder, px.subspan(p * size, size), p)) {
      spikes.push_back(int64_t(p));
      spikes.push_back(int64_t(s.time));
      spikes.push_back(int64_t(s.source));
    }
    for (auto c : results[p].sim.output_counts) counts.push_back(int64_t(c));
    decisions.push_back(results[p].decision);
    lab.push_back(labels[p]);
  }
  const int64_t classes = n ? int64_t(results[0].sim.output_counts.size()) : 0;
  io::write_npy_atomic(at("input_spikes.npy"), Tensor::from_vector<int64_t>({int64_t(spikes.size() / 3), 3}, spikes));
  io::write_npy_atomic(at("output_counts.npy"), Tensor::from_vector<int64_t>({int64_t(n), classes}, counts));
  io::write_npy_atomic(at("decisions.npy"), Tensor::from_vector<int64_t>({int64_t(n)}, decisions));
  io::write_npy_atomic(at("labels.npy"), Tensor::from_vector<int64_t>({int64_t(n)}, lab));
}

std::string fmt(const char* f, double v) {
  char b[96];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

}  // namespace

int cmd_spike(int argc, char** argv) {
  Args a(argc, argv, 2,
         {"--data", "--env", "--images", "--threads", "--seed", "--json", "-o", "--curve-images", "--curve-points",
          "--pj-acc", "--pj-mac", "--dump"},
         {"--help", "-h"});
  if (a.has("--help") || a.has("-h")) {
    std::cout << kUsage;
    return 0;
  }
  if (a.positional().size() != 1) {
    std::cerr << kUsage;
    fail("spike takes exactly one MODEL argument");
  }
  if (!a.has("--data")) fail("spike needs --data fashion-mnist|mnist|DIR (the labelled test set)");
  const std::string model_path = a.positional()[0];
  const std::string out_dir = a.get("-o", "stats_spike");
  const int threads = int(a.get_int("--threads", 1, 1));
  const uint64_t seed = uint64_t(a.get_int("--seed", 1, 0));
  const int64_t curve_images = a.get_int("--curve-images", 500, 0);
  const int64_t curve_points = a.get_int("--curve-points", 10, 1);
  spike::EnergyModel energy;
  energy.pj_per_accumulate = a.get_double("--pj-acc", energy.pj_per_accumulate, 0);
  energy.pj_per_mac = a.get_double("--pj-mac", energy.pj_per_mac, 0);

  // 1. env.ini first: a bad file fails before anything long.
  spike::EnvConfig env = a.has("--env") ? spike::load_env_config(a.get("--env")) : spike::EnvConfig{};
  env.coder.seed = seed;

  // 2. The model (float graph) and the data.
  if (!std::filesystem::exists(model_path)) fail(model_path, ": no such model file");
  LoadedModel m = load_model(model_path, ModelOptions{}, Verbosity::from_env(), true);
  const std::string dir = data::resolve_mnist_dir(a.get("--data"));
  data::LabelledImages test = data::read_mnist(dir, data::Split::Test, a.get_int("--images", 0, 1));
  if (test.size() == 0) fail(dir, ": the test set holds no image");

  // 3. Transcoding, normalized on training images.
  auto t_start = std::chrono::steady_clock::now();
  graph::Graph g = m.loaded;
  sched::optimize_graph(g);
  spike::TranscodeOptions to;
  to.percentile = env.percentile;
  to.per_channel = env.per_channel;
  to.spiking_output = env.readout != spike::Readout::MembranePotential;
  to.rate_period = env.effective_rate_period();
  data::LabelledImages train;
  Tensor calib;
  if (env.calibration_images > 0) {
    train = data::read_mnist(dir, data::Split::Train, int64_t(env.calibration_images));
    calib = data::images_to_float(train, 0, train.size());
  }
  spike::TranscodeReport rep;
  {
    // The input shape is checked against the data before transcoding and calibrating.
    if (g.inputs().size() != 1) fail(model_path, ": spike needs a model with one input, this one has ", g.inputs().size());
    const TensorType& it = g.value(g.inputs()[0]).type;
    const bool fits = it.rank_known && it.dtype == DType::F32 &&
                      ((it.rank() == 4 && it.dims[1] == 1 && it.dims[2] == test.rows() && it.dims[3] == test.cols()) ||
                       (it.rank() == 3 && it.dims[1] == test.rows() && it.dims[2] == test.cols()));
    if (!fits)
      fail("input '", g.value(g.inputs()[0]).name, "' is ", g.value(g.inputs()[0]).type.str(), ": --data gives images of 1x",
           test.rows(), "x", test.cols(), " ([N,1,", test.rows(), ",", test.cols(), "])");
    spike::transcode(g, to, {});  // unsupported nodes are named before calibrating
  }
  spike::Network net =
      spike::transcode(g, to, calib.empty() ? std::span<const float>() : calib.span<float>(), &rep);
  env.apply(net);
  // TimeToFirstSpike without SimulatedTime: exactly the time the network needs (spike/ttfs.h).
  if (env.ttfs() && !env.simulated_time_set) env.coder.duration = spike::ttfs_duration(net);
  std::size_t bias_corrected = 0;
  if (env.ttfs_bias_correction) {
    if (!env.ttfs()) fail(env.file, ": TtfsBiasCorrection needs StimulusType=TimeToFirstSpike");
    if (calib.empty()) fail(env.file, ": TtfsBiasCorrection needs CalibrationImages > 0 (training images)");
    bias_corrected = spike::ttfs_correct_biases(net, calib.span<float>());
  }
  spike::SimOptions so;
  so.duration = env.coder.duration;
  so.terminate_delta = env.terminate_delta(net);
  if (so.terminate_delta > 0 && !net.layers[std::size_t(net.output)].spiking)
    fail(env.file, ": TerminateDelta needs a spiking output layer (Readout=count or first, not potential)");
  const double transcode_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();

  // 4. Formal accuracy: the graph itself through the CPU executor, on the same images.
  EvalOptions eo;
  eo.exec.threads = threads;
  eo.top_n = 5;
  EvalResult formal = evaluate(*m.plan, test, eo);
  const int32_t classes = formal.score.classes();
  if (net.layers[std::size_t(net.output)].out.size() != uint64_t(classes))
    fail("the output layer has ", net.layers[std::size_t(net.output)].out.size(), " neurons for ", classes, " classes");

  // 5. The spiking run.
  Tensor images = data::images_to_float(test, 0, test.size());
  std::span<const float> px = images.span<float>();
  const std::size_t n = std::size_t(test.size());
  auto t0 = std::chrono::steady_clock::now();
  std::vector<spike::NetPatternResult> results;
  {
    Progress prog("simulating", int64_t(n), "patterns");
    results = spike::run_patterns(net, px, env.coder, env.readout, so, threads,
                                  [&](std::size_t done) { prog.update(int64_t(done)); });
    prog.finish();
  }
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  data::ClassificationScore score(classes, std::min<int32_t>(5, classes));
  spike::SpikeStats stats(net);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& r = results[i];
    score.add_decision(int32_t(r.decision), test.labels[i], rank_of(readout_scores(r.sim, env.readout), r.decision, test.labels[i]));
    stats.add(pattern_stats(r.sim, r.decision, env.readout));
  }

  // 6. Accuracy versus simulated time (shorter runs of the first curve_images patterns).
  std::vector<CurvePoint> curve;
  const std::size_t cn = std::min<std::size_t>(n, std::size_t(curve_images));
  if (cn > 0) {
    Progress prog("accuracy vs time", curve_points, "points");
    for (int64_t k = 1; k <= curve_points; ++k) {
      spike::SimOptions ck = so;
      ck.duration = std::max<spike::Time>(1, spike::Time(double(so.duration) * double(k) / double(curve_points)));
      spike::CoderConfig cc = env.coder;
      cc.duration = ck.duration;
      std::vector<spike::NetPatternResult> rk;
      if (k == curve_points && cn == n)
        rk = results;
      else
        rk = spike::run_patterns(net, px.subspan(0, cn * net.input.size()), cc, env.readout, ck, threads);
      spike::SpikeStats sk(net);
      std::size_t ok = 0;
      for (std::size_t i = 0; i < cn; ++i) {
        ok += int32_t(rk[i].decision) == test.labels[i];
        sk.add(pattern_stats(rk[i].sim, rk[i].decision, env.readout));
      }
      curve.push_back({double(ck.duration), 100.0 * double(ok) / double(cn), sk.read_events_per_virtual_synapse()});
      prog.update(k);
    }
    prog.finish();
  }

  // 7. Raster of pattern 0 (all layers, the input first).
  std::vector<RasterBand> bands;
  {
    auto input = spike::encode(env.coder, px.subspan(0, net.input.size()), 0);
    spike::SimOptions ro = so;
    ro.record_trains = true;
    spike::SimResult r0 = spike::simulate_events(net, input, ro);
    RasterBand in;
    in.name = "input";
    in.neurons = net.input.size();
    for (const auto& s : input) in.spikes.push_back({s.time, s.source, 1});
    bands.push_back(std::move(in));
    const auto aliases = spike::layer_aliases(net);
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
      if (net.layers[l].kind == spike::LayerKind::Concat) continue;
      RasterBand b;
      b.name = aliases[l];
      b.neurons = net.layers[l].out.size();
      if (l < r0.trains.size()) b.spikes = r0.trains[l];
      bands.push_back(std::move(b));
    }
  }

  if (a.has("--dump")) write_spike_dump(a.get("--dump"), net, env, so, px, test.labels, results);

  // 8. Report.
  const double formal_acc = formal.score.top1_accuracy(), spike_acc = score.top1_accuracy();
  std::string txt;
  txt += "model: " + model_path + "\ndata: " + dir + " (test split, " + std::to_string(n) + " images)\n";
  txt += "coder: " + std::string(spike::stimulus_type_name(env.coder.type)) + ", PeriodMin " + std::to_string(env.coder.period_min) +
         " fs, PeriodMeanMin " + std::to_string(env.coder.period_mean_min) + " fs, PeriodMeanMax " +
         std::to_string(env.coder.period_mean_max) + " fs, seed " + std::to_string(seed) +
         (env.ttfs() ? ", TtfsLevels " + std::to_string(env.coder.ttfs_levels) + ", TtfsStep " + std::to_string(env.coder.ttfs_step) + " fs"
                     : std::string()) + "\n";
  txt += "simulated time " + std::to_string(so.duration) + " fs per pattern, readout " + readout_name(env.readout) +
         ", TerminateDelta " + std::to_string(so.terminate_delta) + " (" + std::to_string(stats.terminated()) +
         " patterns stopped early)\n";
  txt += "normalization: " + (env.calibration_images ? (env.percentile >= 100 ? std::string("max") : fmt("%g percentile", env.percentile)) +
                                                           (env.per_channel ? " per channel" : " per layer") + " of " +
                                                           std::to_string(rep.calibration_images) + " training images"
                                                     : std::string("none")) +
         "; output lambda " + fmt("%.5g", rep.output_lambda) +
         (env.ttfs_bias_correction ? "; TTFS bias correction on " + std::to_string(bias_corrected) + " layers" : std::string()) + "\n";
  txt += fmt("formal accuracy: %.2f %%\n", formal_acc) + fmt("spike accuracy:  %.2f %%", spike_acc) +
         fmt(" (%+.2f points)\n", spike_acc - formal_acc);
  txt += "\n" + stats.table() + "\n";
  txt += fmt("read events per virtual synapse per pattern: %.6f\n", stats.read_events_per_virtual_synapse());
  txt += fmt("input spikes per pattern: %.1f\n", stats.input_spikes_per_pattern());
  txt += fmt("decision latency: mean %.0f fs", stats.mean_latency_fs()) + fmt(", max %.0f fs\n", double(stats.max_latency_fs()));
  txt += fmt("energy per pattern: spiking %.4g nJ", stats.energy_spike_pj(energy) / 1e3) +
         fmt(" (%.2f pJ/accumulate) vs formal ", energy.pj_per_accumulate) + fmt("%.4g nJ", stats.energy_formal_pj(energy) / 1e3) +
         fmt(" (%.2f pJ/MAC)\n", energy.pj_per_mac);
  txt += fmt("wall: simulation %.3f s", wall_s) + fmt(" (%.1f patterns/s, ", double(n) / std::max(wall_s, 1e-9)) +
         fmt("%.3g synaptic events/s, ", double(stats.synaptic_events()) / std::max(wall_s, 1e-9)) + std::to_string(threads) +
         " thread" + (threads == 1 ? "" : "s") + fmt("); transcoding %.3f s\n", transcode_s);
  if (!curve.empty()) {
    txt += "\naccuracy vs simulated time (first " + std::to_string(cn) + " images):\n";
    for (const auto& p : curve) txt += fmt("  %14.0f fs", p.time_fs) + fmt("  %6.2f %%", p.accuracy) + fmt("  %.4f events/synapse\n", p.read_events_per_virtual_synapse);
  }
  txt += "\n" + score.text();
  std::cout << txt;

  JsonWriter j;
  j.begin_object().key("model").value(model_path).key("data").value(dir).key("images").value(int64_t(n));
  j.key("formal_accuracy").value(formal_acc).key("spike_accuracy").value(spike_acc);
  j.key("synaptic_events").value(int64_t(stats.synaptic_events())).key("spikes").value(int64_t(stats.spikes()));
  j.key("formal_macs").value(int64_t(stats.formal_macs())).key("formal_macs_total").value(double(stats.formal_macs()) * double(n));
  j.key("read_events_per_virtual_synapse").value(stats.read_events_per_virtual_synapse());
  j.key("mean_latency_fs").value(stats.mean_latency_fs()).key("max_latency_fs").value(double(stats.max_latency_fs()));
  j.key("terminated").value(int64_t(stats.terminated())).key("input_spikes_per_pattern").value(stats.input_spikes_per_pattern());
  j.key("energy_spike_pj").value(stats.energy_spike_pj(energy)).key("energy_formal_pj").value(stats.energy_formal_pj(energy));
  j.key("wall_s").value(wall_s).key("transcode_s").value(transcode_s).key("threads").value(threads);
  j.key("events_per_s").value(double(stats.synaptic_events()) / std::max(wall_s, 1e-9));
  j.key("stimulus").value(spike::stimulus_type_name(env.coder.type)).key("period_mean_min_fs").value(double(env.coder.period_mean_min))
      .key("period_mean_max_fs").value(double(env.coder.period_mean_max)).key("simulated_time_fs").value(double(so.duration))
      .key("readout").value(readout_name(env.readout)).key("terminate_delta").value(int64_t(so.terminate_delta))
      .key("normalization_percentile").value(env.percentile).key("per_channel").value(env.per_channel)
      .key("calibration_images").value(int64_t(rep.calibration_images)).key("seed").value(int64_t(seed));
  if (env.ttfs()) j.key("ttfs_bias_correction").value(env.ttfs_bias_correction);
  if (env.ttfs()) j.key("ttfs_levels").value(int64_t(env.coder.ttfs_levels)).key("ttfs_step_fs").value(double(env.coder.ttfs_step));
  j.key("layers").begin_array();
  for (const auto& r : stats.rows())
    j.begin_object().key("name").value(r.name).key("alias").value(r.alias).key("kind").value(r.kind)
        .key("neurons").value(int64_t(r.neurons)).key("spikes").value(int64_t(r.spikes)).key("events").value(int64_t(r.events))
        .key("formal_macs").value(int64_t(r.macs)).end_object();
  j.end_array();
  j.key("accuracy_vs_time").begin_array();
  for (const auto& p : curve)
    j.begin_object().key("time_fs").value(p.time_fs).key("accuracy").value(p.accuracy)
        .key("read_events_per_virtual_synapse").value(p.read_events_per_virtual_synapse).end_object();
  j.end_array().end_object();
  const std::string json = j.str();

  namespace fs = std::filesystem;
  fs::create_directories(out_dir);
  auto at = [&](const char* f) { return (fs::path(out_dir) / f).string(); };
  write_text_atomic(at("summary.txt"), txt);
  write_text_atomic(at("layers.csv"), stats.csv());
  write_text_atomic(at("confusion.csv"), score.confusion_csv());
  stimuli::write_confusion_png(score, {}, at("confusion.png"));
  std::string csv = "time_fs,accuracy,read_events_per_virtual_synapse\n";
  for (const auto& p : curve) csv += fmt("%.0f", p.time_fs) + fmt(",%.4f", p.accuracy) + fmt(",%.6g\n", p.read_events_per_virtual_synapse);
  write_text_atomic(at("accuracy_vs_time.csv"), csv);
  if (!curve.empty()) write_accuracy_curve_png(curve, formal_acc, at("accuracy_vs_time.png"));
  write_raster_png(bands, double(so.duration), at("raster.png"));
  write_text_atomic(at("summary.json"), json);
  if (a.has("--json")) write_text_atomic(a.get("--json"), json);
  return 0;
}

}  // namespace n2d2::cli
