// The first part of an existing result file (.npz or .h5, as ionode writes them), copied block by block
// into another result: a run resumed from a checkpoint starts its output with what the run before it
// wrote up to the checkpoint.
#pragma once

#include <cstddef>
#include <string>

#include "ionode/recording.hpp"
#include "ionode/recording_sink.hpp"

namespace ionode::io {

// Writes the first `samples` samples and `spikes` spikes of the result at `path` to `to`, in blocks of
// about `block_bytes` (memory stays bounded), with the variables and columns of `layout` (no batch
// axis). Throws ionode::error naming the file when it is not such a result, lacks a variable or its
// columns, or holds fewer samples or spikes.
void copy_result_prefix(const std::string& path, std::size_t samples, std::size_t spikes, const recording& layout,
                        recording_sink& to, std::size_t block_bytes = default_block_bytes);

}  // namespace ionode::io
