// Data movement whatever the dtype: Pad, DepthToSpace and SpaceToDepth copy each element as an
// unsigned integer of its size, so one instantiation serves every type of that size.
#pragma once

#include <cstddef>
#include <cstdint>

namespace n2d2::kernels::detail {

// Calls f(E{}) with E the unsigned integer type of `size` bytes; false for another size.
template <class F>
bool visit_element_size(std::size_t size, F&& f) {
  switch (size) {
    case 1: f(uint8_t{}); return true;
    case 2: f(uint16_t{}); return true;
    case 4: f(uint32_t{}); return true;
    case 8: f(uint64_t{}); return true;
    default: return false;
  }
}

}  // namespace n2d2::kernels::detail
