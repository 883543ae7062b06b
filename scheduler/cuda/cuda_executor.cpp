#include "scheduler/cuda/cuda_executor.h"

#include <tbb/flow_graph.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <mutex>
#include <ostream>

#include "kernels/cuda/cuda_check.h"
#include "kernels/cuda/cuda_registry.h"
#include "kernels/run_node.h"
#include "scheduler/device_placement.h"
#include "scheduler/memory_plan.h"

namespace n2d2::sched {

std::string cuda_unavailable_reason() {
  int n = 0;
  cudaError_t e = cudaGetDeviceCount(&n);
  if (e != cudaSuccess) return std::string("no usable CUDA device (cudaGetDeviceCount: ") + cudaGetErrorString(e) + ")";
  if (n == 0) return "no CUDA device found";
  return "";
}

namespace {

using cuda::DeviceTensor;

constexpr std::size_t kCublasWorkspace = std::size_t{4} << 20;
constexpr std::size_t kAlign = 256;
std::size_t align_up(std::size_t b) { return (b + kAlign - 1) & ~(kAlign - 1); }

struct StreamRes {
  cudaStream_t stream = nullptr;
  cudnnHandle_t cudnn = nullptr;
  cublasHandle_t cublas = nullptr;
  cuda::StreamContext ctx;
  std::mutex m;  // the handles are not for concurrent use from two threads
};

class CudaExecutor final : public Executor {
 public:
  CudaExecutor(const Plan& plan, const CudaOptions& o);
  ~CudaExecutor() override;
  std::vector<Tensor> run(const std::vector<Tensor>& inputs, RunStats* stats) override;

 private:
  void place();
  void allocate();
  void build_flow_graph();
  void capture_graph();
  void execute(int i) noexcept;
  void execute_step(int i);
  void wait_cross_stream(int i, cudaStream_t s);
  const graph::Graph& g() const { return plan_.graph(); }

  const Plan& plan_;
  CudaOptions o_;
  Placement pl_;
  std::vector<const cuda::CudaKernelImpl*> impl_;          // per plan step (nullptr: CPU)
  std::vector<std::unique_ptr<cuda::Prepared>> prepared_;  // per plan step
  std::vector<DeviceTensor> dev_;                          // per slot
  std::vector<void*> pinned_;                              // per slot: graph inputs/outputs
  std::vector<void*> device_allocs_;                       // arena and uploaded constants
  std::vector<std::unique_ptr<StreamRes>> streams_;
  std::vector<cudaEvent_t> events_;  // per placed step
  std::vector<cudaEvent_t> fork_join_;
  std::size_t arena_bytes_ = 0;
  cudaGraph_t graph_ = nullptr;
  cudaGraphExec_t graph_exec_ = nullptr;
  bool capturing_ = false;

  // Per run.
  std::vector<Tensor> host_;
  std::mutex error_mutex_;
  std::exception_ptr error_;

