// The dependency structure of a model's equations, found automatically: the model's derivative is
// evaluated once with ad::dependence numbers, which carry no value, only the set of state variables
// a quantity depends on. Both sides of every select/min/max count (the structure is the union over
// all states), so the result holds for every state of a model that branches with select, as the
// model concept asks. exp_auto uses it to share derivative slots between variables whose columns
// never meet in a row of the Jacobian (Curtis-Powell-Reid colouring), which is exact.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace ionode::ad {

struct dependence {
  std::uint32_t mask = 0;  // bit k: may depend on state variable k

  dependence() = default;
  template <class S>
    requires std::is_arithmetic_v<S>
  dependence(S) {}  // NOLINT(google-explicit-constructor): constants depend on nothing
  static dependence variable(int k) {
    dependence d;
    d.mask = std::uint32_t{1} << k;
    return d;
  }
  dependence& operator+=(const dependence& o) { mask |= o.mask; return *this; }
  dependence& operator-=(const dependence& o) { mask |= o.mask; return *this; }
  dependence& operator*=(const dependence& o) { mask |= o.mask; return *this; }
  dependence& operator/=(const dependence& o) { mask |= o.mask; return *this; }
};

inline dependence join(dependence a, dependence b) {
  a.mask |= b.mask;
  return a;
}
inline dependence operator+(dependence a, dependence b) { return join(a, b); }
inline dependence operator-(dependence a, dependence b) { return join(a, b); }
inline dependence operator*(dependence a, dependence b) { return join(a, b); }
inline dependence operator/(dependence a, dependence b) { return join(a, b); }
inline dependence operator-(dependence a) { return a; }
inline dependence operator+(dependence a) { return a; }
// Comparisons have no value to compare; select below takes both sides anyway.
inline bool operator<(dependence, dependence) { return false; }
inline bool operator<=(dependence, dependence) { return false; }
inline bool operator>(dependence, dependence) { return false; }
inline bool operator>=(dependence, dependence) { return false; }
inline bool operator==(dependence, dependence) { return false; }

#define IONODE_DEPENDENCE_MIXED(op)                                                      \
  template <class S>                                                                     \
    requires std::is_arithmetic_v<S>                                                     \
  inline auto operator op(dependence a, S b) { return a op dependence(b); }              \
  template <class S>                                                                     \
    requires std::is_arithmetic_v<S>                                                     \
  inline auto operator op(S a, dependence b) { return dependence(a) op b; }
IONODE_DEPENDENCE_MIXED(+)
IONODE_DEPENDENCE_MIXED(-)
IONODE_DEPENDENCE_MIXED(*)
IONODE_DEPENDENCE_MIXED(/)
IONODE_DEPENDENCE_MIXED(<)
IONODE_DEPENDENCE_MIXED(<=)
IONODE_DEPENDENCE_MIXED(>)
IONODE_DEPENDENCE_MIXED(>=)
#undef IONODE_DEPENDENCE_MIXED

#define IONODE_DEPENDENCE_UNARY(name) \
  inline dependence name(dependence a) { return a; }
IONODE_DEPENDENCE_UNARY(exp)
IONODE_DEPENDENCE_UNARY(expm1)
IONODE_DEPENDENCE_UNARY(exprel)
IONODE_DEPENDENCE_UNARY(log)
IONODE_DEPENDENCE_UNARY(log1p)
IONODE_DEPENDENCE_UNARY(sqrt)
IONODE_DEPENDENCE_UNARY(cbrt)
IONODE_DEPENDENCE_UNARY(tanh)
IONODE_DEPENDENCE_UNARY(cosh)
IONODE_DEPENDENCE_UNARY(sinh)
IONODE_DEPENDENCE_UNARY(sin)
IONODE_DEPENDENCE_UNARY(cos)
IONODE_DEPENDENCE_UNARY(tan)
IONODE_DEPENDENCE_UNARY(atan)
IONODE_DEPENDENCE_UNARY(abs)
IONODE_DEPENDENCE_UNARY(erf)
#undef IONODE_DEPENDENCE_UNARY

template <class S>
inline dependence pow(dependence a, S e) {
  return join(a, dependence(e));
}
inline dependence pow(dependence a, dependence e) { return join(a, e); }
inline dependence exprel_given_exp(dependence x, dependence e) { return join(x, e); }
inline dependence inverse_exprel_given_exp(dependence x, dependence e) { return join(x, e); }
template <class A, class B>
concept involves_dependence = std::is_same_v<A, dependence> || std::is_same_v<B, dependence>;

template <class C, class A, class B>
  requires involves_dependence<A, B>
inline dependence select(const C&, const A& a, const B& b) {
  return join(dependence(a), dependence(b));
}
template <class A, class B>
  requires involves_dependence<A, B>
inline dependence min(const A& a, const B& b) {
  return join(dependence(a), dependence(b));
}
template <class A, class B>
  requires involves_dependence<A, B>
inline dependence max(const A& a, const B& b) {
  return join(dependence(a), dependence(b));
}

// rows[i]: the variables f_i depends on.
template <class M, std::size_t nv, std::size_t np, std::size_t ni>
std::array<std::uint32_t, nv> jacobian_rows() {
  std::array<dependence, nv> x, f;
  for (std::size_t k = 0; k < nv; ++k) x[k] = dependence::variable(static_cast<int>(k));
  std::array<double, np> p{};
  std::array<double, ni> in{};
  M::derivative(x.data(), p.data(), in.data(), f.data());
  std::array<std::uint32_t, nv> rows{};
  for (std::size_t i = 0; i < nv; ++i) rows[i] = f[i].mask | (std::uint32_t{1} << i);
  return rows;
}

// Colours for the Jacobian's diagonal: variables j and i may share a colour unless f_i depends on
// x_j or f_j on x_i (then a shared slot would mix their partials into the diagonal). Greedy, in
// variable order. Returns the number of colours.
template <std::size_t nv>
int colour_diagonal(const std::array<std::uint32_t, nv>& rows, std::array<int, nv>& colours) {
  int count = 0;
  for (std::size_t i = 0; i < nv; ++i) {
    int c = 0;
    for (;; ++c) {
      bool clash = false;
      for (std::size_t j = 0; j < i; ++j) {
        const bool meet = (rows[i] >> j & 1u) || (rows[j] >> i & 1u);
        clash = clash || (colours[j] == c && meet);
      }
      if (!clash) break;
    }
    colours[i] = c;
    count = std::max(count, c + 1);
  }
  return count;
}

}  // namespace ionode::ad
