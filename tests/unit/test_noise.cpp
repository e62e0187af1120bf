// Stochastic runs: the Wiener increments (distribution, independence, keying), the noise's scaling
// with dt, the weak order of Euler-Maruyama and exp_auto on an Ornstein-Uhlenbeck process with known
// moments, bitwise reproducibility across threads, and the errors.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <numeric>
#include <vector>

#include "ionode/registry.hpp"
#include "ionode/ionode.hpp"
#include "ionode/noise.hpp"

namespace {

// dx = -theta x dt + sigma dW: an Ornstein-Uhlenbeck process as a one-variable "neuron" (its
// threshold is never reached). theta = 0 is a pure Wiener process.
struct ou_model {
  static constexpr std::string_view name = "OU";
  enum var : std::size_t { x };
  enum par : std::size_t { theta, threshold };
  static constexpr std::array variables{ionode::variable_info{"x", "1", "state", ionode::initial_kind::constant, 0.0}};
  static constexpr std::array parameters{ionode::parameter_info{"theta", 1.0, "1/ms", "relaxation rate"},
                                         ionode::parameter_info{"threshold", 1e300, "1", "never crossed"}};
  static constexpr std::array<ionode::input_info, 0> inputs{};
  static constexpr std::size_t spike_variable = x;
  static constexpr std::size_t threshold_parameter = threshold;
  template <class T, class P>
  static void derivative(const T* s, const P* p, const P* /*in*/, T* dx) {
    dx[x] = -p[theta] * s[x];
  }
  static double steady_state(std::size_t v, const double* s, const double*) { return s[v]; }
};

struct moments {
  double mean = 0, variance = 0;
  std::size_t n = 0;
  double se_mean() const { return std::sqrt(variance / static_cast<double>(n)); }
  // Standard error of a Gaussian sample's variance.
  double se_variance() const { return variance * std::sqrt(2.0 / static_cast<double>(n - 1)); }
};

moments moments_of(std::span<const double> values) {
  moments m;
  m.n = values.size();
  m.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(m.n);
  for (double v : values) m.variance += (v - m.mean) * (v - m.mean);
  m.variance /= static_cast<double>(m.n - 1);
  return m;
}

// x(T) of `trials` OU paths from x = 0 (a batch of trials, one neuron).
std::vector<double> ou_endpoints(double theta, double sigma, double dt, double duration, std::size_t trials,
                                 const std::string& method, std::uint64_t seed = 1) {
  ionode::population_options options;
  options.batch = trials;
  options.params["theta"] = theta;
  options.noise["x"] = sigma;
  options.seed = seed;
  auto pop = ionode::population::create<ou_model>(options);
  ionode::runner run(pop, {.dt = dt, .method = method, .threads = 1});
  run.run(duration);
  const auto x = pop.state("x");
  return {x.begin(), x.end()};
}

TEST(Noise, IncrementsAreStandardNormalAndIndependent) {
  constexpr std::size_t n = 400000;
  std::vector<double> z(n), next_instance(n), next_step(n), other_variable(n);
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint64_t instance = k % 1000, step = k / 1000;
    z[k] = ionode::noise::standard_normal(7, 0, instance, step);
    next_instance[k] = ionode::noise::standard_normal(7, 0, instance + 1, step);
    next_step[k] = ionode::noise::standard_normal(7, 0, instance, step + 1);
    other_variable[k] = ionode::noise::standard_normal(7, 1, instance, step);
  }
  const moments m = moments_of(z);
  const double se = 1.0 / std::sqrt(static_cast<double>(n));
  EXPECT_NEAR(m.mean, 0.0, 4 * se);
  EXPECT_NEAR(m.variance, 1.0, 4 * std::sqrt(2.0) * se);
  double kurtosis = 0;
  for (double v : z) kurtosis += v * v * v * v;
  EXPECT_NEAR(kurtosis / n, 3.0, 4 * std::sqrt(96.0) * se);  // E z^4 = 3, Var z^4 = 96
  // Correlations with the neighbours in every key direction (the sin/cos partner included: instance
  // 2k and 2k + 1 share a uniform pair).
  for (const auto* other : {&next_instance, &next_step, &other_variable}) {
    double c = 0;
    for (std::size_t k = 0; k < n; ++k) c += z[k] * (*other)[k];
    EXPECT_NEAR(c / n, 0.0, 4 * se);
  }
}

