// N2D2's data transformations (manual, "Built-in transformations"), on OpenCV matrices: Rescale,
// PadCrop, ColorSpace, RangeAffine, ChannelExtraction, SliceExtraction, Flip, Distortion,
// Equalize, Affine. Each is read from an INI section (unknown properties and bad values are errors
// with file:line) and applies to the subsets its ApplyTo names. Random ones draw from the RNG the
// provider seeds per stimulus, so results do not depend on threads or batch order.
#pragma once

#include <opencv2/core.hpp>

#include <memory>
#include <random>
#include <string>

#include "frontends/ini/ini_document.h"
#include "frontends/stimuli/database.h"

namespace n2d2::stimuli {

class Transformation {
 public:
  virtual ~Transformation() = default;
  virtual std::string type() const = 0;
  // `rng` is seeded for this stimulus; deterministic transformations ignore it.
  virtual cv::Mat apply(const cv::Mat& in, std::mt19937_64& rng) const = 0;
  bool applies_to(Subset s) const { return (apply_mask_ >> static_cast<int>(s)) & 1; }
  const std::string& section() const { return section_; }

 protected:
  unsigned apply_mask_ = 7;  // bit per Subset
  std::string section_;
  friend std::unique_ptr<Transformation> make_transformation(const ini::Document&, const ini::Section&);
};

// From a section with Type=<name>Transformation (and ApplyTo=All|LearnOnly|ValidationOnly|TestOnly|
// NoLearn|NoValidation|NoTest). Throws naming file:line for an unknown type or property.
std::unique_ptr<Transformation> make_transformation(const ini::Document& doc, const ini::Section& section);

}  // namespace n2d2::stimuli
