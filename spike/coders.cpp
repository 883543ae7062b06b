#include "spike/coders.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace n2d2::spike {

StimulusType parse_stimulus_type(std::string_view name) {
    if (name == "SingleBurst") return StimulusType::SingleBurst;
    if (name == "Periodic") return StimulusType::Periodic;
    if (name == "JitteredPeriodic") return StimulusType::JitteredPeriodic;
    if (name == "Poissonian") return StimulusType::Poissonian;
    if (name == "TimeToFirstSpike") return StimulusType::TimeToFirstSpike;
    throw std::invalid_argument("unknown StimulusType '" + std::string(name) +
                                "' (SingleBurst, Periodic, JitteredPeriodic, Poissonian, TimeToFirstSpike)");
}

const char* stimulus_type_name(StimulusType type) {
    switch (type) {
    case StimulusType::SingleBurst: return "SingleBurst";
    case StimulusType::Periodic: return "Periodic";
    case StimulusType::JitteredPeriodic: return "JitteredPeriodic";
    case StimulusType::Poissonian: return "Poissonian";
    case StimulusType::TimeToFirstSpike: return "TimeToFirstSpike";
    }
    return "?";
}

Time parse_femtoseconds(std::string_view text) {
    Time value = 0;
    bool digits = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c >= '0' && c <= '9') {
            Time d = static_cast<Time>(c - '0');
            if (value > (std::numeric_limits<Time>::max() - d) / 10)
                throw std::invalid_argument("time '" + std::string(text) + "' overflows 64 bits");
            value = value * 10 + d;
            digits = true;
        } else if ((c == ',' || c == '_' || c == '\'') && digits && i + 1 < text.size()) {
            continue;
        } else {
            throw std::invalid_argument("'" + std::string(text) +
                                        "' is not a femtosecond count (digits, optional , _ ' separators)");
        }
    }
    if (!digits) throw std::invalid_argument("empty time value");
    return value;
}

std::uint64_t Rng::next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

double Rng::uniform01() { return (static_cast<double>(next() >> 11) + 1.0) * 0x1.0p-53; }

double Rng::normal() {
    double u1 = uniform01(), u2 = uniform01();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

Time mean_period(const CoderConfig& cfg, double v) {
    if (!(v > 0.0)) return 0;
    v = std::min(v, 1.0);
    // As N2D2's SpikeGenerator: the mean frequency (not the period) is linear in v, so that the
    // input rate is proportional to the intensity (what the transcoded network assumes).
    double f_max = 1.0 / static_cast<double>(cfg.period_mean_min), f_min = 1.0 / static_cast<double>(cfg.period_mean_max);
    double p = 1.0 / (f_min + v * (f_max - f_min));
    Time period = static_cast<Time>(std::llround(p));
    return std::max({period, cfg.period_min, Time{1}});
}

std::vector<Time> encode_pixel(const CoderConfig& cfg, double v, std::uint64_t pattern,
                               std::uint32_t pixel) {
    std::vector<Time> out;
    if (cfg.type == StimulusType::TimeToFirstSpike) {
        if (cfg.ttfs_levels == 0 || cfg.ttfs_step == 0)
            throw std::invalid_argument("TimeToFirstSpike coder: TtfsLevels and TtfsStep must be positive");
        if (!(v > 0.0)) return out;
        const std::uint64_t level = std::uint64_t(std::llround(std::min(v, 1.0) * cfg.ttfs_levels));
        if (level == 0) return out;
        const Time t = (cfg.ttfs_levels - level) * cfg.ttfs_step;
        if (t <= cfg.duration) out.push_back(t);
        return out;
    }
    Time period = mean_period(cfg, v);
    if (period == 0) return out;
    Rng rng(cfg.seed * 0x100000001B3ULL ^ (pattern << 24) ^ pixel);
    rng.next();
    const Time floor = std::max(cfg.period_min, Time{1});
    switch (cfg.type) {
    case StimulusType::SingleBurst:
        if (period <= cfg.duration) out.push_back(period);
        break;
    case StimulusType::Periodic:
        for (Time t = period; t <= cfg.duration; t += period) out.push_back(t);
        break;
    case StimulusType::TimeToFirstSpike: break;  // above
    case StimulusType::JitteredPeriodic:
    case StimulusType::Poissonian: {
        Time t = 0;
        for (;;) {
            double d = cfg.type == StimulusType::Poissonian
                           ? -std::log(rng.uniform01()) * static_cast<double>(period)
                           : static_cast<double>(period) *
                                 (1.0 + cfg.period_rel_stddev * rng.normal());
            Time dt = d >= 1.8e19 ? std::numeric_limits<Time>::max()
                                  : std::max(floor, static_cast<Time>(std::max(d, 0.0)));
            if (dt > cfg.duration - t) break;
            t += dt;
            out.push_back(t);
        }
        break;
    }
    }
    return out;
}

std::vector<InputSpike> encode(const CoderConfig& cfg, std::span<const float> pixels,
                               std::uint64_t pattern) {
    std::vector<InputSpike> out;
    for (std::uint32_t i = 0; i < pixels.size(); ++i)
        for (Time t : encode_pixel(cfg, pixels[i], pattern, i)) out.push_back({t, i});
    std::sort(out.begin(), out.end(), [](const InputSpike& a, const InputSpike& b) {
        return a.time != b.time ? a.time < b.time : a.source < b.source;
    });
    return out;
}

}  // namespace n2d2::spike
