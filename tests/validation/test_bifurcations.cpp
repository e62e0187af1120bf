// Equilibria, saddle-nodes and Hopf points against the literature (classic parameter sets) and
// against analytic facts (a Hopf point has a pair on the imaginary axis, a fold a zero eigenvalue).
#include <gtest/gtest.h>

#include <cmath>

#include "../../examples/connor_stevens/connor_stevens.hpp"
#include "ionode/analysis/equilibria.hpp"
#include "ionode/error.hpp"
#include "ionode/models/hh.hpp"
#include "ionode/models/wang_buzsaki.hpp"

namespace {

using namespace ionode;

// Hodgkin and Huxley's own parameters: gL = 0.3, EL = -54.4 (Hassard 1978; Rinzel & Miller 1980).
std::vector<double> hh_classic_theta(const analysis::system& sys) {
  std::vector<double> theta = sys.default_theta();
  theta[models::hh::gL] = 0.3;
  theta[models::hh::EL] = -54.4;
  return theta;
}

analysis::equilibrium_branch hh_classic_branch() {
  auto sys = analysis::make_system<models::hh>(describe_model<models::hh>());
  analysis::continuation_options options{.lo = 0.0, .hi = 200.0};
  return analysis::continue_equilibria(*sys, hh_classic_theta(*sys), analysis::control_index(sys->info(), "I"),
                                       options);
}

void expect_pair_on_imaginary_axis(const analysis::hopf_point& h) {
  int on_axis = 0;
  for (const auto& e : h.eigenvalues) on_axis += std::abs(e.real()) < 1e-8 && std::abs(e.imag()) > 1e-3 ? 1 : 0;
  EXPECT_EQ(on_axis, 2) << "Hopf point at " << h.param;
}

TEST(Bifurcations, HodgkinHuxleyClassicHopfPoints) {
  const auto branch = hh_classic_branch();
  ASSERT_EQ(branch.hopf.size(), 2u) << branch.note;
  // Hassard (1978): I = 9.7795 uA/cm^2, subcritical. Given to 5 digits; 1e-3 as the issue asks.
  EXPECT_NEAR(branch.hopf[0].param, 9.7795, 1e-3);
  EXPECT_EQ(branch.hopf[0].criticality, "subcritical");
  // Rinzel & Miller (1980): the upper Hopf point near 154.5 (given to 4 digits: +-0.05).
  EXPECT_NEAR(branch.hopf[1].param, 154.5, 0.05);
  for (const auto& h : branch.hopf) expect_pair_on_imaginary_axis(h);
  // Between the Hopf points the equilibrium is unstable, outside them stable.
  for (const auto& p : branch.points) {
    if (p.param < branch.hopf[0].param - 1e-6 || p.param > branch.hopf[1].param + 1e-6) {
      EXPECT_TRUE(p.stable);
    }
    if (p.param > branch.hopf[0].param + 1e-6 && p.param < branch.hopf[1].param - 1e-6) {
      EXPECT_FALSE(p.stable);
    }
  }
  EXPECT_TRUE(branch.folds.empty());  // HH's steady-state I-V curve is monotonic
}

void expect_zero_eigenvalue(const analysis::fold_point& f) {
  double smallest = INFINITY;
  for (const auto& e : f.eigenvalues) smallest = std::min(smallest, std::abs(e));
  EXPECT_LT(smallest, 1e-8) << "fold at " << f.param;
}

TEST(Bifurcations, WangBuzsakiRheobaseIsASaddleNode) {
  auto sys = analysis::make_system<models::wang_buzsaki>(describe_model<models::wang_buzsaki>());
  analysis::continuation_options options{.lo = -1.0, .hi = 2.0};
  const auto branch =
      analysis::continue_equilibria(*sys, sys->default_theta(), analysis::control_index(sys->info(), "I"), options);
  ASSERT_GE(branch.folds.size(), 1u) << branch.note;
  // Wang & Buzsaki (1996): rheobase about 0.16 uA/cm^2 (two digits: +-0.005).
  EXPECT_NEAR(branch.folds[0].param, 0.16, 0.005);
  expect_zero_eigenvalue(branch.folds[0]);
  EXPECT_TRUE(branch.hopf.empty());
  // The fold joins the rest state (stable node, below the fold's V) and a saddle (one unstable direction).
  const double v_fold = branch.folds[0].x[models::wang_buzsaki::V];
  for (const auto& p : branch.points) {
    if (p.x[models::wang_buzsaki::V] < v_fold - 0.5) {
      EXPECT_TRUE(p.stable) << p.param;
    }
    if (p.x[models::wang_buzsaki::V] > v_fold + 0.5 && p.x[models::wang_buzsaki::V] < -50.0) {
      EXPECT_EQ(p.unstable, 1u) << p.param;
    }
  }
  EXPECT_TRUE(branch.points.front().stable);  // the branch starts at the rest state
}

// A user-defined model (examples/connor_stevens): no model-specific formula is used. Its folds and
// Hopf points satisfy the defining conditions.
TEST(Bifurcations, UserDefinedModelConnorStevens) {
  auto sys = analysis::make_system<ionode_examples::connor_stevens>(describe_model<ionode_examples::connor_stevens>());
  analysis::continuation_options options{.lo = 0.0, .hi = 40.0};
  const auto branch =
      analysis::continue_equilibria(*sys, sys->default_theta(), analysis::control_index(sys->info(), "I"), options);
  ASSERT_FALSE(branch.points.empty()) << branch.note;
  EXPECT_FALSE(branch.folds.empty() && branch.hopf.empty());
  for (const auto& f : branch.folds) expect_zero_eigenvalue(f);
  for (const auto& h : branch.hopf) expect_pair_on_imaginary_axis(h);
}

// The Hopf normal form dx = mu x - y + l r^2 x, dy = x + mu y + l r^2 y: Hopf at mu = 0, omega = 1.
// In w = x + i y: w' = (mu + i) w + l w |w|^2. Kuznetsov's normalization |q| = 1, q = (1, -i)/sqrt(2),
// gives w = sqrt(2) z, so z' = i z + 2 l z |z|^2: c1 = 2 l and l1 = Re(c1)/omega = 2 l exactly.
struct normal_form {
  static constexpr std::string_view name = "HopfNormalForm";
  static constexpr std::array variables{variable_info{"x", "1", "x", initial_kind::constant, 0.1},
                                        variable_info{"y", "1", "y", initial_kind::constant, 0.0}};
  static constexpr std::array parameters{parameter_info{"l", 0.5, "1", "cubic coefficient"},
                                         parameter_info{"V_th", 1.0, "1", "threshold"}};
  static constexpr std::array inputs{input_info{"mu", "1", "linear growth rate"}};
  static constexpr std::size_t spike_variable = 0;
  static constexpr std::size_t threshold_parameter = 1;
  template <class T, class P>
  static void derivative(const T* x, const P* p, const P* in, T* dx) {
    const T r2 = x[0] * x[0] + x[1] * x[1];
    dx[0] = in[0] * x[0] - x[1] + p[0] * r2 * x[0];
    dx[1] = x[0] + in[0] * x[1] + p[0] * r2 * x[1];
  }
  static double steady_state(std::size_t v, const double* x, const double*) { return x[v]; }
};

TEST(Bifurcations, FirstLyapunovCoefficientOfTheNormalForm) {
  auto sys = analysis::make_system<normal_form>(describe_model<normal_form>());
  for (const double l : {0.5, -0.25}) {
    auto theta = sys->default_theta();
    theta[0] = l;
    analysis::continuation_options options{.lo = -1.0, .hi = 1.0, .ds = 0.1};
    const auto branch = analysis::continue_equilibria(*sys, theta, 2, options, std::vector<double>{0.0, 0.0});
    ASSERT_EQ(branch.hopf.size(), 1u);
    EXPECT_NEAR(branch.hopf[0].param, 0.0, 1e-10);
    EXPECT_NEAR(branch.hopf[0].omega, 1.0, 1e-10);
    EXPECT_NEAR(branch.hopf[0].lyapunov, 2.0 * l, 1e-6);
    EXPECT_EQ(branch.hopf[0].criticality, l > 0 ? "subcritical" : "supercritical");
  }
}

TEST(Bifurcations, BadRangeAndUnknownParameter) {
  auto sys = analysis::make_system<models::hh>(describe_model<models::hh>());
  const std::size_t control = analysis::control_index(sys->info(), "I");
  EXPECT_THROW(analysis::continue_equilibria(*sys, sys->default_theta(), control, {.lo = 10.0, .hi = 0.0}), error);
  EXPECT_THROW(analysis::continue_equilibria(*sys, sys->default_theta(), control, {.lo = 1.0, .hi = 1.0}), error);
  EXPECT_THROW(analysis::control_index(sys->info(), "gNaa"), error);
  EXPECT_EQ(analysis::control_index(sys->info(), "gNa"), std::size_t{models::hh::gNa});
  EXPECT_EQ(analysis::control_index(sys->info(), "input"), sys->info().parameters.size());
}

}  // namespace

