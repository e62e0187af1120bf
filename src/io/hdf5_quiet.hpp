// HDF5 prints its error stack on stderr by default; ionode reports errors itself (naming the file and
// what failed), so printing is off while this guard lives and restored after (other HDF5 users in the
// process keep theirs). Private to ionode's sources (it includes hdf5.h): the result files, copying a
// result's prefix, and the command line's checkpoints.
#pragma once

#include <hdf5.h>

namespace ionode::io::detail {

class quiet_hdf5_errors {
 public:
  quiet_hdf5_errors() {
    H5Eget_auto2(H5E_DEFAULT, &saved_, &saved_data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~quiet_hdf5_errors() { H5Eset_auto2(H5E_DEFAULT, saved_, saved_data_); }
  quiet_hdf5_errors(const quiet_hdf5_errors&) = delete;
  quiet_hdf5_errors& operator=(const quiet_hdf5_errors&) = delete;

 private:
  H5E_auto2_t saved_ = nullptr;
  void* saved_data_ = nullptr;
};

}  // namespace ionode::io::detail
