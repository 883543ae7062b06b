// Registration of the reduce family's kernels, one function per file.
#pragma once

#include "kernels/registry.h"

namespace n2d2::kernels {

void register_reduce_family_reductions(KernelRegistry& r);  // reduce.cpp: Reduce*, ArgMax, ArgMin
void register_reduce_family_softmax(KernelRegistry& r);     // softmax.cpp: Softmax, LogSoftmax, Hardmax
void register_reduce_family_cumsum(KernelRegistry& r);      // cumsum.cpp: CumSum

}  // namespace n2d2::kernels
