// IDX files (the MNIST format: big-endian header, magic 0x0000TTRR with element type TT and rank
// RR), plain or gzip-compressed, and MNIST-layout folders of labelled images. Shared by the spike
// simulator, the quantizer's calibration and the INI data pipeline (MNIST_IDX_Database).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "graph/tensor.h"

namespace n2d2::data {

// Reads an IDX file (gzip detected by its magic bytes). Element types: 0x08 uint8, 0x09 int8,
// 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64, converted to host byte order. Throws naming
// the file on a missing/corrupt/truncated file or a size that disagrees with the header.
Tensor read_idx(const std::string& path);
// The same from bytes already in memory (`name` is used in error messages).
Tensor parse_idx(const std::string& bytes, const std::string& name);

enum class Split { Train, Test };

// A labelled image set: images uint8 [N, rows, cols], labels 0..classes-1.
struct LabelledImages {
  Tensor images;
  std::vector<int32_t> labels;
  std::string images_path, labels_path;
  int64_t size() const { return static_cast<int64_t>(labels.size()); }
  int64_t rows() const { return images.dim(1); }
  int64_t cols() const { return images.dim(2); }
  int32_t classes() const;  // max label + 1
};

// Where an MNIST-layout folder lives: "fashion-mnist" (or "fashion_mnist") is $N2D2_DATA/fashion-mnist
// when that folder exists, else Debian's /usr/share/datasets/fashion-mnist; "mnist" likewise;
// anything else is taken as a directory path. Throws when the folder does not exist.
std::string resolve_mnist_dir(const std::string& spec);

// Reads <dir>/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz] (first of plain / .gz found),
// checks that image and label counts agree, and keeps at most `limit` items (0: all).
LabelledImages read_mnist(const std::string& dir, Split split, int64_t limit = 0);

// Images [begin, begin+count) as float32 [count, 1, rows, cols] with values pixel/255.
Tensor images_to_float(const LabelledImages& set, int64_t begin, int64_t count);

}  // namespace n2d2::data
