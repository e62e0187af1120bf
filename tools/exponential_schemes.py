"""Which exponential scheme? A NumPy comparison, independent of ionode, behind docs/numerics.md's choice
of exp_midpoint: the spike-time error of exponential schemes with the diagonal of the Jacobian as the
linear part, at dt = 0.1 and 0.05 ms, against ../shared/reference/reference.json (HH and WB over 200 ms).

    /usr/bin/python3 tools/exponential_schemes.py [HH WB]

Schemes (a = diag J, phi1(z) = (e^z - 1)/z, phi2(z) = (e^z - 1 - z)/z^2; evaluations of f per step):
  exp_euler  x + h phi1(h a) f                                   (exp_auto; 1)
  rl2        half step of exp_euler to x*, then x + h phi1(h a*) (f* + a* (x - x*))   (exp_midpoint; 2)
  etd2       Cox-Matthews ETD2RK with a frozen at x                                    (2)
  heun_rl    exponential Heun re-linearized at the predictor                           (2)
  etd3       Cox-Matthews ETD3RK                                                       (3)
  etdrk4     Cox-Matthews ETDRK4                                                       (4)
The diagonal is taken by central differences here (ionode uses dual numbers); spikes by linear
interpolation of V between steps.
"""
import json
import pathlib
import sys

import numpy as np
from scipy.special import exprel

SHARED = pathlib.Path(__file__).resolve().parents[2] / "shared" / "reference"
sys.path.insert(0, str(SHARED))
import models  # noqa: E402  (the reference's own equations)


def diagonal(f, x):
    d = np.empty_like(x)
    for i in range(len(x)):
        e = np.zeros_like(x)
        e[i] = 1e-6 * max(1.0, abs(x[i]))
        d[i] = (f(x + e)[i] - f(x - e)[i]) / (2 * e[i])
    return d


def phis(z):
    z = np.asarray(z, float)
    p1, p2, p3 = np.empty_like(z), np.empty_like(z), np.empty_like(z)
    small = np.abs(z) < 0.1
    s = z[small]
    p1[small] = 1 + s / 2 + s**2 / 6 + s**3 / 24 + s**4 / 120 + s**5 / 720
    p2[small] = 0.5 + s / 6 + s**2 / 24 + s**3 / 120 + s**4 / 720 + s**5 / 5040
    p3[small] = 1 / 6 + s / 24 + s**2 / 120 + s**3 / 720 + s**4 / 5040 + s**5 / 40320
    l = z[~small]
    p1[~small] = np.expm1(l) / l
    p2[~small] = (np.expm1(l) - l) / l**2
    p3[~small] = (np.expm1(l) - l - l**2 / 2) / l**3
    return np.exp(z), p1, p2, p3


def exp_euler(f, x, h):
    return x + h * exprel(h * diagonal(f, x)) * f(x)


def rl2(f, x, h):
    fx = f(x)
    middle = x + 0.5 * h * exprel(0.5 * h * diagonal(f, x)) * fx
    am = diagonal(f, middle)
    return x + h * exprel(h * am) * (f(middle) + am * (x - middle))


def etd2(f, x, h):
    a, fx = diagonal(f, x), f(x)
    u = x + h * exprel(h * a) * fx
    return u + h * phis(h * a)[2] * (f(u) - fx - a * (u - x))


def heun_rl(f, x, h):
    a, fx = diagonal(f, x), f(x)
    u = x + h * exprel(h * a) * fx
    au, fu = diagonal(f, u), f(u)
    return x + h * exprel(h * 0.5 * (a + au)) * 0.5 * (fx + fu + au * (x - u))


def etd3(f, x, h):
    L = diagonal(f, x)
    N = lambda y: f(y) - L * y  # noqa: E731
    e, p1, p2, p3 = phis(h * L)
    eh, q1, _, _ = phis(h * L / 2)
    Nx = N(x)
    a = eh * x + h / 2 * q1 * Nx
    Na = N(a)
    b = e * x + h * p1 * (2 * Na - Nx)
    Nb = N(b)
    return e * x + h * ((p1 - 3 * p2 + 4 * p3) * Nx + (4 * p2 - 8 * p3) * Na + (4 * p3 - p2) * Nb)


def etdrk4(f, x, h):
    L = diagonal(f, x)
    N = lambda y: f(y) - L * y  # noqa: E731
    e, p1, p2, p3 = phis(h * L)
    eh, q1, _, _ = phis(h * L / 2)
    Nx = N(x)
    a = eh * x + h / 2 * q1 * Nx
    Na = N(a)
    b = eh * x + h / 2 * q1 * Na
    Nb = N(b)
    c = eh * a + h / 2 * q1 * (2 * Nb - Nx)
    Nc = N(c)
    return e * x + h * ((p1 - 3 * p2 + 4 * p3) * Nx + (2 * p2 - 4 * p3) * (Na + Nb) + (4 * p3 - p2) * Nc)


def spikes(step, f, x0, dt, duration, threshold):
    x, out = np.array(x0, float), []
    for k in range(int(round(duration / dt))):
        new = step(f, x, dt)
        if not np.all(np.isfinite(new)):
            return None
        if x[0] < threshold <= new[0]:
            out.append(k * dt + dt * (threshold - x[0]) / (new[0] - x[0]))
        x = new
    return np.array(out)


def main():
    cases = {c["model"]: c for c in json.loads((SHARED / "reference.json").read_text())["spike_time_references"]}
    rhs = {"HH": models.hh_rhs, "WB": models.wb_rhs, "ML": models.ml_rhs}
    for name in sys.argv[1:] or ["HH", "WB"]:
        case = cases[name]
        f = (lambda rhs_, I: (lambda x: rhs_(0, x, I)))(rhs[name], case["current"])
        reference = np.array(case["spike_times"])
        for dt in (0.1, 0.05):
            for scheme in (exp_euler, rl2, etd2, heun_rl, etd3, etdrk4):
                got = spikes(scheme, f, case["initial_state"], dt, case["duration_ms"], case["V_th"])
                if got is None:
                    print(f"{name} dt={dt} {scheme.__name__:10s} diverges")
                    continue
                n = min(len(got), len(reference))
                print(f"{name} dt={dt} {scheme.__name__:10s} spikes {len(got)}/{len(reference)}  "
                      f"worst error {np.max(np.abs(got[:n] - reference[:n])):.3g} ms")


if __name__ == "__main__":
    main()
