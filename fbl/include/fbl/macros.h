// <fbl/macros.h>: declarations that switch off a class's copying, moving or heap allocation.
// Each expands to member declarations; write it inside the class body, followed by `;`.

#ifndef FBL_MACROS_H_
#define FBL_MACROS_H_

#include <stddef.h>

// Deletes the copy and move constructors and assignment operators of `_class_name`: objects of
// the class stay where they were created.
#define DISALLOW_COPY_ASSIGN_AND_MOVE(_class_name)     \
  _class_name(const _class_name&) = delete;            \
  _class_name(_class_name&&) = delete;                 \
  _class_name& operator=(const _class_name&) = delete; \
  _class_name& operator=(_class_name&&) = delete

// Deletes the copy constructor and copy assignment of `_class_name`, leaving moves available:
// objects of the class can be moved but not copied.
#define DISALLOW_COPY_AND_ASSIGN_ALLOW_MOVE(_class_name) \
  _class_name(const _class_name&) = delete;              \
  _class_name& operator=(const _class_name&) = delete

// Deletes the class's `operator new` and `operator new[]`: objects of the class cannot be
// allocated with a plain new-expression.
#define DISALLOW_NEW                          \
  static void* operator new(size_t) = delete; \
  static void* operator new[](size_t) = delete

#endif  // FBL_MACROS_H_
