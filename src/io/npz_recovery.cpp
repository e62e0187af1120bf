// `ionode recover`: the archive of a killed run's .npz from the spool it left (npz_spool.hpp).
#include "ionode/io/npz_recovery.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "ionode/error.hpp"
#include "npz_spool.hpp"

namespace ionode::io {

namespace fs = std::filesystem;

std::vector<std::string> find_npz_spools(const std::string& output) {
  const fs::path target(output);
  const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  // Built by appending: GCC 12 warns (-Wrestrict, wrongly) on "." + string here.
  std::string prefix(1, '.');
  prefix.append(target.filename().string()).append(".ionode-");
  std::vector<std::pair<fs::file_time_type, std::string>> found;
  std::error_code code;
  for (const auto& entry : fs::directory_iterator(folder, code)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0 || !entry.is_directory() || !fs::exists(entry.path() / "layout.json")) continue;
    found.emplace_back(fs::last_write_time(entry.path() / "layout.json"), entry.path().string());
  }
  if (code) throw error(fmt::format("cannot list the folder '{}' of '{}': {}", folder.string(), output, code.message()));
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (auto& [time, path] : found) out.push_back(std::move(path));
  return out;
}

npz_recovery recover_npz(const std::string& output, const std::string& to_path) {
  if (fs::path(output).extension() != ".npz") {
    throw error(fmt::format("recover: '{}' is not allowed; give the .npz path of the run (only .npz results need "
                            "recovering: .h5 and .csv files hold every block written)",
                            output));
  }
  const std::string to = to_path.empty() ? output : to_path;
  const auto spools = find_npz_spools(output);
  if (spools.empty()) {
    throw error(fmt::format("recover: no unfinished run of '{}' was found (its spool would be a folder '.{}.ionode-*' "
                            "beside it)",
                            output, fs::path(output).filename().string()));
  }
  std::error_code ignored;
  if (fs::exists(to, ignored)) {
    throw error(fmt::format("recover: '{}' exists; remove it, or write the recovered run elsewhere with -o", to));
  }
  const std::string& spool = spools.front();
  const detail::npz_spool_layout layout = detail::read_spool_layout(spool);
  const detail::npz_spool_counts counts = detail::read_spool_counts(spool);

  std::string metadata = layout.metadata;
  const auto why = fmt::format(
      "the process ended before it closed the file (killed?); `ionode recover` made it from the {} samples and {} "
      "spikes written whole",
      counts.samples, counts.spikes);
  try {
    auto json = nlohmann::ordered_json::parse(metadata);
    json["complete"] = false;
    json["stop_reason"] = why;
    json["recovered"] = true;
    metadata = json.dump(-1, ' ', true);
  } catch (const nlohmann::json::exception&) {
    // Not ionode's command-line metadata: kept as the run wrote it.
  }
  detail::assemble_npz(to, spool, layout, counts, metadata);
  fs::remove_all(spool, ignored);
  return {spool, counts.samples, counts.spikes, {spools.begin() + 1, spools.end()}};
}

}  // namespace ionode::io
