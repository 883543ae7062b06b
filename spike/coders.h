#pragma once
// Input coders with N2D2's StimulusType names. Times are uint64 femtoseconds (as in N2D2),
// so there is no floating time drift. Each pixel intensity v in [0,1] gives a spike train over
// [0, duration]; the mean frequency rises linearly from 1/PeriodMeanMax (v -> 0) to 1/PeriodMeanMin
// (v = 1) and never goes under PeriodMin. Random coders draw from a per-pixel stream seeded by
// (seed, pattern, pixel), so trains do not depend on the order or thread they are made in.
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace n2d2::spike {

using Time = std::uint64_t;  // femtoseconds

// TimeToFirstSpike (n2d2-flow's): one spike per pixel at step K - round(K v) of a window of
// K = ttfs_levels steps of ttfs_step (brighter earlier; v < 0.5 / K: none), see spike/ttfs.h.
enum class StimulusType { SingleBurst, Periodic, JitteredPeriodic, Poissonian, TimeToFirstSpike };

// "SingleBurst" ... "Poissonian", "TimeToFirstSpike"; throws std::invalid_argument naming the accepted values.
StimulusType parse_stimulus_type(std::string_view name);
const char* stimulus_type_name(StimulusType type);

// A femtosecond count, thousands separators (',', '_', '\'') accepted: "1,000,000" -> 1000000.
// Throws std::invalid_argument on anything else (sign, fraction, garbage, overflow).
Time parse_femtoseconds(std::string_view text);

struct CoderConfig {
    StimulusType type = StimulusType::Periodic;
    Time period_min = 1'000'000;            // PeriodMin
    Time period_mean_min = 10'000'000;      // PeriodMeanMin (v = 1)
    Time period_mean_max = 100'000'000'000; // PeriodMeanMax (v -> 0)
    double period_rel_stddev = 0.1;         // PeriodRelStdDev (JitteredPeriodic)
    Time duration = 1'000'000'000;          // simulated time per pattern
    std::uint64_t seed = 1;
    std::uint32_t ttfs_levels = 255;        // TtfsLevels (TimeToFirstSpike)
    Time ttfs_step = 1'000'000;             // TtfsStep (TimeToFirstSpike), fs
};

struct InputSpike {
    Time time;
    std::uint32_t source;  // pixel index
    bool operator==(const InputSpike&) const = default;
};

// Small counter-based generator (splitmix64): portable and reproducible across libraries.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next();
    double uniform01();  // in (0, 1]
    double normal();     // standard normal (Box-Muller)
private:
    std::uint64_t state_;
};

// The mean period for intensity v (clamped to [0,1]); 0 when v <= 0 (the pixel never fires).
Time mean_period(const CoderConfig& cfg, double v);

// The spike train of one pixel, times ascending, all <= cfg.duration.
std::vector<Time> encode_pixel(const CoderConfig& cfg, double v, std::uint64_t pattern,
                               std::uint32_t pixel);

// All pixels of one pattern, merged and sorted by (time, source).
std::vector<InputSpike> encode(const CoderConfig& cfg, std::span<const float> pixels,
                               std::uint64_t pattern);

}  // namespace n2d2::spike
