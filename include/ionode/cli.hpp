// The `ionode` command line as a function, so that a program that registers its own models
// (examples/connor_stevens) offers the same commands.
#pragma once

namespace ionode {

// Runs the command line. Returns the exit status: 0 on success, 2 for bad input or a diverged
// simulation (the message on stderr names what was wrong), 1 for an internal error.
int run_cli(int argc, char** argv);

}  // namespace ionode
