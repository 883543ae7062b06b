// Private to the tensor-family schema files: their registration functions and the helpers they
// share to declare attributes and read shape-like inputs.
#pragma once

#include <optional>
#include <vector>

#include "graph/op_registry.h"

namespace n2d2::graph::tensor_schemas {

void register_shape_ops(OpRegistry& r);     // tensor_shape.cpp: Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout, Shape, Size
void register_movement_ops(OpRegistry& r);  // tensor_movement.cpp: Transpose, Concat, Split, Slice, Expand, Tile
void register_indexing_ops(OpRegistry& r);  // tensor_indexing.cpp: Gather*, Scatter*, NonZero, Compress, TopK
void register_maker_ops(OpRegistry& r);     // tensor_makers.cpp: Constant, ConstantOfShape, Range, EyeLike, OneHot, Trilu

inline AttrSpec int_attr(const char* name, int64_t def) { return AttrSpec{name, AttrType::Int, AttrValue{def}}; }
inline AttrSpec optional_attr(const char* name, AttrType t) { return AttrSpec{name, t, std::nullopt}; }
inline AttrSpec required_attr(const char* name, AttrType t) { return AttrSpec{name, t, std::nullopt, true}; }

// The values of integer input `i` (a scalar or a 1-D tensor), nullopt when not known yet.
// Fails naming `what` when the input is not an integer tensor of rank <= 1.
std::optional<std::vector<int64_t>> int_values(const InferContext& c, std::size_t i, const char* what);

// The single integer of input `i` (a scalar or a one-element 1-D tensor), nullopt when not known.
std::optional<int64_t> int_scalar(const InferContext& c, std::size_t i, const char* what);

// Element count of input `i` when it is a 1-D tensor of known length (a shape given as a
// tensor whose values are not known yet still tells the output rank).
std::optional<std::size_t> known_length(const InferContext& c, std::size_t i);

// A type of `rank` unknown dims.
inline TensorType unknown_dims(DType t, std::size_t rank) { return TensorType(t, Shape(rank, kUnknownDim)); }

// The node's `axis` attribute normalized against `rank`; fails when out of range.
int64_t axis_attr(const InferContext& c, int64_t rank, const char* name = "axis");

}  // namespace n2d2::graph::tensor_schemas
