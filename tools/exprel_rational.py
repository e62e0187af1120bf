#!/usr/bin/env python3
"""The coefficients of math::exprel_near_zero (include/ionode/math.hpp), reproducibly.

exprel(x) = (e^x - 1)/x. With y = x/2, e^x - 1 = 2 tanh(y) / (1 - tanh(y)); tanh(y)/y is an even
function with Lambert's continued fraction 1/(1 + t/(3 + t/(5 + t/(7 + ...)))), t = y^2. Cutting the
fraction after the term 2K - 1 gives tanh(y)/y = N(t)/D(t), its Pade approximant, and then

    exprel(x) = P(s) / (Q(s) - (x/2) P(s)),   s = x^2,   P(s) = N(s/4), Q(s) = D(s/4).

One division, two short polynomials in x^2, no cancellation on [-1/2, 1/2] (Q - (x/2) P >= 0.74), and
a numerator and denominator that a caller can swap to get 1/exprel with the same single division.
K = 7 (P and Q of degree 3) for double, K = 4 (degrees 1 and 2) for float. Everything is exact
rational arithmetic; the script prints the coefficients and the relative error of the fraction, with
coefficients rounded to the target precision, against the Taylor series on a grid of exact rationals
over [-1/2, 1/2] (math::exprel_polynomial_limit).

Usage: tools/exprel_rational.py [K ...]   (default: 7 4)
Standard library only.
"""
import struct
import sys
from fractions import Fraction
from math import factorial

H = Fraction(1, 2)  # the fraction's interval is [-H, H]
SERIES_TERMS = 40   # Taylor terms of the reference (tail below 1e-60 on [-1/2, 1/2])


def poly_mul(a, b):
    r = [Fraction(0)] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            r[i + j] += x * y
    return r


def poly_add(a, b):
    n = max(len(a), len(b))
    return [(a[i] if i < len(a) else 0) + (b[i] if i < len(b) else 0) for i in range(n)]


def lambert(k_terms):
    """N, D (coefficients in t) with tanh(y)/y ~ N(t)/D(t), the fraction cut after 2K - 1."""
    num, den = [Fraction(2 * k_terms - 1)], [Fraction(1)]  # the innermost level, as num/den
    for k in range(k_terms - 2, -1, -1):
        # (2k + 1) + t / (num/den) = ((2k + 1) num + t den) / num
        num, den = poly_add(poly_mul([Fraction(2 * k + 1)], num), poly_mul([Fraction(0), Fraction(1)], den)), num
    scale = den[0]  # tanh(y)/y = den/num; normalize so both start with 1
    return [c / scale for c in den], [c / scale for c in num]


def to_float32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def main():
    ks = [int(a) for a in sys.argv[1:]] or [7, 4]
    for k_terms in ks:
        n, d = lambert(k_terms)
        p = [c / Fraction(4) ** i for i, c in enumerate(n)]
        q = [c / Fraction(4) ** i for i, c in enumerate(d)]
        single = k_terms <= 4
        rnd = to_float32 if single else float
        p_r = [Fraction(rnd(float(c))) for c in p]
        q_r = [Fraction(rnd(float(c))) for c in q]
        worst = 0.0
        for i in range(-400, 401):
            x = H * Fraction(i, 400)
            s = x * x
            pv = sum(c * s**j for j, c in enumerate(p_r))
            qv = sum(c * s**j for j, c in enumerate(q_r))
            exact = sum(x**j / Fraction(factorial(j + 1)) for j in range(SERIES_TERMS))
            worst = max(worst, abs(float((pv / (qv - x / 2 * pv) - exact) / exact)))
        ulp = 2.0**-24 if single else 2.0**-53
        print(f"K = {k_terms} (P degree {len(p) - 1}, Q degree {len(q) - 1} in x^2), coefficients rounded to "
              f"{'float' if single else 'double'}: max relative error {worst:.2e} = {worst / ulp:.3f} ulp "
              f"(before the evaluation's own rounding)")
        print("  P:", ", ".join(repr(float(c)) for c in p))
        print("  Q:", ", ".join(repr(float(c)) for c in q))


if __name__ == "__main__":
    main()
