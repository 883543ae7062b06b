#include "frontends/ini_model/ini_weights.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "frontends/io/npy.h"
#include "graph/error.h"

namespace fs = std::filesystem;

namespace n2d2::ini {

namespace {

// Whitespace-separated numbers of one file, with the line of each.
class NumberFile {
 public:
  explicit NumberFile(std::string path) : path_(std::move(path)) {
    std::ifstream f(path_, std::ios::binary);
    if (!f) fail(path_, ": cannot open the weights file");
    std::ostringstream ss;
    ss << f.rdbuf();
    text_ = ss.str();
  }
  const std::string& path() const { return path_; }
  float next(const std::string& what) {
    skip();
    if (pos_ >= text_.size()) fail(path_, ":", line_, ": the file ends early: ", what, " missing (", count_, " values read)");
    std::size_t b = pos_;
    while (pos_ < text_.size() && !std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    std::string tok = text_.substr(b, pos_ - b);
    char* end = nullptr;
    float v = std::strtof(tok.c_str(), &end);
    if (end != tok.c_str() + tok.size() || tok.empty()) fail(path_, ":", line_, ": '", tok, "' is not a number (", what, ")");
    ++count_;
    return v;
  }
  void expect_end() {
    skip();
    if (pos_ < text_.size()) fail(path_, ":", line_, ": more values than the layer has (", count_, " expected)");
  }

 private:
  void skip() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) {
      if (text_[pos_] == '\n') ++line_;
      ++pos_;
    }
  }
  std::string path_, text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int64_t count_ = 0;
};

std::string file_of(const std::string& dir, const std::string& layer, const std::string& suffix) {
  return (fs::path(dir) / (layer + suffix + ".syntxt")).string();
}

float* mutable_data(graph::Graph& g, graph::ValueId v) {
  // Initializers share buffers with copies of the graph: write into a fresh tensor.
  Tensor& t = *g.value(v).initializer;
  Tensor fresh(t.dtype(), t.shape());
  std::copy_n(t.data<float>(), t.numel(), fresh.data_mut<float>());
  t = fresh;
  return t.data_mut<float>();
}

// Index of weight (o, c, i) in a Conv/Fc weight tensor, or -1 when (o, c) is not connected.
int64_t weight_index(const ParamLayer& p, int64_t o, int64_t c, int64_t i) {
  if (p.kind == ParamLayer::Kind::Fc) return o * p.channels + c;
  int64_t cpg = p.channels / p.groups, opg = p.outputs / p.groups;
  if (p.groups > 1) {
    if (c / cpg != o / opg) return -1;
    return (o * cpg + c % cpg) * p.kernel + i;
  }
  if (!p.connected(o, c)) return -1;
  return (o * p.channels + c) * p.kernel + i;
}

void import_synaptic(const std::string& dir, const ParamLayer& p, graph::Graph& g) {
  std::string single = file_of(dir, p.name, "");
  bool one = fs::exists(single);
  NumberFile w(one ? single : file_of(dir, p.name, "_weights"));
  std::optional<NumberFile> b;
  if (!one && p.bias != graph::kNoValue) b.emplace(file_of(dir, p.name, "_biases"));
  float* wd = mutable_data(g, p.weights);
  float* bd = p.bias != graph::kNoValue ? mutable_data(g, p.bias) : nullptr;
  for (int64_t o = 0; o < p.outputs; ++o) {
    for (int64_t c = 0; c < p.channels; ++c) {
      if (weight_index(p, o, c, 0) < 0) continue;
      for (int64_t i = 0; i < p.kernel; ++i)
        wd[weight_index(p, o, c, i)] = w.next("weight of output " + std::to_string(o) + ", channel " + std::to_string(c));
    }
    if (bd) bd[o] = (one ? w : *b).next("bias of output " + std::to_string(o));
  }
  w.expect_end();
  if (b) b->expect_end();
}

void import_batchnorm(const std::string& dir, const ParamLayer& p, graph::Graph& g) {
  std::string single = file_of(dir, p.name, "");
  graph::ValueId vs[4] = {p.scale, p.bias, p.mean, p.variance};
  const char* names[4] = {"scale", "bias", "mean", "variance"};
  float* d[4];
  for (int k = 0; k < 4; ++k) d[k] = mutable_data(g, vs[k]);
  if (fs::exists(single)) {
    NumberFile f(single);
    for (int64_t o = 0; o < p.outputs; ++o)
      for (int k = 0; k < 4; ++k) d[k][o] = f.next(std::string(names[k]) + " of output " + std::to_string(o));
    f.expect_end();
    return;
  }
  const char* suffix[4] = {"_scales", "_biases", "_means", "_variances"};
  for (int k = 0; k < 4; ++k) {
    NumberFile f(file_of(dir, p.name, suffix[k]));
    for (int64_t o = 0; o < p.outputs; ++o) d[k][o] = f.next(std::string(names[k]) + " of output " + std::to_string(o));
    f.expect_end();
  }
}

std::string num(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v));
  return buf;
}

