// `connor_stevens`: ionode's command line with one more model. Registering the model before
// run_cli makes `connor_stevens models` list it and `connor_stevens run cs.toml` accept
// model = "ConnorStevens"; the built-in models stay available.
#include <string>

#include "connor_stevens.hpp"
#include "ionode/cli.hpp"
#include "ionode/registry.hpp"

int main(int argc, char** argv) {
  using model = ionode_examples::connor_stevens;
  ionode::register_model<model>(std::string(model::summary));
  return ionode::run_cli(argc, argv);
}
