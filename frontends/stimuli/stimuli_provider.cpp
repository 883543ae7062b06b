#include "frontends/stimuli/stimuli_provider.h"

#include <tbb/parallel_pipeline.h>

#include <cstring>

#include "graph/error.h"
#include "kernels/parallel.h"

namespace n2d2::stimuli {

void mat_to_chw(const cv::Mat& m, bool signed_mapping, float* dst) {
  const int C = m.channels(), H = m.rows, W = m.cols;
  cv::Mat f;
  double scale = 1.0, shift = 0.0;
  switch (m.depth()) {
    case CV_8U: scale = signed_mapping ? 1.0 / 128 : 1.0 / 255, shift = signed_mapping ? -128.0 / 128 : 0.0; break;
    case CV_8S: scale = 1.0 / 128; break;
    case CV_16U: scale = signed_mapping ? 1.0 / 32768 : 1.0 / 65535, shift = signed_mapping ? -1.0 : 0.0; break;
    case CV_16S: scale = 1.0 / 32768; break;
    default: break;  // float / int32 data is fed as is
  }
  m.convertTo(f, CV_MAKETYPE(CV_32F, C), scale, shift);
  for (int y = 0; y < H; ++y) {
    const float* row = f.ptr<float>(y);
    for (int x = 0; x < W; ++x)
      for (int c = 0; c < C; ++c) dst[(static_cast<int64_t>(c) * H + y) * W + x] = row[x * C + c];
  }
}

StimuliProvider::StimuliProvider(const ini::Document& doc, const Database& db, uint64_t seed) : db_(db), seed_(seed) {
  const ini::Section* sp = doc.find("sp");
  if (!sp) sp = doc.find("env");
  if (!sp) fail(doc.file(), ": no [sp] or [env] section (the stimuli provider)");
  ini::SectionReader r(*sp);
  int64_t size = r.get_int("Size", 0);
  size_x_ = r.get_int("SizeX", size), size_y_ = r.get_int("SizeY", size);
  channels_ = r.get_int("NbChannels", 1);
  batch_size_ = r.get_int("BatchSize", 1);
  if (size_x_ <= 0 || size_y_ <= 0 || channels_ <= 0 || batch_size_ <= 0)
    fail(sp->where.str(), ": [", sp->name, "] needs SizeX, SizeY (or Size), NbChannels and BatchSize > 0");
  if (r.get_bool("CompositeStimuli", false))
    fail(sp->where.str(), ": [", sp->name, "] CompositeStimuli=1 (pixel-wise labels) is not supported by n2d2-flow");
  r.accept("CachePath");  // no stimuli cache: everything is recomputed
  std::string config = r.get_string("ConfigSection", "");
  // Spike coding parameters of [env] belong to the spike engine.
  r.finish({"StimulusType", "DiscardedLateStimuli", "PeriodMeanMin", "PeriodMeanMax", "PeriodRelStdDev", "PeriodMin"});
  if (!config.empty()) {
    ini::SectionReader c(doc.at(config));
    signed_mapping_ = c.get_bool("DataSignedMapping", false);
    c.finish();
  }
  const std::string prefix = sp->name + ".";
  for (const ini::Section& s : doc.sections()) {
    if (s.name.rfind(prefix, 0) != 0) continue;
    std::string kind = s.name.substr(prefix.size());
    if (kind.rfind("Transformation", 0) == 0 || kind.rfind("OnTheFlyTransformation", 0) == 0) {
      transformations_.push_back(make_transformation(doc, s));
    } else if (kind.rfind("Channel", 0) == 0 || kind.rfind("StimuliData", 0) == 0) {
      fail(s.where.str(), ": [", s.name, "] (", kind.substr(0, kind.find_first_of("-[")),
           " sections) is not supported by n2d2-flow");
    }
  }
}

cv::Mat StimuliProvider::transformed(Subset s, int64_t index) const {
  const Stimulus& st = db_.subset(s).at(static_cast<std::size_t>(index));
  cv::Mat m = db_.load(st);
  // One generator per stimulus: the same draws whatever the thread or batch.
  std::mt19937_64 rng(seed_ * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(s) * 0x100000001B3ull + static_cast<uint64_t>(index));
  for (const auto& t : transformations_) {
    if (!t->applies_to(s)) continue;
    try {
      m = t->apply(m, rng);
    } catch (const Error& e) {
      fail(st.path, ": [", t->section(), "] ", e.what());
    }
  }
  return m;
}

void StimuliProvider::load(Subset s, int64_t index, float* dst) const {
  cv::Mat m = transformed(s, index);
  if (m.cols != size_x_ || m.rows != size_y_ || m.channels() != channels_) {
    const Stimulus& st = db_.subset(s)[static_cast<std::size_t>(index)];
    fail(st.path, ": after the transformations the stimulus is ", m.cols, "x", m.rows, "x", m.channels(),
         " (width x height x channels), the stimuli provider expects ", size_x_, "x", size_y_, "x", channels_);
  }
  mat_to_chw(m, signed_mapping_, dst);
}

void StimuliProvider::for_each_batch(Subset s, int64_t limit, const std::function<void(const Batch&)>& fn) const {
  int64_t total = static_cast<int64_t>(db_.subset(s).size());
  if (limit > 0) total = std::min(total, limit);
  int64_t batches = (total + batch_size_ - 1) / batch_size_, next = 0;
  const int64_t per = channels_ * size_y_ * size_x_;
  tbb::parallel_pipeline(
      2,  // tokens: one batch prepared while one is consumed
      tbb::make_filter<void, int64_t>(tbb::filter_mode::serial_in_order,
                                      [&](tbb::flow_control& fc) -> int64_t {
                                        if (next >= batches) {
                                          fc.stop();
                                          return 0;
                                        }
                                        return next++;
                                      }) &
          tbb::make_filter<int64_t, std::shared_ptr<Batch>>(tbb::filter_mode::parallel,
                                                            [&](int64_t b) {
                                                              auto batch = std::make_shared<Batch>();
                                                              batch->first = b * batch_size_;
                                                              batch->count = std::min(batch_size_, total - batch->first);
                                                              batch->data = Tensor(DType::F32, {batch_size_, channels_, size_y_, size_x_});
                                                              float* d = batch->data.data_mut<float>();
                                                              kernels::parallel_for(batch->count, 1, [&](int64_t i0, int64_t i1) {
                                                                for (int64_t i = i0; i < i1; ++i) load(s, batch->first + i, d + i * per);
                                                              });
                                                              for (int64_t i = 0; i < batch->count; ++i)
                                                                batch->labels.push_back(db_.subset(s)[batch->first + i].label);
                                                              return batch;
                                                            }) &
          tbb::make_filter<std::shared_ptr<Batch>, void>(tbb::filter_mode::serial_in_order,
                                                         [&](std::shared_ptr<Batch> b) { fn(*b); }));
}

}  // namespace n2d2::stimuli
