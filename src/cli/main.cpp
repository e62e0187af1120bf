// The `ionode` executable.
#include "ionode/cli.hpp"

int main(int argc, char** argv) { return ionode::run_cli(argc, argv); }
