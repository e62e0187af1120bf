// Result files (.h5, .npz, .csv): the layout read back, streamed in blocks or written at once, and
// files that are never closed or cannot be written.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ionode/registry.hpp"
#include "ionode/io/npy.hpp"
#include "ionode/io/result_file.hpp"
#include "ionode/io/result_writer.hpp"
#include "ionode/ionode.hpp"

namespace {

namespace fs = std::filesystem;

struct array {
  std::vector<std::size_t> shape;
  std::vector<double> values;  // as double, C order
};

// A fresh folder per test, removed after it.
class ResultFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("ionode-unit-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::vector<std::string> files() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  fs::path dir_;
};

array read_h5(const std::string& file, const std::string& name) {
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  EXPECT_GE(f, 0) << file;
  const hid_t d = H5Dopen2(f, name.c_str(), H5P_DEFAULT);
  EXPECT_GE(d, 0) << name;
  const hid_t space = H5Dget_space(d);
  std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space)));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  array out;
  std::size_t count = 1;
  for (auto d_ : dims) {
    out.shape.push_back(d_);
    count *= d_;
  }
  out.values.resize(count);
  if (count > 0) H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.values.data());
  H5Sclose(space);
  H5Dclose(d);
  H5Fclose(f);
  return out;
}

std::string read_h5_metadata(const std::string& file) {
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t d = H5Dopen2(f, "metadata", H5P_DEFAULT);
  const hid_t type = H5Dget_type(d);
  char* text = nullptr;
  H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &text);
  std::string out = text != nullptr ? text : "";
  H5free_memory(text);
  H5Tclose(type);
  H5Dclose(d);
  H5Fclose(f);
  return out;
}

// A member of an .npz, extracted next to it and read with ionode's .npy reader.
std::string npz_member_bytes(const std::string& file, const std::string& name) {
  int code = 0;
  zip_t* archive = zip_open(file.c_str(), ZIP_RDONLY, &code);
  EXPECT_NE(archive, nullptr) << file;
  if (archive == nullptr) return {};
  zip_stat_t st;
  zip_stat(archive, (name + ".npy").c_str(), 0, &st);
  zip_file_t* member = zip_fopen(archive, (name + ".npy").c_str(), 0);
  EXPECT_NE(member, nullptr) << name;
  std::string bytes(st.size, '\0');
  if (member != nullptr) {
    zip_fread(member, bytes.data(), st.size);
    zip_fclose(member);
  }
  zip_close(archive);
  return bytes;
}

array read_npz(const std::string& file, const std::string& name) {
  const std::string extracted = file + "." + name + ".npy";
  std::ofstream(extracted, std::ios::binary) << npz_member_bytes(file, name);
  const auto npy = ionode::io::read_npy(extracted);
  fs::remove(extracted);
  return {npy.shape, npy.values};
}

// np.savez stores a str as a 0-d '<U' array: 4 bytes per character after the header.
std::string read_npz_metadata(const std::string& file) {
  const std::string bytes = npz_member_bytes(file, "metadata");
  const std::size_t header = 10 + (static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8));
  std::string text;
  for (std::size_t i = header; i + 3 < bytes.size(); i += 4) {
    if (bytes[i] != '\0') text.push_back(bytes[i]);
  }
  return text;
}

array read_result(const std::string& file, const std::string& name) {
  return file.ends_with(".h5") ? read_h5(file, name) : read_npz(file, name);
}

// A real run: V and m of 3 HH neurons, every 2nd step, spikes; with or without a batch.
struct hh_run {
  explicit hh_run(std::size_t batch)
      : pop(ionode::make_population("HH", {.shape = {3}, .batch = batch})), run(pop, {.dt = 0.05}) {
    run.add_input({"input", 10.0});
    run.monitor({.variables = {"V", "m"}, .indices = {}, .every = 2, .spikes = true});
  }
  ionode::population pop;
  ionode::runner run;
};

