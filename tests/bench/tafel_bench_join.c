/* tafel_bench: the join mode (not built yet). */
#include <stdio.h>

#include "tafel_bench.h"

int
mode_join(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "tafel_bench: mode join is not built yet\n");
	return 2;
}
