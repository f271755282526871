/* main — the command line: global options, the subcommand table, usage. */
#include "cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
