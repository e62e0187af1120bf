// CVODE (SUNDIALS, Debian's libsundials-dev): variable-order BDF with its own error control and root
// finding for the spikes. Behind this interface so that the model headers and population_impl (which
// users' extensions compile) never include SUNDIALS. Two uses (docs/numerics.md, "CVODE"):
//   - one neuron (population_impl): a dense Newton solve with the exact Jacobian from dual numbers;
//   - a whole network as one system (network/whole_system.cpp): CVODE's diagonal approximation of the
//     Jacobian (CVDIAG: difference quotients along the diagonal, no matrix), one root per neuron.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ionode::integrators {

// What CVODE integrates: f at time t (inputs held fixed over the output step by the caller's context),
// the Jacobian (column-major n x n; null: the diagonal approximation), and the root functions whose
// upward zeros are spikes (V - threshold).
struct cvode_callbacks {
  void (*derivative)(const void* context, double t, const double* x, double* dxdt) = nullptr;
  void (*jacobian)(const void* context, const double* x, double* column_major) = nullptr;
  void (*roots)(const void* context, const double* x, double* g) = nullptr;
  const void* context = nullptr;
};

struct cvode_outcome {
  bool ok = true;
  std::string message;  // CVODE's, when !ok
};

// Whether this build has CVODE (IONODE_CVODE: SUNDIALS found at configure time).
bool have_cvode();

class cvode_solver {
 public:
  // n variables, `roots` root functions; dense: a dense Newton solve with callbacks.jacobian, else CVDIAG.
  cvode_solver(std::size_t n, std::size_t roots, bool dense, double rtol, double atol, long max_steps);
  ~cvode_solver();
  cvode_solver(const cvode_solver&) = delete;
  cvode_solver& operator=(const cvode_solver&) = delete;

  // Advances x from t0 to exactly t1 (CVODE's stop time), appending (time, root index) of each upward
  // zero to `crossings`. CVODE keeps its history (order, step size) between calls; it starts again from
  // x at t0 when x or t0 is not where the last call ended, or when the caller says so (`restart`: the
  // inputs jumped, a discontinuity of f that BDF's history must not smooth over).
  cvode_outcome advance(const cvode_callbacks& callbacks, double t0, double t1, double* x, bool restart,
                        std::vector<std::pair<double, std::size_t>>& crossings);

  long steps() const;  // CVODE's internal steps so far

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace ionode::integrators
