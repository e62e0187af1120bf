// `ionode plot` and `ionode run --plot`: a figure of a result, drawn by matplotlib in a child process.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace ionode::cli {

struct plot_options {
  std::vector<std::size_t> neurons;  // traces to draw (empty: the first few recorded)
  std::optional<std::size_t> batch;  // batch copy to draw (default 0)
  std::string variable;              // variable to trace (empty: V, or Vs)
  std::optional<double> bin_ms;      // population-rate bin width (default about 1/50 of the run)
};

// The Python that draws figures: IONODE_PYTHON, or the one chosen at build time.
std::string python_path();

// Checks, before any work, that the figure path ends in .png, .svg or .pdf and can be written.
// Throws ionode::error naming the path and what is allowed.
void check_figure_path(const std::string& figure);

// Checks that a result file can be plotted: it ends in .npz or .h5 (not .csv).
void check_plottable_result(const std::string& result);
// The files of a network's result OUT.npz: OUT.<population>.npz beside it (sorted by name; empty if none).
std::vector<std::string> network_result_files(const std::string& result);

// Draws `result` (.npz or .h5) into `figure`: traces of the chosen neurons, a spike raster and the
// population rate. Runs Debian's python3 with the embedded script (src/cli/plot_result.py); the
// environment variable IONODE_PYTHON names another interpreter. Throws ionode::error for anything
// the user can fix (missing result, unrecorded neuron, missing matplotlib), with the script's message.
void plot_result(const std::string& result, const std::string& figure, const plot_options& options);

}  // namespace ionode::cli
