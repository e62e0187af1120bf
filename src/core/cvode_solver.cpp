// CVODE for one neuron or a whole network (cvode_solver.hpp). Compiled with IONODE_CVODE; without it the solver says
// which package is missing.
#include "ionode/integrators/cvode_solver.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "ionode/error.hpp"

#ifdef IONODE_CVODE
#include <cvode/cvode.h>
#include <cvode/cvode_diag.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>
#endif

namespace ionode::integrators {

#ifdef IONODE_CVODE

namespace {

struct callback_data {
  const cvode_callbacks* callbacks = nullptr;
  std::string* error = nullptr;
};

int derivative_callback(sunrealtype t, N_Vector y, N_Vector ydot, void* user_data) {
  const auto* data = static_cast<const callback_data*>(user_data);
  data->callbacks->derivative(data->callbacks->context, t, N_VGetArrayPointer(y), N_VGetArrayPointer(ydot));
  for (sunindextype k = 0; k < N_VGetLength(ydot); ++k) {
    if (!std::isfinite(N_VGetArrayPointer(ydot)[k])) return 1;  // recoverable: CVODE retries a smaller step
  }
  return 0;
}

int jacobian_callback(sunrealtype, N_Vector y, N_Vector, SUNMatrix jacobian, void* user_data, N_Vector, N_Vector,
                      N_Vector) {
  const auto* data = static_cast<const callback_data*>(user_data);
  // A dense SUNMatrix is column-major, as the problem's Jacobian.
  data->callbacks->jacobian(data->callbacks->context, N_VGetArrayPointer(y), SUNDenseMatrix_Data(jacobian));
  return 0;
}

int root_callback(sunrealtype, N_Vector y, sunrealtype* g, void* user_data) {
  const auto* data = static_cast<const callback_data*>(user_data);
  data->callbacks->roots(data->callbacks->context, N_VGetArrayPointer(y), g);
  return 0;
}

void error_callback(int, const char* module, const char* function, char* message, void* user_data) {
  auto* data = static_cast<callback_data*>(user_data);
  if (data->error != nullptr && data->error->empty()) *data->error = fmt::format("{} ({}, {})", message, module, function);
}

}  // namespace

struct cvode_solver::state {
  SUNContext context = nullptr;
  N_Vector y = nullptr;
  SUNMatrix matrix = nullptr;
  SUNLinearSolver linear = nullptr;
  void* memory = nullptr;
  callback_data data;
  std::string error;
  std::vector<double> last_x;
  std::vector<int> found;  // CVodeGetRootInfo's flags
  double last_t = std::nan("");
  bool started = false;
  std::size_t n = 0;

