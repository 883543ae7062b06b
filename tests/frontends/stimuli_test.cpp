// Databases (partitioning per N2D2's example, DIR and CSV loading, MNIST IDX), the stimuli
// provider's implicit conversion and batches, and errors naming file:line or the stimulus.
#include <gtest/gtest.h>

#include <tbb/task_arena.h>

#include <opencv2/imgcodecs.hpp>

#include <filesystem>
#include <fstream>

#include "frontends/stimuli/stimuli_provider.h"
#include "graph/error.h"

namespace fs = std::filesystem;
using namespace n2d2;
using namespace n2d2::stimuli;

namespace {

class Stimuli : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("n2d2_stimuli_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  // A DIR database: `counts[i]` images per class folder "c<i>", pixel value = 10 * class + image.
  void make_dir(const std::vector<int>& counts, int w = 4, int h = 3) {
    for (std::size_t c = 0; c < counts.size(); ++c) {
      fs::create_directories(root_ / "data" / ("c" + std::to_string(c)));
      for (int i = 0; i < counts[c]; ++i) {
        cv::Mat m(h, w, CV_8U, cv::Scalar(static_cast<double>(10 * c + i)));
        cv::imwrite((root_ / "data" / ("c" + std::to_string(c)) / ("img" + std::to_string(i) + ".png")).string(), m);
      }
    }
    std::ofstream(root_ / "data" / "c0" / "notes.txt") << "not an image\n";
  }
  ini::Document doc(const std::string& text) {
    std::ofstream(root_ / "net.ini") << text;
    return ini::Document::parse_file((root_ / "net.ini").string());
  }
  fs::path root_;
};

std::vector<Stimulus> n_stimuli(int n, int32_t label) {
  std::vector<Stimulus> v;
  for (int i = 0; i < n; ++i) v.push_back({"s" + std::to_string(i), i, label});
  return v;
}

}  // namespace

TEST(Partition, MatchesTheManualsDirDatabaseExample) {
  // GST: 800 / 123 / 435 / 798 images, Learn=0.4, Validation=0.2, equi-partitioned on the
  // smallest class (123): 49 learn and 25 validation per class, the rest for test.
  std::array<std::vector<Stimulus>, 3> out;
  partition({n_stimuli(800, 0), n_stimuli(123, 1), n_stimuli(435, 2), n_stimuli(798, 3)}, {0.4, 0.2, -1, true, true, 0}, 1, out);
  EXPECT_EQ(out[0].size(), 196u);
  EXPECT_EQ(out[1].size(), 100u);
  EXPECT_EQ(out[2].size(), 1860u);
  int test_of_label[4] = {};
  for (const auto& s : out[2]) ++test_of_label[s.label];
  EXPECT_EQ(test_of_label[0], 726);
  EXPECT_EQ(test_of_label[1], 49);
  EXPECT_EQ(test_of_label[3], 724);
  // Without equivalence each class gives its own fractions; a per-label cap trims every subset.
  std::array<std::vector<Stimulus>, 3> own, capped;
  partition({n_stimuli(10, 0), n_stimuli(20, 1)}, {0.5, 0.0, -1, false, false, 0}, 1, own);
  EXPECT_EQ(own[0].size(), 15u);
  EXPECT_EQ(own[0][0].index, 0);  // not shuffled
  partition({n_stimuli(10, 0), n_stimuli(20, 1)}, {0.5, 0.0, -1, false, false, 3}, 1, capped);
  EXPECT_EQ(capped[0].size(), 6u);
  EXPECT_EQ(capped[2].size(), 6u);
}

