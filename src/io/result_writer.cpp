// The .npz and .csv layouts of a recording.
#include "ionode/io/result_writer.hpp"

#include <fmt/format.h>
#include <fmt/os.h>

#include <filesystem>
#include <fstream>

#include "ionode/error.hpp"
#include "ionode/io/npz_writer.hpp"

namespace ionode::io {

namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Reorders sample-major [T][B][n] into [B][T][n] for a batch axis.
std::vector<double> batch_major(const recording& r, const std::vector<double>& values) {
  const std::size_t samples = r.ts.size(), copies = r.copies, n = r.indices.size();
  std::vector<double> out(values.size());
  for (std::size_t t = 0; t < samples; ++t) {
    for (std::size_t b = 0; b < copies; ++b) {
      for (std::size_t k = 0; k < n; ++k) out[(b * samples + t) * n + k] = values[(t * copies + b) * n + k];
    }
  }
  return out;
}

void write_npz(const std::string& path, const recording& r, const std::string& metadata) {
  npz_writer npz(path);
  const std::size_t samples = r.ts.size(), n = r.indices.size();
  npz.add("ts", r.ts, {samples});
  for (const auto& name : r.variables) {
    const auto& values = r.values.at(name);
    if (r.batch_axis) {
      npz.add(name, batch_major(r, values), {r.copies, samples, n});
    } else {
      npz.add(name, values, {samples, n});
    }
  }
  npz.add("spike_times", r.spike_times, {r.spike_times.size()});
  npz.add("spike_indices", r.spike_indices, {r.spike_indices.size()});
  if (r.batch_axis) npz.add("spike_batch", r.spike_batch, {r.spike_batch.size()});
  npz.add_string("metadata", metadata);
  npz.close();
}

std::string stem_of(const std::string& path) { return path.substr(0, path.size() - 4); }

void write_csv(const std::string& path, const recording& r, const std::string& metadata) {
  {
    auto out = fmt::output_file(path);
    out.print("t");
    for (const auto& name : r.variables) {
      for (std::size_t b = 0; b < r.copies; ++b) {
        for (std::size_t index : r.indices) {
          if (r.batch_axis) {
            out.print(",{}[b={};i={}]", name, b, index);  // no comma inside a column name
          } else {
            out.print(",{}[{}]", name, index);
          }
        }
      }
    }
    out.print("\n");
    const std::size_t width = r.copies * r.indices.size();
    for (std::size_t t = 0; t < r.ts.size(); ++t) {
      out.print("{}", r.ts[t]);
      for (const auto& name : r.variables) {
        const auto& values = r.values.at(name);
        for (std::size_t c = 0; c < width; ++c) out.print(",{}", values[t * width + c]);
      }
      out.print("\n");
    }
  }
  {
    auto out = fmt::output_file(stem_of(path) + ".spikes.csv");
    out.print("{}\n", r.batch_axis ? "time,neuron,batch" : "time,neuron");
    for (std::size_t s = 0; s < r.spike_times.size(); ++s) {
      if (r.batch_axis) {
        out.print("{},{},{}\n", r.spike_times[s], r.spike_indices[s], r.spike_batch[s]);
      } else {
        out.print("{},{}\n", r.spike_times[s], r.spike_indices[s]);
      }
    }
  }
  auto meta = fmt::output_file(stem_of(path) + ".metadata.json");
  meta.print("{}\n", metadata);
}

}  // namespace

void check_output_path(const std::string& path) {
  if (!ends_with(path, ".npz") && !ends_with(path, ".csv")) {
    throw error(fmt::format("output.path = '{}' is not allowed; it must end in .npz or .csv", path));
  }
  const std::filesystem::path target(path);
  const bool existed = std::filesystem::exists(target);
  {
    std::ofstream probe(path, std::ios::app);
    if (!probe) {
      throw error(fmt::format("output.path = '{}' cannot be written (does its folder exist, and may it be written?)",
                              path));
    }
  }
  if (!existed) std::filesystem::remove(target);
}

void write_result(const std::string& path, const recording& result, const std::string& metadata_json) {
  try {
    if (ends_with(path, ".npz")) {
      write_npz(path, result, metadata_json);
    } else if (ends_with(path, ".csv")) {
      write_csv(path, result, metadata_json);
    } else {
      throw error(fmt::format("output.path = '{}' is not allowed; it must end in .npz or .csv", path));
    }
  } catch (const std::system_error& e) {
    throw error(fmt::format("cannot write output '{}': {}", path, e.what()));
  }
}

}  // namespace ionode::io
