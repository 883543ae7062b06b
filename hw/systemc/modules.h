// SystemC modules of the dataflow blocks and the bounded ready/valid FIFO channel (see
// simulate.h for the cycle semantics). Internal to hw/systemc.
#pragma once

#include <systemc>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "hw/block.h"
#include "hw/layer.h"
#include "hw/systemc/simulate.h"

namespace n2d2::hw::detail {

// A bounded FIFO of beats (up to `width` values each). can_pop()/can_push() read the contents at
// the start of the cycle; pop() and push() take effect in the update phase, after every block
// has evaluated.
class StreamFifo : public sc_core::sc_prim_channel {
 public:
  StreamFifo(const std::string& name, int depth, int width)
      : sc_core::sc_prim_channel(sc_core::sc_gen_unique_name("fifo")), name_(name), depth_(depth), width_(width),
        buf_(static_cast<std::size_t>(depth) * static_cast<std::size_t>(width)) {}
  bool can_pop() const { return count_ > 0; }
  bool can_push() const { return count_ < depth_; }
  const int32_t* front() const { return &buf_[static_cast<std::size_t>(head_) * static_cast<std::size_t>(width_)]; }
  void pop() {
    pop_ = true;
    request_update();
  }
  int32_t* slot() { return &buf_[static_cast<std::size_t>(tail_) * static_cast<std::size_t>(width_)]; }
  void push() {
    push_ = true;
    request_update();
  }
  int width() const { return width_; }
  FifoStats stats() const { return {name_, depth_, max_}; }

 private:
  void update() override {
    if (pop_) head_ = head_ + 1 == depth_ ? 0 : head_ + 1, --count_;
    if (push_) tail_ = tail_ + 1 == depth_ ? 0 : tail_ + 1, ++count_;
    pop_ = push_ = false;
    max_ = std::max(max_, count_);
  }
  std::string name_;
  int depth_, width_;
  std::vector<int32_t> buf_;
  int head_ = 0, tail_ = 0, count_ = 0, max_ = 0;
  bool pop_ = false, push_ = false;
};

// A block's output: every consumer's FIFO.
struct OutPort {
  std::vector<StreamFifo*> fifos;
  bool ready() const {
    for (auto* f : fifos)
      if (!f->can_push()) return false;
    return true;
  }
  void push(const int32_t* v, int n) {
    for (auto* f : fifos) {
      std::copy(v, v + n, f->slot());
      f->push();
    }
  }
};

struct Clocked : sc_core::sc_module {
  sc_core::sc_in<bool> clk{"clk"};
  BlockStats stats;
  int64_t cycle = 0;
  std::vector<int32_t> scratch;  // one output beat
  explicit Clocked(const sc_core::sc_module_name& n) : sc_core::sc_module(n) {}
};

}  // namespace n2d2::hw::detail
