// Standalone C++ export of a quantized (ai.n2d2) graph: a folder with network.hpp/.cpp (weights
// as constexpr arrays, one call per node, static buffers), n2d2_semantics.hpp and n2d2_ops.hpp
// (the integer arithmetic, copied from graph/ops/quant_semantics.h), main.cpp (classifies an
// image file: binary PGM or raw float32) and a CMakeLists.txt. Needs only the C++17 standard
// library; its outputs equal n2d2-flow's integer run bit for bit.
#pragma once

#include <map>
#include <string>

#include "graph/graph.h"

namespace n2d2::exporters {

// File name -> contents. Throws n2d2::Error naming the node for an op or shape it cannot export.
std::map<std::string, std::string> cpp_export_files(const graph::Graph& g);
// Writes the files into `dir` (created), each atomically.
void write_cpp_export(const graph::Graph& g, const std::string& dir);

}  // namespace n2d2::exporters
