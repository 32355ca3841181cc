/* hold_fixture.c — a misbehaving TCP server on 127.0.0.1 for the check tests.
 *
 *   hold_fixture PORT MODE [SECONDS]
 *     hold   listen, never accept or answer: connects succeed, then silence
 *     full   listen with a full accept queue: new connects get no SYN-ACK (time out)
 *     close  accept and close at once
 *     http   accept, read the request, answer "HTTP/1.1 400 Bad Request", close
 *     udp    bind a UDP port and read datagrams without ever answering (a DNS
 *            server that keeps silent)
 *     NNN    the same with status NNN (407 adds Proxy-Authenticate: a proxy refusing
 *            CONNECT without credentials)
 *
 * Exits by itself after SECONDS (default 60) so a crashed test leaves nothing behind. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int listen_on(int port, int backlog)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	struct sockaddr_in a;
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, backlog) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void fill_queue(int port)
{
	/* The accept queue of a backlog-0 listener holds one connection; fill it with a
	 * few of our own (never accepted) so the kernel drops later SYNs. */
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < 3; i++) {
		int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (c >= 0)
			connect(c, (struct sockaddr *)&a, sizeof a);   /* kept open on purpose */
	}
	usleep(200000);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: hold_fixture PORT hold|full|close|http|udp|NNN [SECONDS]\n");
		return 2;
	}
	int port = (int)strtol(argv[1], NULL, 10);
	const char *mode = argv[2];
	unsigned secs = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 60;
	alarm(secs);
	if (strcmp(mode, "udp") == 0) {
		int u = socket(AF_INET, SOCK_DGRAM, 0);
		struct sockaddr_in a;
		char buf[2048];
		memset(&a, 0, sizeof a);
		a.sin_family = AF_INET;
		a.sin_port = htons((unsigned short)port);
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (u < 0 || bind(u, (struct sockaddr *)&a, sizeof a) != 0) {
			perror("hold_fixture: udp");
			return 1;
		}
		for (;;)
			if (recv(u, buf, sizeof buf, 0) < 0 && errno != EINTR)
				return 1;
	}
	int full = strcmp(mode, "full") == 0;
	int fd = listen_on(port, full ? 0 : 16);
	if (fd < 0) {
		perror("hold_fixture: listen");
		return 1;
	}
	if (full)
		fill_queue(port);
	if (full || strcmp(mode, "hold") == 0) {
		for (;;)
			pause();
	}
	int status = strcmp(mode, "http") == 0 ? 400 : (int)strtol(mode, NULL, 10);
	for (;;) {
		int c = accept(fd, NULL, NULL);
		if (c < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (status >= 100 && status <= 599) {
			char buf[4096], ans[512];
			struct pollfd p = {.fd = c, .events = POLLIN};
			if (poll(&p, 1, 2000) > 0 && read(c, buf, sizeof buf) > 0) {
				int n = snprintf(ans, sizeof ans,
						 "HTTP/1.1 %d Fixture Says So\r\n%sContent-Type: text/plain\r\n"
						 "Content-Length: 8\r\nConnection: close\r\n\r\nfixture\n", status,
						 status == 407 ? "Proxy-Authenticate: Basic realm=\"fixture\"\r\n" : "");
				ssize_t w = write(c, ans, (size_t)n);
				(void)w;
			}
		}
		close(c);
	}
}