TEST_F(Stimuli, DirDatabaseLabelsPartitionAndErrors) {
  make_dir({4, 6});
  ini::Document d = doc("[database]\nType=DIR_Database\nDataPath=data\nValidExtensions=png\nLearn=0.5\nValidation=0.25\n");
  auto db = make_database(d, d.at("database"));
  EXPECT_EQ(db->label_names(), (std::vector<std::string>{"c0", "c1"}));
  EXPECT_EQ(db->subset(Subset::Learn).size(), 4u);       // 2 per class (of the smallest, 4)
  EXPECT_EQ(db->subset(Subset::Validation).size(), 2u);  // 1 per class
  EXPECT_EQ(db->subset(Subset::Test).size(), 4u);        // 1 + 3
  cv::Mat m = db->load(db->subset(Subset::Test)[0]);
  EXPECT_EQ(m.size(), cv::Size(4, 3));
  // Same seed, same partition; another seed, another.
  auto again = make_database(d, d.at("database"));
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(again->subset(Subset::Learn)[i].path, db->subset(Subset::Learn)[i].path);
  ini::Document bad = doc("[database]\nType=DIR_Database\nDataPath=nowhere\n");
  EXPECT_THROW(make_database(bad, bad.at("database")), Error);
  ini::Document typo = doc("[database]\nType=DIR_Database\nDataPath=data\nLearnn=0.5\n");
  try {
    make_database(typo, typo.at("database"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("net.ini:4"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("Learn"), std::string::npos) << e.what();
  }
}

TEST_F(Stimuli, CsvDatabaseRowsLabelsAndBadCells) {
  std::ofstream(root_ / "d.csv") << "\"a\",\"b\",\"label\"\n1.5,2,\"x\"\n3,4,\"y\"\n5,6,\"x\"\n";
  ini::Document d = doc("[database]\nType=CSV_Database\nDataPath=d.csv\nNbHeaderLines=1\nLearn=0\n");
  auto db = make_database(d, d.at("database"));
  EXPECT_EQ(db->label_names(), (std::vector<std::string>{"x", "y"}));
  ASSERT_EQ(db->subset(Subset::Test).size(), 3u);
  cv::Mat row = db->load(db->subset(Subset::Test)[0]);
  EXPECT_EQ(row.cols, 2);
  std::ofstream(root_ / "bad.csv") << "1,2,x\n3,oops,y\n";
  ini::Document b = doc("[database]\nType=CSV_Database\nDataPath=bad.csv\n");
  try {
    make_database(b, b.at("database"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.csv:2"), std::string::npos) << e.what();
  }
}

TEST_F(Stimuli, ProviderConvertsEightBitDataAndBatches) {
  make_dir({3, 2});
  ini::Document d = doc(
      "[database]\nType=DIR_Database\nDataPath=data\nValidExtensions=png\nLearn=0\nRandomPartitioning=0\n"
      "[sp]\nSizeX=2\nSizeY=2\nBatchSize=2\n"
      "[sp.Transformation-1]\nType=PadCropTransformation\nWidth=2\nHeight=2\n");
  auto db = make_database(d, d.at("database"));
  StimuliProvider sp(d, *db);
  // Class 1 image 1 has pixel value 11: fed as 11 / 255.
  float px[4];
  sp.load(Subset::Test, 4, px);
  EXPECT_FLOAT_EQ(px[0], 11.f / 255.f);
  std::vector<int64_t> counts;
  std::vector<int32_t> labels;
  sp.for_each_batch(Subset::Test, 0, [&](const Batch& b) {
    EXPECT_EQ(b.data.shape(), (Shape{2, 1, 2, 2}));
    counts.push_back(b.count);
    labels.insert(labels.end(), b.labels.begin(), b.labels.end());
    if (b.count < 2) EXPECT_EQ(b.data.data<float>()[4], 0.f);  // padding row
  });
  EXPECT_EQ(counts, (std::vector<int64_t>{2, 2, 1}));
  EXPECT_EQ(labels, (std::vector<int32_t>{0, 0, 0, 1, 1}));
  // Signed mapping: [-1, 1); an explicit RangeAffine disables the implicit conversion.
  ini::Document s = doc(
      "[database]\nType=DIR_Database\nDataPath=data\nValidExtensions=png\nLearn=0\nRandomPartitioning=0\n"
      "[sp]\nSizeX=4\nSizeY=3\nConfigSection=sp.config\n[sp.config]\nDataSignedMapping=1\n");
  auto db2 = make_database(s, s.at("database"));
  StimuliProvider sp2(s, *db2);
  float img[12];
  sp2.load(Subset::Test, 4, img);
  EXPECT_FLOAT_EQ(img[0], (11.f - 128.f) / 128.f);
  ini::Document a = doc(
      "[database]\nType=DIR_Database\nDataPath=data\nValidExtensions=png\nLearn=0\nRandomPartitioning=0\n"
      "[sp]\nSizeX=4\nSizeY=3\n[sp.Transformation]\nType=RangeAffineTransformation\nFirstOperator=Multiplies\nFirstValue=2\n");
  auto db3 = make_database(a, a.at("database"));
  StimuliProvider sp3(a, *db3);
  sp3.load(Subset::Test, 4, img);
  EXPECT_FLOAT_EQ(img[0], 22.f);
}

TEST_F(Stimuli, RandomTransformationsIgnoreThreadsAndSizeErrorsNameTheStimulus) {
  make_dir({5});
  ini::Document d = doc(
      "[database]\nType=DIR_Database\nDataPath=data\nValidExtensions=png\nLearn=0\n"
      "[sp]\nSizeX=3\nSizeY=2\nBatchSize=2\n"
      "[sp.OnTheFlyTransformation]\nType=SliceExtractionTransformation\nWidth=3\nHeight=2\nRandomOffsetX=1\nRandomOffsetY=1\n");
  auto db = make_database(d, d.at("database"));
  StimuliProvider sp(d, *db);
  auto collect = [&](int threads) {
    std::vector<float> all;
    tbb::task_arena(threads).execute([&] {
      sp.for_each_batch(Subset::Test, 0, [&](const Batch& b) {
        all.insert(all.end(), b.data.data<float>(), b.data.data<float>() + b.data.numel());
      });
    });
    return all;
  };
  EXPECT_EQ(collect(1), collect(2));
  ini::Document wrong = doc("[database]\nType=DIR_Database\nDataPath=data\nValidExtensions=png\nLearn=0\n[sp]\nSizeX=8\nSizeY=8\n");
  auto db2 = make_database(wrong, wrong.at("database"));
  StimuliProvider sp2(wrong, *db2);
  float buf[64];
  try {
    sp2.load(Subset::Test, 0, buf);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(".png: after the transformations the stimulus is 4x3x1"), std::string::npos) << e.what();
  }
  ini::Document chan = doc("[database]\nType=DIR_Database\nDataPath=data\n[sp]\nSizeX=4\nSizeY=3\n[sp.ChannelTransformation]\nType=FlipTransformation\n");
  auto db3 = make_database(chan, chan.at("database"));
  EXPECT_THROW(StimuliProvider(chan, *db3), Error);
}

TEST_F(Stimuli, MnistIdxDatabaseSplitsValidationFromLearn) {
  // A tiny MNIST-layout folder: 10 training and 4 test images of 2x2.
  auto be32 = [](std::string& s, uint32_t v) {
    for (int sh = 24; sh >= 0; sh -= 8) s.push_back(static_cast<char>((v >> sh) & 0xFF));
  };
  fs::create_directories(root_ / "mnist");
  for (auto [name, n] : {std::pair<std::string, int>{"train", 10}, {"t10k", 4}}) {
    std::string img, lab;
    be32(img, 0x803), be32(img, n), be32(img, 2), be32(img, 2);
    be32(lab, 0x801), be32(lab, n);
    for (int i = 0; i < n; ++i) {
      img.append(4, static_cast<char>(i));
      lab.push_back(static_cast<char>(i % 3));
    }
    std::ofstream(root_ / "mnist" / (name + "-images-idx3-ubyte"), std::ios::binary) << img;
    std::ofstream(root_ / "mnist" / (name + "-labels-idx1-ubyte"), std::ios::binary) << lab;
  }
  ini::Document d = doc("[database]\nType=MNIST_IDX_Database\nDataPath=mnist\nValidation=0.2\n");
  auto db = make_database(d, d.at("database"));
  EXPECT_EQ(db->subset(Subset::Learn).size(), 8u);
  EXPECT_EQ(db->subset(Subset::Validation).size(), 2u);
  EXPECT_EQ(db->subset(Subset::Test).size(), 4u);
  cv::Mat m = db->load(db->subset(Subset::Test)[3]);
  EXPECT_EQ(m.at<uint8_t>(1, 1), 3);
  EXPECT_EQ(db->subset(Subset::Test)[3].label, 0);
}
