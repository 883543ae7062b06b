// cuDNN-backed ops: Conv (algorithm chosen once per shape and cached), MaxPool/AveragePool and
// the global pools, BatchNormalization (inference), Softmax/LogSoftmax and the Relu/Sigmoid/Tanh
// activations. 2-D problems (1-D ones as H = 1); FP32 math only (no TF32), so results stay within
// the CPU reference's tolerance.
#include <map>
#include <mutex>

#include "graph/ops/window.h"
#include "kernels/cuda/cuda_check.h"
#include "kernels/cuda/cuda_registry.h"
#include "kernels/cuda/glue.h"

namespace n2d2::cuda {

namespace {

// --- descriptors (RAII): one owner type per cuDNN descriptor kind.
template <class D, cudnnStatus_t (*Create)(D*), cudnnStatus_t (*Destroy)(D)>
struct Desc {
  D d = nullptr;
  Desc() { N2D2_CUDA(Create(&d)); }
  ~Desc() { Destroy(d); }
  Desc(const Desc&) = delete;
  Desc& operator=(const Desc&) = delete;
};
using FilterDesc = Desc<cudnnFilterDescriptor_t, cudnnCreateFilterDescriptor, cudnnDestroyFilterDescriptor>;
using ConvDesc = Desc<cudnnConvolutionDescriptor_t, cudnnCreateConvolutionDescriptor, cudnnDestroyConvolutionDescriptor>;
using PoolDesc = Desc<cudnnPoolingDescriptor_t, cudnnCreatePoolingDescriptor, cudnnDestroyPoolingDescriptor>;
using ActDesc = Desc<cudnnActivationDescriptor_t, cudnnCreateActivationDescriptor, cudnnDestroyActivationDescriptor>;
struct TensorDesc : Desc<cudnnTensorDescriptor_t, cudnnCreateTensorDescriptor, cudnnDestroyTensorDescriptor> {
  void set(int64_t n, int64_t c, int64_t h, int64_t w) {
    N2D2_CUDA(cudnnSetTensor4dDescriptor(d, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT, static_cast<int>(n), static_cast<int>(c),
                                         static_cast<int>(h), static_cast<int>(w)));
  }
};

// NC(H)(W) shapes of rank 3 or 4 as 4-D (a 1-D problem gets H = 1).
bool as_nchw(const Shape& s, int64_t (&d)[4]) {
  if (s.size() == 4) {
    for (int i = 0; i < 4; ++i) d[i] = s[i];
    return true;
  }
  if (s.size() == 3) {
    d[0] = s[0], d[1] = s[1], d[2] = 1, d[3] = s[2];
    return true;
  }
  return false;
}

std::string check_window(const graph::Window& w) {
  for (std::size_t i = 0; i < w.kernel.size(); ++i)
    if (w.pads_begin[i] != w.pads_end[i]) return "asymmetric padding";
  return "";
}

// The node's window over 1 or 2 spatial axes, with the 1-D case lifted to 2-D.
struct Window2 {
  int k[2] = {1, 1}, s[2] = {1, 1}, d[2] = {1, 1}, p[2] = {0, 0};
};
Window2 lift(const graph::Window& w) {
  Window2 r;
  std::size_t off = 2 - w.kernel.size();
  for (std::size_t i = 0; i < w.kernel.size(); ++i) {
    r.k[off + i] = static_cast<int>(w.kernel[i]);
    r.s[off + i] = static_cast<int>(w.strides[i]);
    r.d[off + i] = static_cast<int>(w.dilations[i]);
    r.p[off + i] = static_cast<int>(w.pads_begin[i]);
  }
  return r;
}

// --- Conv
std::string supports_conv(const kernels::KernelQuery& q) {
  if (std::string r = require_static_f32(q); !r.empty()) return r;
  std::size_t rank = q.input_types[0].rank();
  if (rank != 3 && rank != 4) return "only 1-D and 2-D convolutions";
  const Shape& x = q.input_types[0].dims;
  const Shape& w = q.input_types[1].dims;
  graph::Window win = graph::window_forward(q.node, graph::spatial_dims(x), graph::spatial_dims(w), false);
  return check_window(win);
}

struct ConvState : Prepared {
  TensorDesc x, y, bias;
  FilterDesc w;
  ConvDesc conv;
  cudnnConvolutionFwdAlgo_t algo = CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_GEMM;
};

// One algorithm per problem, chosen by cuDNN's heuristics once and shared by equal nodes.
struct AlgoCache {
  std::mutex m;
  std::map<std::string, std::pair<cudnnConvolutionFwdAlgo_t, std::size_t>> algos;
};
AlgoCache& algo_cache() {
  static AlgoCache c;
  return c;
}

constexpr std::size_t kMaxWorkspace = std::size_t{256} << 20;

std::unique_ptr<Prepared> prepare_conv(const PrepareContext& p) {
  auto st = std::make_unique<ConvState>();
  const Shape& xs = p.query.input_types[0].dims;
  const Shape& ws = p.query.input_types[1].dims;
  const Shape& ys = p.query.output_types[0].dims;
  graph::Window win = graph::window_forward(p.node, graph::spatial_dims(xs), graph::spatial_dims(ws), false);
  Window2 w2 = lift(win);
  int64_t x4[4] = {1, 1, 1, 1}, y4[4] = {1, 1, 1, 1};
  as_nchw(xs, x4), as_nchw(ys, y4);
  st->x.set(x4[0], x4[1], x4[2], x4[3]);
  st->y.set(y4[0], y4[1], y4[2], y4[3]);
  st->bias.set(1, y4[1], 1, 1);
  int64_t group = p.node.attrs.i_or("group", 1);
  int kh = ws.size() == 4 ? static_cast<int>(ws[2]) : 1, kw = static_cast<int>(ws.back());
  N2D2_CUDA(cudnnSetFilter4dDescriptor(st->w.d, CUDNN_DATA_FLOAT, CUDNN_TENSOR_NCHW, static_cast<int>(ws[0]),
                                       static_cast<int>(ws[1]), kh, kw));
  N2D2_CUDA(cudnnSetConvolution2dDescriptor(st->conv.d, w2.p[0], w2.p[1], w2.s[0], w2.s[1], w2.d[0], w2.d[1],
                                            CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT));
  N2D2_CUDA(cudnnSetConvolutionGroupCount(st->conv.d, static_cast<int>(group)));
  N2D2_CUDA(cudnnSetConvolutionMathType(st->conv.d, CUDNN_FMA_MATH));
  int n, c, h, w;
  N2D2_CUDA(cudnnGetConvolution2dForwardOutputDim(st->conv.d, st->x.d, st->w.d, &n, &c, &h, &w));
  if (n != y4[0] || c != y4[1] || h != y4[2] || w != y4[3])
    fail(p.node.label(), ": cuDNN computes an output of ", n, "x", c, "x", h, "x", w, ", shape inference ", shape_str(ys));
  std::string key = shape_str(xs) + "|" + shape_str(ws) + "|" + std::to_string(group);
  for (int v : {w2.p[0], w2.p[1], w2.s[0], w2.s[1], w2.d[0], w2.d[1]}) key += "," + std::to_string(v);
  AlgoCache& cache = algo_cache();
  std::lock_guard<std::mutex> lock(cache.m);
  auto it = cache.algos.find(key);
  if (it == cache.algos.end()) {
    cudnnConvolutionFwdAlgoPerf_t perf[CUDNN_CONVOLUTION_FWD_ALGO_COUNT];
    int found = 0;
    N2D2_CUDA(cudnnGetConvolutionForwardAlgorithm_v7(p.cudnn, st->x.d, st->w.d, st->conv.d, st->y.d,
                                                     CUDNN_CONVOLUTION_FWD_ALGO_COUNT, &found, perf));
    std::pair<cudnnConvolutionFwdAlgo_t, std::size_t> best{CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_GEMM, 0};
    bool chosen = false;
    for (int i = 0; i < found && !chosen; ++i)
      if (perf[i].status == CUDNN_STATUS_SUCCESS && perf[i].memory <= kMaxWorkspace && perf[i].mathType == CUDNN_FMA_MATH)
        best = {perf[i].algo, perf[i].memory}, chosen = true;
    if (!chosen) {
      std::size_t bytes = 0;
      N2D2_CUDA(cudnnGetConvolutionForwardWorkspaceSize(p.cudnn, st->x.d, st->w.d, st->conv.d, st->y.d, best.first, &bytes));
      best.second = bytes;
    }
    it = cache.algos.emplace(key, best).first;
  }
  st->algo = it->second.first;
  st->workspace_bytes = it->second.second;
  return st;
}

void run_conv(const CudaKernelContext& c) {
  const auto& st = c.prepared<ConvState>();
  const float one = 1.f, zero = 0.f;
  N2D2_CUDA(cudnnConvolutionForward(c.s.cudnn, &one, st.x.d, c.in(0).ptr, st.w.d, c.in(1).ptr, st.conv.d, st.algo,
                                    c.s.workspace, c.s.workspace_bytes, &zero, st.y.d, c.out(0).ptr));
  if (c.has_input(2)) N2D2_CUDA(cudnnAddTensor(c.s.cudnn, &one, st.bias.d, c.in(2).ptr, &one, st.y.d, c.out(0).ptr));
}

// --- pooling
bool is_global(const graph::Node& n) { return n.op_type == "GlobalAveragePool" || n.op_type == "GlobalMaxPool"; }

std::string supports_pool(const kernels::KernelQuery& q) {
  if (std::string r = require_static_f32(q); !r.empty()) return r;
  if (q.node.has_output(1)) return "the Indices output";
  int64_t x4[4], y4[4];
  if (!as_nchw(q.input_types[0].dims, x4) || !as_nchw(q.output_types[0].dims, y4)) return "only 1-D and 2-D pooling";
  if (is_global(q.node)) return "";
  if (q.node.attrs.i_or("storage_order", 0) != 0) return "storage_order 1";
  graph::Window win = graph::window_forward(q.node, graph::spatial_dims(q.input_types[0].dims),
                                            q.node.attrs.ints("kernel_shape"), q.node.attrs.i_or("ceil_mode", 0) != 0);
  for (int64_t d : win.dilations)
    if (d != 1) return "dilations";
  if (std::string r = check_window(win); !r.empty()) return r;
  // cuDNN sizes outputs by floor: a ceil_mode output that differs is not for it.
  graph::Window floor_win = graph::window_forward(q.node, graph::spatial_dims(q.input_types[0].dims),
                                                  q.node.attrs.ints("kernel_shape"), false);
  if (floor_win.out != win.out) return "ceil_mode changes the output size";
  return "";
}

struct PoolState : Prepared {
  TensorDesc x, y;
  PoolDesc pool;
};

std::unique_ptr<Prepared> prepare_pool(const PrepareContext& p) {
  auto st = std::make_unique<PoolState>();
  int64_t x4[4] = {1, 1, 1, 1}, y4[4] = {1, 1, 1, 1};
  as_nchw(p.query.input_types[0].dims, x4), as_nchw(p.query.output_types[0].dims, y4);
  st->x.set(x4[0], x4[1], x4[2], x4[3]);
  st->y.set(y4[0], y4[1], y4[2], y4[3]);
  const std::string& op = p.node.op_type;
  bool max = op == "MaxPool" || op == "GlobalMaxPool";
  cudnnPoolingMode_t mode = max ? CUDNN_POOLING_MAX_DETERMINISTIC
                                : (p.node.attrs.i_or("count_include_pad", 0) ? CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING
                                                                             : CUDNN_POOLING_AVERAGE_COUNT_EXCLUDE_PADDING);
  Window2 w2;
  if (is_global(p.node)) {
    w2.k[0] = static_cast<int>(x4[2]), w2.k[1] = static_cast<int>(x4[3]);
  } else {
    w2 = lift(graph::window_forward(p.node, graph::spatial_dims(p.query.input_types[0].dims),
                                    p.node.attrs.ints("kernel_shape"), false));
  }
  N2D2_CUDA(cudnnSetPooling2dDescriptor(st->pool.d, mode, CUDNN_NOT_PROPAGATE_NAN, w2.k[0], w2.k[1], w2.p[0], w2.p[1],
                                        w2.s[0], w2.s[1]));
  return st;
}

void run_pool(const CudaKernelContext& c) {
  const auto& st = c.prepared<PoolState>();
  const float one = 1.f, zero = 0.f;
  N2D2_CUDA(cudnnPoolingForward(c.s.cudnn, st.pool.d, &one, st.x.d, c.in(0).ptr, &zero, st.y.d, c.out(0).ptr));
}

// --- BatchNormalization (inference)
std::string supports_bn(const kernels::KernelQuery& q) {
  if (std::string r = require_static_f32(q); !r.empty()) return r;
  std::size_t rank = q.input_types[0].rank();
  if (rank < 2 || rank > 4) return "rank " + std::to_string(rank);
  for (std::size_t i = 1; i < q.output_types.size(); ++i)
    if (q.node.has_output(i)) return "training outputs";
  if (q.node.attrs.i_or("training_mode", 0) != 0) return "training_mode";
  return "";
}

struct BnState : Prepared {
  TensorDesc x, bn;
  double epsilon = 1e-5;
};

std::unique_ptr<Prepared> prepare_bn(const PrepareContext& p) {
  auto st = std::make_unique<BnState>();
  const Shape& s = p.query.input_types[0].dims;
  int64_t h = s.size() > 2 ? s[2] : 1, w = s.size() > 3 ? s[3] : 1;
  st->x.set(s[0], s[1], h, w);
  st->bn.set(1, s[1], 1, 1);
  st->epsilon = p.node.attrs.f_or("epsilon", 1e-5f);
  if (st->epsilon < CUDNN_BN_MIN_EPSILON) fail(p.node.label(), ": epsilon below cuDNN's minimum");
  return st;
}

void run_bn(const CudaKernelContext& c) {
  const auto& st = c.prepared<BnState>();
  const float one = 1.f, zero = 0.f;
  N2D2_CUDA(cudnnBatchNormalizationForwardInference(c.s.cudnn, CUDNN_BATCHNORM_SPATIAL, &one, &zero, st.x.d, c.in(0).ptr,
                                                    st.x.d, c.out(0).ptr, st.bn.d, c.in(1).ptr, c.in(2).ptr,
                                                    c.in(3).ptr, c.in(4).ptr, st.epsilon));
}

// --- Softmax / LogSoftmax
struct SoftmaxState : Prepared {
  TensorDesc x;
  cudnnSoftmaxMode_t mode = CUDNN_SOFTMAX_MODE_CHANNEL;
};

std::string supports_softmax(const kernels::KernelQuery& q) { return require_static_f32(q); }

std::unique_ptr<Prepared> prepare_softmax(const PrepareContext& p) {
  auto st = std::make_unique<SoftmaxState>();
  const Shape& s = p.query.input_types[0].dims;
  int64_t rank = static_cast<int64_t>(s.size());
  int64_t axis = p.node.attrs.i_or("axis", p.node.since_version >= 13 ? -1 : 1);
  if (axis < 0) axis += rank;
  int64_t outer = 1, mid = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d) (d < axis ? outer : d == axis ? mid : inner) *= s[d];
  if (p.node.since_version >= 13) {
    st->x.set(outer, mid, inner, 1);  // over one axis: cuDNN's channel mode
    st->mode = CUDNN_SOFTMAX_MODE_CHANNEL;
  } else {
    st->x.set(outer, mid * inner, 1, 1);  // over the flattened tail: instance mode
    st->mode = CUDNN_SOFTMAX_MODE_INSTANCE;
  }
  return st;
}

void run_softmax(const CudaKernelContext& c) {
  const auto& st = c.prepared<SoftmaxState>();
  const float one = 1.f, zero = 0.f;
  cudnnSoftmaxAlgorithm_t algo = c.node.op_type == "LogSoftmax" ? CUDNN_SOFTMAX_LOG : CUDNN_SOFTMAX_ACCURATE;
  N2D2_CUDA(cudnnSoftmaxForward(c.s.cudnn, algo, st.mode, &one, st.x.d, c.in(0).ptr, &zero, st.x.d, c.out(0).ptr));
}

// --- Relu / Sigmoid / Tanh
struct ActState : Prepared {
  TensorDesc x;
  ActDesc act;
};

std::unique_ptr<Prepared> prepare_activation(const PrepareContext& p) {
  auto st = std::make_unique<ActState>();
  int64_t n = shape_numel(p.query.input_types[0].dims);
  st->x.set(1, 1, 1, n);
  const std::string& op = p.node.op_type;
  cudnnActivationMode_t mode = op == "Relu" ? CUDNN_ACTIVATION_RELU : op == "Sigmoid" ? CUDNN_ACTIVATION_SIGMOID : CUDNN_ACTIVATION_TANH;
  N2D2_CUDA(cudnnSetActivationDescriptor(st->act.d, mode, CUDNN_NOT_PROPAGATE_NAN, 0.0));
  return st;
}

std::string supports_activation(const kernels::KernelQuery& q) {
  if (std::string r = require_static_f32(q); !r.empty()) return r;
  if (shape_numel(q.input_types[0].dims) >= (int64_t{1} << 31)) return "more than 2^31 elements";
  return "";
}

void run_activation(const CudaKernelContext& c) {
  const auto& st = c.prepared<ActState>();
  const float one = 1.f, zero = 0.f;
  N2D2_CUDA(cudnnActivationForward(c.s.cudnn, st.act.d, &one, st.x.d, c.in(0).ptr, &zero, st.x.d, c.out(0).ptr));
}

}  // namespace

void register_cuda_dnn_kernels(CudaRegistry& r) {
  r.add({"conv2d_f32_cudnn", "Conv", "", supports_conv, prepare_conv, run_conv});
  for (const char* op : {"MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool"})
    r.add({"pool2d_f32_cudnn", op, "", supports_pool, prepare_pool, run_pool});
  r.add({"batchnorm_f32_cudnn", "BatchNormalization", "", supports_bn, prepare_bn, run_bn});
  for (const char* op : {"Softmax", "LogSoftmax"}) r.add({"softmax_f32_cudnn", op, "", supports_softmax, prepare_softmax, run_softmax});
  for (const char* op : {"Relu", "Sigmoid", "Tanh"})
    r.add({"activation_f32_cudnn", op, "", supports_activation, prepare_activation, run_activation});
}

}  // namespace n2d2::cuda
