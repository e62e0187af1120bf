// A whole in-memory recording written through the same result files that stream a run.
#include "ionode/io/result_writer.hpp"

#include <fmt/format.h>

#include "ionode/error.hpp"

namespace ionode::io {

void write_result(const std::string& path, const recording& result, const std::string& metadata_json) {
  if (result.first_sample != 0 || result.first_spike != 0) {
    throw error(fmt::format("write_result('{}'): this recording was streamed to a sink and holds only its last "
                            "samples; write through the sink's file instead",
                            path));
  }
  auto file = open_result_file(path, result, metadata_json);
  file->write(result);
  file->close(metadata_json);
}

}  // namespace ionode::io