const float* data(const graph::Graph& g, graph::ValueId v) { return g.value(v).initializer->data<float>(); }

const char* op_of(ParamLayer::Kind k) {
  return k == ParamLayer::Kind::Conv ? "Conv" : k == ParamLayer::Kind::Fc ? "Gemm" : "BatchNormalization";
}

}  // namespace

void import_weights(const std::string& dir, const std::vector<ParamLayer>& layers, graph::Graph& g) {
  if (!fs::is_directory(dir)) fail("-w ", dir, ": not a directory (N2D2's text weights, or /dev/null for the fillers)");
  for (const ParamLayer& p : layers) {
    if (p.kind == ParamLayer::Kind::BatchNorm) import_batchnorm(dir, p, g);
    else import_synaptic(dir, p, g);
  }
}

void export_weights(const std::string& dir, const std::vector<ParamLayer>& layers, const graph::Graph& g) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!fs::is_directory(dir)) fail(dir, ": cannot create the weights directory");
  for (const ParamLayer& p : layers) {
    if (p.kind == ParamLayer::Kind::BatchNorm) {
      graph::ValueId vs[4] = {p.scale, p.bias, p.mean, p.variance};
      const char* suffix[4] = {"_scales", "_biases", "_means", "_variances"};
      for (int k = 0; k < 4; ++k) {
        std::string text;
        for (int64_t o = 0; o < p.outputs; ++o) text += num(data(g, vs[k])[o]) + "\n";
        io::write_file_atomic(file_of(dir, p.name, suffix[k]), text);
      }
      continue;
    }
    std::string text;
    const float* w = data(g, p.weights);
    for (int64_t o = 0; o < p.outputs; ++o) {
      for (int64_t c = 0; c < p.channels; ++c) {
        if (weight_index(p, o, c, 0) < 0) continue;
        for (int64_t i = 0; i < p.kernel; ++i) text += num(w[weight_index(p, o, c, i)]) + " ";
      }
      text += "\n";
    }
    io::write_file_atomic(file_of(dir, p.name, "_weights"), text);
    if (p.bias != graph::kNoValue) {
      std::string bt;
      for (int64_t o = 0; o < p.outputs; ++o) bt += num(data(g, p.bias)[o]) + "\n";
      io::write_file_atomic(file_of(dir, p.name, "_biases"), bt);
    }
  }
}

