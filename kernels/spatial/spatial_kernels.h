// Registration of the spatial family's kernels, one function per file. Kernels run after shape
// inference accepted the node with the same inputs, so the schema helpers they share
// (pad_amounts, pad_mode, resize_settings, resize_geometry) find nothing to reject there.
#pragma once

#include "kernels/registry.h"

namespace n2d2::kernels {

void register_spatial_pad(KernelRegistry& r);          // pad.cpp: Pad
void register_spatial_resize(KernelRegistry& r);       // resize.cpp: Resize, Upsample
void register_spatial_depth_space(KernelRegistry& r);  // depth_space.cpp: DepthToSpace, SpaceToDepth

}  // namespace n2d2::kernels
