// Populations: shapes, batches, parameter and initial-state specs, seeds, and their errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "ionode/registry.hpp"
#include "ionode/ionode.hpp"

namespace {

using ionode::models::hh;

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const ionode::error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Population, ShapeAndBatchGiveNeuronsAndInstances) {
  ionode::population_options options;
  options.shape = {3, 4};
  options.batch = 5;
  auto pop = ionode::make_population("HH", options);
  EXPECT_EQ(pop.size(), 12u);
  EXPECT_EQ(pop.copies(), 5u);
  EXPECT_EQ(pop.instances(), 60u);
  EXPECT_EQ(pop.state("V").size(), 60u);
}

TEST(Population, SameSeedGivesBitwiseIdenticalStateAndDifferentSeedDoesNot) {
  ionode::population_options options;
  options.shape = {200};
  options.seed = 42;
  options.params["gL"] = ionode::init::normal{0.03, 0.005};
  auto a = ionode::make_population("HH", options);
  auto b = ionode::make_population("HH", options);
  options.seed = 43;
  auto c = ionode::make_population("HH", options);
  for (const char* var : {"V", "m", "h", "n"}) {
    EXPECT_EQ(std::memcmp(a.state(var).data(), b.state(var).data(), 200 * sizeof(double)), 0) << var;
  }
  EXPECT_NE(std::memcmp(a.state("V").data(), c.state("V").data(), 200 * sizeof(double)), 0);
  EXPECT_NE(a.parameter("gL", 0), c.parameter("gL", 0));
  // After identical runs the states are still bitwise equal.
  ionode::runner ra(a), rb(b);
  ra.add_input({"input", 10.0});
  rb.add_input({"input", 10.0});
  ra.run(20.0);
  rb.run(20.0);
  EXPECT_EQ(std::memcmp(a.state("V").data(), b.state("V").data(), 200 * sizeof(double)), 0);
}

TEST(Population, SeedDefaultVoltageIsUniformMinus70ToMinus60) {
  ionode::population_options options;
  options.shape = {4000};
  options.seed = 1;
  auto pop = ionode::make_population("HH", options);
  const auto v = pop.state("V");
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / 4000.0;
  double var = 0;
  for (double x : v) {
    EXPECT_GE(x, -70.0);
    EXPECT_LT(x, -60.0);
    var += (x - mean) * (x - mean) / 3999.0;
  }
  // Uniform(-70, -60): mean -65 (standard error 2.887/sqrt(4000) = 0.046), variance 100/12.
  EXPECT_NEAR(mean, -65.0, 4 * 0.0457);
  EXPECT_NEAR(var, 100.0 / 12.0, 0.5);
}

TEST(Population, NormalInitializerHasItsMeanAndSpread) {
  ionode::population_options options;
  options.shape = {10000};
  options.seed = 3;
  options.initial["V"] = ionode::init::normal{-62.0, 2.0};
  auto pop = ionode::make_population("HH", options);
  const auto v = pop.state("V");
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / 10000.0;
  double var = 0;
  for (double x : v) var += (x - mean) * (x - mean) / 9999.0;
  EXPECT_NEAR(mean, -62.0, 4 * 2.0 / 100.0);                 // 4 standard errors
  EXPECT_NEAR(std::sqrt(var), 2.0, 4 * 2.0 / std::sqrt(20000.0));  // se of sd ~ sd / sqrt(2n)
}

TEST(Population, PerNeuronListsRepeatAcrossBatchCopiesOrCoverEveryInstance) {
  ionode::population_options options;
  options.shape = {2};
  options.batch = 3;
  options.params["gNa"] = std::vector<double>{100.0, 110.0};
  options.initial["V"] = std::vector<double>{-60, -61, -62, -63, -64, -65};
  auto pop = ionode::make_population("HH", options);
  EXPECT_EQ(pop.parameter("gNa", 0), 100.0);
  EXPECT_EQ(pop.parameter("gNa", 5), 110.0);
  EXPECT_EQ(pop.state("V")[4], -64.0);
  EXPECT_EQ(pop.parameter("gK", 3), 36.0);  // default
}