void copy_weights(const graph::Graph& src, const std::string& src_name, const std::vector<ParamLayer>& layers, graph::Graph& g) {
  std::map<std::string, std::vector<const graph::Node*>> by_op;
  for (const graph::Node& n : src.nodes()) by_op[n.op_type].push_back(&n);
  std::map<std::string, std::size_t> next;
  auto constant = [&](const graph::Node& n, std::size_t i, const char* what) -> const Tensor& {
    if (!n.has_input(i) || !src.value(n.inputs[i]).initializer)
      fail(src_name, ": node ", n.label(), ": its ", what, " is not a constant");
    const Tensor& t = *src.value(n.inputs[i]).initializer;
    if (t.dtype() != DType::F32) fail(src_name, ": node ", n.label(), ": its ", what, " is not float32");
    return t;
  };
  auto put = [&](const ParamLayer& p, graph::ValueId dst, const Tensor& t, const graph::Node& n, const char* what) {
    const Shape& want = g.value(dst).initializer->shape();
    if (t.shape() != want)
      fail(src_name, ": node ", n.label(), ": its ", what, " is ", shape_str(t.shape()), ", layer [", p.name, "] (", p.where.str(),
           ") has ", shape_str(want));
    std::copy_n(t.data<float>(), t.numel(), mutable_data(g, dst));
  };
  for (const ParamLayer& p : layers) {
    const char* op = op_of(p.kind);
    std::size_t k = next[op]++;
    if (k >= by_op[op].size())
      fail(src_name, ": has ", by_op[op].size(), " ", op, " nodes; layer [", p.name, "] (", p.where.str(), ") needs one more");
    const graph::Node& n = *by_op[op][k];
    if (p.kind == ParamLayer::Kind::BatchNorm) {
      put(p, p.scale, constant(n, 1, "scale"), n, "scale");
      put(p, p.bias, constant(n, 2, "bias"), n, "bias");
      put(p, p.mean, constant(n, 3, "mean"), n, "mean");
      put(p, p.variance, constant(n, 4, "variance"), n, "variance");
      continue;
    }
    const Tensor& w = constant(n, 1, "weights");
    if (p.kind == ParamLayer::Kind::Fc && n.attrs.i_or("transB", 0) == 0) {
      if (w.rank() != 2) fail(src_name, ": node ", n.label(), ": weights of rank ", w.rank());
      Tensor t(DType::F32, {w.dim(1), w.dim(0)});
      for (int64_t i = 0; i < w.dim(0); ++i)
        for (int64_t j = 0; j < w.dim(1); ++j) t.data_mut<float>()[j * w.dim(0) + i] = w.data<float>()[i * w.dim(1) + j];
      put(p, p.weights, t, n, "weights");
    } else {
      if (p.kind == ParamLayer::Kind::Conv && n.attrs.i_or("group", 1) != p.groups)
        fail(src_name, ": node ", n.label(), ": group=", n.attrs.i_or("group", 1), ", layer [", p.name, "] has ", p.groups);
      put(p, p.weights, w, n, "weights");
    }
    if (!p.mask.empty()) {
      const float* d = data(g, p.weights);
      for (int64_t o = 0; o < p.outputs; ++o)
        for (int64_t c = 0; c < p.channels; ++c)
          for (int64_t i = 0; i < p.kernel && !p.connected(o, c); ++i)
            if (d[(o * p.channels + c) * p.kernel + i] != 0.f)
              fail(src_name, ": node ", n.label(), ": weight [", o, ", ", c, "] is not zero but layer [", p.name,
                   "]'s Mapping does not connect output ", o, " to channel ", c);
    }
    bool src_bias = n.has_input(2);
    if (src_bias != (p.bias != graph::kNoValue))
      fail(src_name, ": node ", n.label(), src_bias ? " has a bias but layer [" : " has no bias but layer [", p.name, "]",
           src_bias ? " has NoBias=1" : " has one");
    if (src_bias) put(p, p.bias, constant(n, 2, "bias"), n, "bias");
  }
  for (const auto& [op, nodes] : by_op)
    if ((op == "Conv" || op == "Gemm" || op == "BatchNormalization") && next[op] != nodes.size())
      fail(src_name, ": has ", nodes.size(), " ", op, " nodes, the INI network ", next[op]);
}

}  // namespace n2d2::ini
