// Runs a helper program (the plotting script's Python) as a child process, without a shell.
#pragma once

#include <string>
#include <vector>

namespace ionode::cli {

struct child_result {
  int exit_status = 0;  // the child's exit status, or 128 + signal number if a signal ended it
  std::string errors;   // everything the child wrote on stderr
};

// Starts argv[0] (a path, or a name looked up in PATH) with the arguments argv[1...] passed as they are,
// never through a shell, so no file name can inject a command. The child inherits the environment,
// the working directory and stdout; its stderr is captured. Waits for it to finish. Throws
// ionode::error if the program cannot be started.
child_result run_child(const std::vector<std::string>& argv);

}  // namespace ionode::cli
