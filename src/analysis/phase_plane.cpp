// Phase planes of two-variable models: nullclines by bracketing and bisection column by column,
// fixed points by Newton from a grid of starts, their type from the eigenvalues, trajectories by
// rk4, the limit cycles from phase_plane_cycles.cpp.
#include "ionode/analysis/phase_plane.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "ionode/error.hpp"

namespace ionode::analysis {

namespace {

using point = std::array<double, 2>;

point field_at(const system& sys, const std::vector<double>& theta, point x) {
  point f{};
  sys.rhs(x.data(), theta.data(), f.data());
  return f;
}

// The box: each variable's extremes over a simulation from the default state, widened to include
// [-80, 40] for a variable in mV and [0, 1] for a dimensionless one (a gate), then padded by 10%.
std::array<point, 2> default_box(const system& sys, const std::vector<double>& theta) {
  std::vector<double> x = sys.default_state(theta.data()), lo(2), hi(2);
  sys.flow(x.data(), theta.data(), 1000.0, 20000, 0, nullptr, nullptr, lo.data(), hi.data());
  std::array<point, 2> box{};
  for (std::size_t i = 0; i < 2; ++i) {
    const std::string_view unit = sys.info().variables[i].unit;
    if (unit == "mV") lo[i] = std::min(lo[i], -80.0), hi[i] = std::max(hi[i], 40.0);
    if (unit == "1") lo[i] = std::min(lo[i], 0.0), hi[i] = std::max(hi[i], 1.0);
    const double pad = 0.1 * std::max(hi[i] - lo[i], 1e-3 * std::max(1.0, std::abs(hi[i])));
    box[i] = {lo[i] - pad, hi[i] + pad};
  }
  return box;
}

// Roots in y of f_i(x, y) on [y0, y1]: sign changes on `rows` samples, refined by bisection to
// rounding. (A root where f_i touches zero without changing sign is missed.)
std::vector<double> roots_in_y(const system& sys, const std::vector<double>& theta, std::size_t i, double x,
                               double y0, double y1, std::size_t rows) {
  std::vector<double> roots;
  auto g = [&](double y) { return field_at(sys, theta, {x, y})[i]; };
  double ya = y0, ga = g(ya);
  for (std::size_t r = 1; r <= rows; ++r) {
    const double yb = y0 + (y1 - y0) * static_cast<double>(r) / static_cast<double>(rows);
    const double gb = g(yb);
    if (ga == 0.0) {
      roots.push_back(ya);
    } else if (std::isfinite(ga) && std::isfinite(gb) && (ga < 0.0) != (gb < 0.0) && gb != 0.0) {
      double a = ya, b = yb, fa = ga;
      for (int k = 0; k < 200 && b - a > 0.0; ++k) {
        const double m = 0.5 * (a + b);
        if (m <= a || m >= b) break;
        const double fm = g(m);
        if (fm == 0.0)
          a = b = m;
        else if ((fm < 0.0) == (fa < 0.0))
          a = m, fa = fm;
        else
          b = m;
      }
      roots.push_back(0.5 * (a + b));
    }
    ya = yb, ga = gb;
  }
  return roots;
}

std::vector<curve> nullcline(const system& sys, const std::vector<double>& theta, std::size_t i,
                             const phase_plane& pp, const phase_plane_options& o) {
  std::vector<curve> pieces;
  std::vector<double> previous;
  for (std::size_t c = 0; c < o.nullcline_columns; ++c) {
    const double x = pp.x_range[0] + (pp.x_range[1] - pp.x_range[0]) * static_cast<double>(c) /
                                         static_cast<double>(o.nullcline_columns - 1);
    const std::vector<double> roots =
        roots_in_y(sys, theta, i, x, pp.y_range[0], pp.y_range[1], o.nullcline_rows);
    if (roots.size() != previous.size()) {
      // A new set of pieces, one per root, each starting at this column.
      for (double y : roots) pieces.push_back({{x, y}});
    } else {
      for (std::size_t k = 0; k < roots.size(); ++k)
        pieces[pieces.size() - roots.size() + k].push_back({x, roots[k]});
    }
    previous = roots;
  }
  return pieces;
}

// Newton on f = 0 from x; the fixed point if it converges inside the box.
std::optional<point> newton(const system& sys, const std::vector<double>& theta, point x,
                            const phase_plane& pp) {
  for (int it = 0; it < 60; ++it) {
    point f{}, dummy{};
    std::array<double, 4> j{};
    sys.linearize(x.data(), theta.data(), theta.size(), f.data(), j.data(), dummy.data());
    const double det = j[0] * j[3] - j[2] * j[1];  // column-major: j[0] = df0/dx0, j[2] = df0/dx1
    if (!std::isfinite(det) || det == 0.0) return std::nullopt;
    const point step{(j[3] * f[0] - j[2] * f[1]) / det, (-j[1] * f[0] + j[0] * f[1]) / det};
    x = {x[0] - step[0], x[1] - step[1]};
    if (!std::isfinite(x[0]) || !std::isfinite(x[1])) return std::nullopt;
    const double sx = pp.x_range[1] - pp.x_range[0], sy = pp.y_range[1] - pp.y_range[0];
    if (std::abs(step[0]) < 1e-13 * sx && std::abs(step[1]) < 1e-13 * sy) {
      if (x[0] < pp.x_range[0] || x[0] > pp.x_range[1] || x[1] < pp.y_range[0] || x[1] > pp.y_range[1]) {
        return std::nullopt;
      }
      return x;
    }
  }
  return std::nullopt;
}

std::array<std::complex<double>, 2> eigenvalues_2d(const system& sys, const std::vector<double>& theta,
                                                   point x) {
  point f{}, dummy{};
  std::array<double, 4> j{};
  sys.linearize(x.data(), theta.data(), theta.size(), f.data(), j.data(), dummy.data());
  const double tr = j[0] + j[3], det = j[0] * j[3] - j[2] * j[1];
  const std::complex<double> root = std::sqrt(std::complex<double>(tr * tr / 4.0 - det, 0.0));
  return {tr / 2.0 + root, tr / 2.0 - root};
}

}  // namespace

std::string fixed_point_type(const std::array<std::complex<double>, 2>& e) {
  const double scale = std::max(std::abs(e[0]), std::abs(e[1]));
  const double tiny = 1e-12 * scale;
  const double r0 = e[0].real(), r1 = e[1].real();
  if (std::abs(r0) <= tiny || std::abs(r1) <= tiny) return "degenerate";
  if ((r0 > 0.0) != (r1 > 0.0)) return "saddle";
  const bool complex_pair = std::abs(e[0].imag()) > tiny;
  const std::string kind = complex_pair ? "focus" : "node";
  return (r0 < 0.0 ? "stable " : "unstable ") + kind;
}

phase_plane compute_phase_plane(const system& sys, const std::vector<double>& theta,
                                const phase_plane_options& o) {
  if (sys.dimension() != 2) {
    throw error(fmt::format("a phase plane needs a model with two variables; {} has {}", sys.info().name,
                            sys.dimension()));
  }
  if (o.grid < 2 || o.nullcline_columns < 2 || o.nullcline_rows < 2) {
    throw error("phase plane: grid, nullcline_columns and nullcline_rows must be at least 2");
  }
  if (!(o.duration >= 0.0) || !(o.dt > 0.0)) {
    throw error(
        fmt::format("phase plane: duration = {} ms must be >= 0 and dt = {} ms > 0", o.duration, o.dt));
  }
  phase_plane pp;
  const auto box = default_box(sys, theta);
  pp.x_range = o.x_range[0] < o.x_range[1] ? o.x_range : box[0];
  pp.y_range = o.y_range[0] < o.y_range[1] ? o.y_range : box[1];
  for (std::size_t i = 0; i < 2; ++i) pp.nullclines[i] = nullcline(sys, theta, i, pp, o);

  for (std::size_t k = 0; k < o.grid; ++k) {
    const double s = static_cast<double>(k) / static_cast<double>(o.grid - 1);
    pp.grid_x.push_back(pp.x_range[0] + s * (pp.x_range[1] - pp.x_range[0]));
    pp.grid_y.push_back(pp.y_range[0] + s * (pp.y_range[1] - pp.y_range[0]));
  }
  for (double y : pp.grid_y) {
    for (double x : pp.grid_x) pp.field.push_back(field_at(sys, theta, {x, y}));
  }

  // Fixed points: Newton from every node of a 15 x 15 grid and from the nullclines' crossings'
  // neighbourhoods (the nullcline points of dx0/dt = 0), kept once each.
  std::vector<point> starts;
  for (std::size_t a = 0; a < 15; ++a) {
    for (std::size_t b = 0; b < 15; ++b) {
      starts.push_back(
          {pp.x_range[0] + (pp.x_range[1] - pp.x_range[0]) * (static_cast<double>(a) + 0.5) / 15.0,
           pp.y_range[0] + (pp.y_range[1] - pp.y_range[0]) * (static_cast<double>(b) + 0.5) / 15.0});
    }
  }
  for (const auto& piece : pp.nullclines[0]) starts.insert(starts.end(), piece.begin(), piece.end());
  const double sx = pp.x_range[1] - pp.x_range[0], sy = pp.y_range[1] - pp.y_range[0];
  for (const point& s : starts) {
    const auto x = newton(sys, theta, s, pp);
    if (!x) continue;
    const bool known =
        std::any_of(pp.fixed_points.begin(), pp.fixed_points.end(), [&](const fixed_point_2d& q) {
          return std::abs(q.x[0] - (*x)[0]) < 1e-8 * sx && std::abs(q.x[1] - (*x)[1]) < 1e-8 * sy;
        });
    if (known) continue;
    fixed_point_2d fp;
    fp.x = *x;
    fp.eigenvalues = eigenvalues_2d(sys, theta, *x);
    fp.type = fixed_point_type(fp.eigenvalues);
    pp.fixed_points.push_back(fp);
  }
  std::sort(pp.fixed_points.begin(), pp.fixed_points.end(),
            [](const fixed_point_2d& a, const fixed_point_2d& b) { return a.x[0] < b.x[0]; });

  const auto steps = static_cast<std::size_t>(std::llround(o.duration / o.dt));
  for (const point& s : o.starts) {
    curve c{s};
    std::vector<double> x(s.begin(), s.end());
    for (std::size_t k = 0; k < steps; ++k) {
      sys.flow(x.data(), theta.data(), o.dt, 1, 0, nullptr, nullptr, nullptr, nullptr);
      if (!std::isfinite(x[0]) || !std::isfinite(x[1])) break;
      c.push_back({x[0], x[1]});
    }
    pp.trajectories.push_back(std::move(c));
  }

  if (o.cycle) {
    // Searched in the plotted box and the default one, so that a zoom does not lose the cycles it cuts.
    const point x_search{std::min(pp.x_range[0], box[0][0]), std::max(pp.x_range[1], box[0][1])};
    const point y_search{std::min(pp.y_range[0], box[1][0]), std::max(pp.y_range[1], box[1][1])};
    pp.cycles = find_limit_cycles(sys, theta, pp.fixed_points, x_search, y_search);
    // The first stable one found: the default state's if it reaches one (searched first).
    const auto stable =
        std::find_if(pp.cycles.begin(), pp.cycles.end(), [](const limit_cycle& c) { return c.stable; });
    if (stable != pp.cycles.end()) {
      pp.cycle = stable->points;
      pp.cycle_period = stable->period;
    } else {
      pp.note = "no stable limit cycle reached from the default state or next to the fixed points";
    }
    std::sort(pp.cycles.begin(), pp.cycles.end(), [](const limit_cycle& a, const limit_cycle& b) {
      return a.x_max[0] - a.x_min[0] < b.x_max[0] - b.x_min[0];
    });
  }
  return pp;
}

}  // namespace ionode::analysis
