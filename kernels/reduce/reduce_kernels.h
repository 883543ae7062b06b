// Registration of the reduce family's kernels, one function per file, and their shared
// supports() test. Kernels run after shape inference accepted the node with the same inputs, so
// the schema helpers they share (reduce_axes, single_axis) find nothing to reject there.
#pragma once

#include "kernels/registry.h"

namespace n2d2::kernels {

void register_reduce_reductions(KernelRegistry& r);  // reduce.cpp: Reduce*
void register_reduce_arg(KernelRegistry& r);         // arg_reduce.cpp: ArgMax, ArgMin
void register_reduce_softmax(KernelRegistry& r);     // softmax.cpp: Softmax, LogSoftmax, Hardmax
void register_reduce_cumsum(KernelRegistry& r);      // cumsum.cpp: CumSum

// supports(): input 0 has a numeric type the kernels compute on (not bool, float16, bfloat16).
std::string require_reducible_data(const KernelQuery& q);

}  // namespace n2d2::kernels