  tbb::task_arena arena_;
  std::unique_ptr<tbb::flow::graph> flow_;
  std::unique_ptr<tbb::flow::broadcast_node<tbb::flow::continue_msg>> start_;
  std::vector<std::unique_ptr<tbb::flow::continue_node<tbb::flow::continue_msg>>> nodes_;
};

CudaExecutor::CudaExecutor(const Plan& plan, const CudaOptions& o) : plan_(plan), o_(o), arena_(std::max(1, o.threads)) {
  if (o.threads < 1) fail("--threads must be at least 1, got ", o.threads);
  if (std::string why = cuda_unavailable_reason(); !why.empty()) fail("--device cuda: ", why);
  N2D2_CUDA(cudaSetDevice(o.device));
  for (std::size_t v = 0; v < g().num_values(); ++v) {
    const graph::Value& val = g().value(static_cast<graph::ValueId>(v));
    bool used = val.is_constant() || val.producer != graph::kNoNode ||
                std::find(g().inputs().begin(), g().inputs().end(), static_cast<graph::ValueId>(v)) != g().inputs().end();
    if (used && !val.type.fully_known())
      fail("--device cuda needs static shapes: '", val.name, "' is ", val.type.str(), " (fix it with --shape or --batch)");
  }
  place();
  allocate();
  if (o.cuda_graph) {
    capture_graph();
  } else if (o.engine == Engine::Tbb) {
    arena_.execute([&] { build_flow_graph(); });
  }
}

void CudaExecutor::place() {
  const auto& steps = plan_.steps();
  impl_.assign(steps.size(), nullptr);
  prepared_.resize(steps.size());
  const cuda::CudaRegistry& reg = cuda::CudaRegistry::builtin();
  pl_ = place_on_device(
      plan_,
      [&](const Step& s) {
        std::size_t i = static_cast<std::size_t>(&s - steps.data());
        std::string why;
        impl_[i] = reg.select(kernels::make_query(g(), g().node(s.node)), why);
        return impl_[i] ? DeviceChoice{true, impl_[i]->name} : DeviceChoice{false, why};
      },
      o_.max_streams);
  if (o_.dispatch_log) {
    for (const std::string& line : pl_.log) *o_.dispatch_log << line << "\n";
    *o_.dispatch_log << "cuda: " << pl_.transfers << " transfer(s), " << pl_.num_streams << " stream(s)\n";
  }
  if (o_.cuda_graph)
    for (const PlacedStep& p : pl_.steps)
      if (p.kind == PlacedStep::Kind::Run && !p.on_device())
        fail("--cuda-graph needs every node on the GPU; ", g().node(steps[p.step].node).label(),
             " runs on the CPU (see N2D2_VERBOSE=dispatch)");
  int n = std::max(1, pl_.num_streams);
  for (int i = 0; i < n; ++i) {
    auto r = std::make_unique<StreamRes>();
    N2D2_CUDA(cudaStreamCreateWithFlags(&r->stream, cudaStreamNonBlocking));
    N2D2_CUDA(cudnnCreate(&r->cudnn));
    N2D2_CUDA(cudnnSetStream(r->cudnn, r->stream));
    N2D2_CUDA(cublasCreate(&r->cublas));
    N2D2_CUDA(cublasSetStream(r->cublas, r->stream));
    streams_.push_back(std::move(r));
  }
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (impl_[i] && impl_[i]->prepare) {
      kernels::KernelQuery q = kernels::make_query(g(), g().node(steps[i].node));
      prepared_[i] = impl_[i]->prepare({g(), g().node(steps[i].node), q, streams_[0]->cudnn});
    }
}

void CudaExecutor::allocate() {
  const auto& steps = plan_.steps();
  const std::size_t nslots = g().num_values();
  dev_.assign(nslots, DeviceTensor{});
  pinned_.assign(nslots, nullptr);
  auto type_of = [&](int slot) { return g().value(slot).type; };
  // Constants read on the device are uploaded once.
  for (const PlacedStep& p : pl_.steps) {
    if (p.kind != PlacedStep::Kind::Run || !p.on_device()) continue;
    for (int slot : steps[p.step].in_slots) {
      if (slot < 0 || dev_[slot].ptr || !g().value(slot).is_constant()) continue;
      const Tensor& t = *g().value(slot).initializer;
      void* ptr = nullptr;
      N2D2_CUDA(cudaMalloc(&ptr, std::max<std::size_t>(t.nbytes(), 1)));
      device_allocs_.push_back(ptr);
      if (t.nbytes()) N2D2_CUDA(cudaMemcpy(ptr, t.raw(), t.nbytes(), cudaMemcpyHostToDevice));
      dev_[slot] = {t.dtype(), t.shape(), ptr};
    }
  }
  // Device buffers: a view shares its source's buffer (its root); a root lives from its producer
  // to its last device reader.
  std::vector<int> root(nslots, -1), buffer_of_root(nslots, -1);
  std::vector<BufferLifetime> buffers;
  std::vector<int> buffer_root;
  auto touch = [&](int slot, int at) {
    int r = root[slot];
    if (r < 0 || buffer_of_root[r] < 0) return;
    BufferLifetime& b = buffers[buffer_of_root[r]];
    b.last = std::max(b.last, at);
  };
  auto new_buffer = [&](int slot, int at) {
    root[slot] = slot;
    buffer_of_root[slot] = static_cast<int>(buffers.size());
    TensorType t = type_of(slot);
    buffers.push_back({static_cast<std::size_t>(shape_numel(t.dims)) * dtype_size(t.dtype), at, at});
    buffer_root.push_back(slot);
  };
  for (std::size_t i = 0; i < pl_.steps.size(); ++i) {
    const PlacedStep& p = pl_.steps[i];
    int at = static_cast<int>(i);
    if (p.kind == PlacedStep::Kind::ToDevice) {
      new_buffer(p.slot, at);
    } else if (p.kind == PlacedStep::Kind::ToHost) {
      touch(p.slot, at);
    } else if (p.on_device()) {
      const Step& s = steps[p.step];
      for (int slot : s.in_slots)
        if (slot >= 0) touch(slot, at);
      const cuda::CudaKernelImpl* impl = impl_[p.step];
      for (std::size_t k = 0; k < s.out_slots.size(); ++k) {
        int slot = s.out_slots[k];
        if (slot < 0) continue;
        if (impl->alias_input >= 0 && k == 0) {
          int src = s.in_slots[impl->alias_input];
          root[slot] = root[src] >= 0 ? root[src] : -1;
          if (root[slot] < 0) dev_[slot] = {type_of(slot).dtype, type_of(slot).dims, dev_[src].ptr};  // view of a constant
          touch(slot, at);
        } else {
          new_buffer(slot, at);
        }
      }
    }
  }
  // Readers through views extend the root's life: `touch` went through root[], so it is done.
  MemoryPlan mp = plan_memory(buffers, kAlign);
  std::size_t ws = 0;
  for (const auto& st : prepared_)
    if (st) ws = std::max(ws, st->workspace_bytes);
  ws = align_up(ws);
  arena_bytes_ = mp.arena_bytes + streams_.size() * (ws + kCublasWorkspace);
  void* arena = nullptr;
  N2D2_CUDA(cudaMalloc(&arena, std::max<std::size_t>(arena_bytes_, 1)));
  device_allocs_.push_back(arena);
  auto* base = static_cast<char*>(arena);
  for (std::size_t b = 0; b < buffers.size(); ++b) {
    int slot = buffer_root[b];
    dev_[slot] = {type_of(slot).dtype, type_of(slot).dims, base + mp.offsets[b]};
  }
  for (std::size_t v = 0; v < nslots; ++v)
    if (root[v] >= 0 && root[v] != static_cast<int>(v))
      dev_[v] = {type_of(static_cast<int>(v)).dtype, type_of(static_cast<int>(v)).dims, dev_[root[v]].ptr};
  char* tail = base + mp.arena_bytes;
  for (auto& s : streams_) {
    s->ctx = {s->stream, s->cudnn, s->cublas, tail, ws};
    N2D2_CUDA(cublasSetWorkspace(s->cublas, tail + ws, kCublasWorkspace));
    tail += ws + kCublasWorkspace;
  }
  // Pinned staging for graph inputs copied in and graph outputs copied out.
  for (const PlacedStep& p : pl_.steps) {
    if (p.kind == PlacedStep::Kind::Run || pinned_[p.slot]) continue;
    bool is_in = std::find(g().inputs().begin(), g().inputs().end(), p.slot) != g().inputs().end();
    bool is_out = std::find(g().outputs().begin(), g().outputs().end(), p.slot) != g().outputs().end();
    if ((p.kind == PlacedStep::Kind::ToDevice && is_in) || (p.kind == PlacedStep::Kind::ToHost && is_out))
      N2D2_CUDA(cudaHostAlloc(&pinned_[p.slot], std::max<std::size_t>(dev_[p.slot].nbytes(), 1), cudaHostAllocDefault));
  }
  events_.assign(pl_.steps.size(), nullptr);
  for (std::size_t i = 0; i < pl_.steps.size(); ++i)
    if (pl_.steps[i].on_device()) N2D2_CUDA(cudaEventCreateWithFlags(&events_[i], cudaEventDisableTiming));
}

CudaExecutor::~CudaExecutor() {
  for (auto& s : streams_) cudaStreamSynchronize(s->stream);
  if (graph_exec_) cudaGraphExecDestroy(graph_exec_);
  if (graph_) cudaGraphDestroy(graph_);
  for (cudaEvent_t e : events_)
    if (e) cudaEventDestroy(e);
  for (cudaEvent_t e : fork_join_) cudaEventDestroy(e);
  for (void* p : pinned_)
    if (p) cudaFreeHost(p);
  for (void* p : device_allocs_) cudaFree(p);
  for (auto& s : streams_) {
    cublasDestroy(s->cublas);
    cudnnDestroy(s->cudnn);
    cudaStreamDestroy(s->stream);
  }
}

void CudaExecutor::wait_cross_stream(int i, cudaStream_t s) {
  for (int p : pl_.steps[i].preds)
    if (pl_.steps[p].on_device() && pl_.steps[p].stream != pl_.steps[i].stream)
      N2D2_CUDA(cudaStreamWaitEvent(s, events_[p], 0));
}

void CudaExecutor::execute_step(int i) {
  const PlacedStep& p = pl_.steps[i];
  const auto& steps = plan_.steps();
  if (p.kind == PlacedStep::Kind::Run && !p.on_device()) {  // CPU fallback
    const Step& s = steps[p.step];
    std::vector<const Tensor*> in(s.in_slots.size(), nullptr);
    for (std::size_t k = 0; k < in.size(); ++k) {
      int slot = s.in_slots[k];
      if (slot < 0) continue;
      in[k] = g().value(slot).is_constant() ? &*g().value(slot).initializer : &host_[slot];
    }
    std::vector<Tensor> out = kernels::run_node(g().node(s.node), in, *s.kernel, plan_.ops());
    for (std::size_t k = 0; k < out.size(); ++k)
      if (s.out_slots[k] >= 0) host_[s.out_slots[k]] = std::move(out[k]);
    return;
  }
  StreamRes& sr = *streams_[p.stream];
  Tensor to_host;  // ToHost outside a capture: the host tensor its CPU readers (or run()) get
  {
    std::lock_guard<std::mutex> lock(sr.m);
    wait_cross_stream(i, sr.stream);
    if (p.kind == PlacedStep::Kind::ToDevice) {
      const DeviceTensor& d = dev_[p.slot];
      const void* src = pinned_[p.slot] ? pinned_[p.slot] : host_[p.slot].raw();
      N2D2_CUDA(cudaMemcpyAsync(d.ptr, src, d.nbytes(), cudaMemcpyHostToDevice, sr.stream));
    } else if (p.kind == PlacedStep::Kind::ToHost) {
      const DeviceTensor& d = dev_[p.slot];
      void* dst = pinned_[p.slot];
      if (!capturing_) {
        to_host = Tensor(d.dtype, d.shape);
        if (!dst) dst = to_host.raw_mut();
      }
      N2D2_CUDA(cudaMemcpyAsync(dst, d.ptr, d.nbytes(), cudaMemcpyDeviceToHost, sr.stream));
    } else {
      const Step& s = steps[p.step];
      const cuda::CudaKernelImpl* impl = impl_[p.step];
      if (impl->alias_input < 0) {
        std::vector<const DeviceTensor*> in(s.in_slots.size(), nullptr);
        for (std::size_t k = 0; k < in.size(); ++k)
          if (s.in_slots[k] >= 0) in[k] = &dev_[s.in_slots[k]];
        std::vector<DeviceTensor> out;
        for (int slot : s.out_slots) out.push_back(slot >= 0 ? dev_[slot] : DeviceTensor{});
        impl->run({g().node(s.node), in, out, sr.ctx, prepared_[p.step].get()});
      }
    }
    N2D2_CUDA(cudaEventRecord(events_[i], sr.stream));
  }
  // A copy to the host is complete before its readers on the CPU start (not while capturing:
  // run() synchronizes after the replay).
  if (p.kind == PlacedStep::Kind::ToHost && !capturing_) {
    N2D2_CUDA(cudaEventSynchronize(events_[i]));
    if (pinned_[p.slot]) std::memcpy(to_host.raw_mut(), pinned_[p.slot], to_host.nbytes());
    host_[p.slot] = std::move(to_host);
  }
}

void CudaExecutor::execute(int i) noexcept {
  {
    std::lock_guard<std::mutex> lock(error_mutex_);
    if (error_) return;
  }
  try {
    execute_step(i);
  } catch (...) {
    std::lock_guard<std::mutex> lock(error_mutex_);
    if (!error_) error_ = std::current_exception();
  }
}

void CudaExecutor::build_flow_graph() {
  flow_ = std::make_unique<tbb::flow::graph>();
  start_ = std::make_unique<tbb::flow::broadcast_node<tbb::flow::continue_msg>>(*flow_);
  for (std::size_t i = 0; i < pl_.steps.size(); ++i)
    nodes_.push_back(std::make_unique<tbb::flow::continue_node<tbb::flow::continue_msg>>(
        *flow_, [this, i](const tbb::flow::continue_msg&) { execute(static_cast<int>(i)); }));
  for (std::size_t i = 0; i < pl_.steps.size(); ++i) {
    if (pl_.steps[i].preds.empty()) tbb::flow::make_edge(*start_, *nodes_[i]);
    for (int s : pl_.steps[i].succs) tbb::flow::make_edge(*nodes_[i], *nodes_[s]);
  }
}

// Every step is device work here (checked in place()): enqueue them all once under stream
// capture, the other streams forked from and joined back into stream 0.
void CudaExecutor::capture_graph() {
  cudaStream_t s0 = streams_[0]->stream;
  capturing_ = true;
  N2D2_CUDA(cudaStreamBeginCapture(s0, cudaStreamCaptureModeThreadLocal));
  cudaEvent_t fork;
  N2D2_CUDA(cudaEventCreateWithFlags(&fork, cudaEventDisableTiming));
  fork_join_.push_back(fork);
  N2D2_CUDA(cudaEventRecord(fork, s0));
  for (std::size_t k = 1; k < streams_.size(); ++k) N2D2_CUDA(cudaStreamWaitEvent(streams_[k]->stream, fork, 0));
  for (std::size_t i = 0; i < pl_.steps.size(); ++i) execute(static_cast<int>(i));
  for (std::size_t k = 1; k < streams_.size(); ++k) {
    cudaEvent_t join;
    N2D2_CUDA(cudaEventCreateWithFlags(&join, cudaEventDisableTiming));
    fork_join_.push_back(join);
    N2D2_CUDA(cudaEventRecord(join, streams_[k]->stream));
    N2D2_CUDA(cudaStreamWaitEvent(s0, join, 0));
  }
  cudaError_t end = cudaStreamEndCapture(s0, &graph_);
  capturing_ = false;
  if (error_) std::rethrow_exception(error_);
  N2D2_CUDA(end);
  N2D2_CUDA(cudaGraphInstantiate(&graph_exec_, graph_, 0));
}

std::vector<Tensor> CudaExecutor::run(const std::vector<Tensor>& inputs, RunStats* stats) {
  const auto& gin = g().inputs();
  if (inputs.size() != gin.size()) fail("the model takes ", gin.size(), " inputs, ", inputs.size(), " were given");
  host_.assign(g().num_values(), Tensor());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    check_input(g().value(gin[i]), inputs[i]);
    host_[gin[i]] = inputs[i];
    if (pinned_[gin[i]]) std::memcpy(pinned_[gin[i]], inputs[i].raw(), inputs[i].nbytes());
  }
  error_ = nullptr;
  if (graph_exec_) {
    N2D2_CUDA(cudaGraphLaunch(graph_exec_, streams_[0]->stream));
  } else if (flow_) {
    arena_.execute([&] {
      start_->try_put(tbb::flow::continue_msg());
      flow_->wait_for_all();
    });
  } else {
    arena_.execute([&] {
      for (std::size_t i = 0; i < pl_.steps.size(); ++i) execute(static_cast<int>(i));
    });
  }
  for (auto& s : streams_) N2D2_CUDA(cudaStreamSynchronize(s->stream));
  if (error_) std::rethrow_exception(error_);
  std::vector<Tensor> out;
  for (graph::ValueId v : g().outputs()) {
    if (graph_exec_ && pinned_[v]) {  // a replay wrote the outputs to their pinned buffers
      Tensor t(dev_[v].dtype, dev_[v].shape);
      std::memcpy(t.raw_mut(), pinned_[v], t.nbytes());
      out.push_back(std::move(t));
    } else {
      out.push_back(g().value(v).is_constant() ? *g().value(v).initializer : host_[v]);
    }
  }
  if (stats) stats->peak_bytes = arena_bytes_;
  host_.clear();
  return out;
}

}  // namespace

std::unique_ptr<Executor> make_cuda_executor(const Plan& plan, const CudaOptions& opts) {
  return std::make_unique<CudaExecutor>(plan, opts);
}

}  // namespace n2d2::sched
