// Example: runs several child processes and collects their exit codes on an async::Loop, with
// no SIGCHLD handler and no waitpid(). Each child's pid is wrapped in a process handle
// (<zircon/linux/process.h>), which asserts ZX_PROCESS_TERMINATED once the child has exited;
// zx_object_get_info(ZX_INFO_PROCESS) then gives its exit code (-N if signal N ended it).
// Exits 0 if every child's code is the expected one.
#include <lib/async-loop/cpp/loop.h>
#include <lib/async/cpp/wait.h>
#include <lib/fit/function.h>
#include <lib/zx/handle.h>
#include <zircon/linux/process.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>

#include <cinttypes>
#include <cstdio>
#include <iterator>
#include <memory>
#include <vector>

#include <unistd.h>

namespace {

// A child to run: a shell script (fork + exec of /bin/sh -c), or without one a fork that calls
// _exit(`expected`) at once; and the exit code it must end with.
struct Recipe {
  const char* script;
  int64_t expected;
};

constexpr Recipe kRecipes[] = {
    {"exit 0", 0},
    {"exit 3", 3},
    {"sleep 0.2; exit 42", 42},  // still running when the loop begins to wait
    {"kill -KILL $$", -9},       // ended by a signal
    {nullptr, 7},
    {nullptr, 255},
};

// A running child, its process handle, and the wait for its end.
struct Child {
  const Recipe* recipe = nullptr;
  pid_t pid = -1;
  zx::handle process;
  async::WaitOnce wait;
  bool matched = false;
};

// Starts the child of `recipe`. Only async-signal-safe calls happen between fork() and exec()
// or _exit(), so this is safe even once other threads run.
pid_t Spawn(const Recipe& recipe) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (recipe.script != nullptr) {
      execl("/bin/sh", "sh", "-c", recipe.script, static_cast<char*>(nullptr));
      _exit(127);  // exec failed
    }
    _exit(static_cast<int>(recipe.expected));
  }
  return pid;
}

// Reads the exit code of `child`, whose process has terminated, and checks it.
void Collect(Child* child) {
  zx_info_process_t info = {};
  const zx_status_t status = zx_object_get_info(child->process.get(), ZX_INFO_PROCESS, &info,
                                                sizeof(info), nullptr, nullptr);
  if (status != ZX_OK || !info.exited) {
    std::printf("pid %d: ZX_INFO_PROCESS failed: %s\n", child->pid, zx_status_get_string(status));
    return;
  }
  child->matched = info.return_code == child->recipe->expected;
  std::printf("pid %d (%s): exit code %" PRId64 ", expected %" PRId64 "%s\n", child->pid,
              child->recipe->script != nullptr ? child->recipe->script : "fork + _exit",
              info.return_code, child->recipe->expected, child->matched ? "" : "  MISMATCH");
}

// Starts the child of `recipe` and begins waiting for its end on `dispatcher`; the handler
// collects its exit code, then calls `on_ended`. Returns null if either step failed.
std::unique_ptr<Child> StartChild(const Recipe& recipe, async_dispatcher_t* dispatcher,
                                  fit::closure on_ended) {
  auto child = std::make_unique<Child>();
  child->recipe = &recipe;
  child->pid = Spawn(recipe);
  if (child->pid < 0) {
    std::perror("fork");
    return nullptr;
  }
  // The child may already have exited: a handle to a zombie is fine, and terminates at once.
  zx_status_t status =
      zx_linux_process_create(child->pid, 0, child->process.reset_and_get_address());
  if (status != ZX_OK) {
    std::printf("zx_linux_process_create(%d): %s\n", child->pid, zx_status_get_string(status));
    return nullptr;
  }
  child->wait.set_object(child->process.get());
  child->wait.set_trigger(ZX_PROCESS_TERMINATED);
  status = child->wait.Begin(dispatcher, [raw = child.get(), on_ended = std::move(on_ended)](
                                             async_dispatcher_t*, async::WaitOnce*,
                                             zx_status_t wait_status, const zx_packet_signal_t*) {
    if (wait_status == ZX_OK) {  // else ZX_ERR_CANCELED: the loop shut down first
      Collect(raw);
    }
    on_ended();
  });
  if (status != ZX_OK) {
    std::printf("begin wait: %s\n", zx_status_get_string(status));
    return nullptr;
  }
  return child;
}

}  // namespace

int main() {
  // The loop runs on this thread, which is also its default dispatcher's thread.
  async::Loop loop(&kAsyncLoopConfigAttachToThread);
  std::vector<std::unique_ptr<Child>> children;
  const size_t count = std::size(kRecipes);
  size_t ended = 0;
  for (const Recipe& recipe : kRecipes) {
    children.push_back(StartChild(recipe, loop.dispatcher(), [&] {
      if (++ended == count) {
        loop.Quit();
      }
    }));
    if (children.back() == nullptr) {
      return 1;
    }
  }

  // Every child ends within a second; the deadline only keeps a broken build from hanging.
  loop.Run(zx::deadline_after(zx::sec(30)));
  size_t matched = 0;
  for (const auto& child : children) {
    matched += child->matched ? 1 : 0;
  }
  std::printf("%zu of %zu children ended, %zu with the expected exit code\n", ended, count,
              matched);
  return matched == count ? 0 : 1;
}
