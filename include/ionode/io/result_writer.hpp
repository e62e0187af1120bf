// Writes a run's recording to .npz (NumPy) or .csv, with its metadata.
#pragma once

#include <string>

#include "ionode/runner.hpp"

namespace ionode::io {

// Checks, before a run starts, that the path ends in .npz or .csv and that it can be written.
void check_output_path(const std::string& path);

// .npz: ts (T,), one array per variable ((T, n), or (B, T, n) with a batch axis), spike_times
// (float64, ms), spike_indices (int64), spike_batch (int64, with a batch axis), metadata (JSON str).
// .csv: a header row `t,V[0],V[1],...` (with a batch axis `V[b=1;i=0]`), one row per sample; spikes in
// `<stem>.spikes.csv` (`time,neuron[,batch]`), metadata in `<stem>.metadata.json`.
void write_result(const std::string& path, const recording& result, const std::string& metadata_json);

}  // namespace ionode::io
