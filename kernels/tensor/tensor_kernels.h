// Registration of the tensor family's kernels, one function per file. Data movement here is
// type-agnostic: elements are copied as bytes of dtype_size().
#pragma once

#include "kernels/registry.h"

namespace n2d2::kernels {

void register_tensor_views(KernelRegistry& r);     // views.cpp: Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout
void register_tensor_makers(KernelRegistry& r);    // makers.cpp: Shape, Size, ConstantOfShape, Range, EyeLike, Constant, Trilu
void register_tensor_movement(KernelRegistry& r);  // movement.cpp: Transpose, Concat, Split, Slice, Expand, Tile
void register_tensor_indexing(KernelRegistry& r);  // indexing.cpp: Gather*, Scatter*, OneHot, NonZero, Compress, TopK

}  // namespace n2d2::kernels
