// Writes a whole in-memory recording to a result file (.npz, .h5 or .csv), with its metadata.
#pragma once

#include <string>

#include "ionode/io/result_file.hpp"
#include "ionode/recording.hpp"

namespace ionode::io {

// For a recording kept in memory (no sink attached): opens the file, writes everything, closes
// it. The layout is that of result_file (docs/outputs.md).
void write_result(const std::string& path, const recording& result, const std::string& metadata_json);

}  // namespace ionode::io
