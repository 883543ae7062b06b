// ConvTranspose: hand-computed cases (strides, pads, output_padding, output_shape, auto_pad,
// dilations, groups, bias), a comparison with the definition over many geometries, and the
// shapes shape inference rejects.
#include <array>

#include "tests/test_util.h"

using namespace n2d2;
using n2d2::test::attrs;
using n2d2::test::run_op;

namespace {
using ints = std::vector<int64_t>;
Tensor f(Shape s, std::vector<float> v) { return Tensor::from_vector<float>(std::move(s), v); }
// 1-D input [1 2] and kernel [1 1]: each input value is copied to 2 neighbouring outputs.
Tensor x12() { return f({1, 1, 2}, {1, 2}); }
Tensor ones(int64_t k) { return f({1, 1, k}, std::vector<float>(static_cast<std::size_t>(k), 1)); }

// The definition, in double: y[n][m][i * stride - pad_begin + k * dilation] += x[n][c][i] *
// w[c][m % (M / group)][k] for c in m's group, outputs outside [0, out) dropped. Shapes are
// N x C x D x H x W.
Tensor conv_transpose_definition(const Tensor& x, const Tensor& w, Shape out, std::array<int64_t, 3> s,
                                 std::array<int64_t, 3> d, std::array<int64_t, 3> p, int64_t group) {
  const Shape &xs = x.shape(), &ws = w.shape();
  std::vector<double> acc(static_cast<std::size_t>(shape_numel(out)), 0.0);
  int64_t cin_g = xs[1] / group, cout_g = ws[1];
  for (int64_t n = 0; n < xs[0]; ++n)
    for (int64_t c = 0; c < xs[1]; ++c)
      for (int64_t mg = 0; mg < cout_g; ++mg)
        for (int64_t id = 0; id < xs[2]; ++id)
          for (int64_t ih = 0; ih < xs[3]; ++ih)
            for (int64_t iw = 0; iw < xs[4]; ++iw)
              for (int64_t kd = 0; kd < ws[2]; ++kd)
                for (int64_t kh = 0; kh < ws[3]; ++kh)
                  for (int64_t kw = 0; kw < ws[4]; ++kw) {
                    int64_t od = id * s[0] - p[0] + kd * d[0], oh = ih * s[1] - p[1] + kh * d[1], ow = iw * s[2] - p[2] + kw * d[2];
                    if (od < 0 || od >= out[2] || oh < 0 || oh >= out[3] || ow < 0 || ow >= out[4]) continue;
                    int64_t m = (c / cin_g) * cout_g + mg;
                    acc[(((n * out[1] + m) * out[2] + od) * out[3] + oh) * out[4] + ow] +=
                        static_cast<double>(x.data<float>()[(((n * xs[1] + c) * xs[2] + id) * xs[3] + ih) * xs[4] + iw]) *
                        w.data<float>()[(((c * cout_g + mg) * ws[2] + kd) * ws[3] + kh) * ws[4] + kw];
                  }
  Tensor y(DType::F32, out);
  for (std::size_t i = 0; i < acc.size(); ++i) y.data_mut<float>()[i] = static_cast<float>(acc[i]);
  return y;
}
}  // namespace

TEST(ConvTranspose, StridesOverlapsAndPads) {
  // stride 1: the copies overlap and add: [1, 1 + 2, 2]
  test::expect_near(run_op("ConvTranspose", {x12(), ones(2)})[0], f({1, 1, 3}, {1, 3, 2}));
  // stride 2: side by side: [1 1 2 2]
  test::expect_near(run_op("ConvTranspose", {x12(), ones(2)}, attrs({{"strides", ints{2}}}))[0], f({1, 1, 4}, {1, 1, 2, 2}));
  // 2-D [[1 2], [3 4]] with a 2x2 kernel of ones: each output sums the inputs whose window covers it
  Tensor x = f({1, 1, 2, 2}, {1, 2, 3, 4}), w = f({1, 1, 2, 2}, {1, 1, 1, 1});
  test::expect_near(run_op("ConvTranspose", {x, w})[0], f({1, 1, 3, 3}, {1, 3, 2, 4, 10, 6, 3, 7, 4}));
  // pads crop the full output: pads 1 on each side keep the centre
  test::expect_near(run_op("ConvTranspose", {x, w}, attrs({{"pads", ints{1, 1, 1, 1}}}))[0], f({1, 1, 1, 1}, {10}));
}