  ~state() {
    if (memory != nullptr) CVodeFree(&memory);
    if (linear != nullptr) SUNLinSolFree(linear);
    if (matrix != nullptr) SUNMatDestroy(matrix);
    if (y != nullptr) N_VDestroy(y);
    if (context != nullptr) SUNContext_Free(&context);
  }
};

bool have_cvode() { return true; }

cvode_solver::cvode_solver(std::size_t n, std::size_t roots, bool dense, double rtol, double atol, long max_steps)
    : state_(std::make_unique<state>()) {
  state& s = *state_;
  s.n = n;
  s.found.assign(roots, 0);
  const auto check = [](int flag, const char* what) {
    if (flag != 0) throw internal_error(fmt::format("CVODE: {} failed with flag {}", what, flag));
  };
  // One context per solver: a SUNContext may not be used by two threads at once, and the sweep gives
  // each thread its own neurons.
  check(SUNContext_Create(nullptr, &s.context), "SUNContext_Create");
  s.y = N_VNew_Serial(static_cast<sunindextype>(n), s.context);
  s.memory = CVodeCreate(CV_BDF, s.context);
  if (s.y == nullptr || s.memory == nullptr) throw internal_error("CVODE: allocation failed");
  N_VConst(0.0, s.y);
  s.data.error = &s.error;
  check(CVodeInit(s.memory, derivative_callback, 0.0, s.y), "CVodeInit");
  check(CVodeSetUserData(s.memory, &s.data), "CVodeSetUserData");
  check(CVodeSetErrHandlerFn(s.memory, error_callback, &s.data), "CVodeSetErrHandlerFn");
  check(CVodeSStolerances(s.memory, rtol, atol), "CVodeSStolerances");
  check(CVodeSetMaxNumSteps(s.memory, max_steps), "CVodeSetMaxNumSteps");
  if (dense) {
    s.matrix = SUNDenseMatrix(static_cast<sunindextype>(n), static_cast<sunindextype>(n), s.context);
    s.linear = SUNLinSol_Dense(s.y, s.matrix, s.context);
    if (s.matrix == nullptr || s.linear == nullptr) throw internal_error("CVODE: dense solver allocation failed");
    check(CVodeSetLinearSolver(s.memory, s.linear, s.matrix), "CVodeSetLinearSolver");
    check(CVodeSetJacFn(s.memory, jacobian_callback), "CVodeSetJacFn");
  } else {
    check(CVDiag(s.memory), "CVDiag");
  }
  check(CVodeRootInit(s.memory, static_cast<int>(roots), root_callback), "CVodeRootInit");
  std::vector<int> upward(roots, 1);
  check(CVodeSetRootDirection(s.memory, upward.data()), "CVodeSetRootDirection");
  check(CVodeSetNoInactiveRootWarn(s.memory), "CVodeSetNoInactiveRootWarn");
}

cvode_solver::~cvode_solver() = default;

cvode_outcome cvode_solver::advance(const cvode_callbacks& callbacks, double t0, double t1, double* x, bool restart,
                                    std::vector<std::pair<double, std::size_t>>& crossings) {
  state& s = *state_;
  s.data.callbacks = &callbacks;
  s.error.clear();
  double* y = N_VGetArrayPointer(s.y);
  // The runner computes each step's start as step * dt, which can differ from the last stop t0' + dt in
  // the last bits: the same place within 1e-9 of a step.
  const bool same_time = std::abs(t0 - s.last_t) <= 1e-9 * std::max(1.0, std::abs(t1 - t0));
  const bool same_place = s.started && same_time && std::equal(s.last_x.begin(), s.last_x.end(), x);
  if (!same_place || restart) {
    // A new start: the state was set from outside, the clock moved (a reset), or the inputs jumped (a
    // discontinuity in f that BDF's history must not smooth over).
    std::copy(x, x + s.n, y);
    if (CVodeReInit(s.memory, t0, s.y) != CV_SUCCESS) return {false, "CVodeReInit failed: " + s.error};
    s.started = true;
  }
  if (CVodeSetStopTime(s.memory, t1) != CV_SUCCESS) return {false, "CVodeSetStopTime failed: " + s.error};
  double reached = t0;
  while (true) {
    const int flag = CVode(s.memory, t1, s.y, &reached, CV_NORMAL);
    if (flag == CV_ROOT_RETURN) {
      if (CVodeGetRootInfo(s.memory, s.found.data()) != CV_SUCCESS) return {false, "CVodeGetRootInfo failed"};
      for (std::size_t k = 0; k < s.found.size(); ++k) {
        if (s.found[k] > 0) crossings.emplace_back(reached, k);
      }
      if (reached >= t1) break;
      continue;
    }
    if (flag == CV_SUCCESS || flag == CV_TSTOP_RETURN) break;
    s.started = false;
    return {false, s.error.empty() ? fmt::format("CVODE failed with flag {}", flag) : s.error};
  }
  std::copy(y, y + s.n, x);
  s.last_x.assign(x, x + s.n);
  s.last_t = t1;
  return {};
}

long cvode_solver::steps() const {
  long steps = 0;
  CVodeGetNumSteps(state_->memory, &steps);
  return steps;
}

#else  // no SUNDIALS

struct cvode_solver::state {};

bool have_cvode() { return false; }

cvode_solver::cvode_solver(std::size_t, std::size_t, bool, double, double, long) {
  throw error("method cvode: this build of ionode has no CVODE; install SUNDIALS (Debian: libsundials-dev) and build "
              "again (scripts/setup.sh installs it)");
}

cvode_solver::~cvode_solver() = default;

cvode_outcome cvode_solver::advance(const cvode_callbacks&, double, double, double*, bool,
                                    std::vector<std::pair<double, std::size_t>>&) {
  return {false, "no CVODE in this build"};
}

long cvode_solver::steps() const { return 0; }

#endif

}  // namespace ionode::integrators
