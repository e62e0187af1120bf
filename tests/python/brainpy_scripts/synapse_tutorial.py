# The exponential COBA synapse of BrainPy's synapse tutorial ("Synaptic models", ExponSparseCOBA and
# SimpleNet, BrainPy 2.4 documentation), with the edits of docs/python.md ("Networks"):
#   - import ionode as bp;
#   - bp.dyn.LifRef -> a passive ionode TraubMiles cell (gNa = gK = 0, EL = -60 mV) in density units;
#     g_max in mS/cm^2;
#   - SimpleNet.update (which calls pre, syn, post and returns the conductance and the current) -> the
#     monitors 'post.V' and 'post.spike' (ionode's step is its own: docs/networks.md).
import numpy as np

import ionode as bp


class ExponSparseCOBA(bp.Projection):
  def __init__(self, pre, post, delay, prob, g_max, tau, E):
    super().__init__()

    self.proj = bp.dyn.ProjAlignPostMg2(
      pre=pre,
      delay=delay,
      comm=bp.dnn.EventCSRLinear(bp.conn.FixedProb(prob, pre=pre.num, post=post.num), g_max),
      syn=bp.dyn.Expon.desc(post.num, tau=tau),
      out=bp.dyn.COBA.desc(E=E),
      post=post,
    )


class SimpleNet(bp.DynSysGroup):
  def __init__(self, E=0.):
    super().__init__()
    self.pre = bp.dyn.SpikeTimeGroup(1, indices=(0, 0, 0, 0), times=(10., 30., 50., 70.))
    self.post = bp.neurons.TraubMiles(1, gNa=0., gK=0., EL=-60., V_initializer=bp.init.Constant(-60.))
    self.syn = ExponSparseCOBA(self.pre, self.post, delay=None, prob=1., g_max=0.05, tau=5., E=E)


for E in (0., -80.):
  net = SimpleNet(E=E)
  runner = bp.DSRunner(net, monitors=['post.V'])
  runner.run(100.)
  v = runner.mon['post.V'][:, 0]
  print(f'E = {E}: V from {v.min():.3f} to {v.max():.3f} mV')
