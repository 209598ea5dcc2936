/* tafel_bench: the link mode (not built yet). */
#include <stdio.h>

#include "tafel_bench.h"

int
mode_link(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "tafel_bench: mode link is not built yet\n");
	return 2;
}