TEST(Noise, VectorIncrementsEqualTheScalarOnes) {
  using pack = ionode::simd::pack<double>;
  using fpack = ionode::simd::pack<float>;
  for (std::uint64_t first = 0; first < 64; first += pack::size) {
    const pack z = ionode::noise::standard_normals<double>(3, 2, first, 11);
    for (std::size_t k = 0; k < pack::size; ++k) {
      const double expected = ionode::noise::standard_normal(3, 2, first + k, 11);
      EXPECT_NEAR(z.lane(k), expected, 1e-13 * std::max(1.0, std::abs(expected)));
    }
  }
  for (std::uint64_t first = 0; first < 64; first += fpack::size) {
    const fpack z = ionode::noise::standard_normals<float>(3, 2, first, 11);
    for (std::size_t k = 0; k < fpack::size; ++k) {
      const double expected = ionode::noise::standard_normal(3, 2, first + k, 11);
      EXPECT_NEAR(z.lane(k), expected, 2e-5 * std::max(1.0, std::abs(expected)));
    }
  }
}

// A pure Wiener process: Var x(T) = sigma^2 T whatever dt. With sigma * dt instead of
// sigma * sqrt(dt) the variance would be sigma^2 T dt: 10x and 100x too small here.
TEST(Noise, ScalesWithTheSquareRootOfDt) {
  for (double dt : {0.1, 0.01}) {
    const auto x = ou_endpoints(0.0, 2.0, dt, 1.0, 100000, "euler");
    const moments m = moments_of(x);
    EXPECT_NEAR(m.mean, 0.0, 4 * m.se_mean()) << "dt " << dt;
    EXPECT_NEAR(m.variance, 4.0, 4 * m.se_variance()) << "dt " << dt;
  }
}

// Euler-Maruyama on OU from x = 0: x_{k+1} = a x_k + sigma sqrt(dt) z with a = 1 - theta dt, so
// Var x_n = sigma^2 dt (1 - a^(2n)) / (1 - a^2) exactly, against the SDE's
// sigma^2 (1 - e^(-2 theta T)) / (2 theta). The bias is first order in dt (weak order 1): it must be
// what the recursion predicts, and halve (to first order: the ratio of the predicted biases) when dt
// halves, within the sampling error.
TEST(Noise, EulerMaruyamaHasWeakOrderOneOnOrnsteinUhlenbeck) {
  const double theta = 1.0, sigma = 1.0, duration = 4.0;
  const std::size_t trials = 400000;
  const double exact = sigma * sigma * (1 - std::exp(-2 * theta * duration)) / (2 * theta);
  std::vector<double> bias, bias_se, predicted;
  for (double dt : {0.2, 0.1, 0.05}) {
    const double a = 1 - theta * dt;
    const double steps = std::round(duration / dt);
    const double em = sigma * sigma * dt * (1 - std::pow(a, 2 * steps)) / (1 - a * a);
    const moments m = moments_of(ou_endpoints(theta, sigma, dt, duration, trials, "euler"));
    EXPECT_NEAR(m.variance, em, 4 * m.se_variance()) << "dt " << dt;
    EXPECT_NEAR(m.mean, 0.0, 4 * m.se_mean());
    bias.push_back(m.variance - exact);
    bias_se.push_back(m.se_variance());
    predicted.push_back(em - exact);
  }
  for (std::size_t k = 0; k + 1 < bias.size(); ++k) {
    const double ratio = bias[k] / bias[k + 1];
    const double ratio_se = ratio * std::hypot(bias_se[k] / bias[k], bias_se[k + 1] / bias[k + 1]);
    EXPECT_NEAR(ratio, predicted[k] / predicted[k + 1], 4 * ratio_se);
    EXPECT_GT(predicted[k] / predicted[k + 1], 1.9);  // the prediction itself is first order
  }
}

