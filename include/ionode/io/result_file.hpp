// Result files written while a run goes on: .h5 (HDF5), .npz (NumPy) or .csv, chosen by extension.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "ionode/recording_sink.hpp"
#include "ionode/recording.hpp"

namespace ionode::io {

enum class result_format { npz, hdf5, csv };

// The format a path's extension names (.npz, .h5 or .hdf5, .csv); throws ionode::error otherwise.
result_format format_of(const std::string& path);

// Checks, before a run starts, that the path names a known format and that every file it writes
// can be created (the folder exists and may be written; the path is not a folder). Throws
// ionode::error with the path and the reason. Leaves no file behind.
void check_output_path(const std::string& path);

// Checks that the file system holding `path` has room for about `values` recorded numbers in the
// path's format (counting the temporary copy a .npz needs); throws ionode::error otherwise.
void check_output_space(const std::string& path, std::uintmax_t values);

// The layout, common to all formats (docs/outputs.md): ts (T,), one array per monitored variable,
// (T, n) or (B, T, n) with a batch axis, spike_times, spike_indices (and spike_batch with a batch
// axis), and the metadata as JSON text.
class result_file : public recording_sink {
 public:
  // Makes the file complete on disk with this metadata (JSON text), replacing the one given at
  // open. Call once. A file destroyed without close() is finalized with the metadata given at
  // open, which should then say that the run did not finish.
  virtual void close(const std::string& metadata_json) = 0;
};

// Creates (or truncates) the file for the layout of `layout` (variables, indices, copies, batch
// axis: what runner::result() holds after runner::monitor) and writes `metadata_json` where the
// format allows before the end (.h5, .csv), so that a file of a run that never closes it is
// marked with it. Samples already in `layout` are not written: pass them to write().
std::unique_ptr<result_file> open_result_file(const std::string& path, const recording& layout,
                                              const std::string& metadata_json);

}  // namespace ionode::io
