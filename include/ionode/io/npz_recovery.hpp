// Recovering the .npz result of a run whose process was killed (SIGKILL, the out-of-memory killer, a
// scheduler's limit) before it could close the file: `ionode recover RESULT.npz`.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace ionode::io {

struct npz_recovery {
  std::string spool;                 // the spool folder the archive was made from (then removed)
  std::size_t samples = 0, spikes = 0;  // what the archive holds: every block written whole
  std::vector<std::string> others;   // older spools of the same output, left in place
};

// The spools a .npz output's unfinished runs left beside it, newest first.
std::vector<std::string> find_npz_spools(const std::string& output);

// Makes `to` (the output itself when empty) from the newest spool of `output`, with the metadata of the
// run marked complete: false, recovered: true; removes that spool. Refuses to overwrite an existing file.
npz_recovery recover_npz(const std::string& output, const std::string& to = {});

}  // namespace ionode::io
