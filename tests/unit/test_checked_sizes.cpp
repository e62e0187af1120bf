// Sizes, counts and products that come from user input or a file's header are checked: an overflow or
// a request larger than any machine is an ionode::error naming the key, the value and the limit,
// never a wrapped count (0 steps, 2 neurons), a crash, or std::bad_alloc. The cases are the ones a
// mutation run of `ionode run` found (issue 11, section 8).
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "ionode/detail/checked.hpp"
#include "expect_error.hpp"
#include "ionode/error.hpp"
#include "ionode/generators.hpp"
#include "ionode/io/npy.hpp"
#include "ionode/registry.hpp"
#include "ionode/runner.hpp"

namespace {

namespace in = ionode::inputs;

constexpr std::size_t size_max = std::numeric_limits<std::size_t>::max();

TEST(CheckedArithmetic, ProductsAndSumsReportOverflow) {
  EXPECT_EQ(ionode::detail::checked_mul(3, 7), 21u);
  EXPECT_EQ(ionode::detail::checked_mul(size_max, 1), size_max);
  EXPECT_FALSE(ionode::detail::checked_mul(3, 6148914691236517206ull));  // 3 x (2^64 + 2) / 3
  EXPECT_FALSE(ionode::detail::checked_mul(4, 4611686018427387904ull));  // 4 x 2^62 = 2^64
  EXPECT_EQ(ionode::detail::checked_add(size_max - 1, 1), size_max);
  EXPECT_FALSE(ionode::detail::checked_add(size_max, 1));
  // Counts from doubles: 2^63 is the first that an int64 cannot hold.
  EXPECT_EQ(ionode::detail::count_from_double(0x1p62), std::int64_t{1} << 62);
  EXPECT_FALSE(ionode::detail::count_from_double(0x1p63));
  EXPECT_FALSE(ionode::detail::count_from_double(std::numeric_limits<double>::infinity()));
  EXPECT_FALSE(ionode::detail::count_from_double(std::numeric_limits<double>::quiet_NaN()));
}

TEST(CheckedArithmetic, MemoryBeyondTheMachineIsRefusedNamingTheRequest) {
  // 2^61 doubles are 16 EiB: more than any machine; the product of the factors overflows too.
  expect_error([] { ionode::detail::check_fits_memory({std::size_t{1} << 61, 8}, "the thing = 7"); },
               {"the thing = 7", "memory", "this machine has"});
  expect_error([] { ionode::detail::check_fits_memory({size_max, size_max, 8}, "x"); }, {"memory"});
  EXPECT_NO_THROW(ionode::detail::check_fits_memory({1000, 8}, "x"));
}

TEST(CheckedSteps, StepCountsPastTheInt64CounterAreRefused) {
  // duration = 1e18 ms at dt = 0.1 ms is 1e19 steps: it wrapped to a negative count (0 steps run).
  expect_error([] { ionode::steps_for(1e18, 0.1); }, {"duration = 1e+18", "dt = 0.1", "9223372036854775807"});
  expect_error([] { ionode::steps_for(9.3e18, 1.0); }, {"duration = 9.3e+18", "9223372036854775807"});
  // The largest count below 2^63 that a double holds still counts.
  EXPECT_EQ(ionode::steps_for(0x1p62, 1.0), std::int64_t{1} << 62);
  EXPECT_EQ(ionode::steps_for(0.3, 0.1), 3);
}

ionode::population_options shape_of(std::vector<std::size_t> shape, std::size_t batch = 0) {
  ionode::population_options options;
  options.shape = std::move(shape);
  options.batch = batch;
  return options;
}

TEST(CheckedPopulation, AShapeWhoseProductOverflowsIsRefused) {
  // 3 x 6148914691236517206 = 2^64 + 2 wrapped to 2 neurons.
  expect_error([] { ionode::make_population("HH", shape_of({3, 6148914691236517206ull})); },
               {"size = [3, 6148914691236517206]", "18446744073709551615"});
}

TEST(CheckedPopulation, ABatchWhoseInstanceCountOverflowsIsRefused) {
  // 4 x 2^62 = 2^64 wrapped to 0 instances (a segfault).
  expect_error([] { ionode::make_population("HH", shape_of({4}, 4611686018427387904ull)); },
               {"size = 4", "batch = 4611686018427387904"});
}

TEST(CheckedPopulation, AStateLargerThanTheMachineIsRefusedBeforeAllocating) {
  // 2^55 neurons x 4 variables x 8 bytes fits in 64 bits but in no machine: no std::bad_alloc.
  expect_error([] { ionode::make_population("HH", shape_of({std::size_t{1} << 55})); },
               {"size = 36028797018963968", "memory", "this machine has"});
  expect_error([] { ionode::make_population("HH", shape_of({1000}, std::size_t{1} << 50)); },
               {"size = 1000 with batch = 1125899906842624", "memory"});
}

TEST(CheckedGenerators, ColumnCountsThatOverflowTheSeriesAreRefused) {
  // wiener n = 2^62: rows x n wrapped, and filling the rows wrote past the vector.
  expect_error([] { in::wiener_process(100.0, 0.1, 4611686018427387904ull); },
               {"wiener_process", "4611686018427387904", "memory"});
  expect_error([] { in::ou_process(0.0, 1.0, 10.0, 100.0, 0.1, std::size_t{1} << 40); },
               {"ou_process", "1099511627776", "memory"});
}

TEST(CheckedGenerators, DurationsPastTheStepCounterAreRefusedNamingTheArgument) {
  // ou with duration 1.8e19 and a window: the row counts wrapped (a segfault).
  expect_error([] { in::ou_process(0.0, 1.0, 10.0, 1.8446744073709552e19, 0.1, 1, 5.0, 1e19); },
               {"ou_process", "duration = 1.8446744073709552e+19", "9223372036854775807"});
  expect_error([] { in::sinusoidal_input(1.0, 10.0, 1e30, 0.1); }, {"sinusoidal_input", "duration = 1e+30"});
  expect_error([] { in::spike_input({1.0}, in::one_or_many(1.0), in::one_or_many(1.0), 1e300, 0.1); },
               {"spike_input", "duration = 1e+300"});
  // A long but representable series larger than memory: refused, not a bad_alloc.
  expect_error([] { in::ramp_input(0.0, 1.0, 1e17, 0.1); }, {"ramp_input", "duration = 1e+17", "memory"});
}

TEST(CheckedGenerators, TimesPastTheEndSelectNothingHoweverLarge) {
  // A spike time or length of 1e300 ms lies past the series: no pulse, no overflow.
  const auto s = in::spike_input({1e300, 2.0}, in::one_or_many(1e300), in::one_or_many(5.0), 4.0, 1.0);
  ASSERT_EQ(s.rows, 4u);
  EXPECT_EQ(s.values, (std::vector<double>{0.0, 0.0, 5.0, 5.0}));
}

// A .npy file with the given header text (format 1.0) followed by `data_bytes` zero bytes.
std::filesystem::path npy_file(const std::string& name, const std::string& dict, std::size_t data_bytes) {
  const auto path = std::filesystem::temp_directory_path() / ("ionode_checked_" + name + ".npy");
  std::string header = dict;
  while ((10 + header.size() + 1) % 64 != 0) header.push_back(' ');
  header.push_back('\n');
  std::ofstream out(path, std::ios::binary);
  out.write("\x93NUMPY\x01\x00", 8);
  out.put(static_cast<char>(header.size() & 0xff));
  out.put(static_cast<char>(header.size() >> 8));
  out << header << std::string(data_bytes, '\0');
  return path;
}

TEST(CheckedNpy, AHeaderDeclaringMoreValuesThanTheFileHoldsIsRefused) {
  // (2^62, 4) float64: count x 8 bytes wrapped to a small number, and reading went outside memory.
  const auto huge = npy_file("huge", "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", 64);
  expect_error([&] { ionode::io::read_npy(huge.string()); }, {huge.string(), "4611686018427387904", "64 bytes"});
  const auto wraps = npy_file("wraps", "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", 8);
  expect_error([&] { ionode::io::read_npy(wraps.string()); }, {wraps.string(), "4294967296"});
  const auto digits = npy_file("digits", "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999999,), }", 8);
  expect_error([&] { ionode::io::read_npy(digits.string()); }, {digits.string(), "larger than"});
  const auto negative = npy_file("negative", "{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 2), }", 16);
  expect_error([&] { ionode::io::read_npy(negative.string()); }, {negative.string(), "tuple of integers"});
  // The same header writer gives a file that reads: the refusals above are about the shapes.
  const auto good = npy_file("good", "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", 48);
  const auto array = ionode::io::read_npy(good.string());
  EXPECT_EQ(array.shape, (std::vector<std::size_t>{2, 3}));
  EXPECT_EQ(array.values, std::vector<double>(6, 0.0));
  for (const auto& p : {huge, wraps, digits, negative, good}) std::filesystem::remove(p);
}

TEST(CheckedNpy, DevicesAndFoldersAreRefusedWithoutReading) {
  // /dev/zero was read forever; a folder was an internal error.
  expect_error([] { ionode::io::read_npy("/dev/zero"); }, {"/dev/zero", "not a regular file"});
  const auto folder = std::filesystem::temp_directory_path();
  expect_error([&] { ionode::io::read_npy(folder.string()); }, {folder.string(), "is a folder"});
}

}  // namespace
