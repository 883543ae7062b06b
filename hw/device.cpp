#include "hw/device.h"

#include <algorithm>
#include <cctype>

#include "graph/error.h"

namespace n2d2::hw {

const std::vector<Device>& device_table() {
  // Resource counts from the vendors' product tables (DS190, DS891, Intel Arria 10 overview).
  static const std::vector<Device> table = {
      {"xc7z020", "Zynq-7000", DspKind::DSP48E1, 220, 280, 18432, 53200, 106400, 25, 18},
      {"xczu9eg", "Zynq UltraScale+", DspKind::DSP48E2, 2520, 1824, 18432, 274080, 548160, 27, 18},
      {"xcvu9p", "Virtex UltraScale+", DspKind::DSP48E2, 6840, 4320, 18432, 1182240, 2364480, 27, 18},
      {"10AS027", "Arria 10 SX 270", DspKind::IntelVarPrec, 830, 750, 20480, 203240, 406480, 27, 27},
  };
  return table;
}

const Device& find_device(const std::string& name) {
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
  };
  std::string want = lower(name);
  if (want == "arria10" || want == "arria10sx270" || want == "10as027") want = lower("10AS027");
  for (const Device& d : device_table())
    if (lower(d.name) == want) return d;
  std::string known;
  for (const Device& d : device_table()) known += (known.empty() ? "" : ", ") + d.name;
  fail("unknown device '", name, "' (known: ", known, ", arria10)");
}

}  // namespace n2d2::hw
