/* conc_fixture.c — a TCP server on 127.0.0.1 that counts how many connections it holds
 * at once, for `tshoot sweep --jobs` (tests/integration/sweep.sh).
 *
 *   conc_fixture PORT HOLD_MS FILE [SECONDS]
 *
 * Each connection is accepted at once and closed HOLD_MS later without a byte sent (a
 * TLS client waits for the server's hello all that time); FILE always holds the most
 * connections open at one time so far. Exits by itself after SECONDS (default 60). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXC 1024

static long long ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: conc_fixture PORT HOLD_MS FILE [SECONDS]\n");
		return 2;
	}
	int port = (int)strtol(argv[1], NULL, 10);
	long long hold = strtoll(argv[2], NULL, 10);
	const char *out = argv[3];
	alarm(argc > 4 ? (unsigned)strtoul(argv[4], NULL, 10) : 60);
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 256) != 0) {
		perror("conc_fixture: listen");
		return 1;
	}
	int conns[MAXC];
	long long until[MAXC];
	int n = 0, max = 0;
	FILE *f = fopen(out, "w");
	if (f) {
		fprintf(f, "0\n");
		fclose(f);
	}
	for (;;) {
		long long now = ms(), wait = 100;
		for (int i = 0; i < n;) {
			if (until[i] <= now) {
				close(conns[i]);
				conns[i] = conns[--n];
				until[i] = until[n];
			} else {
				if (until[i] - now < wait)
					wait = until[i] - now;
				i++;
			}
		}
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, (int)wait) > 0 && n < MAXC) {
			int c = accept(fd, NULL, NULL);
			if (c < 0)
				continue;
			conns[n] = c;
			until[n++] = ms() + hold;
			if (n > max) {
				max = n;
				f = fopen(out, "w");
				if (f) {
					fprintf(f, "%d\n", max);
					fclose(f);
				}
			}
		}
	}
}