// exp_auto with noise: x_{k+1} = e^(-theta dt) x_k + sigma sqrt(dt) z (exact drift, unfiltered
// increment, as BrainPy's exp_auto), so the stationary variance is sigma^2 dt / (1 - e^(-2 theta dt)).
// exp_midpoint's drift step is exact on a linear equation too (its midpoint linearization is the
// equation itself), so it adds the same increment to the same drift: the same variance.
TEST(Noise, ExpAutoAddsTheUnfilteredIncrementToTheExponentialDriftStep) {
  const double theta = 1.0, sigma = 1.5, dt = 0.2, duration = 10.0;
  const double a = std::exp(-theta * dt);
  const double steps = std::round(duration / dt);
  const double predicted = sigma * sigma * dt * (1 - std::pow(a, 2 * steps)) / (1 - a * a);
  for (const std::string method : {"exp_auto", "exp_midpoint"}) {
    const moments m = moments_of(ou_endpoints(theta, sigma, dt, duration, 200000, method));
    EXPECT_NEAR(m.variance, predicted, 4 * m.se_variance()) << method;
    // Not the exactly filtered increment (variance sigma^2 (1 - a^2n) / (2 theta)): 10% lower here.
    EXPECT_GT(std::abs(m.variance - sigma * sigma / (2 * theta)), 8 * m.se_variance()) << method;
  }
}

TEST(Noise, MilsteinAndHeunEqualEulerMaruyamaForAdditiveNoise) {
  const auto euler = ou_endpoints(1.0, 1.0, 0.1, 2.0, 64, "euler");
  EXPECT_EQ(ou_endpoints(1.0, 1.0, 0.1, 2.0, 64, "milstein"), euler);
  EXPECT_EQ(ou_endpoints(1.0, 1.0, 0.1, 2.0, 64, "heun"), euler);
  EXPECT_NE(ou_endpoints(1.0, 1.0, 0.1, 2.0, 64, "euler", 2), euler);  // another seed, other paths
}

// HH with noise on V, a batch: the same bits (state and spikes) for 1, 2 and 3 threads and for the
// vector and scalar paths up to the vector math's rounding.
TEST(Noise, RunsAreBitwiseIdenticalForAnyThreadCount) {
  const auto run_with = [](std::size_t threads, bool vectorize, const std::string& method) {
    ionode::population_options options;
    options.shape = {37};
    options.batch = 5;
    options.noise["V"] = std::vector<double>(37, 3.0);
    options.seed = 42;
    auto pop = ionode::make_population("HH", options);
    ionode::runner run(pop, {.dt = 0.02, .method = method, .threads = threads, .vectorize = vectorize});
    run.add_input({"input", 6.0});
    run.run(60.0);
    const auto v = pop.state("V");
    return std::pair{std::vector<double>(v.begin(), v.end()), run.result().spike_times};
  };
  for (const std::string method : {"exp_auto", "exp_midpoint", "euler"}) {
    const auto one = run_with(1, true, method);
    EXPECT_GT(one.second.size(), 10u) << method;
    EXPECT_EQ(run_with(2, true, method), one) << method;
    EXPECT_EQ(run_with(3, true, method), one) << method;
    const auto scalar = run_with(1, false, method);
    ASSERT_EQ(scalar.first.size(), one.first.size());
    for (std::size_t k = 0; k < one.first.size(); ++k) EXPECT_NEAR(scalar.first[k], one.first[k], 1e-6) << method;
  }
}

TEST(Noise, BadNoiseAndMethodsAreClearErrors) {
  const auto message_of = [](auto&& f) {
    try {
      f();
    } catch (const ionode::error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  ionode::population_options negative;
  negative.noise["V"] = -1.0;
  EXPECT_NE(message_of([&] { (void)ionode::make_population("HH", negative); }).find("noise on V = -1"),
            std::string::npos);
  ionode::population_options unknown;
  unknown.noise["Vm"] = 1.0;
  const std::string unknown_message =
      message_of([&] { (void)ionode::make_population("HH", unknown); });
  EXPECT_NE(unknown_message.find("noise"), std::string::npos) << unknown_message;
  EXPECT_NE(unknown_message.find("Vm"), std::string::npos) << unknown_message;
  ionode::population_options noisy;
  noisy.noise["V"] = 1.0;
  auto pop = ionode::make_population("HH", noisy);
  const std::string adaptive = message_of([&] { ionode::runner run(pop, {.method = "rkdp"}); });
  EXPECT_NE(adaptive.find("rkdp"), std::string::npos) << adaptive;
  EXPECT_NE(adaptive.find("cannot integrate noise"), std::string::npos) << adaptive;
  EXPECT_NE(message_of([&] { ionode::runner run(pop, {.method = "rk4"}); }).find("cannot integrate noise"),
            std::string::npos);
  auto quiet = ionode::make_population("HH", {});
  EXPECT_NE(message_of([&] { ionode::runner run(quiet, {.method = "milstein"}); }).find("stochastic runs"),
            std::string::npos);
}

}  // namespace
