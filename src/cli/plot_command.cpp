// `ionode plot`: checks the paths, then runs the plotting script as `python3 -c SCRIPT ARGS...`.
//
// The script's text is compiled into the binary (CMake reads src/cli/plot_result.py into
// plot_script.cpp) rather than installed beside it and searched for: the binary then works the same
// from the build tree, installed anywhere, or as a user's own program that links ionode::cli
// (examples/connor_stevens), and it can never pick up a script of another version.
#include "plot_command.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <filesystem>
#include <fstream>

#include "child_process.hpp"
#include "ionode/error.hpp"

namespace ionode::cli {

extern const char* const plot_script_text;

// The interpreter: IONODE_PYTHON if set, else the one chosen at build time (Debian's /usr/bin/python3,
// which sees python3-matplotlib; the first python3 on PATH may be another build that does not).
std::string python_path() {
  const char* chosen = std::getenv("IONODE_PYTHON");
  return chosen != nullptr && *chosen != '\0' ? chosen : IONODE_PLOT_PYTHON;
}

namespace {

// The script's own exit status for a user error (plot_result.py: USER_ERROR).
constexpr int script_user_error = 2;

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

std::vector<std::string> network_result_files(const std::string& result) {
  const std::filesystem::path path(result);
  const std::filesystem::path folder = path.parent_path().empty() ? "." : path.parent_path();
  const std::string prefix = path.stem().string() + ".", extension = path.extension().string();
  std::vector<std::string> files;
  std::error_code code;
  for (const auto& entry : std::filesystem::directory_iterator(folder, code)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > prefix.size() + extension.size() && name.starts_with(prefix) && name.ends_with(extension)) {
      files.push_back((path.parent_path() / name).string());
    }
  }
  std::sort(files.begin(), files.end());  // the script orders them by the network's population order
  return files;
}

void check_figure_path(const std::string& figure) {
  if (!figure.ends_with(".png") && !figure.ends_with(".svg") && !figure.ends_with(".pdf")) {
    throw error(fmt::format(
        "figure '{}' is not allowed; its name must end in .png, .svg or .pdf (the format)", figure));
  }
  const std::filesystem::path target(figure);
  const bool existed = std::filesystem::exists(target);
  {
    std::ofstream probe(figure, std::ios::app);
    if (!probe) {
      throw error(fmt::format("figure '{}' cannot be written (does its folder exist, and may it be written?)",
                              figure));
    }
  }
  if (!existed) std::filesystem::remove(target);
}

void check_plottable_result(const std::string& result) {
  if (!result.ends_with(".npz") && !result.ends_with(".h5")) {
    throw error(fmt::format(
        "cannot plot '{}': plots read .npz or .h5 results (with run --plot, write the output as .npz)",
        result));
  }
}

void plot_result(const std::string& result, const std::string& figure, const plot_options& options) {
  check_figure_path(figure);
  check_plottable_result(result);
  // A network's result is one file per population (OUT.<population>.npz): plot them together.
  std::vector<std::string> files{result};
  if (!std::filesystem::exists(result)) {
    files = network_result_files(result);
    if (files.empty()) throw error(fmt::format("result '{}' does not exist (nor a network's files beside it)", result));
  }

  // "--output=" and "--" keep a file name that starts with '-' a file name, never an option.
  std::vector<std::string> argv{python_path(), "-c", plot_script_text, "--output=" + figure};
  if (!options.neurons.empty()) argv.push_back(fmt::format("--neurons={}", fmt::join(options.neurons, ",")));
  if (options.batch) argv.push_back(fmt::format("--batch={}", *options.batch));
  if (!options.variable.empty()) argv.push_back("--variable=" + options.variable);
  if (options.bin_ms) argv.push_back(fmt::format("--bin={}", *options.bin_ms));
  argv.push_back("--");
  argv.insert(argv.end(), files.begin(), files.end());

  const child_result child = [&] {
    try {
      return run_child(argv);
    } catch (const error& e) {
      throw error(
          fmt::format("plotting needs Python with matplotlib ({}); install python3-matplotlib, or set "
                      "IONODE_PYTHON to an interpreter that has it",
                      e.what()));
    }
  }();
  const std::string message = trimmed(child.errors);
  if (child.exit_status == script_user_error) throw error(fmt::format("plot: {}", message));
  if (child.exit_status != 0) {
    throw internal_error(
        fmt::format("the plotting script failed (exit status {}):\n{}", child.exit_status, message));
  }
  if (!message.empty()) std::fprintf(stderr, "%s\n", message.c_str());  // matplotlib's warnings, if any
}

}  // namespace ionode::cli
