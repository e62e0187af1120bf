TITLE traubmiles.mod   Traub-Miles Na, K and leak currents of COBAHH (Brette et al. 2007, benchmark 3)

COMMENT
As Brian2's examples/COBAHH.py in density units (../../../shared/reference/networks/README.md):
gNa 100, gK 30, gl 0.05 mS/cm2; ENa 50, EK -90, El -60, VT -63 mV. Rates (1/ms) in u = v - VT:
  am = 0.32(13-u)/(exp((13-u)/4)-1)   bm = 0.28(u-40)/(exp((u-40)/5)-1)
  ah = 0.128 exp((17-u)/18)           bh = 4/(1+exp((40-u)/5))
  an = 0.032(15-u)/(exp((15-u)/5)-1)  bn = 0.5 exp((10-u)/40)
One nonspecific current, so no na/k ion mechanisms are inserted. No temperature factor and no
TABLE: the rates are computed exactly every step. The gates are updated by cnexp, exact for v
frozen over the step (exponential Euler), and start at steady state for the initial v.
Used by cobahh_neuron.py, which compiles it with nrnivmodl in a temporary folder.
ENDCOMMENT

NEURON {
    SUFFIX traubmiles
    NONSPECIFIC_CURRENT i
    RANGE gnabar, gkbar, gl, ENa, EK, El, VT
    GLOBAL minf, hinf, ninf, mtau, htau, ntau
    THREADSAFE : assigned GLOBALs are per thread
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gnabar = 0.1 (S/cm2)
    gkbar = 0.03 (S/cm2)
    gl = 5e-5 (S/cm2)
    ENa = 50 (mV)
    EK = -90 (mV)
    El = -60 (mV)
    VT = -63 (mV)
}

STATE { m h n }

ASSIGNED {
    v (mV)
    i (mA/cm2)
    minf hinf ninf
    mtau (ms) htau (ms) ntau (ms)
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    i = gnabar*m*m*m*h*(v - ENa) + gkbar*n*n*n*n*(v - EK) + gl*(v - El)
}

INITIAL {
    rates(v)
    m = minf
    h = hinf
    n = ninf
}

DERIVATIVE states {
    rates(v)
    m' = (minf - m)/mtau
    h' = (hinf - h)/htau
    n' = (ninf - n)/ntau
}

UNITSOFF
PROCEDURE rates(v (mV)) {
    LOCAL u, a, b
    u = v - VT
    a = 1.28*efun((13 - u)/4)
    b = 1.4*efun((u - 40)/5)
    mtau = 1/(a + b)
    minf = a*mtau
    a = 0.128*exp((17 - u)/18)
    b = 4/(1 + exp((40 - u)/5))
    htau = 1/(a + b)
    hinf = a*htau
    a = 0.16*efun((15 - u)/5)
    b = 0.5*exp((10 - u)/40)
    ntau = 1/(a + b)
    ninf = a*ntau
}

FUNCTION efun(z) { : z/(exp(z)-1), finite at z = 0 (a removable singularity)
    if (fabs(z) < 1e-6) {
        efun = 1 - z/2
    } else {
        efun = z/(exp(z) - 1)
    }
}
UNITSON
