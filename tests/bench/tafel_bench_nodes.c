/* tafel_bench: the nodes mode (not built yet). */
#include <stdio.h>

#include "tafel_bench.h"

int
mode_nodes(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "tafel_bench: mode nodes is not built yet\n");
	return 2;
}
