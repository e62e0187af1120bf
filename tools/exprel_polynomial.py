#!/usr/bin/env python3
"""The coefficients of math::exprel_polynomial (include/ionode/math.hpp), reproducibly.

exprel(x) = (e^x - 1)/x = sum_k x^k / (k+1)!. On [-1/2, 1/2] the Taylor series needs degree 16 to be
exact to double precision; Chebyshev economization gets there with degree 12: expand the degree-30
Taylor polynomial (tail below 1e-45) in Chebyshev polynomials of x/h, drop the terms above the wanted
degree (their sum bounds the error), and convert back. All in exact rational arithmetic, so the only
rounding is that of the printed coefficients. The script then measures the relative error of the
double-rounded coefficients against the series on a grid of exact rationals.

Usage: tools/exprel_polynomial.py [DEGREE ...]   (default: 12 6, the double and float polynomials)
Standard library only.
"""
import struct
import sys
from fractions import Fraction
from math import factorial

H = Fraction(1, 2)   # the polynomial's interval is [-H, H] (math::exprel_polynomial_limit)
TAYLOR_DEGREE = 30


def taylor():
    return [Fraction(1, factorial(k + 1)) for k in range(TAYLOR_DEGREE + 1)]


def chebyshev_monomials(n_max):
    t = [[Fraction(1)], [Fraction(0), Fraction(1)]]
    for n in range(2, n_max + 1):
        nxt = [Fraction(0)] + [2 * c for c in t[n - 1]]
        for i, c in enumerate(t[n - 2]):
            nxt[i] -= c
        t.append(nxt)
    return t


def economized(degree):
    """Monomial coefficients (in x) of the economized polynomial, and the bound of what was dropped."""
    t = chebyshev_monomials(TAYLOR_DEGREE)
    mono = [c * H**k for k, c in enumerate(taylor())]  # in s = x / H, on [-1, 1]
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


def to_float32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def main():
    degrees = [int(a) for a in sys.argv[1:]] or [12, 6]
    series = taylor()
    for degree in degrees:
        coefficients, dropped = economized(degree)
        doubles = [float(c) for c in coefficients]
        single = degree <= 8
        rounded = [to_float32(c) if single else c for c in doubles]
        worst = 0.0
        for i in range(-400, 401):
            x = Fraction(i, 800)
            p = sum(Fraction(c) * x**k for k, c in enumerate(rounded))
            e = sum(c * x**k for k, c in enumerate(series))
            worst = max(worst, abs(float((p - e) / e)))
        ulp = 2.0**-24 if single else 2.0**-53
        print(f"degree {degree}: dropped terms <= {float(dropped):.2e}; coefficients rounded to "
              f"{'float' if single else 'double'}: max relative error {worst:.2e} = {worst / ulp:.2f} ulp")
        for c in doubles:
            print(f"  {c!r}")


if __name__ == "__main__":
    main()
