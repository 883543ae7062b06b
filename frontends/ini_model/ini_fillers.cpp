#include "frontends/ini_model/ini_fillers.h"

#include <cmath>

#include "graph/error.h"

namespace n2d2::ini {

namespace {

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint64_t fnv1a(const std::string& s, uint64_t h = 0xcbf29ce484222325ull) {
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

// A double in (0, 1).
double uniform01(uint64_t& state) { return (static_cast<double>(splitmix64(state) >> 11) + 0.5) * (1.0 / 9007199254740992.0); }

}  // namespace

Filler read_filler(SectionReader& r, const std::string& prefix, const Filler& def) {
  if (!r.has(prefix)) {
    for (const Property& p : r.section().properties)
      if (p.name.rfind(prefix + ".", 0) == 0)
        fail(p.where.str(), ": [", r.section().name, "] ", p.name, " without ", prefix, "=");
    return def;
  }
  Filler f;
  std::string kind = r.get_choice(prefix, "", {"ConstantFiller", "NormalFiller", "UniformFiller", "HeFiller", "XavierFiller"});
  const std::string p = prefix + ".";
  auto norm = [&] {
    std::string n = r.get_choice(p + "VarianceNorm", "FanIn", {"FanIn", "Average", "FanOut"});
    return n == "FanIn" ? Filler::Norm::FanIn : n == "Average" ? Filler::Norm::Average : Filler::Norm::FanOut;
  };
  if (kind == "ConstantFiller") {
    f.kind = Filler::Kind::Constant;
    f.value = r.get_double(p + "Value", 0.0);
  } else if (kind == "NormalFiller") {
    f.kind = Filler::Kind::Normal;
    f.mean = r.get_double(p + "Mean", 0.0);
    f.std_dev = r.get_double(p + "StdDev", 1.0);
  } else if (kind == "UniformFiller") {
    f.kind = Filler::Kind::Uniform;
    f.min = r.get_double(p + "Min", 0.0);
    f.max = r.get_double(p + "Max", 1.0);
  } else if (kind == "HeFiller") {
    f.kind = Filler::Kind::He;
    f.norm = norm();
    f.he_mean = r.get_double(p + "Mean", 0.0);
    f.scaling = r.get_double(p + "Scaling", 1.0);
  } else {
    f.kind = Filler::Kind::Xavier;
    f.norm = norm();
    f.normal = r.get_choice(p + "Distribution", "Uniform", {"Uniform", "Normal"}) == "Normal";
    f.scaling = r.get_double(p + "Scaling", 1.0);
  }
  // Any other `prefix.X` is left unread: SectionReader::finish names it with a suggestion.
  return f;
}

std::vector<float> fill(const Filler& f, std::size_t n, int64_t fan_in, int64_t fan_out, uint64_t seed,
                        const std::string& section, const std::string& prefix) {
  std::vector<float> out(n);
  uint64_t state = fnv1a(prefix, fnv1a(section, seed * 0x9E3779B97F4A7C15ull + 1));
  auto normal = [&](double mean, double sd) {
    double u1 = uniform01(state), u2 = uniform01(state);
    return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  };
  auto fan = [&] {
    double fi = static_cast<double>(std::max<int64_t>(fan_in, 1)), fo = static_cast<double>(std::max<int64_t>(fan_out, 1));
    return f.norm == Filler::Norm::FanIn ? fi : f.norm == Filler::Norm::FanOut ? fo : (fi + fo) / 2.0;
  };
  for (std::size_t i = 0; i < n; ++i) {
    double v = 0;
    switch (f.kind) {
      case Filler::Kind::Constant: v = f.value; break;
      case Filler::Kind::Normal: v = normal(f.mean, f.std_dev); break;
      case Filler::Kind::Uniform: v = f.min + (f.max - f.min) * uniform01(state); break;
      case Filler::Kind::He: v = normal(f.he_mean, f.scaling * std::sqrt(2.0 / fan())); break;
      case Filler::Kind::Xavier: {
        double scale = f.scaling * std::sqrt(3.0 / fan());
        // Normal: the same variance as the uniform distribution on [-scale, scale].
        v = f.normal ? normal(0.0, scale / std::sqrt(3.0)) : -scale + 2.0 * scale * uniform01(state);
        break;
      }
    }
    out[i] = static_cast<float>(v);
  }
  return out;
}

}  // namespace n2d2::ini
