// .npz archives through libzip: each member is an encoded .npy array, stored uncompressed as np.savez does.
#include "ionode/io/npz_writer.hpp"

#include <fmt/format.h>
#include <zip.h>

#include "ionode/error.hpp"
#include "ionode/io/npy.hpp"

namespace ionode::io {

npz_writer::npz_writer(const std::string& path) : path_(path) {
  int code = 0;
  archive_ = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
  if (archive_ == nullptr) {
    zip_error_t error_info;
    zip_error_init_with_code(&error_info, code);
    const std::string reason = zip_error_strerror(&error_info);
    zip_error_fini(&error_info);
    throw error(fmt::format("cannot write output '{}': {}", path, reason));
  }
}

npz_writer::~npz_writer() {
  if (archive_ != nullptr) {
    try {
      close();
    } catch (...) {
      // A destructor must not throw; close() explicitly to see errors.
    }
  }
}

void npz_writer::add_source(const std::string& name, zip_source_t* source) {
  if (source == nullptr) throw error(fmt::format("writing '{}': {}", path_, zip_strerror(archive_)));
  const std::string member = name + ".npy";
  const zip_int64_t index = zip_file_add(archive_, member.c_str(), source, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8);
  if (index < 0) {
    zip_source_free(source);
    throw error(fmt::format("writing '{}': {}", path_, zip_strerror(archive_)));
  }
  zip_set_file_compression(archive_, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
}

void npz_writer::add_member(const std::string& name, std::string bytes) {
  buffers_.push_back(std::move(bytes));
  const std::string& stored = buffers_.back();
  add_source(name, zip_source_buffer(archive_, stored.data(), stored.size(), 0));
}

void npz_writer::add_npy_file(const std::string& name, const std::string& npy_path) {
  // Length -1: to the end of the file (libzip reads it, and learns its size, at close()).
  add_source(name, zip_source_file(archive_, npy_path.c_str(), 0, -1));
}

void npz_writer::add(const std::string& name, const std::vector<double>& values,
                     const std::vector<std::size_t>& shape) {
  add_member(name, encode_npy(values, shape));
}
void npz_writer::add(const std::string& name, const std::vector<std::int64_t>& values,
                     const std::vector<std::size_t>& shape) {
  add_member(name, encode_npy(values, shape));
}
void npz_writer::add_string(const std::string& name, const std::string& ascii) {
  add_member(name, encode_npy_string(ascii));
}

void npz_writer::close() {
  if (archive_ == nullptr) return;
  zip* archive = archive_;
  archive_ = nullptr;
  if (zip_close(archive) != 0) {
    const std::string reason = zip_strerror(archive);
    zip_discard(archive);
    throw error(fmt::format("cannot write output '{}': {}", path_, reason));
  }
  buffers_.clear();
}

}  // namespace ionode::io
