// Registration of the spatial family's kernels, one function per file.
#pragma once

#include "kernels/registry.h"

namespace n2d2::kernels {

void register_spatial_family_pad(KernelRegistry& r);          // pad.cpp
void register_spatial_family_resize(KernelRegistry& r);       // resize.cpp: Resize, Upsample
void register_spatial_family_depth_space(KernelRegistry& r);  // depth_space.cpp

}  // namespace n2d2::kernels