ionode::recording run_recording(std::size_t batch, double duration = 40.0) {
  hh_run r(batch);
  r.run.run(duration);
  return r.run.result();
}

// The same run streamed into `file` in blocks of `block_bytes`.
void stream_run(const std::string& file, std::size_t batch, std::size_t block_bytes, const std::string& metadata) {
  hh_run r(batch);
  auto out = ionode::io::open_result_file(file, r.run.result(), "{\"complete\":false}");
  r.run.stream_to(out.get(), block_bytes);
  r.run.run(40.0);
  r.run.stream_to(nullptr);
  out->close(metadata);
}

// The expected array of a variable: (T, n), or (B, T, n) reordered from the sample-major recording.
array expected(const ionode::recording& r, const std::string& variable) {
  const std::size_t t = r.ts.size(), n = r.indices.size(), b = r.copies;
  array out;
  out.shape = r.batch_axis ? std::vector<std::size_t>{b, t, n} : std::vector<std::size_t>{t, n};
  out.values.resize(t * b * n);
  for (std::size_t s = 0; s < t; ++s) {
    for (std::size_t c = 0; c < b; ++c) {
      for (std::size_t k = 0; k < n; ++k) out.values[(c * t + s) * n + k] = r.value(variable, s, c, k);
    }
  }
  return out;
}

void expect_layout(const std::string& file, const ionode::recording& r) {
  const auto ts = read_result(file, "ts");
  EXPECT_EQ(ts.shape, std::vector<std::size_t>{r.ts.size()});
  EXPECT_EQ(ts.values, r.ts);
  for (const auto& v : r.variables) {
    const auto got = read_result(file, v), want = expected(r, v);
    EXPECT_EQ(got.shape, want.shape) << v;
    EXPECT_EQ(got.values, want.values) << v;
  }
  EXPECT_EQ(read_result(file, "spike_times").values, r.spike_times);
  const auto indices = read_result(file, "spike_indices");
  ASSERT_EQ(indices.values.size(), r.spike_indices.size());
  for (std::size_t s = 0; s < r.spike_indices.size(); ++s) {
    EXPECT_EQ(indices.values[s], static_cast<double>(r.spike_indices[s]));
  }
  if (r.batch_axis) {
    EXPECT_EQ(read_result(file, "spike_batch").values.size(), r.spike_batch.size());
  }
}

TEST_F(ResultFiles, StreamedInSmallBlocksEqualsWrittenAtOnce) {
  for (const char* ext : {".h5", ".npz"}) {
    for (std::size_t batch : {0, 2}) {
      const auto r = run_recording(batch);
      ASSERT_GT(r.spike_times.size(), 5u);
      const std::string whole = path("whole" + std::to_string(batch) + ext);
      const std::string streamed = path("streamed" + std::to_string(batch) + ext);
      ionode::io::write_result(whole, r, "{\"complete\":true}");
      stream_run(streamed, batch, 40 * sizeof(double), "{\"complete\":true}");
      SCOPED_TRACE(streamed);
      expect_layout(whole, r);
      expect_layout(streamed, r);
    }
  }
}

TEST_F(ResultFiles, MetadataIsTheJsonText) {
  const auto r = run_recording(0, 5.0);
  const std::string meta = R"({"model":"HH","complete":true,"stop_reason":"a \"quoted\" reason"})";
  ionode::io::write_result(path("r.h5"), r, meta);
  ionode::io::write_result(path("r.npz"), r, meta);
  EXPECT_EQ(read_h5_metadata(path("r.h5")), meta);
  EXPECT_EQ(read_npz_metadata(path("r.npz")), meta);
}

