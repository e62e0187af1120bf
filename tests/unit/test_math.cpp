// exprel, its derivative, integer powers and dual numbers against closed forms.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "ionode/dual.hpp"
#include "ionode/math.hpp"

namespace {

using ionode::ad::dual;

TEST(Exprel, IsOneAtZeroAndMatchesTheClosedFormAwayFromIt) {
  EXPECT_EQ(ionode::math::exprel(0.0), 1.0);
  for (double x : {-30.0, -1.0, -1e-3, 1e-3, 0.5, 2.0, 20.0}) {
    EXPECT_NEAR(ionode::math::exprel(x), std::expm1(x) / x, 1e-15 * std::abs(std::expm1(x) / x)) << x;
  }
  // Near zero the naive (exp(x) - 1) / x loses digits; exprel keeps the Taylor value 1 + x/2 + x^2/6.
  const double x = 1e-10;
  EXPECT_NEAR(ionode::math::exprel(x), 1.0 + x / 2 + x * x / 6, 1e-16);
}

// Units in the last place between a double and a long double reference.
double ulps(double value, long double reference) {
  const double r = static_cast<double>(reference);
  const double spacing = std::nextafter(std::abs(r), INFINITY) - std::abs(r);
  return static_cast<double>(std::abs(static_cast<long double>(value) - reference) / spacing);
}

// Bound: near zero exprel is a quotient whose numerator and denominator are each rounded (after
// Horner's sums of positive terms), then the quotient: three roundings of half an ulp, plus the sums'
// residue, make 2.5 ulp; beyond 1/2, expm1's ulp or two and the division's half.
TEST(Exprel, WithinTwoAndAHalfUlpsOfAnExtendedPrecisionReferenceOnBothSidesOfTheSeriesLimit) {
  double worst = 0;
  for (double x = -3.0; x <= 3.0; x += 0.0000731) {
    const long double reference = x == 0 ? 1.0L : std::expm1(static_cast<long double>(x)) / x;
    worst = std::max(worst, ulps(ionode::math::exprel(x), reference));
  }
  EXPECT_LE(worst, 2.5);
  std::cout << "max ulps of scalar exprel: " << worst << "\n";
  for (double x : {-1e-300, -1e-20, 1e-20, 0.5, -0.5, std::nextafter(0.5, 1.0)}) {
    const long double reference = std::expm1(static_cast<long double>(x)) / x;
    EXPECT_LE(ulps(ionode::math::exprel(x), reference), 2.5) << x;
  }
}

TEST(Exprel, DerivativeMatchesTheClosedFormAndTheSeriesLimit) {
  EXPECT_NEAR(ionode::math::exprel_derivative(0.0), 0.5, 1e-16);
  for (double x : {-5.0, -0.5, -0.11, -0.09, 0.05, 0.099, 0.101, 0.7, 3.0}) {
    const double closed = (std::exp(x) * (x - 1) + 1) / (x * x);
    EXPECT_NEAR(ionode::math::exprel_derivative(x), closed, 1e-13 * std::abs(closed)) << x;
  }
  // Near zero the closed form cancels; the series must give 1/2 + x/3 + x^2/8 there.
  const double x = 1e-5;
  EXPECT_NEAR(ionode::math::exprel_derivative(x), 0.5 + x / 3 + x * x / 8, 1e-16);
}

TEST(Ipow, EqualsRepeatedProducts) {
  EXPECT_EQ(ionode::math::ipow<0>(3.0), 1.0);
  EXPECT_EQ(ionode::math::ipow<3>(1.5), 1.5 * 1.5 * 1.5);
  EXPECT_DOUBLE_EQ(ionode::math::ipow<4>(0.7), 0.7 * 0.7 * 0.7 * 0.7);
}

TEST(Dual, ChainRuleMatchesAnalyticDerivatives) {
  const auto x = dual<double, 2>::variable(0.3, 0);
  const auto y = dual<double, 2>::variable(-1.2, 1);
  using std::exp;
  const auto f = exp(x) * y / (1.0 + x * x) - tanh(y) + cosh(x) * 2.0;
  const double xv = 0.3, yv = -1.2;
  const double dfdx = exp(xv) * yv * ((1 + xv * xv) - 2 * xv) / ((1 + xv * xv) * (1 + xv * xv)) + 2 * std::sinh(xv);
  const double dfdy = exp(xv) / (1 + xv * xv) - (1 - std::tanh(yv) * std::tanh(yv));
  EXPECT_NEAR(f.v, exp(xv) * yv / (1 + xv * xv) - std::tanh(yv) + 2 * std::cosh(xv), 1e-15);
  EXPECT_NEAR(f.d[0], dfdx, 1e-14);
  EXPECT_NEAR(f.d[1], dfdy, 1e-14);
}

TEST(Dual, ExprelDerivativeAgreesWithFiniteDifferences) {
  for (double x0 : {-2.0, -0.05, 0.0, 0.08, 1.5}) {
    const auto x = dual<double, 1>::variable(x0, 0);
    const auto f = exprel(x);
    const double h = 1e-6;
    const double fd = (ionode::math::exprel(x0 + h) - ionode::math::exprel(x0 - h)) / (2 * h);
    EXPECT_NEAR(f.d[0], fd, 1e-8) << x0;
  }
}

TEST(Dual, CbrtAndPowHaveTheirDerivatives) {
  // The value is the library's cbrt of the same argument, exactly. Through a volatile, so that neither
  // side is folded by the compiler (which rounds correctly, where glibc's cbrt may be 1 ulp off: an -O1
  // build folded one side only).
  volatile double at = 0.3;
  const auto x = dual<double, 1>::variable(at, 0);
  EXPECT_EQ(cbrt(x).v, std::cbrt(static_cast<double>(at)));
  EXPECT_NEAR(cbrt(x).d[0], std::pow(0.3, -2.0 / 3.0) / 3.0, 1e-14);
  EXPECT_NEAR(pow(x, 2.5).d[0], 2.5 * std::pow(0.3, 1.5), 1e-14);
}

TEST(Dual, MinPicksTheBranchWithItsDerivative) {
  const auto x = dual<double, 1>::variable(500.0, 0);
  const auto below = ionode::ad::min(x / 250.0, 1.0);
  EXPECT_EQ(below.v, 1.0);
  EXPECT_EQ(below.d[0], 0.0);
  const auto y = dual<double, 1>::variable(100.0, 0);
  const auto above = ionode::ad::min(y / 250.0, 1.0);
  EXPECT_DOUBLE_EQ(above.v, 0.4);
  EXPECT_DOUBLE_EQ(above.d[0], 1.0 / 250.0);
}

}  // namespace