TEST(ConvTranspose, OutputPaddingAndOutputShape) {
  // output_padding adds a zero column at the end: [1 1 2 2 0]
  test::expect_near(run_op("ConvTranspose", {x12(), ones(2)}, attrs({{"strides", ints{2}}, {"output_padding", ints{1}}}))[0],
                    f({1, 1, 5}, {1, 1, 2, 2, 0}));
  // output_shape larger than the full output (4): the rest is bias (here 0)
  test::expect_near(run_op("ConvTranspose", {x12(), ones(2)}, attrs({{"strides", ints{2}}, {"output_shape", ints{5}}}))[0],
                    f({1, 1, 5}, {1, 1, 2, 2, 0}));
  // kernel [1 1 1], stride 2: full output [1 1 1+2 2 2]. output_shape 3 removes one position at
  // each end: [1 3 2]
  test::expect_near(run_op("ConvTranspose", {x12(), ones(3)}, attrs({{"strides", ints{2}}, {"output_shape", ints{3}}}))[0],
                    f({1, 1, 3}, {1, 3, 2}));
  // output_shape 4 removes one position: at the start by default, at the end with SAME_UPPER
  test::expect_near(run_op("ConvTranspose", {x12(), ones(3)}, attrs({{"strides", ints{2}}, {"output_shape", ints{4}}}))[0],
                    f({1, 1, 4}, {1, 3, 2, 2}));
  test::expect_near(run_op("ConvTranspose", {x12(), ones(3)},
                           attrs({{"strides", ints{2}}, {"output_shape", ints{4}}, {"auto_pad", std::string("SAME_UPPER")}}))[0],
                    f({1, 1, 4}, {1, 1, 3, 2}));
  // output_shape may include N and C
  EXPECT_EQ(run_op("ConvTranspose", {x12(), ones(2)}, attrs({{"strides", ints{2}}, {"output_shape", ints{1, 1, 5}}}))[0].shape(),
            (Shape{1, 1, 5}));
}

TEST(ConvTranspose, AutoPadSameKeepsInputTimesStride) {
  // full [1 1 3 2 2] (kernel 3, stride 2) cut to 2 * 2 = 4: SAME_UPPER drops the last, SAME_LOWER the first
  test::expect_near(run_op("ConvTranspose", {x12(), ones(3)}, attrs({{"strides", ints{2}}, {"auto_pad", std::string("SAME_UPPER")}}))[0],
                    f({1, 1, 4}, {1, 1, 3, 2}));
  test::expect_near(run_op("ConvTranspose", {x12(), ones(3)}, attrs({{"strides", ints{2}}, {"auto_pad", std::string("SAME_LOWER")}}))[0],
                    f({1, 1, 4}, {1, 3, 2, 2}));
}

TEST(ConvTranspose, DilationsGroupsAndBias) {
  // kernel [1 1] with dilation 2 copies x[i] to i and i + 2: [1 2 1 2]
  test::expect_near(run_op("ConvTranspose", {x12(), ones(2)}, attrs({{"dilations", ints{2}}}))[0], f({1, 1, 4}, {1, 2, 1, 2}));
  // group 2, W [2 x 1 x 1] = [3 5]: channel c only feeds output c: [1 * 3, 2 * 5]
  Tensor x = f({1, 2, 1}, {1, 2});
  test::expect_near(run_op("ConvTranspose", {x, f({2, 1, 1}, {3, 5})}, attrs({{"group", int64_t{2}}}))[0], f({1, 2, 1}, {3, 10}));
  // group 2 with 2 outputs per group (W 2 x 2 x 1 = [[1 2], [3 4]]): [1*1, 1*2, 2*3, 2*4], plus bias
  test::expect_near(run_op("ConvTranspose", {x, f({2, 2, 1}, {1, 2, 3, 4}), f({4}, {1, 1, 1, 1})}, attrs({{"group", int64_t{2}}}))[0],
                    f({1, 4, 1}, {2, 3, 7, 9}));
  // no groups: every input channel feeds every output: W 2 x 1 x 1 = [3 5] -> 1*3 + 2*5
  test::expect_near(run_op("ConvTranspose", {x, f({2, 1, 1}, {3, 5})})[0], f({1, 1, 1}, {13}));
}

