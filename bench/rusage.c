/* bench/rusage.c — run a command once and say what it took: wall time (microseconds,
 * from just before the spawn to its exit), user and system CPU time, and its largest
 * resident set, from wait4(2). Built and run by bench/lint.sh.
 *   rusage CMD [ARG...]   prints "wall_us=W user_us=U sys_us=S maxrss_kb=M status=X"
 * The command's output goes to /dev/null. */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long long now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static long long tv_us(struct timeval tv)
{
	return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: rusage CMD [ARG...]\n");
		return 2;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	long long t0 = now_us();
	if (posix_spawnp(&pid, argv[1], &fa, NULL, argv + 1, environ) != 0) {
		perror(argv[1]);
		return 2;
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) != pid) {
		perror("wait4");
		return 2;
	}
	long long wall = now_us() - t0;
	posix_spawn_file_actions_destroy(&fa);
	printf("wall_us=%lld user_us=%lld sys_us=%lld maxrss_kb=%ld status=%d\n", wall,
	       tv_us(ru.ru_utime), tv_us(ru.ru_stime), ru.ru_maxrss,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}
