# The E/I network of BrainPy's ProjAlignPostMg2 documentation (BrainPy 2.4, brainpy/_src/dyn/projections/
# aligns.py, "To define an E/I balanced network model"), with the edits of docs/python.md ("Networks"):
#   - import ionode as bp (brainpy.math is not needed);
#   - bp.dyn.LifRef (an integrate-and-fire cell, not a conductance-based one) -> ionode's TraubMiles in
#     density units, with the same initial voltages; weights in mS/cm^2 (0.6 -> 0.03, 6.7 -> 0.335);
#   - the loop `bm.for_loop(lambda i: model.step_run(i, 20.), indices)` -> bp.DSRunner with the
#     input given as ('E.input', ...) and ('I.input', ...); the model's update() is not needed.
import numpy as np

import ionode as bp


class EINet(bp.DynSysGroup):
  def __init__(self):
    super().__init__()
    ne, ni = 3200, 800
    self.E = bp.neurons.TraubMiles(ne, V_initializer=bp.init.Normal(-55., 2.))
    self.I = bp.neurons.TraubMiles(ni, V_initializer=bp.init.Normal(-55., 2.))
    self.E2E = bp.dyn.ProjAlignPostMg2(pre=self.E,
                                       delay=0.1,
                                       comm=bp.dnn.EventJitFPHomoLinear(ne, ne, prob=0.02, weight=0.03),
                                       syn=bp.dyn.Expon.desc(size=ne, tau=5.),
                                       out=bp.dyn.COBA.desc(E=0.),
                                       post=self.E)
    self.E2I = bp.dyn.ProjAlignPostMg2(pre=self.E,
                                       delay=0.1,
                                       comm=bp.dnn.EventJitFPHomoLinear(ne, ni, prob=0.02, weight=0.03),
                                       syn=bp.dyn.Expon.desc(size=ni, tau=5.),
                                       out=bp.dyn.COBA.desc(E=0.),
                                       post=self.I)
    self.I2E = bp.dyn.ProjAlignPostMg2(pre=self.I,
                                       delay=0.1,
                                       comm=bp.dnn.EventJitFPHomoLinear(ni, ne, prob=0.02, weight=0.335),
                                       syn=bp.dyn.Expon.desc(size=ne, tau=10.),
                                       out=bp.dyn.COBA.desc(E=-80.),
                                       post=self.E)
    self.I2I = bp.dyn.ProjAlignPostMg2(pre=self.I,
                                       delay=0.1,
                                       comm=bp.dnn.EventJitFPHomoLinear(ni, ni, prob=0.02, weight=0.335),
                                       syn=bp.dyn.Expon.desc(size=ni, tau=10.),
                                       out=bp.dyn.COBA.desc(E=-80.),
                                       post=self.I)


model = EINet()
runner = bp.DSRunner(model, monitors={'E.spike': model.E.spike}, inputs=[('E.input', 1.), ('I.input', 1.)])
runner.run(100.)
rate = bp.measure.firing_rate(runner.mon['E.spike'], width=5.)
print('E rate', float(np.mean(rate)))
bp.visualize.raster_plot(runner.mon.ts, runner.mon['E.spike'])
