// The CPU's hint for busy-wait loops.
#ifndef ZIRCON_SRC_LINUX_CPU_H_
#define ZIRCON_SRC_LINUX_CPU_H_

#include <sched.h>

namespace zircon::linux {

// Tells the CPU that the caller spins on memory another thread will write: saves power and
// lets a sibling hyperthread run. Thread-safe; no system call.
inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

// Offers the CPU to another runnable thread, if there is one (sched_yield). A spinning thread
// calls it now and then, so that a thread it waits for on the same CPU gets to run.
inline void YieldCpu() { sched_yield(); }

}  // namespace zircon::linux

#endif  // ZIRCON_SRC_LINUX_CPU_H_
