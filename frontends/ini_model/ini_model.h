// An N2D2 INI model file as n2d2-flow runs it: the document (variables and references
// resolved), the network — native layer sections (Type=Conv, Pool, Fc, ...: ini_layers.h), a
// Type=ONNX section wrapping an ONNX model (as in the manual's MobileNet_ONNX.ini), or both (layers
// may take the ONNX section as Input) — its free parameters (fillers, or N2D2's text weights from
// -w DIR: ini_weights.h) and the score target ([<output>.Target...] with TopN). The data sections
// ([database], [sp]/[env] and its transformations) are read by frontends/stimuli when the model
// runs with -test.
#pragma once

#include <string>
#include <vector>

#include "frontends/ini/ini_document.h"
#include "frontends/ini_model/ini_layers.h"
#include "frontends/onnx/onnx_loader.h"
#include "graph/graph.h"

namespace n2d2::ini {

struct IniTarget {
  std::string value;    // the scored graph value
  std::string section;  // "" when no Target section names it (the first graph output)
  int32_t top_n = 1;
  std::string labels_mapping;  // LabelsMapping file (resolved against the INI file), "" if none
};

struct IniModel {
  Document doc;  // resolved
  graph::Graph graph;
  std::vector<ParamLayer> params;  // the native layers with free parameters (value ids in `graph`)
  IniTarget target;
  bool has_database = false;
};

struct IniOptions {
  std::string weights_dir;  // -w DIR: N2D2's text weights; "" or "/dev/null": the fillers
  uint64_t seed = 1;        // -seed: the fillers' random streams
};

// `opts.batch` (--batch) overrides the stimuli provider's BatchSize.
IniModel load_ini_model(const std::string& path, const onnx::LoadOptions& opts = {}, const IniOptions& io = {});

bool is_ini_path(const std::string& path);  // ends with .ini

}  // namespace n2d2::ini
