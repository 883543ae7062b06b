#include "spike/env_config.h"

#include <algorithm>

#include "frontends/ini/ini_resolve.h"
#include "graph/error.h"
#include "spike/transcode.h"

namespace n2d2::spike {

namespace {

using ini::Property;
using ini::Section;
using ini::SectionReader;

[[noreturn]] void bad(const Section& s, const Property& p, const std::string& why) {
    fail(p.where.str(), ": [", s.name, "] ", p.name, "=", p.value, ": ", why);
}

// A femtosecond time (thousands separators accepted), or nullopt when absent.
std::optional<Time> get_time(SectionReader& r, const std::string& name) {
    const Property* p = r.section().find(name);
    r.accept(name);
    if (!p) return std::nullopt;
    try {
        return parse_femtoseconds(p->value);
    } catch (const std::invalid_argument&) {
        bad(r.section(), *p, "not a time in femtoseconds (a non-negative integer, e.g. 10,000,000)");
    }
}

template <class T>
std::optional<T> opt(SectionReader& r, const std::string& name, T (SectionReader::*get)(const std::string&, T)) {
    if (!r.has(name)) {
        r.accept(name);
        return std::nullopt;
    }
    return (r.*get)(name, T{});
}

NeuronOverrides read_neuron(SectionReader& r) {
    const Section& s = r.section();
    NeuronOverrides n;
    n.where = s.where.str();
    n.threshold = opt<double>(r, "Threshold", &SectionReader::get_double);
    if (n.threshold && !(*n.threshold > 0)) bad(s, *s.find("Threshold"), "must be positive");
    n.bipolar = opt<bool>(r, "BipolarThreshold", &SectionReader::get_bool);
    auto leak = get_time(r, "Leak");
    auto leak_time = get_time(r, "LeakTime");
    if (leak && leak_time) bad(s, *s.find("LeakTime"), "give Leak or LeakTime, not both");
    n.leak_tau = leak ? leak : leak_time;
    n.refractory = get_time(r, "Refractory");
    n.incoming_delay = get_time(r, "IncomingDelay");
    n.initial_potential = opt<double>(r, "InitialPotential", &SectionReader::get_double);
    if (n.initial_potential && !(*n.initial_potential >= 0 && *n.initial_potential < 1))
        bad(s, *s.find("InitialPotential"), "must be in [0, 1) (a fraction of Threshold)");
    n.terminate_delta = opt<std::uint64_t>(r, "TerminateDelta", &SectionReader::get_uint64);
    n.ttfs_cutoff = opt<double>(r, "TtfsCutoff", &SectionReader::get_double);
    if (n.ttfs_cutoff && !(*n.ttfs_cutoff >= 0 && *n.ttfs_cutoff <= 1))
        bad(s, *s.find("TtfsCutoff"), "must be in [0, 1] (a fraction of Threshold)");
    r.accept("ConfigSection");
    r.finish();
    return n;
}

void read_env(SectionReader& r, EnvConfig& e) {
    const Section& s = r.section();
    CoderConfig& c = e.coder;
    c.type = parse_stimulus_type(
        r.get_choice("StimulusType", stimulus_type_name(c.type), {"SingleBurst", "Periodic", "JitteredPeriodic", "Poissonian", "TimeToFirstSpike"}));
    if (auto t = get_time(r, "PeriodMin")) c.period_min = *t;
    if (auto t = get_time(r, "PeriodMeanMin")) c.period_mean_min = *t;
    if (auto t = get_time(r, "PeriodMeanMax")) c.period_mean_max = *t;
    c.period_rel_stddev = r.get_double("PeriodRelStdDev", c.period_rel_stddev);
    if (c.period_rel_stddev < 0) bad(s, *s.find("PeriodRelStdDev"), "must not be negative");
    if (auto t = get_time(r, "SimulatedTime")) {
        if (*t == 0) bad(s, *s.find("SimulatedTime"), "must be positive");
        c.duration = *t;
        e.simulated_time_set = true;
    }
    const std::uint64_t levels = r.get_uint64("TtfsLevels", c.ttfs_levels);
    if (levels == 0 || levels > 65535) bad(s, *s.find("TtfsLevels"), "must be in [1, 65535]");
    c.ttfs_levels = std::uint32_t(levels);
    e.ttfs_bias_correction = r.get_bool("TtfsBiasCorrection", e.ttfs_bias_correction);
    if (auto t = get_time(r, "TtfsStep")) {
        if (*t == 0) bad(s, *s.find("TtfsStep"), "must be positive");
        c.ttfs_step = *t;
    }
    if (auto t = get_time(r, "RatePeriod")) {
        if (*t == 0) bad(s, *s.find("RatePeriod"), "must be positive");
        e.rate_period = *t;
    }
    e.readout = parse_readout(r.get_choice("Readout", "count", {"count", "potential", "first"}));
    e.percentile = r.get_double("NormalizationPercentile", e.percentile);
    if (!(e.percentile > 0 && e.percentile <= 100))
        bad(s, *s.find("NormalizationPercentile"), "must be in (0, 100] (100: the maximum)");
    e.per_channel = r.get_bool("NormalizationPerChannel", e.per_channel);
    e.calibration_images = r.get_uint64("CalibrationImages", e.calibration_images);
    r.accept("ConfigSection");
    r.finish();
    if (c.period_mean_min >= c.period_mean_max)
        fail(s.where.str(), ": [env.config] PeriodMeanMin (", c.period_mean_min, ") must be lower than PeriodMeanMax (",
             c.period_mean_max, ")");
    if (c.period_min > c.period_mean_min)
        fail(s.where.str(), ": [env.config] PeriodMin (", c.period_min, ") must not exceed PeriodMeanMin (", c.period_mean_min, ")");
}

EnvConfig from_document(const ini::Document& doc) {
    EnvConfig e;
    e.file = doc.file();
    const std::string suffix = ".config";
    for (const Section& s : doc.sections()) {
        SectionReader r(s);
        if (s.name.empty()) {
            if (!s.properties.empty())
                fail(s.properties[0].where.str(), ": property ", s.properties[0].name,
                     " outside a section (env.ini holds [env.config], [common.config] and [<layer>.config])");
            continue;
        }
        if (s.name == "env.config") {
            read_env(r, e);
        } else if (s.name == "common.config") {
            e.common = read_neuron(r);
        } else if (s.name.size() > suffix.size() && s.name.ends_with(suffix)) {
            e.layers[s.name.substr(0, s.name.size() - suffix.size())] = read_neuron(r);
        } else {
            fail(s.where.str(), ": section [", s.name,
                 "]: env.ini holds [env.config], [common.config] and [<layer>.config] sections only");
        }
    }
    return e;
}

}  // namespace

void NeuronOverrides::apply(NeuronConfig& n) const {
    if (threshold) n.threshold = *threshold;
    if (bipolar) n.bipolar = *bipolar;
    if (leak_tau) n.leak_tau = *leak_tau;
    if (refractory) n.refractory = *refractory;
    if (incoming_delay) n.incoming_delay = *incoming_delay;
    if (ttfs_cutoff) n.ttfs_cutoff = *ttfs_cutoff;
}

std::uint64_t EnvConfig::terminate_delta(const Network& net) const {
    std::uint64_t d = common.terminate_delta.value_or(0);
    const auto aliases = layer_aliases(net);
    const std::size_t o = std::size_t(net.output);
    for (const auto& [name, ov] : layers)
        if ((name == net.layers[o].name || name == aliases[o]) && ov.terminate_delta) d = *ov.terminate_delta;
    return d;
}

void EnvConfig::apply(Network& net) const {
    const auto aliases = layer_aliases(net);
    std::vector<const NeuronOverrides*> own(net.layers.size(), nullptr);
    for (const auto& [name, ov] : layers) {
        std::size_t found = net.layers.size();
        for (std::size_t i = 0; i < net.layers.size(); ++i)
            if (net.layers[i].name == name || aliases[i] == name) found = i;
        if (found == net.layers.size()) {
            std::string list;
            for (std::size_t i = 0; i < net.layers.size(); ++i) list += (i ? ", " : "") + aliases[i] + " (" + net.layers[i].name + ")";
            fail(ov.where, ": [", name, ".config] names no layer of the network (layers: ", list, ")");
        }
        if (ov.terminate_delta && int(found) != net.output)
            fail(ov.where, ": [", name, ".config] TerminateDelta applies to the output layer only (",
                 aliases[std::size_t(net.output)], ")");
        own[found] = &ov;
    }
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
        Layer& l = net.layers[i];
        const bool neurons = l.kind == LayerKind::Conv || l.kind == LayerKind::Fc || l.kind == LayerKind::Add;
        if (!neurons) {
            if (own[i] && (own[i]->threshold || own[i]->bipolar || own[i]->leak_tau || own[i]->refractory || own[i]->initial_potential ||
                           own[i]->ttfs_cutoff))
                fail(own[i]->where, ": [", aliases[i], ".config] layer '", l.name, "' (", layer_kind_name(l.kind),
                     ") has no neurons to configure");
            continue;
        }
        common.apply(l.neuron);
        if (own[i]) own[i]->apply(l.neuron);
        if (!ttfs() && (common.ttfs_cutoff || (own[i] && own[i]->ttfs_cutoff)))
            fail(own[i] && own[i]->ttfs_cutoff ? own[i]->where : common.where,
                 ": TtfsCutoff needs [env.config] StimulusType=TimeToFirstSpike");
        if (ttfs()) {
            l.neuron.ttfs_levels = coder.ttfs_levels;
            l.neuron.ttfs_step = coder.ttfs_step;
        }
        double frac = common.initial_potential.value_or(0.0);
        if (own[i] && own[i]->initial_potential) frac = *own[i]->initial_potential;
        l.neuron.initial_potential = frac * l.neuron.threshold;
    }
}

EnvConfig load_env_config(const std::string& path) { return from_document(ini::load_document(path)); }

EnvConfig parse_env_config(const std::string& text, const std::string& file_name) {
    return from_document(ini::load_document_string(text, file_name));
}

}  // namespace n2d2::spike
