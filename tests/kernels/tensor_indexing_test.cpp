// Gather, GatherElements, GatherND and the scatters with hand-computed values: negative indices,
// int32 and int64 indices, batch dims, and the indices and shapes they reject.
#include <cstdint>

#include "tests/test_util.h"

using namespace n2d2;
using test::attrs;
using test::run_op;

namespace {

graph::Attributes axis(int64_t a) { return attrs({{"axis", a}}); }
Tensor f32(Shape s, std::vector<float> v) { return Tensor::from_vector<float>(std::move(s), v); }
Tensor i64(Shape s, std::vector<int64_t> v) { return Tensor::from_vector<int64_t>(std::move(s), v); }
Tensor i32(Shape s, std::vector<int32_t> v) { return Tensor::from_vector<int32_t>(std::move(s), v); }
// x = [[0 1 2], [3 4 5]]
Tensor x23() { return f32({2, 3}, {0, 1, 2, 3, 4, 5}); }

}  // namespace

TEST(TensorIndexing, GatherRowsAndColumns) {
  // rows [1, -2] = rows 1 and 0
  test::expect_near(run_op("Gather", {x23(), i64({2}, {1, -2})})[0], f32({2, 3}, {3, 4, 5, 0, 1, 2}));
  // columns [[2], [0]] on axis 1: output [2 rows, 2, 1] = [[[2], [0]], [[5], [3]]]
  test::expect_near(run_op("Gather", {x23(), i32({2, 1}, {2, 0})}, axis(1))[0], f32({2, 2, 1}, {2, 0, 5, 3}));
  // a scalar index drops the axis: column -1 = [2 5]
  test::expect_near(run_op("Gather", {x23(), Tensor::scalar<int64_t>(-1)}, axis(1))[0], f32({2}, {2, 5}));
}

TEST(TensorIndexing, GatherRejectsBadIndices) {
  EXPECT_THROW(run_op("Gather", {x23(), i64({1}, {2})}), Error);    // 2 rows
  EXPECT_THROW(run_op("Gather", {x23(), i64({1}, {-3})}), Error);
  EXPECT_THROW(run_op("Gather", {x23(), f32({1}, {0})}), Error);    // float indices
  EXPECT_THROW(run_op("Gather", {x23(), i64({1}, {0})}, axis(2)), Error);
}

TEST(TensorIndexing, GatherElementsPicksAlongTheAxis) {
  // axis 1: y[i][j] = x[i][idx[i][j]]: row 0 takes [2, 0], row 1 takes [-1 = 2, 1]
  test::expect_near(run_op("GatherElements", {x23(), i64({2, 2}, {2, 0, -1, 1})}, axis(1))[0], f32({2, 2}, {2, 0, 5, 4}));
  // axis 0: y[i][j] = x[idx[i][j]][j]: [[x[1][0] x[0][1] x[1][2]]] = [[3 1 5]]
  test::expect_near(run_op("GatherElements", {x23(), i32({1, 3}, {1, 0, 1})})[0], f32({1, 3}, {3, 1, 5}));
  EXPECT_THROW(run_op("GatherElements", {x23(), i64({2, 1}, {3, 0})}, axis(1)), Error);  // index 3 of 3
  EXPECT_THROW(run_op("GatherElements", {x23(), i64({3, 1}, {0, 0, 0})}, axis(1)), Error);  // 3 rows > 2
  EXPECT_THROW(run_op("GatherElements", {x23(), i64({2}, {0, 0})}), Error);                 // rank 1 vs 2
}

TEST(TensorIndexing, ScatterElementsWritesAlongTheAxis) {
  // axis 1: y = x, then y[i][idx[i][j]] = u[i][j]: y[0][2] = 10, y[1][0] = 20
  Tensor y = run_op("ScatterElements", {x23(), i64({2, 1}, {2, -3}), f32({2, 1}, {10, 20})}, axis(1))[0];
  test::expect_near(y, f32({2, 3}, {0, 1, 10, 20, 4, 5}));
  // the deprecated Scatter (opset 10) is the same op: y[idx[0][j]][j] = u[0][j]
  Tensor s = run_op("Scatter", {x23(), i64({1, 3}, {1, 0, 1}), f32({1, 3}, {7, 8, 9})}, {}, 1, 10)[0];
  test::expect_near(s, f32({2, 3}, {0, 8, 2, 7, 4, 9}));
  EXPECT_THROW(run_op("ScatterElements", {x23(), i64({2, 1}, {2, 0}), f32({1, 1}, {1})}, axis(1)), Error);  // updates shape
  EXPECT_THROW(run_op("ScatterElements", {x23(), i64({1, 1}, {3}), f32({1, 1}, {1})}, axis(1)), Error);     // index 3
  graph::Attributes add = attrs({{"axis", int64_t{1}}, {"reduction", std::string("add")}});
  EXPECT_THROW(run_op("ScatterElements", {x23(), i64({1, 1}, {0}), f32({1, 1}, {1})}, add), UnsupportedError);
}

TEST(TensorIndexing, GatherNDSlicesAndElements) {
  // data [2, 2, 2] = 0..7. Tuples of 2 indices address rows: [[1, 0], [0, -1]] -> rows [4 5] and [2 3]
  Tensor data = f32({2, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7});
  test::expect_near(run_op("GatherND", {data, i64({2, 2}, {1, 0, 0, -1})})[0], f32({2, 2}, {4, 5, 2, 3}));
  // full tuples address elements: [1, 1, 0] -> 6
  test::expect_near(run_op("GatherND", {data, i64({1, 3}, {1, 1, 0})})[0], f32({1}, {6}));
  // batch_dims 1: batch b takes row idx[b] of data[b]: data[0][1] = [2 3], data[1][0] = [4 5]
  Tensor y = run_op("GatherND", {data, i64({2, 1}, {1, 0})}, attrs({{"batch_dims", int64_t{1}}}))[0];
  test::expect_near(y, f32({2, 2}, {2, 3, 4, 5}));
  EXPECT_THROW(run_op("GatherND", {data, i64({1, 4}, {0, 0, 0, 0})}), Error);  // 4 > rank 3
  EXPECT_THROW(run_op("GatherND", {data, i64({1, 1}, {2})}), Error);          // index 2 of 2
  EXPECT_THROW(run_op("GatherND", {data, i64({3, 1}, {0, 0, 0})}, attrs({{"batch_dims", int64_t{1}}})), Error);  // 3 vs 2 batches
}

TEST(TensorIndexing, ScatterNDWritesSlices) {
  // y = data; row [0] = [10 11 12] and element [1, -1] = 20
  Tensor rows = run_op("ScatterND", {x23(), i64({1, 1}, {0}), f32({1, 3}, {10, 11, 12})})[0];
  test::expect_near(rows, f32({2, 3}, {10, 11, 12, 3, 4, 5}));
  Tensor elem = run_op("ScatterND", {x23(), i64({1, 2}, {1, -1}), f32({1}, {20})})[0];
  test::expect_near(elem, f32({2, 3}, {0, 1, 2, 3, 4, 20}));
  EXPECT_THROW(run_op("ScatterND", {x23(), i64({1, 1}, {0}), f32({1, 2}, {1, 2})}), Error);  // updates [1, 3] expected
  EXPECT_THROW(run_op("ScatterND", {x23(), i64({1, 1}, {5}), f32({1, 3}, {1, 2, 3})}), Error);  // row 5
}
