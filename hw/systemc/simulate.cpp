#include "hw/systemc/simulate.h"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <memory>

#include "graph/error.h"
#include "hw/systemc/arith.h"
#include "hw/systemc/modules.h"

// The SystemC library references sc_main; n2d2 calls sc_start itself.
int sc_main(int, char**) { return 0; }

namespace n2d2::hw {
namespace detail {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Network input: one beat (all channels of a pixel) per cycle while the FIFO is ready.
struct Source : Clocked {
  SC_HAS_PROCESS(Source);
  Source(const sc_core::sc_module_name& n, const Network& net, const std::vector<std::vector<int32_t>>& frames, SimResult& r)
      : Clocked(n), net_(net), frames_(frames), r_(r) {
    SC_METHOD(tick);
    sensitive << clk.pos();
    dont_initialize();
  }
  OutPort out;
  void tick() {
    ++cycle;
    if (frame_ >= frames_.size()) return;
    if (!out.ready()) {
      ++stats.stall_out;
      return;
    }
    const int64_t hw = int64_t{net_.input.h} * net_.input.w;
    if (px_ == 0) r_.first_in[frame_] = cycle;
    int32_t v[64];
    std::vector<int32_t> big;
    int32_t* p = v;
    if (net_.input.c > 64) big.resize(static_cast<std::size_t>(net_.input.c)), p = big.data();
    for (int c = 0; c < net_.input.c; ++c) p[c] = frames_[frame_][static_cast<std::size_t>(c * hw + px_)];
    out.push(p, net_.input.c);
    ++stats.busy;
    if (++px_ == hw) px_ = 0, ++frame_;
  }
  const Network& net_;
  const std::vector<std::vector<int32_t>>& frames_;
  SimResult& r_;
  std::size_t frame_ = 0;
  int64_t px_ = 0;
};

// Network output: always ready; collects values in C,H,W order.
struct Sink : Clocked {
  SC_HAS_PROCESS(Sink);
  Sink(const sc_core::sc_module_name& n, const Layer& l, Segmentation seg, SimResult& r, std::size_t frames)
      : Clocked(n), l_(l), seg_(std::move(seg)), r_(r), frames_(frames) {
    SC_METHOD(tick);
    sensitive << clk.pos();
    dont_initialize();
  }
  StreamFifo* in = nullptr;
  void tick() {
    ++cycle;
    if (!in->can_pop()) return;
    const int64_t hw = int64_t{l_.out.h} * l_.out.w;
    auto& y = r_.outputs[frame_];
    if (y.empty()) y.resize(static_cast<std::size_t>(l_.out.size()));
    const Segment& s = seg_[static_cast<std::size_t>(beat_)];
    const int32_t* v = in->front();
    for (int j = 0; j < s.size; ++j) y[static_cast<std::size_t>((s.offset + j) * hw + px_)] = v[j];
    in->pop();
    if (++beat_ == static_cast<int>(seg_.size())) {
      beat_ = 0;
      if (++px_ == hw) {
        r_.last_out[frame_] = cycle;
        px_ = 0;
        ++frame_;
      }
    }
  }
  bool done() const { return frame_ >= frames_; }
  const Layer& l_;
  Segmentation seg_;
  SimResult& r_;
  std::size_t frames_, frame_ = 0;
  int64_t px_ = 0;
  int beat_ = 0;
};

// Conv and max-pool: circular line buffer of pixels + a window engine stepping through output
// groups (conv: ceil(Cin_g/pi) * ceil(taps/pk) steps per group of po outputs; pool: ceil(taps/pk)
// steps per beat of the input segmentation), one step per cycle.
struct Window : Clocked {
  SC_HAS_PROCESS(Window);
  Window(const sc_core::sc_module_name& n, const Layer& l, const LayerMap& m)
      : Clocked(n), l_(l), in_seg_(m.in_segs[0]), out_seg_(m.out_seg), cap_(line_buffer_pixels(l)),
        hw_in_(int64_t{l.in.h} * l.in.w), lb_(static_cast<std::size_t>(cap_ * l.in.c)) {
    steps_ = l.kind == LayerKind::Conv ? ceil_div(l.cin_per_group(), m.par.pi) * ceil_div(l.taps(), m.par.pk)
                                       : ceil_div(l.taps(), m.par.pk);
    SC_METHOD(tick);
    sensitive << clk.pos();
    dont_initialize();
  }
  StreamFifo* in = nullptr;
  OutPort out;