TEST_F(ResultFiles, FileNeverClosedKeepsItsBlocksAndTheOpeningMetadata) {
  // The opening metadata says the run did not finish; a file abandoned (destroyed without close)
  // holds what was written, under it. The .npz leaves no spool folder behind.
  const auto r = run_recording(0, 20.0);
  for (const char* ext : {".h5", ".npz", ".csv"}) {
    const std::string file = path(std::string("open") + ext);
    {
      auto out = ionode::io::open_result_file(file, r, "{\"complete\":false}");
      out->write(r);
    }
    if (std::string(ext) == ".csv") {
      std::ifstream meta(path("open.metadata.json"));
      std::string text((std::istreambuf_iterator<char>(meta)), std::istreambuf_iterator<char>());
      EXPECT_EQ(text, "{\"complete\":false}\n");
    } else {
      expect_layout(file, r);
      EXPECT_EQ(ext == std::string(".h5") ? read_h5_metadata(file) : read_npz_metadata(file), "{\"complete\":false}");
    }
  }
  EXPECT_EQ(files(), (std::vector<std::string>{"open.csv", "open.h5", "open.metadata.json", "open.npz",
                                               "open.spikes.csv"}));
}

TEST_F(ResultFiles, H5MetadataIsWrittenBeforeTheEnd) {
  // While the run goes on (before close) another reader sees the opening metadata.
  const auto r = run_recording(0, 5.0);
  auto out = ionode::io::open_result_file(path("live.h5"), r, "{\"complete\":false}");
  out->write(r);
  EXPECT_EQ(read_h5_metadata(path("live.h5")), "{\"complete\":false}");
  EXPECT_EQ(read_h5(path("live.h5"), "ts").values, r.ts);
  out->close("{\"complete\":true}");
  EXPECT_EQ(read_h5_metadata(path("live.h5")), "{\"complete\":true}");
}

TEST_F(ResultFiles, CsvHasAHeaderRowAndOneRowPerSample) {
  const auto r = run_recording(0, 2.0);
  ionode::io::write_result(path("r.csv"), r, "{}");
  std::ifstream in(path("r.csv"));
  std::string header, line;
  std::getline(in, header);
  EXPECT_EQ(header, "t,V[0],V[1],V[2],m[0],m[1],m[2]");
  std::size_t rows = 0;
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string first;
    std::getline(fields, first, ',');
    EXPECT_EQ(std::stod(first), r.ts[rows]);
    ++rows;
  }
  EXPECT_EQ(rows, r.ts.size());
}

TEST_F(ResultFiles, PathsThatCannotBeWrittenSayWhy) {
  using ionode::io::check_output_path;
  auto message = [](const std::string& p) {
    try {
      check_output_path(p);
    } catch (const ionode::error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message(path("missing/out.h5")).find("does not exist"), std::string::npos);
  EXPECT_NE(message(path("out.txt")).find(".h5"), std::string::npos);
  fs::create_directory(path("dir.npz"));
  EXPECT_NE(message(path("dir.npz")).find("is a folder"), std::string::npos);
  std::ofstream(path("file")) << "x";
  EXPECT_NE(message(path("file/out.csv")).find("not a folder"), std::string::npos);
  EXPECT_NE(message(path("missing/out.h5")).find(path("missing/out.h5")), std::string::npos);
  EXPECT_NO_THROW(check_output_path(path("fine.h5")));
  EXPECT_EQ(files(), (std::vector<std::string>{"dir.npz", "file"}));  // the probes leave nothing behind
}

TEST_F(ResultFiles, NotEnoughRoomIsRefused) {
  EXPECT_THROW(ionode::io::check_output_space(path("huge.h5"), std::uintmax_t{1} << 60), ionode::error);
  EXPECT_NO_THROW(ionode::io::check_output_space(path("small.h5"), 1000));
}

TEST(Npy, HeaderPaddedToAFixedLength) {
  const std::string header = ionode::io::npy_header("<f8", {3, 4}, 192);
  EXPECT_EQ(header.size(), 192u);
  EXPECT_EQ(header.back(), '\n');
  EXPECT_EQ(ionode::io::npy_header("<f8", {3, 4}).size() % 64, 0u);
  EXPECT_THROW(ionode::io::npy_header("<f8", {3, 4}, 32), ionode::internal_error);
}

}  // namespace
