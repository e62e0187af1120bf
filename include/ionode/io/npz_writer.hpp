// Writes NumPy .npz archives (a zip of .npy members) with libzip, from memory or from .npy files.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

struct zip;
struct zip_source;

namespace ionode::io {

class npz_writer {
 public:
  // Opens (creates or truncates) the archive; throws ionode::error if the path cannot be written.
  explicit npz_writer(const std::string& path);
  ~npz_writer();
  npz_writer(const npz_writer&) = delete;
  npz_writer& operator=(const npz_writer&) = delete;

  void add(const std::string& name, const std::vector<double>& values, const std::vector<std::size_t>& shape);
  void add(const std::string& name, const std::vector<std::int64_t>& values, const std::vector<std::size_t>& shape);
  void add_string(const std::string& name, const std::string& ascii);
  // A member copied from a complete .npy file on disk when the archive is written (close()), so
  // that arrays larger than memory pass through; the file must stay until then.
  void add_npy_file(const std::string& name, const std::string& npy_path);
  // Writes the archive to disk. Called by the destructor if not called before (errors then lost).
  void close();

 private:
  void add_member(const std::string& name, std::string bytes);
  void add_source(const std::string& name, zip_source* source);
  std::string path_;
  zip* archive_ = nullptr;
  std::deque<std::string> buffers_;  // libzip reads the members' bytes at close()
};

}  // namespace ionode::io