#include "ionode/simd/pack.hpp"

namespace {

// The SIMD functions the kernels use, lane by lane against the scalar ones and extended precision.
TEST(Pack, ExpExpm1AndExprelAreWithinAFewUlps) {
  using pack = ionode::simd::pack<double>;
  double worst_exp = 0, worst_expm1 = 0, worst_exprel = 0;
  alignas(64) double xs[pack::size];
  for (double start = -40.0; start < 40.0; start += 0.0173 * pack::size) {
    for (std::size_t k = 0; k < pack::size; ++k) xs[k] = start + 0.0173 * static_cast<double>(k);
    const pack x = pack::load(xs);
    const pack e = exp(x), m = expm1(x), r = exprel(x);
    for (std::size_t k = 0; k < pack::size; ++k) {
      const long double lx = xs[k];
      worst_exp = std::max(worst_exp, ulps(e.lane(k), std::exp(lx)));
      worst_expm1 = std::max(worst_expm1, ulps(m.lane(k), std::expm1(lx)));
      worst_exprel = std::max(worst_exprel, ulps(r.lane(k), xs[k] == 0 ? 1.0L : std::expm1(lx) / lx));
    }
  }
  // Bounds: exp is a polynomial of 0.06 ulp before rounding, scaled exactly (1 ulp; xsimd's, without
  // AVX-512, documents 1 ulp); expm1 within 2; exprel = expm1(x)/x (where |x| > 1/2) adds the
  // division's half ulp to expm1's 2, and near zero is the quotient bounded above by 2.5.
  EXPECT_LE(worst_exp, 1.0);
  EXPECT_LE(worst_expm1, 2.0);
  EXPECT_LE(worst_exprel, 2.5);
  std::cout << "max ulps: exp " << worst_exp << ", expm1 " << worst_expm1 << ", exprel " << worst_exprel << "\n";
}

// float packs use a shorter fraction near zero (math.hpp): within a few float ulps of exprel.
TEST(Pack, FloatExprelIsWithinAFewFloatUlps) {
  using pack = ionode::simd::pack<float>;
  double worst = 0;
  alignas(64) float xs[pack::size];
  for (float start = -3.0f; start < 3.0f; start += 0.00037f * pack::size) {
    for (std::size_t k = 0; k < pack::size; ++k) xs[k] = start + 0.00037f * static_cast<float>(k);
    const pack r = exprel(pack::load(xs));
    for (std::size_t k = 0; k < pack::size; ++k) {
      const long double lx = xs[k];
      const long double reference = xs[k] == 0 ? 1.0L : std::expm1(lx) / lx;
      const float spacing = std::nextafter(static_cast<float>(reference), INFINITY) - static_cast<float>(reference);
      worst = std::max(worst, static_cast<double>(std::abs(r.lane(k) - reference) / spacing));
    }
  }
  EXPECT_LE(worst, 3.0);
  std::cout << "max float ulps of exprel: " << worst << "\n";
}

// The ends of exp's range: overflow to inf, underflow through the subnormals to 0, inf, -inf and
// NaN, lane by lane against the C library (within 1 ulp where the result is normal).
TEST(Pack, ExpHandlesTheEndsOfItsRange) {
  using pack = ionode::simd::pack<double>;
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> xs = {709.0, 709.78, 709.79, 710.0, 1e300, inf,   -708.0,  -708.5, -720.0,
                                  -740.0, -745.0, -745.2, -746.0, -1e300, -inf, 1e-300, -1e-300, 0.0};
  alignas(64) double in[pack::size];
  for (std::size_t start = 0; start < xs.size(); start += pack::size) {
    for (std::size_t k = 0; k < pack::size; ++k) in[k] = xs[std::min(start + k, xs.size() - 1)];
    const pack e = exp(pack::load(in));
    for (std::size_t k = 0; k < pack::size; ++k) {
      const double expected = std::exp(in[k]);
      const double got = e.lane(k);
      if (std::isinf(expected) || expected == 0.0) {
        EXPECT_EQ(got, expected) << in[k];
      } else if (expected < std::numeric_limits<double>::min()) {  // subnormal: one unit of the smallest
        EXPECT_LE(std::abs(got - expected), std::numeric_limits<double>::denorm_min()) << in[k];
      } else {
        EXPECT_LE(ulps(got, std::exp(static_cast<long double>(in[k]))), 1.0) << in[k];
      }
    }
  }
  in[0] = nan;
  for (std::size_t k = 1; k < pack::size; ++k) in[k] = 1.0;
  EXPECT_TRUE(std::isnan(exp(pack::load(in)).lane(0)));
}

TEST(Pack, ScalarDivisionIsWithinOneRoundingOfTrueDivision) {
  using pack = ionode::simd::pack<double>;
  const pack x(-52.37);
  EXPECT_LE(ulps((x / 18.0).lane(0), -52.37L / 18.0L), 1.0);
  EXPECT_EQ((x / pack(18.0)).lane(0), -52.37 / 18.0);  // pack by pack: true division
}

}  // namespace
