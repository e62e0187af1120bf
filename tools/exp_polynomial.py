#!/usr/bin/env python3
"""The coefficients of simd::exp's polynomial for double packs (include/ionode/simd/pack.hpp).

exp(x) = 2^k exp(r), k = round(x / ln 2), |r| <= ln(2)/2 < 0.35. exp(r) is the Taylor series economized
on [-0.35, 0.35]: expand the degree-30 Taylor polynomial (tail below 1e-40) in Chebyshev polynomials of
r/h, drop the terms above the wanted degree (their sum bounds the error), convert back. Exact
rational arithmetic throughout, so the only rounding is that of the printed coefficients; the script
then measures the relative error of the double-rounded polynomial against the series on a grid of
exact rationals. Degree 11: 0.01 ulp before the evaluation's own rounding (the plain series needs 13).

Usage: tools/exp_polynomial.py [DEGREE ...]   (default: 11)
Standard library only.
"""
import sys
from fractions import Fraction
from math import factorial

H = Fraction(35, 100)  # the interval [-H, H] holds every reduced argument (ln(2)/2 = 0.34657...)
TAYLOR_DEGREE = 30


def taylor():
    return [Fraction(1, factorial(k)) for k in range(TAYLOR_DEGREE + 1)]


def chebyshev_monomials(n_max):
    t = [[Fraction(1)], [Fraction(0), Fraction(1)]]
    for n in range(2, n_max + 1):
        nxt = [Fraction(0)] + [2 * c for c in t[n - 1]]
        for i, c in enumerate(t[n - 2]):
            nxt[i] -= c
        t.append(nxt)
    return t


def economized(degree):
    """Monomial coefficients (in r) of the economized polynomial, and the bound of what was dropped."""
    t = chebyshev_monomials(TAYLOR_DEGREE)
    mono = [c * H**k for k, c in enumerate(taylor())]  # in s = r / H, on [-1, 1]
    cheb = [Fraction(0)] * (TAYLOR_DEGREE + 1)
    for n in range(TAYLOR_DEGREE, -1, -1):
        cheb[n] = mono[n] / t[n][n]
        for i, v in enumerate(t[n]):
            mono[i] -= cheb[n] * v
    kept = [Fraction(0)] * (degree + 1)
    for n in range(degree + 1):
        for i, v in enumerate(t[n]):
            kept[i] += cheb[n] * v
    return [kept[k] / H**k for k in range(degree + 1)], sum(abs(c) for c in cheb[degree + 1:])


def main():
    degrees = [int(a) for a in sys.argv[1:]] or [11]
    series = taylor()
    for degree in degrees:
        coefficients, dropped = economized(degree)
        rounded = [Fraction(float(c)) for c in coefficients]
        worst = 0.0
        for i in range(-700, 701):
            r = H * Fraction(i, 700)
            p = sum(c * r**k for k, c in enumerate(rounded))
            e = sum(c * r**k for k, c in enumerate(series))
            worst = max(worst, abs(float((p - e) / e)))
        print(f"degree {degree}: dropped terms <= {float(dropped):.2e}; coefficients rounded to double: "
              f"max relative error {worst:.2e} = {worst / 2.0**-53:.3f} ulp")
        for c in coefficients:
            print(f"  {float(c)!r}")


if __name__ == "__main__":
    main()