TEST(Population, BadInputNamesTheThingTheValueAndWhatIsAllowed) {
  const auto build = [](auto edit) {
    return error_of([&] {
      ionode::population_options options;
      options.shape = {2};
      edit(options);
      ionode::make_population("HH", options);
    });
  };
  using opts = ionode::population_options;
  EXPECT_NE(build([](opts& o) { o.shape = {0}; }).find("size"), std::string::npos);
  EXPECT_NE(build([](opts& o) { o.shape = {}; }).find("size"), std::string::npos);
  std::string message = build([](opts& o) { o.params["C"] = 0.0; });
  EXPECT_NE(message.find("C = 0"), std::string::npos) << message;
  EXPECT_NE(message.find("> 0"), std::string::npos) << message;
  message = build([](opts& o) { o.params["gNa"] = std::nan(""); });
  EXPECT_NE(message.find("gNa"), std::string::npos) << message;
  EXPECT_NE(message.find("finite"), std::string::npos) << message;
  message = build([](opts& o) { o.params["gK"] = INFINITY; });
  EXPECT_NE(message.find("gK"), std::string::npos) << message;
  message = build([](opts& o) { o.params["gNa"] = std::vector<double>{1, 2, 3}; });
  EXPECT_NE(message.find("3 values"), std::string::npos) << message;
  EXPECT_NE(message.find("must have 2"), std::string::npos) << message;
  message = build([](opts& o) { o.params["gNaa"] = 1.0; });
  EXPECT_NE(message.find("unknown parameter 'gNaa'"), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean 'gNa'"), std::string::npos) << message;
  message = build([](opts& o) { o.initial["W"] = 1.0; });
  EXPECT_NE(message.find("unknown variable 'W'"), std::string::npos) << message;
  message = build([](opts& o) { o.params["gL"] = ionode::init::uniform{0.5, 0.1}; });
  EXPECT_NE(message.find("reversed"), std::string::npos) << message;
  message = build([](opts& o) { o.params["gL"] = ionode::init::normal{0.5, -1}; });
  EXPECT_NE(message.find("sd"), std::string::npos) << message;
  message = error_of([] { ionode::make_population("Hodgkin", {}); });
  EXPECT_NE(message.find("unknown model 'Hodgkin'"), std::string::npos) << message;
  message = error_of([] { ionode::make_population("PinskyRinzel", {}, {{"variant", "book"}}); });
  EXPECT_NE(message.find("variant = 'book'"), std::string::npos) << message;
  EXPECT_NE(message.find("paper, seed"), std::string::npos) << message;
  message = error_of([] { ionode::make_population("PinskyRinzel", {}, {}); });
  EXPECT_EQ(message, "no error");
  message = error_of([] {
    ionode::population_options o;
    o.params["p"] = 1.0;
    ionode::make_population("PinskyRinzel", o);
  });
  EXPECT_NE(message.find("strictly between 0 and 1"), std::string::npos) << message;
}

// Python's group.V = x: every instance set, padding lanes (up to stride) copying the last instance
// as reset() leaves them, in either storage precision; reset() restores the initializers.
TEST(Population, SetValuesWritesEveryInstanceAndThePaddingLanes) {
  for (const auto precision : {ionode::precision::float64, ionode::precision::float32}) {
    ionode::population_options options;
    options.shape = {3};
    options.batch = 2;
    options.precision = precision;
    auto pop = ionode::make_population("HH", options);
    const std::vector<double> initial = pop.values("V");
    const std::vector<double> written = {-70.0, -69.0, -68.0, -67.0, -66.0, -65.5};  // exact in float too
    pop.set_values("V", written);
    const auto& impl = pop.impl();
    ASSERT_EQ(impl.stride(), 16u);
    for (std::size_t j = 0; j < impl.stride(); ++j) {
      EXPECT_EQ(impl.read(0, j), written[std::min<std::size_t>(j, 5)]) << "lane " << j;
    }
    EXPECT_NE(error_of([&] { pop.set_values("V", std::vector<double>(5, -65.0)); }).find("got 5 values"),
              std::string::npos);
    EXPECT_NE(error_of([&] { pop.set_values("V", std::vector<double>(6, NAN)); }).find("must be finite"),
              std::string::npos);
    pop.reset();
    EXPECT_EQ(pop.values("V"), initial);
  }
}

TEST(Registry, ClassicPresetChangesOnlyTheLeak) {
  auto seed = ionode::make_population("HH", {});
  auto classic = ionode::make_population("HH", {}, {{"preset", "classic"}});
  EXPECT_EQ(seed.parameter("gL", 0), 0.03);
  EXPECT_EQ(classic.parameter("gL", 0), 0.3);
  EXPECT_EQ(classic.parameter("EL", 0), seed.parameter("EL", 0));
  EXPECT_EQ(classic.parameter("gNa", 0), seed.parameter("gNa", 0));
}

TEST(Registry, BrainPyClassNamesAreAliases) {
  EXPECT_EQ(ionode::make_population("PinskyRinzelModel", {}).model().name, "PinskyRinzel");
  EXPECT_EQ(ionode::make_population("WangBuzsakiModel", {}).model().name, "WangBuzsaki");
}

}  // namespace