// Periodic orbits, started from a simulated orbit and continued to lower currents.
#include "ionode/analysis/cycles.hpp"
#include "ionode/models/morris_lecar.hpp"

namespace {

// Two multipliers at 1 at a fold of cycles (the trivial one and the critical one). The double
// multiplier splits like the square root of the map's error (~1e-10 here), so 1e-4.
void expect_double_multiplier_at_one(const ionode::analysis::cycle_fold& f, double tolerance = 1e-4) {
  int at_one = 0;
  for (const auto& m : f.cycle.multipliers) at_one += std::abs(m - 1.0) < tolerance ? 1 : 0;
  EXPECT_EQ(at_one, 2) << "cycle fold at " << f.param;
}

template <class M>
ionode::analysis::cycle_branch branch_from_simulation(std::vector<double> theta, double current) {
  using namespace ionode;
  auto sys = analysis::make_system<M>(describe_model<M>());
  const std::size_t control = analysis::control_index(sys->info(), "I");
  theta[control] = current;
  analysis::cycle_options options{.lo = 0.0, .hi = 300.0, .max_points = 40, .steps = 1000};
  const auto start = analysis::cycle_from_simulation(*sys, theta, control, sys->default_state(theta.data()), options);
  if (!start) return {};
  EXPECT_TRUE(start->stable);
  return analysis::continue_cycles(*sys, theta, control, *start, -1, options);
}

TEST(Cycles, HodgkinHuxleyClassicFoldOfLimitCycles) {
  using namespace ionode;
  // Rinzel & Miller (1980): the onset of repetitive firing, a fold of cycles at I = 6.26, with
  // Hodgkin and Huxley's own leak (gL = 0.3, EL = -54.387 = their 10.613 mV above rest).
  auto sys = analysis::make_system<models::hh>(describe_model<models::hh>());
  std::vector<double> theta = sys->default_theta();
  theta[models::hh::gL] = 0.3;
  const auto branch = branch_from_simulation<models::hh>(theta, 7.0);
  ASSERT_FALSE(branch.folds.empty()) << branch.note;
  const auto& fold = branch.folds.front();
  EXPECT_NEAR(fold.param, 6.26, 1e-3);
  // About 50 Hz at the fold (Rinzel & Miller's period, rounded): +-1 Hz.
  EXPECT_NEAR(1000.0 / fold.period, 50.0, 1.0);
  expect_double_multiplier_at_one(fold);
}

TEST(Cycles, MorrisLecarFoldOfLimitCycles) {
  using namespace ionode;
  // Rinzel & Ermentrout (1989), V_Ca = 120 mV (the rest the seed's defaults): the fold of cycles
  // near I = 88.3 (given to 3 digits: +-0.05).
  auto sys = analysis::make_system<models::morris_lecar>(describe_model<models::morris_lecar>());
  std::vector<double> theta = sys->default_theta();
  theta[models::morris_lecar::V_Ca] = 120.0;
  const auto branch = branch_from_simulation<models::morris_lecar>(theta, 95.0);
  ASSERT_FALSE(branch.folds.empty()) << branch.note;
  EXPECT_NEAR(branch.folds.front().param, 88.3, 0.05);
  expect_double_multiplier_at_one(branch.folds.front());
}

}  // namespace

