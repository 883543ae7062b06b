#pragma once
// env.ini: the spike-coding parameters of N2D2's transcoding tutorial, read with the project's
// INI parser (frontends/ini: variables, ConfigSection, file:line on every property).
//
//   [env.config]      the input coder: StimulusType, PeriodMin, PeriodMeanMin, PeriodMeanMax,
//                     PeriodRelStdDev (times in femtoseconds, thousands separators accepted), and
//                     n2d2-flow's own keys: SimulatedTime, Readout, NormalizationPercentile,
//                     NormalizationPerChannel, CalibrationImages, RatePeriod, and for
//                     StimulusType=TimeToFirstSpike (spike/ttfs.h) TtfsLevels, TtfsStep,
//                     TtfsBiasCorrection
//   [common.config]   neuron parameters of every layer: Threshold, BipolarThreshold, Leak
//                     (or LeakTime), Refractory, IncomingDelay, InitialPotential (a fraction of
//                     Threshold), TerminateDelta (applies to the output layer), TtfsCutoff
//                     (TimeToFirstSpike: activations under this fraction of Threshold never fire)
//   [<layer>.config]  the same keys for one layer, by its node name or its alias (conv1, pool1,
//                     fc2, ... see transcode.h's layer_aliases); they override [common.config]
// Unknown sections, unknown keys and bad values are errors naming file:line.
#include "spike/batch.h"
#include "spike/network.h"

#include <map>
#include <optional>
#include <string>

namespace n2d2::spike {

// One section's neuron keys; unset keys leave the layer's value alone.
struct NeuronOverrides {
    std::optional<double> threshold;
    std::optional<bool> bipolar;
    std::optional<Time> leak_tau;
    std::optional<Time> refractory;
    std::optional<Time> incoming_delay;  // IncomingDelay (fs)
    std::optional<double> initial_potential;  // fraction of the threshold
    std::optional<std::uint64_t> terminate_delta;
    std::optional<double> ttfs_cutoff;  // TtfsCutoff (TimeToFirstSpike): fraction of Threshold
    std::string where;  // file:line of the section (errors)
    void apply(NeuronConfig& n) const;
};

struct EnvConfig {
    std::string file;
    CoderConfig coder;  // duration = SimulatedTime; the seed is the command line's
    bool simulated_time_set = false;  // SimulatedTime given (else TTFS: the network's own, ttfs_duration)
    bool ttfs() const { return coder.type == StimulusType::TimeToFirstSpike; }
    Readout readout = Readout::SpikeCount;
    double percentile = 100.0;     // NormalizationPercentile (100 = max)
    bool per_channel = false;      // NormalizationPerChannel
    std::uint64_t calibration_images = 500;  // CalibrationImages (train split)
    bool ttfs_bias_correction = false;  // TtfsBiasCorrection (spike/formal_eval.h ttfs_correct_biases)
    Time rate_period = 0;  // RatePeriod: formal activation 1 <-> one spike per (0: PeriodMeanMin)
    Time effective_rate_period() const { return rate_period ? rate_period : coder.period_mean_min; }
    NeuronOverrides common;
    std::map<std::string, NeuronOverrides> layers;  // section name without ".config"

    // The terminate delta the output layer gets ([<output>.config], else [common.config]; 0 = off).
    std::uint64_t terminate_delta(const Network& net) const;
    // Applies [common.config] then [<layer>.config] to every neuron layer (with
    // StimulusType=TimeToFirstSpike, makes them TTFS neurons: TtfsLevels, TtfsStep, TtfsCutoff).
    // Throws naming the file:line of a section that names no layer, sets TerminateDelta on a
    // non-output layer, or TtfsCutoff without TimeToFirstSpike.
    void apply(Network& net) const;
};

EnvConfig load_env_config(const std::string& path);
EnvConfig parse_env_config(const std::string& text, const std::string& file_name);

}  // namespace n2d2::spike
