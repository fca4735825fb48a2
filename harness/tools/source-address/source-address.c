/*
 * Preloaded into a lab process (LD_PRELOAD) so its outgoing loopback connections leave from
 * the process's own address, STREAMPROOF_SOURCE_ADDRESS (127.x.y.z): an unbound socket that
 * connects to 127.0.0.0/8 is bound to that address first. Kafka, Java and most runtimes have
 * no setting for a client's source address, and nftables partitions match on it.
 * IPv4 and IPv4-mapped IPv6 sockets (the JVM's default) are handled; anything else passes.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static int (*real_connect)(int, const struct sockaddr *, socklen_t);
static struct in_addr own;
static int have_own;

__attribute__((constructor)) static void init(void) {
  real_connect = (int (*)(int, const struct sockaddr *, socklen_t))dlsym(RTLD_NEXT, "connect");
  const char *value = getenv("STREAMPROOF_SOURCE_ADDRESS");
  have_own = value != NULL && inet_pton(AF_INET, value, &own) == 1 && (ntohl(own.s_addr) >> 24) == 127;
}

static int is_loopback_v4(const struct in_addr *a) { return (ntohl(a->s_addr) >> 24) == 127; }

/* The socket has no local address yet (a bound one keeps its own). */
static int unbound(int fd, int family) {
  struct sockaddr_storage local;
  socklen_t len = sizeof local;
  if (getsockname(fd, (struct sockaddr *)&local, &len) != 0) return 0;
  if (family == AF_INET) return ((struct sockaddr_in *)&local)->sin_port == 0 && ((struct sockaddr_in *)&local)->sin_addr.s_addr == htonl(INADDR_ANY);
  struct sockaddr_in6 *l6 = (struct sockaddr_in6 *)&local;
  return l6->sin6_port == 0 && IN6_IS_ADDR_UNSPECIFIED(&l6->sin6_addr);
}

static void bind_own(int fd, const struct sockaddr *to) {
  int saved = errno;
  if (to->sa_family == AF_INET) {
    if (!is_loopback_v4(&((const struct sockaddr_in *)to)->sin_addr) || !unbound(fd, AF_INET)) return;
    struct sockaddr_in from = {.sin_family = AF_INET, .sin_port = 0, .sin_addr = own};
    bind(fd, (struct sockaddr *)&from, sizeof from);
  } else if (to->sa_family == AF_INET6) {
    const struct in6_addr *dst = &((const struct sockaddr_in6 *)to)->sin6_addr;
    if (!IN6_IS_ADDR_V4MAPPED(dst) || !is_loopback_v4((const struct in_addr *)&dst->s6_addr[12]) || !unbound(fd, AF_INET6)) return;
    struct sockaddr_in6 from = {.sin6_family = AF_INET6, .sin6_port = 0};
    from.sin6_addr.s6_addr[10] = 0xff;
    from.sin6_addr.s6_addr[11] = 0xff;
    memcpy(&from.sin6_addr.s6_addr[12], &own, 4);
    bind(fd, (struct sockaddr *)&from, sizeof from);
  }
  errno = saved; /* a refused bind leaves the connect as it was */
}

int connect(int fd, const struct sockaddr *to, socklen_t len) {
  if (have_own && to != NULL) bind_own(fd, to);
  return real_connect(fd, to, len);
}
