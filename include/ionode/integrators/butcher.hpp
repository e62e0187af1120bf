// Butcher tableaus of the explicit Runge-Kutta methods and embedded pairs, with exact coefficients.
#pragma once

#include <array>

namespace ionode::tableaus {

// An explicit s-stage Runge-Kutta method: k_i = f(x + h sum_j a[i][j] k_j), x' = x + h sum_i b[i] k_i.
// For embedded pairs, e[i] = b[i] - b_low[i] gives the local error estimate h sum_i e[i] k_i, and
// error_order is the order of the lower solution (the step-size controller uses 1/(error_order+1)).
template <int S>
struct tableau {
  static constexpr int stages = S;
  std::array<std::array<double, S>, S> a{};
  std::array<double, S> b{};
  std::array<double, S> e{};  // zero for fixed-step methods
  int order = 1;
  int error_order = 0;
};

inline constexpr tableau<1> euler{{{{0}}}, {1}, {}, 1};
inline constexpr tableau<2> midpoint{{{{0, 0}, {0.5, 0}}}, {0, 1}, {}, 2};
inline constexpr tableau<2> heun2{{{{0, 0}, {1, 0}}}, {0.5, 0.5}, {}, 2};
inline constexpr tableau<2> ralston2{{{{0, 0}, {2.0 / 3, 0}}}, {0.25, 0.75}, {}, 2};
// BrainPy's generic second-order method with its default beta = 2/3: A = beta, B = (1 - 1/(2 beta), 1/(2 beta)).
inline constexpr double rk2_beta = 2.0 / 3.0;
inline constexpr tableau<2> rk2{
    {{{0, 0}, {rk2_beta, 0}}}, {1 - 1 / (2 * rk2_beta), 1 / (2 * rk2_beta)}, {}, 2};
inline constexpr tableau<3> rk3{{{{0, 0, 0}, {0.5, 0, 0}, {-1, 2, 0}}}, {1.0 / 6, 2.0 / 3, 1.0 / 6}, {}, 3};
inline constexpr tableau<3> heun3{{{{0, 0, 0}, {1.0 / 3, 0, 0}, {0, 2.0 / 3, 0}}}, {0.25, 0, 0.75}, {}, 3};
inline constexpr tableau<3> ralston3{
    {{{0, 0, 0}, {0.5, 0, 0}, {0, 0.75, 0}}}, {2.0 / 9, 1.0 / 3, 4.0 / 9}, {}, 3};
inline constexpr tableau<3> ssprk3{
    {{{0, 0, 0}, {1, 0, 0}, {0.25, 0.25, 0}}}, {1.0 / 6, 1.0 / 6, 2.0 / 3}, {}, 3};
inline constexpr tableau<4> rk4{
    {{{0, 0, 0, 0}, {0.5, 0, 0, 0}, {0, 0.5, 0, 0}, {0, 0, 1, 0}}}, {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6}, {}, 4};
inline constexpr tableau<4> rk4_38rule{{{{0, 0, 0, 0}, {1.0 / 3, 0, 0, 0}, {-1.0 / 3, 1, 0, 0}, {1, -1, 1, 0}}},
                                       {0.125, 0.375, 0.375, 0.125},
                                       {},
                                       4};
// Ralston's fourth-order method (minimum truncation error), exact in sqrt(5) rather than the
// eight-digit decimals often quoted (those would spoil fourth order at tight tolerances).
inline constexpr double sqrt5 = 2.23606797749978969640917366873127623544;
inline constexpr tableau<4> ralston4{
    {{{0, 0, 0, 0},
      {0.4, 0, 0, 0},
      {(-2889 + 1428 * sqrt5) / 1024, (3785 - 1620 * sqrt5) / 1024, 0, 0},
      {(-3365 + 2094 * sqrt5) / 6040, (-975 - 3046 * sqrt5) / 2552, (467040 + 203968 * sqrt5) / 240845, 0}}},
    {(263 + 24 * sqrt5) / 1812, (125 - 1000 * sqrt5) / 3828, (3426304 + 1661952 * sqrt5) / 5924787,
     (30 - 4 * sqrt5) / 123},
    {},
    4};

// Embedded pairs. Every pair propagates its higher-order solution (local extrapolation).
inline constexpr tableau<2> heun_euler{{{{0, 0}, {1, 0}}}, {0.5, 0.5}, {0.5 - 1, 0.5 - 0}, 2, 1};
inline constexpr tableau<3> rkf12{{{{0, 0, 0}, {0.5, 0, 0}, {1.0 / 256, 255.0 / 256, 0}}},
                                  {1.0 / 512, 255.0 / 256, 1.0 / 512},
                                  {1.0 / 512 - 1.0 / 256, 0, 1.0 / 512},
                                  2,
                                  1};
inline constexpr tableau<4> bs{
    {{{0, 0, 0, 0}, {0.5, 0, 0, 0}, {0, 0.75, 0, 0}, {2.0 / 9, 1.0 / 3, 4.0 / 9, 0}}},
    {2.0 / 9, 1.0 / 3, 4.0 / 9, 0},
    {2.0 / 9 - 7.0 / 24, 1.0 / 3 - 0.25, 4.0 / 9 - 1.0 / 3, -0.125},
    3,
    2};
inline constexpr tableau<6> rkf45{
    {{{0, 0, 0, 0, 0, 0},
      {0.25, 0, 0, 0, 0, 0},
      {3.0 / 32, 9.0 / 32, 0, 0, 0, 0},
      {1932.0 / 2197, -7200.0 / 2197, 7296.0 / 2197, 0, 0, 0},
      {439.0 / 216, -8, 3680.0 / 513, -845.0 / 4104, 0, 0},
      {-8.0 / 27, 2, -3544.0 / 2565, 1859.0 / 4104, -11.0 / 40, 0}}},
    {16.0 / 135, 0, 6656.0 / 12825, 28561.0 / 56430, -9.0 / 50, 2.0 / 55},
    {16.0 / 135 - 25.0 / 216, 0, 6656.0 / 12825 - 1408.0 / 2565, 28561.0 / 56430 - 2197.0 / 4104,
     -9.0 / 50 + 0.2, 2.0 / 55},
    5,
    4};
inline constexpr tableau<6> ck{
    {{{0, 0, 0, 0, 0, 0},
      {0.2, 0, 0, 0, 0, 0},
      {3.0 / 40, 9.0 / 40, 0, 0, 0, 0},
      {0.3, -0.9, 1.2, 0, 0, 0},
      {-11.0 / 54, 2.5, -70.0 / 27, 35.0 / 27, 0, 0},
      {1631.0 / 55296, 175.0 / 512, 575.0 / 13824, 44275.0 / 110592, 253.0 / 4096, 0}}},
    {37.0 / 378, 0, 250.0 / 621, 125.0 / 594, 0, 512.0 / 1771},
    {37.0 / 378 - 2825.0 / 27648, 0, 250.0 / 621 - 18575.0 / 48384, 125.0 / 594 - 13525.0 / 55296,
     -277.0 / 14336, 512.0 / 1771 - 0.25},
    5,
    4};
inline constexpr tableau<7> rkdp{
    {{{0, 0, 0, 0, 0, 0, 0},
      {0.2, 0, 0, 0, 0, 0, 0},
      {3.0 / 40, 9.0 / 40, 0, 0, 0, 0, 0},
      {44.0 / 45, -56.0 / 15, 32.0 / 9, 0, 0, 0, 0},
      {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729, 0, 0, 0},
      {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656, 0, 0},
      {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0}}},
    {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0},
    {35.0 / 384 - 5179.0 / 57600, 0, 500.0 / 1113 - 7571.0 / 16695, 125.0 / 192 - 393.0 / 640,
     -2187.0 / 6784 + 92097.0 / 339200, 11.0 / 84 - 187.0 / 2100, -1.0 / 40},
    5,
    4};

}  // namespace ionode::tableaus