TEST(ConvTranspose, MatchesTheDefinitionOverGeometries) {
  struct Case {
    Shape x, w;
    std::array<int64_t, 3> s, d, pb, pe, out_pad;
    int64_t group;
  };
  const Case cases[] = {
      {{1, 3, 1, 4, 5}, {3, 2, 1, 3, 3}, {1, 2, 2}, {1, 1, 1}, {0, 1, 0}, {0, 1, 2}, {0, 1, 1}, 1},
      {{2, 4, 1, 3, 3}, {4, 3, 1, 2, 3}, {1, 3, 1}, {1, 2, 2}, {0, 0, 1}, {0, 2, 0}, {0, 0, 0}, 2},
      {{1, 2, 3, 2, 4}, {2, 1, 2, 2, 2}, {2, 1, 3}, {1, 2, 1}, {1, 0, 0}, {0, 1, 1}, {1, 0, 2}, 2},
      {{1, 1, 1, 1, 33}, {1, 2, 1, 1, 4}, {1, 1, 1}, {1, 1, 3}, {0, 0, 2}, {0, 0, 5}, {0, 0, 0}, 1},
  };
  uint64_t seed = 200;
  for (const Case& c : cases) {
    Tensor x = test::random_tensor(c.x, seed++), w = test::random_tensor(c.w, seed++);
    ints strides(c.s.begin(), c.s.end()), dil(c.d.begin(), c.d.end()), pads(c.pb.begin(), c.pb.end()),
        out_pad(c.out_pad.begin(), c.out_pad.end());
    pads.insert(pads.end(), c.pe.begin(), c.pe.end());
    Tensor y = run_op("ConvTranspose", {x, w},
                      attrs({{"strides", strides}, {"dilations", dil}, {"pads", pads}, {"output_padding", out_pad}, {"group", c.group}}))[0];
    Shape out = y.shape();
    SCOPED_TRACE(shape_str(c.x) + " * " + shape_str(c.w) + " -> " + shape_str(out));
    EXPECT_EQ(out[1], c.w[1] * c.group);
    for (int a = 0; a < 3; ++a)
      EXPECT_EQ(out[2 + a], c.s[a] * (c.x[2 + a] - 1) + c.out_pad[a] + (c.w[2 + a] - 1) * c.d[a] + 1 - c.pb[a] - c.pe[a]);
    test::expect_near(y, conv_transpose_definition(x, w, out, c.s, c.d, c.pb, c.group), 1e-5, 1e-5);
  }
}

TEST(ConvTranspose, RejectsInconsistentShapesAndAttributes) {
  EXPECT_THROW(run_op("ConvTranspose", {f({1, 2, 2}, {1, 2, 3, 4}), ones(2)}), Error);                  // 2 channels, W has 1
  EXPECT_THROW(run_op("ConvTranspose", {f({1, 3, 1}, {1, 2, 3}), f({3, 1, 1}, {1, 1, 1})}, attrs({{"group", int64_t{2}}})), Error);
  EXPECT_THROW(run_op("ConvTranspose", {x12(), ones(2), f({2}, {0, 0})}), Error);                        // 2 biases, 1 output
  EXPECT_THROW(run_op("ConvTranspose", {x12(), ones(2)}, attrs({{"output_padding", ints{-1}}})), Error);
  EXPECT_THROW(run_op("ConvTranspose", {x12(), ones(2)}, attrs({{"output_shape", ints{-2}}})), Error);
  EXPECT_THROW(run_op("ConvTranspose", {x12(), ones(2)}, attrs({{"pads", ints{3, 3}}})), Error);         // negative output size
}
