// The spool of a .npz result being written: one raw .npy file per array in a hidden folder beside the
// output, a layout file, and a count of the samples and spikes written whole. Both the normal close and
// `ionode recover` (after a process was killed) make the archive from it with assemble_npz.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

namespace ionode::io::detail {

// Room for the .npy header of any shape of up to three 20-digit extents, so that the header can be
// written in place once the final shape is known (a multiple of 64, as NumPy aligns it).
inline constexpr std::size_t spool_header_bytes = 192;

// What the archive will hold, written into the spool when it is created.
struct npz_spool_layout {
  std::string output;                  // the .npz path the spool is for
  std::vector<std::string> variables;  // monitored variables, in member order
  std::size_t copies = 1, width = 0;   // batch copies, recorded neurons
  bool batch_axis = false;
  std::string metadata;  // the metadata given at open (the run's settings; complete: false)
};

// How far the spool's files are whole: updated after each block, once its bytes are flushed.
struct npz_spool_counts {
  std::size_t samples = 0, spikes = 0;
};

// One array appended to a .npy file whose header (spool_header_bytes of blanks until assembled) is
// written by assemble_npz.
class npy_spool {
 public:
  npy_spool(std::string output, std::string path);
  ~npy_spool();
  npy_spool(const npy_spool&) = delete;
  npy_spool& operator=(const npy_spool&) = delete;

  void append(const void* data, std::size_t bytes);
  void flush();  // into the kernel: what a killed process leaves is then on disk
  void close();

 private:
  std::string output_, path_;
  std::FILE* file_ = nullptr;
};

// Names of the spool's files (inside its folder).
std::string spool_member(const std::string& spool_dir, const std::string& name);
std::vector<std::string> spool_names(const npz_spool_layout& layout);  // ts, v0.., spike_times, ...

void write_spool_layout(const std::string& spool_dir, const npz_spool_layout& layout);
npz_spool_layout read_spool_layout(const std::string& spool_dir);
void write_spool_counts(const std::string& spool_dir, const npz_spool_counts& counts);
npz_spool_counts read_spool_counts(const std::string& spool_dir);

// Writes the archive `to` from the spool's files (closed), cut to `counts` (a block a killed process
// was writing is dropped), with `metadata`; the spool's files are rewritten on the way.
void assemble_npz(const std::string& to, const std::string& spool_dir, const npz_spool_layout& layout,
                  const npz_spool_counts& counts, const std::string& metadata);

}  // namespace ionode::io::detail
