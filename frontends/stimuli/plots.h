// Pictures of results, drawn with OpenCV and written atomically as PNG.
#pragma once

#include <string>
#include <vector>

#include "frontends/data/scoring.h"

namespace n2d2::stimuli {

// The confusion matrix as a heat map (rows: truth, columns: predicted; each cell's count and a
// colour from its share of the row), with the class names on the axes when given.
void write_confusion_png(const data::ClassificationScore& score, const std::vector<std::string>& names,
                         const std::string& path);

}  // namespace n2d2::stimuli
