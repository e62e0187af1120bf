// posix_spawn with stderr captured through a pipe.
#include "child_process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <array>
#include <cerrno>
#include <cstring>

#include "ionode/error.hpp"

extern char** environ;

namespace ionode::cli {

namespace {

// Closes a descriptor once, whichever way the function leaves.
struct fd_guard {
  int fd = -1;
  ~fd_guard() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

}  // namespace

child_result run_child(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  std::array<int, 2> pipe_fds{};
  // O_CLOEXEC: the child keeps only the dup2'ed copy on fd 2, so EOF arrives when it exits.
  if (::pipe2(pipe_fds.data(), O_CLOEXEC) != 0) {
    throw error(fmt::format("cannot start '{}': pipe: {}", argv.at(0), std::strerror(errno)));
  }
  fd_guard read_end{pipe_fds[0]}, write_end{pipe_fds[1]};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, write_end.fd, STDERR_FILENO);
  pid_t pid = 0;
  const int failed = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (failed != 0) throw error(fmt::format("cannot start '{}': {}", argv[0], std::strerror(failed)));
  write_end.reset();

  child_result result;
  std::array<char, 4096> buffer{};
  for (;;) {
    const ssize_t n = ::read(read_end.fd, buffer.data(), buffer.size());
    if (n > 0) {
      result.errors.append(buffer.data(), static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      throw error(fmt::format("lost track of '{}': waitpid: {}", argv[0], std::strerror(errno)));
  }
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace ionode::cli
