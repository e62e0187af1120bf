// The result_file implementations, one per format (private to src/io; chosen in result_file.cpp).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "ionode/io/result_file.hpp"

namespace ionode::io::detail {

std::unique_ptr<result_file> open_hdf5(const std::string& path, const recording& layout, const std::string& metadata);
std::unique_ptr<result_file> open_npz(const std::string& path, const recording& layout, const std::string& metadata);
std::unique_ptr<result_file> open_csv(const std::string& path, const recording& layout, const std::string& metadata);

// The files a result path writes besides itself (.csv: <stem>.spikes.csv and <stem>.metadata.json).
std::vector<std::string> side_files(const std::string& path, result_format format);

// Copies a block's values of one variable, sample-major [s][b][k] as recorded, into the (B, S, n)
// order of the files' batch axis.
void to_batch_major(const double* in, std::size_t samples, std::size_t copies, std::size_t width, double* out);

}  // namespace ionode::io::detail
