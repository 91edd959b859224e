// Definitions of the helpers that need _GNU_SOURCE, kept out of the header so that the Swift
// module's view of glibc stays the default one (as swift-nio's CNIOLinux does).
#ifdef __linux__
#define _GNU_SOURCE
#include <sched.h>

#include "CPortwardenLinux.h"

int CPortwardenLinux_setns(int fd, int nstype) { return setns(fd, nstype); }

int CPortwardenLinux_sched_getcpu(void) { return sched_getcpu(); }

int CPortwardenLinux_CLONE_NEWNET(void) { return CLONE_NEWNET; }
#endif
