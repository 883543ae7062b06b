// N2D2's weight fillers (manual, "Weight fillers"): ConstantFiller, NormalFiller, UniformFiller,
// HeFiller, XavierFiller with their properties, read from `<Prefix>` and `<Prefix>.<Option>`
// (WeightsFiller=HeFiller, WeightsFiller.VarianceNorm=FanOut, ...). Random fillers draw from a
// splitmix64 stream seeded by (-seed, section name, prefix), so a network is the same on every run
// and every machine for one seed, and changing one layer does not change the others.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "frontends/ini/ini_document.h"

namespace n2d2::ini {

struct Filler {
  enum class Kind { Constant, Normal, Uniform, He, Xavier } kind = Kind::Normal;
  double value = 0.0;                 // Constant: Value
  double mean = 0.0, std_dev = 0.05;  // Normal: Mean, StdDev
  double min = 0.0, max = 1.0;        // Uniform: Min, Max
  enum class Norm { FanIn, Average, FanOut } norm = Norm::FanIn;  // He/Xavier: VarianceNorm
  bool normal = false;  // Xavier: Distribution=Normal (default Uniform)
  double scaling = 1.0; // He/Xavier: Scaling
  double he_mean = 0.0; // He: Mean
};

// Reads the filler named by `prefix` (e.g. "WeightsFiller") from `r`, or `def` when the section
// has no such property. Marks the properties read; an unknown filler or option is an error at
// file:line (with a suggestion).
Filler read_filler(SectionReader& r, const std::string& prefix, const Filler& def);

// `n` values of `f` for a tensor of fan-in `fan_in` and fan-out `fan_out`.
std::vector<float> fill(const Filler& f, std::size_t n, int64_t fan_in, int64_t fan_out, uint64_t seed,
                        const std::string& section, const std::string& prefix);

}  // namespace n2d2::ini