  int64_t raster(int64_t r, int64_t c) const { return r * l_.in.w + c; }
  // The oldest pixel still needed: by the current output (window top-left) or, when padding
  // makes the next output row start at or above it, by the next row.
  int64_t oldest() const {
    int64_t r0 = int64_t{ho_} * l_.sh - l_.pad_t, c0 = int64_t{wo_} * l_.sw - l_.pad_l;
    auto clampr = [&](int64_t r) { return std::clamp<int64_t>(r, 0, l_.in.h - 1); };
    int64_t o = raster(clampr(r0), std::clamp<int64_t>(c0, 0, l_.in.w - 1));
    if (ho_ + 1 < l_.out.h) o = std::min(o, raster(clampr(r0 + l_.sh), 0));
    return fc_ * hw_in_ + o;
  }
  int64_t needed() const {
    int64_t r = std::clamp<int64_t>(int64_t{ho_} * l_.sh - l_.pad_t + l_.kh - 1, 0, l_.in.h - 1);
    int64_t c = std::clamp<int64_t>(int64_t{wo_} * l_.sw - l_.pad_l + l_.kw - 1, 0, l_.in.w - 1);
    return fc_ * hw_in_ + raster(r, c);
  }
  void tick() {
    ++cycle;
    const int64_t old = oldest();
    const int64_t complete = wr_px_;
    // Window engine.
    if (complete > needed()) {
      bool last = step_ + 1 == steps_;
      if (last && !out.ready()) {
        ++stats.stall_out;
      } else {
        ++stats.busy;
        if (last) emit();
        if (!last) {
          ++step_;
        } else {
          step_ = 0;
          if (++group_ == static_cast<int>(out_seg_.size())) {
            group_ = 0;
            if (++wo_ == l_.out.w) {
              wo_ = 0;
              if (++ho_ == l_.out.h) ho_ = 0, ++fc_;
            }
          }
        }
      }
    } else {
      ++stats.starved;
    }
    // Line buffer write.
    if (in->can_pop() && wr_px_ < old + cap_) {
      const Segment& s = in_seg_[static_cast<std::size_t>(wr_beat_)];
      const int32_t* v = in->front();
      int32_t* dst = &lb_[static_cast<std::size_t>((wr_px_ % cap_) * l_.in.c + s.offset)];
      std::copy(v, v + s.size, dst);
      in->pop();
      if (++wr_beat_ == static_cast<int>(in_seg_.size())) wr_beat_ = 0, ++wr_px_;
    }
  }
  void emit() {
    const Segment& s = out_seg_[static_cast<std::size_t>(group_)];
    auto px = [&](int iy, int ix, int c) {
      return lb_[static_cast<std::size_t>(((fc_ * hw_in_ + raster(iy, ix)) % cap_) * l_.in.c + c)];
    };
    int32_t* v = scratch.data();
    for (int j = 0; j < s.size; ++j)
      v[j] = l_.kind == LayerKind::Conv ? conv_value(l_, s.offset + j, ho_, wo_, px) : pool_value(l_, s.offset + j, ho_, wo_, px);
    out.push(v, s.size);
  }
  const Layer& l_;
  Segmentation in_seg_, out_seg_;
  int64_t cap_, hw_in_, steps_ = 1;
  std::vector<int32_t> lb_;
  int64_t wr_px_ = 0, fc_ = 0, step_ = 0;
  int wr_beat_ = 0, ho_ = 0, wo_ = 0, group_ = 0;
};

// Fully connected: a double-buffered input vector, ceil(N/po) * ceil(K/pi) steps per frame.
struct Dense : Clocked {
  SC_HAS_PROCESS(Dense);
  Dense(const sc_core::sc_module_name& n, const Layer& l, const LayerMap& m)
      : Clocked(n), l_(l), in_seg_(m.in_segs[0]), out_seg_(m.out_seg), hw_(int64_t{l.in.h} * l.in.w),
        steps_(ceil_div(l.in.size(), m.par.pi)) {
    for (auto& b : buf_) b.resize(static_cast<std::size_t>(l.in.size()));
    SC_METHOD(tick);
    sensitive << clk.pos();
    dont_initialize();
  }
  StreamFifo* in = nullptr;
  OutPort out;
  void tick() {
    ++cycle;
    const bool full_c = full_[fc_ % 2], full_w = full_[fw_ % 2];
    bool release = false;
    if (full_c) {
      bool last = step_ + 1 == steps_;
      if (last && !out.ready()) {
        ++stats.stall_out;
      } else {
        ++stats.busy;
        if (last) {
          const Segment& s = out_seg_[static_cast<std::size_t>(group_)];
          int32_t* v = scratch.data();
          for (int j = 0; j < s.size; ++j) v[j] = dense_value(l_, s.offset + j, buf_[fc_ % 2].data());
          out.push(v, s.size);
          step_ = 0;
          if (++group_ == static_cast<int>(out_seg_.size())) group_ = 0, release = true;
        } else {
          ++step_;
        }
      }
    } else {
      ++stats.starved;
    }
    if (!full_w && in->can_pop()) {
      const Segment& s = in_seg_[static_cast<std::size_t>(beat_)];
      const int32_t* v = in->front();
      auto& b = buf_[fw_ % 2];
      for (int j = 0; j < s.size; ++j) b[static_cast<std::size_t>((s.offset + j) * hw_ + px_)] = v[j];
      in->pop();
      if (++beat_ == static_cast<int>(in_seg_.size())) {
        beat_ = 0;
        if (++px_ == hw_) px_ = 0, full_[fw_ % 2] = true, ++fw_;
      }
    }
    if (release) full_[fc_ % 2] = false, ++fc_;
  }
  const Layer& l_;
  Segmentation in_seg_, out_seg_;
  int64_t hw_, steps_;
  std::vector<int32_t> buf_[2];
  bool full_[2] = {false, false};
  int64_t fw_ = 0, fc_ = 0, px_ = 0, step_ = 0;
  int beat_ = 0, group_ = 0;
};

struct Add : Clocked {
  SC_HAS_PROCESS(Add);
  Add(const sc_core::sc_module_name& n, const Layer& l, const LayerMap& m) : Clocked(n), l_(l), seg_(m.in_segs[0]) {
    SC_METHOD(tick);
    sensitive << clk.pos();
    dont_initialize();
  }
  StreamFifo* a = nullptr;
  StreamFifo* b = nullptr;
  OutPort out;
  void tick() {
    ++cycle;
    if (!a->can_pop() || !b->can_pop()) {
      ++stats.starved;
      return;
    }
    if (!out.ready()) {
      ++stats.stall_out;
      return;
    }
    ++stats.busy;
    const Segment& s = seg_[static_cast<std::size_t>(beat_)];
    int32_t* v = scratch.data();
    for (int j = 0; j < s.size; ++j) v[j] = add_value(l_, s.offset + j, a->front()[j], b->front()[j]);
    a->pop();
    b->pop();
    out.push(v, s.size);
    if (++beat_ == static_cast<int>(seg_.size())) beat_ = 0;
  }
  const Layer& l_;
  Segmentation seg_;
  int beat_ = 0;
};

struct Concat : Clocked {
  SC_HAS_PROCESS(Concat);
  Concat(const sc_core::sc_module_name& n, const LayerMap& m) : Clocked(n) {
    for (std::size_t k = 0; k < m.in_segs.size(); ++k)
      for (std::size_t j = 0; j < m.in_segs[k].size(); ++j) order_.push_back(static_cast<int>(k));
    SC_METHOD(tick);
    sensitive << clk.pos();
    dont_initialize();
  }
  std::vector<StreamFifo*> in;
  std::vector<int> sizes_;  // per beat
  OutPort out;
  void tick() {
    ++cycle;
    StreamFifo* f = in[static_cast<std::size_t>(order_[static_cast<std::size_t>(beat_)])];
    if (!f->can_pop()) {
      ++stats.starved;
      return;
    }
    if (!out.ready()) {
      ++stats.stall_out;
      return;
    }
    ++stats.busy;
    out.push(f->front(), sizes_[static_cast<std::size_t>(beat_)]);
    f->pop();
    if (++beat_ == static_cast<int>(order_.size())) beat_ = 0;
  }
  std::vector<int> order_;
  int beat_ = 0;
};

void run(const Network& net, const Mapping& map, const std::vector<std::vector<int32_t>>& frames, SimResult& r) {
  const std::size_t n = frames.size();
  r.outputs.assign(n, {});
  r.first_in.assign(n, 0);
  r.last_out.assign(n, 0);
  sc_core::sc_clock clk("clk", 1, sc_core::SC_NS);
  std::vector<std::unique_ptr<StreamFifo>> fifos;
  std::vector<Clocked*> blocks;
  std::vector<std::unique_ptr<sc_core::sc_module>> owned;
  auto fifo = [&](const std::string& name, int depth, int width) {
    fifos.push_back(std::make_unique<StreamFifo>(name, depth, std::max(1, width)));
    return fifos.back().get();
  };
  int widest = net.input.c;
  for (const Layer& l : net.layers) widest = std::max(widest, l.out.c);
  auto own = [&](auto* m) {
    m->clk(clk);
    m->scratch.resize(static_cast<std::size_t>(widest));
    owned.emplace_back(m);
    blocks.push_back(m);
    return m;
  };
  auto* src = own(new Source("input", net, frames, r));
  std::vector<OutPort*> outs(net.layers.size(), nullptr);
  auto port_of = [&](int p) -> OutPort& { return p == kNetworkInput ? src->out : *outs[static_cast<std::size_t>(p)]; };
  auto lanes_from = [&](int p) {
    return p == kNetworkInput ? net.input.c : lanes_of(map.layers[static_cast<std::size_t>(p)].out_seg);
  };
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    const LayerMap& m = map.layers[i];
    auto in_fifo = [&](std::size_t k) {
      StreamFifo* f = fifo(l.name + ".in" + std::to_string(k), m.fifo_depth[k], lanes_from(l.inputs[k]));
      port_of(l.inputs[k]).fifos.push_back(f);
      return f;
    };
    switch (l.kind) {
      case LayerKind::Conv:
      case LayerKind::MaxPool: {
        auto* b = own(new Window(l.name.c_str(), l, m));
        b->in = in_fifo(0);
        outs[i] = &b->out;
        break;
      }
      case LayerKind::Dense: {
        auto* b = own(new Dense(l.name.c_str(), l, m));
        b->in = in_fifo(0);
        outs[i] = &b->out;
        break;
      }
      case LayerKind::Add: {
        auto* b = own(new Add(l.name.c_str(), l, m));
        b->a = in_fifo(0);
        b->b = in_fifo(1);
        outs[i] = &b->out;
        break;
      }
      case LayerKind::Concat: {
        auto* b = own(new Concat(l.name.c_str(), m));
        for (std::size_t k = 0; k < l.inputs.size(); ++k) {
          b->in.push_back(in_fifo(k));
          for (const Segment& s : m.in_segs[k]) b->sizes_.push_back(s.size);
        }
        outs[i] = &b->out;
        break;
      }
    }
  }
  const Layer& out_layer = net.layers[static_cast<std::size_t>(net.output)];
  auto* sink = own(new Sink("output", out_layer, map.layers[static_cast<std::size_t>(net.output)].out_seg, r, n));
  sink->in = fifo("output.in0", 2, lanes_from(net.output));
  port_of(net.output).fifos.push_back(sink->in);

