// portloop demo, part 2: the message loop.
#ifndef EXAMPLES_DEMO_LOOP_DEMO_H_
#define EXAMPLES_DEMO_LOOP_DEMO_H_

// Shows tasks, waits, packets, quit, loop threads and shutdown on an async::Loop, printing what
// happens. The output is the same on every run.
void RunLoopDemo();

#endif  // EXAMPLES_DEMO_LOOP_DEMO_H_
