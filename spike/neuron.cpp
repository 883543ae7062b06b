#include "spike/neuron.h"

#include <cmath>

namespace n2d2::spike {

int IfNeuron::integrate(Time t, double weight) {
    if (cfg_->leak_tau > 0 && t > last_update_)
        v_ *= std::exp(-static_cast<double>(t - last_update_) / static_cast<double>(cfg_->leak_tau));
    last_update_ = t;
    if (fired_ && cfg_->refractory > 0 && t - last_spike_ < cfg_->refractory) return 0;
    v_ += weight;
    int out = 0;
    if (v_ >= cfg_->threshold) {
        v_ -= cfg_->threshold;
        out = 1;
    } else if (cfg_->bipolar && v_ <= -cfg_->threshold) {
        v_ += cfg_->threshold;
        out = -1;
    }
    if (out != 0) {
        fired_ = true;
        last_spike_ = t;
        ++spikes_;
    }
    return out;
}

}  // namespace n2d2::spike
