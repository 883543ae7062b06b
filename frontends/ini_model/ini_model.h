// An N2D2 INI model file as n2d2-flow runs it: the document (variables and references
// resolved), the network — today the Type=ONNX sections that wrap an ONNX model, as in the
// manual's MobileNet_ONNX.ini — and the score target ([<output>.Target...] with TopN). The data
// sections ([database], [sp]/[env] and its transformations) are read by frontends/stimuli when
// the model runs with -test. Native INI layer sections (Type=Conv, Pool, Fc, ...) are refused with
// file:line (n2d2-flow builds networks from Type=ONNX sections only).
#pragma once

#include <string>

#include "frontends/ini/ini_document.h"
#include "frontends/onnx/onnx_loader.h"
#include "graph/graph.h"

namespace n2d2::ini {

struct IniTarget {
  std::string value;    // the scored graph value
  std::string section;  // "" when no Target section names it (the first graph output)
  int32_t top_n = 1;
};

struct IniModel {
  Document doc;  // resolved
  graph::Graph graph;
  IniTarget target;
  bool has_database = false;
};

// `opts.batch` (--batch) overrides the stimuli provider's BatchSize.
IniModel load_ini_model(const std::string& path, const onnx::LoadOptions& opts = {});

bool is_ini_path(const std::string& path);  // ends with .ini

}  // namespace n2d2::ini