  // Run in chunks until every frame is out; no output progress for a long while is a deadlock.
  const int64_t chunk = std::max<int64_t>(1000, map.cycles_per_frame);
  const int64_t patience = 4 * map.latency_cycles + 4 * map.cycles_per_frame + 10000;
  auto t0 = std::chrono::steady_clock::now();
  int64_t last_progress = 0;
  std::size_t last_frames = 0;
  int64_t busy_prev = -1;
  while (!sink->done()) {
    sc_core::sc_start(sc_core::sc_time(static_cast<double>(chunk), sc_core::SC_NS));
    int64_t busy = 0;
    for (auto* b : blocks) busy += b->stats.busy;
    if (sink->frame_ != last_frames || busy != busy_prev) last_progress = src->cycle;
    last_frames = sink->frame_;
    busy_prev = busy;
    if (src->cycle - last_progress > patience) {
      r.deadlock = true;
      break;
    }
  }
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.total_cycles = src->cycle;
  r.stage_cycles_per_s = r.wall_s > 0 ? static_cast<double>(blocks.size()) * static_cast<double>(r.total_cycles) / r.wall_s : 0;
  for (auto& f : fifos) r.fifos.push_back(f->stats());
  for (auto* b : blocks) {
    BlockStats s = b->stats;
    s.name = b->basename();
    r.blocks.push_back(s);
  }
  if (!r.deadlock && n > 0) {
    r.latency_cycles = r.last_out[0] - r.first_in[0] + 1;
    r.cycles_per_frame = n > 1 ? static_cast<double>(r.last_out[n - 1] - r.last_out[0]) / static_cast<double>(n - 1)
                               : static_cast<double>(r.latency_cycles);
  }
}

// Serialization of a SimResult through the child's pipe.
struct Writer {
  std::string s;
  void i(int64_t v) { s.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void d(double v) { s.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void str(const std::string& v) {
    i(static_cast<int64_t>(v.size()));
    s += v;
  }
};
struct Reader {
  const std::string& s;
  std::size_t p = 0;
  int64_t i() {
    int64_t v;
    if (p + sizeof v > s.size()) fail("SystemC child: truncated result");
    std::memcpy(&v, s.data() + p, sizeof v);
    p += sizeof v;
    return v;
  }
  double d() {
    double v;
    if (p + sizeof v > s.size()) fail("SystemC child: truncated result");
    std::memcpy(&v, s.data() + p, sizeof v);
    p += sizeof v;
    return v;
  }
  std::string str() {
    auto n = static_cast<std::size_t>(i());
    if (p + n > s.size()) fail("SystemC child: truncated result");
    std::string v = s.substr(p, n);
    p += n;
    return v;
  }
};

std::string encode(const SimResult& r) {
  Writer w;
  w.i(static_cast<int64_t>(r.outputs.size()));
  for (std::size_t f = 0; f < r.outputs.size(); ++f) {
    w.i(static_cast<int64_t>(r.outputs[f].size()));
    for (int32_t v : r.outputs[f]) w.i(v);
    w.i(r.first_in[f]);
    w.i(r.last_out[f]);
  }
  w.i(r.total_cycles);
  w.d(r.cycles_per_frame);
  w.i(r.latency_cycles);
  w.i(static_cast<int64_t>(r.fifos.size()));
  for (const auto& f : r.fifos) w.str(f.name), w.i(f.depth), w.i(f.max_occupancy);
  w.i(static_cast<int64_t>(r.blocks.size()));
  for (const auto& b : r.blocks) w.str(b.name), w.i(b.busy), w.i(b.stall_out), w.i(b.starved);
  w.d(r.wall_s);
  w.d(r.stage_cycles_per_s);
  w.i(r.deadlock);
  w.str(r.error);
  return w.s;
}

SimResult decode(const std::string& s) {
  Reader rd{s};
  SimResult r;
  auto n = static_cast<std::size_t>(rd.i());
  r.outputs.resize(n);
  r.first_in.resize(n);
  r.last_out.resize(n);
  for (std::size_t f = 0; f < n; ++f) {
    r.outputs[f].resize(static_cast<std::size_t>(rd.i()));
    for (auto& v : r.outputs[f]) v = static_cast<int32_t>(rd.i());
    r.first_in[f] = rd.i();
    r.last_out[f] = rd.i();
  }
  r.total_cycles = rd.i();
  r.cycles_per_frame = rd.d();
  r.latency_cycles = rd.i();
  r.fifos.resize(static_cast<std::size_t>(rd.i()));
  for (auto& f : r.fifos) f.name = rd.str(), f.depth = static_cast<int>(rd.i()), f.max_occupancy = static_cast<int>(rd.i());
  r.blocks.resize(static_cast<std::size_t>(rd.i()));
  for (auto& b : r.blocks) b.name = rd.str(), b.busy = rd.i(), b.stall_out = rd.i(), b.starved = rd.i();
  r.wall_s = rd.d();
  r.stage_cycles_per_s = rd.d();
  r.deadlock = rd.i() != 0;
  r.error = rd.str();
  return r;
}

}  // namespace
}  // namespace detail

SimResult simulate(const Network& net, const Mapping& map, const std::vector<std::vector<int32_t>>& frames) {
  validate(net);
  for (const Layer& l : net.layers)
    if (l.has_mac() && l.weights.empty()) fail("layer '", l.name, "' has no weights: a shape-only network cannot be simulated");
  for (std::size_t i = 0; i < net.layers.size(); ++i)
    if (net.layers[i].kind == LayerKind::Add && map.layers[i].in_segs[0] != map.layers[i].in_segs[1])
      fail("add '", net.layers[i].name, "': its inputs arrive in different beat segmentations (the mapping must align them)");
  for (std::size_t f = 0; f < frames.size(); ++f)
    if (static_cast<int64_t>(frames[f].size()) != net.input.size())
      fail("frame ", f, " has ", frames[f].size(), " values; the network input takes ", net.input.size());
  int fd[2];
  if (pipe(fd) != 0) fail("simulate: pipe failed");
  pid_t pid = fork();
  if (pid < 0) fail("simulate: fork failed");
  if (pid == 0) {
    close(fd[0]);
    SimResult r;
    try {
      sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
      sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
      detail::run(net, map, frames, r);
    } catch (const std::exception& e) {
      r.error = e.what();
    }
    std::string bytes = detail::encode(r);
    std::size_t off = 0;
    while (off < bytes.size()) {
      ssize_t k = write(fd[1], bytes.data() + off, bytes.size() - off);
      if (k <= 0) break;
      off += static_cast<std::size_t>(k);
    }
    close(fd[1]);
    _exit(0);
  }
  close(fd[1]);
  std::string bytes;
  char buf[65536];
  ssize_t k;
  while ((k = read(fd[0], buf, sizeof buf)) > 0) bytes.append(buf, static_cast<std::size_t>(k));
  close(fd[0]);
  int st = 0;
  waitpid(pid, &st, 0);
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || bytes.empty()) fail("simulate: the SystemC process failed (status ", st, ")");
  SimResult r = detail::decode(bytes);
  if (!r.error.empty()) fail("SystemC simulation: ", r.error);
  return r;
}

}  // namespace n2d2::hw
