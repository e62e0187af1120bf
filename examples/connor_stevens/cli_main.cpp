// `connor_stevens`: ionode's command line with one more model. Registering the model before
// run_cli makes `connor_stevens models` list it and `connor_stevens run cs.toml` accept
// model = "ConnorStevens"; the built-in models stay available.
#include "connor_stevens.hpp"
#include "ionode/cli.hpp"
#include "ionode/registry.hpp"

int main(int argc, char** argv) {
  ionode::register_model<ionode_examples::connor_stevens>(
      "Connor-Stevens (1977): Na, delayed-rectifier K and A-current; type I excitability "
      "(Dayan & Abbott section 6.2)");
  return ionode::run_cli(argc, argv);
}
