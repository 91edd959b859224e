// The Linux kernel and C library headers the scanner needs that Swift's Glibc module does not
// export (epoll, the socket error queue, classic BPF, packet sockets, namespaces), and tiny
// helpers for what Swift cannot call directly: function-like macros (CMSG_*, SO_EE_OFFENDER)
// and functions glibc declares only with _GNU_SOURCE (setns, unshare).
//
// Swift reaches these only through PortwardenScan's `Kernel` shim (Sources/PortwardenScan/Platform)
// and the test support's namespace helper; nothing else imports this module.
#ifndef C_PORTWARDEN_LINUX_H
#define C_PORTWARDEN_LINUX_H

#ifdef __linux__

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp6.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <linux/errqueue.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

// MARK: constants

/// `CLONE_NEWNET` (`<sched.h>` declares it only with _GNU_SOURCE; defined in shim.c).
int CPortwardenLinux_CLONE_NEWNET(void);

// MARK: control messages (CMSG_* are macros)

static inline struct cmsghdr *CPortwardenLinux_CMSG_FIRSTHDR(const struct msghdr *message) {
    return CMSG_FIRSTHDR(message);
}

static inline struct cmsghdr *CPortwardenLinux_CMSG_NXTHDR(struct msghdr *message, struct cmsghdr *header) {
    return CMSG_NXTHDR(message, header);
}

static inline unsigned char *CPortwardenLinux_CMSG_DATA(struct cmsghdr *header) { return CMSG_DATA(header); }

/// The number of data bytes of a control message (`cmsg_len` minus the aligned header).
static inline size_t CPortwardenLinux_CMSG_DATA_LENGTH(const struct cmsghdr *header) {
    size_t header_length = CMSG_LEN(0);
    return header->cmsg_len > header_length ? header->cmsg_len - header_length : 0;
}

/// The byte offset of the offender address after a `sock_extended_err` (`SO_EE_OFFENDER`).
static inline size_t CPortwardenLinux_SO_EE_OFFENDER_OFFSET(void) {
    return sizeof(struct sock_extended_err);
}

// MARK: functions glibc declares only with _GNU_SOURCE (defined in shim.c)

/// `setns(2)`. - Returns: 0, or -1 with errno set.
int CPortwardenLinux_setns(int fd, int nstype);

/// `sched_getcpu(3)`: the CPU the calling thread runs on, or -1.
int CPortwardenLinux_sched_getcpu(void);

#endif  // __linux__
#endif  // C_PORTWARDEN_LINUX_H