// Multiple shooting (cycle_options::segments): branches whose unstable cycles have large Floquet
// multipliers, where single shooting crawled. Fold values are checked against what defines them
// (a double multiplier at 1) and against direct simulation, which does not use shooting at all.
namespace {

// The first input's branch of cycles from the Hopf point number `k`, with the command line's settings.
template <class M>
ionode::analysis::cycle_branch branch_from_hopf(const ionode::analysis::system& sys, const std::vector<double>& theta,
                                                double lo, double hi, std::size_t k) {
  using namespace ionode;
  const std::size_t control = analysis::control_index(sys.info(), "I");
  const analysis::continuation_options eq{.lo = lo, .hi = hi, .ds = 0.02 * (hi - lo), .ds_max = 0.05 * (hi - lo)};
  const auto equilibria = analysis::continue_equilibria(sys, theta, control, eq);
  if (equilibria.hopf.size() <= k) return {};
  const analysis::cycle_options options{.lo = lo, .hi = hi, .max_points = 300, .steps = 1000};
  return analysis::continue_cycles_from_hopf(sys, theta, control, equilibria.hopf[k], options);
}

// The spike variable's range over the last `window` ms of a simulation (rk4, 0.01 ms) of `duration` ms
// from x at the current `current`.
double late_range(const ionode::analysis::system& sys, std::vector<double> theta, double current,
                  std::vector<double> x, double duration, double window) {
  theta[ionode::analysis::control_index(sys.info(), "I")] = current;
  const auto steps = [](double ms) { return static_cast<std::size_t>(ms / 0.01); };
  sys.flow(x.data(), theta.data(), duration - window, steps(duration - window), 0, nullptr, nullptr, nullptr, nullptr);
  std::vector<double> lo(x.size()), hi(x.size());
  sys.flow(x.data(), theta.data(), window, steps(window), 0, nullptr, nullptr, lo.data(), hi.data());
  const std::size_t v = sys.info().spike_variable;
  return hi[v] - lo[v];
}

// Upward crossings of 0 mV per second over `window` ms after a `transient` (rk4, 0.01 ms) from x.
double simulated_rate(const ionode::analysis::system& sys, std::vector<double> theta, double current,
                      std::vector<double> x, double transient, double window) {
  theta[ionode::analysis::control_index(sys.info(), "I")] = current;
  sys.flow(x.data(), theta.data(), transient, static_cast<std::size_t>(transient / 0.01), 0, nullptr, nullptr, nullptr,
           nullptr);
  const std::size_t v = sys.info().spike_variable;
  double first = -1.0, last = -1.0;
  int crossings = 0;
  for (std::size_t step = 0; step < static_cast<std::size_t>(window / 0.01); ++step) {
    const double before = x[v];
    sys.flow(x.data(), theta.data(), 0.01, 1, 0, nullptr, nullptr, nullptr, nullptr);
    if (before < 0.0 && x[v] >= 0.0) {
      const double t = (static_cast<double>(step) + before / (before - x[v])) * 0.01;
      if (first < 0.0) first = t;
      last = t;
      ++crossings;
    }
  }
  return crossings > 1 ? 1000.0 * (crossings - 1) / (last - first) : 0.0;
}

// The stable cycle born at the fold of cycles exists just above it and not just below (direction > 0;
// < 0: the other way): started on the fold's orbit, a simulation `delta` past the fold settles at
// rest, one `delta` before it still spikes.
void expect_fold_by_simulation(const ionode::analysis::system& sys, const std::vector<double>& theta,
                               const ionode::analysis::cycle_fold& fold, double delta, int direction, double duration) {
  const double inside = fold.param + direction * delta, outside = fold.param - direction * delta;
  EXPECT_GT(late_range(sys, theta, inside, fold.cycle.x0, duration, 200.0), 50.0) << "at " << inside;
  EXPECT_LT(late_range(sys, theta, outside, fold.cycle.x0, duration, 200.0), 1.0) << "at " << outside;
}

TEST(Cycles, HodgkinHuxleySeedBranchReachesItsFold) {
  using namespace ionode;
  // HH's seed parameters (gL = 0.03): the unstable cycles from the subcritical Hopf point (6.496)
  // turn at a fold of cycles near 3.40 into the stable ones. Single shooting spent the command
  // line's 300 cycles near I = 3.9 without reaching it.
  auto sys = analysis::make_system<models::hh>(describe_model<models::hh>());
  const auto theta = sys->default_theta();
  const auto branch = branch_from_hopf<models::hh>(*sys, theta, 0.0, 20.0, 0);
  EXPECT_EQ(branch.note.find("max_points"), std::string::npos) << branch.note;
  ASSERT_EQ(branch.folds.size(), 1u) << branch.note;
  const auto& fold = branch.folds.front();
  expect_double_multiplier_at_one(fold);
  // Direct simulation brackets the fold to +-0.05 (the f-I sweep down fires at 3.5, not at 3.25).
  expect_fold_by_simulation(*sys, theta, fold, 0.05, +1, 4000.0);
  // The rate at the fold against simulations above it: near a fold it grows like r0 + c sqrt(d),
  // so rates at d = 0.0125 and 0.05 (square roots a factor 2 apart) extrapolate to r0 = 2 r1 - r2.
  const double r1 = simulated_rate(*sys, theta, fold.param + 0.0125, fold.cycle.x0, 3000.0, 2000.0);
  const double r2 = simulated_rate(*sys, theta, fold.param + 0.05, fold.cycle.x0, 3000.0, 2000.0);
  EXPECT_NEAR(1000.0 / fold.period, 2.0 * r1 - r2, 0.5) << "simulated: " << r1 << ", " << r2 << " Hz";
}

TEST(Cycles, HodgkinHuxleyClassicUnstableBranchEndsAtTheUpperHopfPoint) {
  using namespace ionode;
  // The unstable cycles from the subcritical Hopf point at 9.78 fold twice, at 7.8462 and 7.9217
  // (Guckenheimer & Labouriau 1993 describe the pair), turn at 6.2642 (Rinzel & Miller's 6.26 at
  // EL = -54.387, shifted by gL x 0.013) into the stable branch, which ends at the upper Hopf point
  // (Rinzel & Miller 1980: 154.5). Single shooting stopped after 300 cycles near 7.91.
  auto sys = analysis::make_system<models::hh>(describe_model<models::hh>());
  const auto branch = branch_from_hopf<models::hh>(*sys, hh_classic_theta(*sys), 0.0, 200.0, 0);
  ASSERT_EQ(branch.folds.size(), 3u) << branch.note;
  EXPECT_NE(branch.note.find("(a Hopf point)"), std::string::npos) << branch.note;
  EXPECT_NEAR(branch.points.back().param, 154.5, 0.05);
  EXPECT_NEAR(branch.folds[0].param, 7.8462, 1e-3);
  EXPECT_NEAR(branch.folds[1].param, 7.9217, 1e-3);
  EXPECT_NEAR(branch.folds[2].param, 6.2603 + 0.3 * 0.013, 1e-3);
  expect_double_multiplier_at_one(branch.folds[0]);
  // The largest multiplier at 7.9217 is ~3100: the eigenvalues of the monodromy product split the
  // double root ~sqrt(3100) times more than at |mu| ~ 1, so 1e-3 there.
  expect_double_multiplier_at_one(branch.folds[1], 1e-3);
  expect_double_multiplier_at_one(branch.folds[2]);
}

TEST(Cycles, MorrisLecarSeedUpperFoldIsReal) {
  using namespace ionode;
  // Morris-Lecar's seed parameters (V_Ca = 130): the unstable cycles from the subcritical Hopf
  // point at 190.716 grow until a fold near 196.28, where they meet the stable large cycles. A
  // fold, not an artefact: a double multiplier at 1, and by simulation the stable cycle exists
  // just below it and not just above.
  auto sys = analysis::make_system<models::morris_lecar>(describe_model<models::morris_lecar>());
  const auto theta = sys->default_theta();
  const auto branch = branch_from_hopf<models::morris_lecar>(*sys, theta, 60.0, 220.0, 1);
  ASSERT_EQ(branch.folds.size(), 2u) << branch.note;
  const auto& fold = branch.folds.front();
  EXPECT_GT(fold.param, 196.0);
  EXPECT_LT(fold.param, 196.5);
  expect_double_multiplier_at_one(fold);
  expect_fold_by_simulation(*sys, theta, fold, 0.1, -1, 10000.0);
  // The branch goes on along the stable cycles down to the lower fold and back to the lower Hopf point.
  EXPECT_GT(branch.folds[1].param, 82.0);  // the f-I sweep down (docs/analysis.md) fires at 84, not at 82
  EXPECT_LT(branch.folds[1].param, 84.0);
  EXPECT_NE(branch.note.find("(a Hopf point)"), std::string::npos) << branch.note;
}

// With steps a multiple of the arcs, M arcs compose exactly single shooting's rk4 map: the same
// fold of cycles, to the Newton tolerance, whatever M.
TEST(Cycles, SingleAndMultipleShootingAgree) {
  using namespace ionode;
  auto sys = analysis::make_system<models::hh>(describe_model<models::hh>());
  auto theta = hh_classic_theta(*sys);
  const std::size_t control = analysis::control_index(sys->info(), "I");
  theta[control] = 7.0;
  std::vector<double> folds;
  for (const std::size_t segments : {1, 10, 20}) {
    const analysis::cycle_options options{.lo = 0.0, .hi = 300.0, .max_points = 40, .steps = 1000, .segments = segments};
    const auto start = analysis::cycle_from_simulation(*sys, theta, control, sys->default_state(theta.data()), options);
    ASSERT_TRUE(start);
    const auto branch = analysis::continue_cycles(*sys, theta, control, *start, -1, options);
    ASSERT_FALSE(branch.folds.empty()) << branch.note;
    folds.push_back(branch.folds.front().param);
  }
  EXPECT_NEAR(folds[1], folds[0], 1e-7);
  EXPECT_NEAR(folds[2], folds[0], 1e-7);
  const analysis::cycle_options none{.lo = 0.0, .hi = 10.0, .steps = 1000, .segments = 0};
  EXPECT_THROW(analysis::cycle_from_simulation(*sys, theta, control, sys->default_state(theta.data()), none), error);
}

}  // namespace
