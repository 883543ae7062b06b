// Scratch buffers kept per thread between kernel calls, so that each run does not map and clear
// fresh pages. A call made while another call on the same thread holds them (TBB may run a second
// kernel on a thread waiting in parallel_for) gets fresh ones of its own.
#pragma once

namespace n2d2::kernels {

template <class Buffers>
class BufferLease {
 public:
  BufferLease() : b_(busy() ? &own_ : &cache()), taken_(b_ == &cache()) {
    if (taken_) busy() = true;
  }
  ~BufferLease() {
    if (taken_) busy() = false;
  }
  BufferLease(const BufferLease&) = delete;
  BufferLease& operator=(const BufferLease&) = delete;
  Buffers& get() { return *b_; }

 private:
  static Buffers& cache() {
    thread_local Buffers c;
    return c;
  }
  static bool& busy() {
    thread_local bool b = false;
    return b;
  }
  Buffers own_;
  Buffers* b_;
  bool taken_;
};

}  // namespace n2d2::kernels
