/* cmd_check.h — `tshoot check KIND ARG [OPTIONS]`: one check from the command line. */
#ifndef TSHOOT_CMD_CHECK_H
#define TSHOOT_CMD_CHECK_H

/* argv[0] is "check". Prints the result (text or --json) on stdout, bad input as one
 * line on stderr. Returns the exit status: 0 ok, 1 a problem found, 2 bad input,
 * 128 + the signal when SIGINT or SIGTERM stopped it. */
int cmd_check_main(int argc, char **argv);

#endif
