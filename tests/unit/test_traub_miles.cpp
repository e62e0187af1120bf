// TraubMiles (the COBAHH cell): its rates against the reference README's formulas written out
// independently here, the shared-exponential rates against the one-exponential forms, the hand-written
// diagonal against the dual numbers, and the membrane port's hidden inputs.
#include <gtest/gtest.h>

#include <cmath>

#include "ionode/detail/membrane_current.hpp"
#include "ionode/dual.hpp"
#include "ionode/models/traub_miles.hpp"

namespace {

using ionode::models::traub_miles;

// ../shared/reference/networks/README.md, in u = V - VT, evaluated away from the 0/0 points.
double readme_alpha_m(double u) { return 0.32 * (13 - u) / (std::exp((13 - u) / 4) - 1); }
double readme_beta_m(double u) { return 0.28 * (u - 40) / (std::exp((u - 40) / 5) - 1); }
double readme_alpha_n(double u) { return 0.032 * (15 - u) / (std::exp((15 - u) / 5) - 1); }

double ulp_error(double shared, double direct) {
  return std::abs(shared - direct) / (std::nextafter(std::abs(direct), INFINITY) - std::abs(direct));
}

TEST(TraubMiles, RatesAreTheReferenceFormulas) {
  for (double u : {-40.0, -7.3, 3.0, 12.9, 13.1, 20.0, 39.7, 55.0}) {
    EXPECT_NEAR(traub_miles::alpha_m(u), readme_alpha_m(u), 1e-13 * std::abs(readme_alpha_m(u))) << u;
    EXPECT_NEAR(traub_miles::beta_m(u), readme_beta_m(u), 1e-13 * std::abs(readme_beta_m(u))) << u;
    EXPECT_NEAR(traub_miles::alpha_n(u), readme_alpha_n(u), 1e-13 * std::abs(readme_alpha_n(u))) << u;
  }
  EXPECT_NEAR(traub_miles::alpha_h(0.0), 0.128 * std::exp(17.0 / 18), 1e-15);
  EXPECT_NEAR(traub_miles::beta_h(0.0), 4 / (1 + std::exp(8.0)), 1e-15);
  EXPECT_NEAR(traub_miles::beta_n(0.0), 0.5 * std::exp(0.25), 1e-15);
  // The 0/0 points (u = 13, 40, 15) are the limits 1.28, 1.4 and 0.16.
  EXPECT_NEAR(traub_miles::alpha_m(13.0), 1.28, 1e-15);
  EXPECT_NEAR(traub_miles::beta_m(40.0), 1.4, 1e-15);
  EXPECT_NEAR(traub_miles::alpha_n(15.0), 0.16, 1e-15);
}

// A power k of q multiplies q's relative error (an ulp or so, plus the rounding of its argument) by
// k: q^10 and q^8 give up to about 12 ulp, each rate a few more in its own arithmetic. 64 ulp
// (1.4e-14 relative) bounds it with room and still catches any wrong constant or power.
TEST(TraubMiles, SharedRatesAgreeWithTheDirectForms) {
  double worst = 0;
  for (double u = -80.0; u <= 120.0; u += 0.0137) {
    const auto r = traub_miles::rates(u);
    worst = std::max({worst, ulp_error(r.alpha_m, traub_miles::alpha_m(u)), ulp_error(r.beta_m, traub_miles::beta_m(u)),
                      ulp_error(r.alpha_h, traub_miles::alpha_h(u)), ulp_error(r.beta_h, traub_miles::beta_h(u)),
                      ulp_error(r.alpha_n, traub_miles::alpha_n(u)), ulp_error(r.beta_n, traub_miles::beta_n(u))});
  }
  for (double u : {13.0, 40.0, 15.0}) {
    const auto r = traub_miles::rates(u);
    worst = std::max({worst, ulp_error(r.alpha_m, traub_miles::alpha_m(u)), ulp_error(r.beta_m, traub_miles::beta_m(u)),
                      ulp_error(r.alpha_n, traub_miles::alpha_n(u))});
  }
  EXPECT_LT(worst, 64.0);
}

TEST(TraubMiles, HandWrittenDiagonalEqualsTheDualNumbers) {
  using number = ionode::ad::dual<double, 4>;
  const double p[9] = {50, 100, -90, 30, -60, 0.05, -63, -20, 1};
  const double in[1] = {1.5};
  for (double v : {-70.0, -50.0, -20.0, 10.0}) {
    const double x[4] = {v, 0.1, 0.7, 0.3};
    double f[4], diagonal[4];
    traub_miles::derivative_and_diagonal(x, p, in, f, diagonal);
    number xd[4], fd[4];
    for (int k = 0; k < 4; ++k) xd[k] = number::variable(x[k], k);
    // The derivative written with the one-exponential rates, differentiated by the dual numbers.
    const number u = xd[0] - p[6];
    const number am = traub_miles::alpha_m(u), bm = traub_miles::beta_m(u), ah = traub_miles::alpha_h(u),
                 bh = traub_miles::beta_h(u), an = traub_miles::alpha_n(u), bn = traub_miles::beta_n(u);
    fd[0] = (-(p[1] * xd[1] * xd[1] * xd[1] * xd[2] * (xd[0] - p[0])) - p[3] * xd[3] * xd[3] * xd[3] * xd[3] * (xd[0] - p[2]) -
             p[5] * (xd[0] - p[4]) + in[0]) / p[8];
    fd[1] = am * (1.0 - xd[1]) - bm * xd[1];
    fd[2] = ah * (1.0 - xd[2]) - bh * xd[2];
    fd[3] = an * (1.0 - xd[3]) - bn * xd[3];
    for (int k = 0; k < 4; ++k) {
      EXPECT_NEAR(f[k], fd[k].v, 1e-12 * std::max(1.0, std::abs(fd[k].v))) << "f " << k << " at V = " << v;
      EXPECT_NEAR(diagonal[k], fd[k].d[k], 1e-12 * std::max(1.0, std::abs(fd[k].d[k]))) << "diagonal " << k;
    }
  }
}

// The membrane port: with hidden inputs b (conductance / C) and a (drive / C), dV/dt gains a - b V and
// the diagonal -b; with both zero the model is unchanged to the bit.
TEST(MembranePort, AddsTheSynapticCurrentInsideTheDerivative) {
  using kernel = ionode::detail::with_membrane_current<traub_miles>;
  static_assert(kernel::inputs.size() == 3);
  const double p[9] = {50, 100, -90, 30, -60, 0.05, -63, -20, 1};
  const double x[4] = {-55.0, 0.1, 0.7, 0.3};
  double f0[4], d0[4], f1[4], d1[4], f2[4], d2[4];
  const double plain[1] = {0.5}, none[3] = {0.5, 0.0, 0.0}, synaptic[3] = {0.5, 0.3, -24.0};
  traub_miles::derivative_and_diagonal(x, p, plain, f0, d0);
  kernel::derivative_and_diagonal(x, p, none, f1, d1);
  kernel::derivative_and_diagonal(x, p, synaptic, f2, d2);
  for (int k = 0; k < 4; ++k) {
    EXPECT_EQ(f0[k], f1[k]);
    EXPECT_EQ(d0[k], d1[k]);
  }
  EXPECT_NEAR(f2[0], f0[0] + (-24.0 - 0.3 * -55.0), 1e-12);
  EXPECT_NEAR(d2[0], d0[0] - 0.3, 1e-15);
  for (int k = 1; k < 4; ++k) EXPECT_EQ(f2[k], f0[k]);
}

}  // namespace
