/* httpd_fixture.c — a misbehaving HTTP server on 127.0.0.1 for the check tests and the
 * benchmark: the cases nginx will not produce on demand.
 *
 *   httpd_fixture MODE PORT [MS]
 *     slow MS     read the request, wait MS ms, answer 200 (one thread per connection)
 *     blackhole   accept and hold the connection open, never answer
 *     partial     read the request, send a status line and one header, then close
 *     reset       read the request, then reset the connection (RST)
 *     hangup      accept and close at once, before reading anything
 *     banner      send a non-HTTP banner ("SSH-2.0-...") and close after the request
 *     bigheader   read the request, send a 200 status line, then one header line of
 *                 200 KB (more than any client keeps), then hold until the peer closes
 *     manyheaders the same with 400 headers of 1 KB each (400 KB in all)
 *     hostile     answer 200 with a status text and a Server header full of what must
 *                 never reach a terminal raw: ESC and C1 controls (UTF-8 and 8-bit),
 *                 bidi overrides and isolates, invalid UTF-8; and some real "café ✓"
 *
 * Runs until killed. Bounded: every connection ends when the peer closes. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char *mode;
static long delay_ms;

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Read until the end of the request headers (or the peer closes). */
static void read_request(int fd)
{
	char buf[4096];
	size_t have = 0;
	for (;;) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n <= 0)
			return;
		have += (size_t)n;
		buf[have] = '\0';
		if (strstr(buf, "\r\n\r\n") || have >= sizeof(buf) - 1)
			return;
	}
}

static void write_all(int fd, const char *s)
{
	size_t len = strlen(s);
	while (len) {
		ssize_t n = write(fd, s, len);
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

static void drain_until_close(int fd)
{
	char buf[4096];
	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

static void *serve(void *arg)
{
	int fd = (int)(long)arg;
	if (strcmp(mode, "slow") == 0) {
		read_request(fd);
		sleep_ms(delay_ms);
		write_all(fd, "HTTP/1.1 200 OK\r\nServer: httpd_fixture\r\nContent-Length: 3\r\n"
			      "Connection: close\r\n\r\nok\n");
	} else if (strcmp(mode, "blackhole") == 0) {
		drain_until_close(fd);
	} else if (strcmp(mode, "partial") == 0) {
		read_request(fd);
		write_all(fd, "HTTP/1.1 200 OK\r\nServer: httpd_fixture\r\n");
		sleep_ms(50);
	} else if (strcmp(mode, "reset") == 0) {
		read_request(fd);
		struct linger lg = {1, 0};
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	} else if (strcmp(mode, "bigheader") == 0 || strcmp(mode, "manyheaders") == 0) {
		bool one = strcmp(mode, "bigheader") == 0;
		char chunk[1025];
		memset(chunk, 'a', sizeof(chunk) - 1);
		chunk[sizeof(chunk) - 1] = '\0';
		read_request(fd);
		write_all(fd, "HTTP/1.1 200 OK\r\nServer: httpd_fixture\r\n");
		if (one)
			write_all(fd, "X-Big: ");
		for (int i = 0; i < (one ? 200 : 400); i++) {
			if (!one)
				write_all(fd, "X-Many: ");
			write_all(fd, chunk);
			if (!one)
				write_all(fd, "\r\n");
		}
		write_all(fd, one ? "\r\nContent-Length: 0\r\n\r\n" : "Content-Length: 0\r\n\r\n");
		drain_until_close(fd);
	} else if (strcmp(mode, "hostile") == 0) {
		read_request(fd);
		write_all(fd, "HTTP/1.1 200 OK\xc2\x9b" "2J\xe2\x80\xae\xff\r\n"
			      "Server: \x1b[2J\xc2\x9b" "31m\x9b" "1m\xe2\x80\xae" "exe.txt\xe2\x81\xa6\xff caf\xc3\xa9 \xe2\x9c\x93\r\n"
			      "Content-Length: 3\r\nConnection: close\r\n\r\nok\n");
	} else if (strcmp(mode, "banner") == 0) {
		write_all(fd, "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
		read_request(fd);
	}
	/* hangup: nothing */
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: httpd_fixture slow|blackhole|partial|reset|hangup|banner|bigheader|manyheaders|hostile PORT [MS]\n");
		return 2;
	}
	mode = argv[1];
	char *end;
	long port = strtol(argv[2], &end, 10);
	if (*end || port < 1 || port > 65535)
		return 2;
	delay_ms = argc > 3 ? strtol(argv[3], &end, 10) : 1000;
	signal(SIGPIPE, SIG_IGN);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in sin = {0};
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) != 0 || listen(s, 128) != 0) {
		perror("httpd_fixture");
		return 1;
	}
	for (;;) {
		int fd = accept(s, NULL, NULL);
		if (fd < 0)
			continue;
		pthread_t t;
		if (pthread_create(&t, NULL, serve, (void *)(long)fd) == 0)
			pthread_detach(t);
		else
			close(fd);
	}
}
